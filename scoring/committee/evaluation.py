"""The tender's evaluation by the engine: the published scenario, the opened bids, the
committee's consensus scores and the answered clarifications, in that order.

Nothing here is a second scoring rule: the engine (``scoring.engine.evaluate``) ranks; this
module only assembles its inputs from the database, each answer citing where it came from (the
bid, the committee consensus naming its evaluators, moderator and reason, or a dated written
clarification reply).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine import Evaluation, evaluate
from ..i18n import _
from ..models import Catalogue, Offer, Source
from ..robustness.answers import with_answer
from ..scenario.load import parse_scenario_doc
from ..scenario.model import Scenario
from .access import READERS, conflicts, load_tender, require_role
from .bids import offers_of
from .catalogue import tender_catalogue
from .errors import PermissionDenied, TransitionError
from .identity import Person
from .models import Clarification, Tender
from .panel import _questions, apply_consensus, build_panel, consensus_answers
from .store import Store


def published_scenario(t: Tender) -> Scenario:
    if not t.published_canonical:
        raise TransitionError(_("the tender is not published yet"))
    return parse_scenario_doc(json.loads(t.published_canonical)["scenario"],
                              f"tender {t.id} (published)")


def clarification_source(c: Clarification) -> str:
    return f"clarification-{c.id}"


def apply_reply(offer: Offer, c: Clarification, value: Any, on: Any, cat: Catalogue) -> Offer:
    """The offer with the clarified answer, citing the dated written reply as its source."""
    q = cat.question(c.question)
    o = with_answer(offer, q, value, on)
    sid = clarification_source(c)
    a = o.answers[c.question].model_copy(update={
        "confidence": "confirmed", "sources": (sid,),
        "note": f"written clarification reply received {c.reply_received_on}"})
    src = Source(id=sid, title=f"Clarification #{c.id}: reply of {offer.vendor_name}",
                 date=c.reply_received_on)
    return o.model_copy(update={"answers": {**o.answers, c.question: a},
                                "sources": {**o.sources, sid: src}})


def tender_offers(s: Session, t: Tender, *, upto: int | None = None) -> list[Offer]:
    """Bids + consensus + answered clarifications (only those with id <= ``upto``)."""
    sc = published_scenario(t)
    cat = tender_catalogue(t)
    p = build_panel(s, t)
    offers = apply_consensus(offers_of(s, t), consensus_answers(p), _questions(t), p)
    q = select(Clarification).where(Clarification.tender_id == t.id,
                                    Clarification.reply_received_on.is_not(None)
                                    ).order_by(Clarification.id)
    for c in s.execute(q).scalars():
        if upto is not None and c.id > upto:
            continue
        value = json.loads(c.reply_value_json or "null")
        offers = [apply_reply(o, c, value, sc.evaluation_date, cat) if o.offer_id == c.offer_id
                  else o for o in offers]
    return offers


def evaluate_tender(s: Session, t: Tender, *, upto: int | None = None) -> Evaluation:
    """The engine's evaluation of the tender now (prices count once the envelopes open)."""
    if not t.technical_frozen:
        raise TransitionError(_("the ranking needs the price envelopes: freeze the technical "
                                "scores first"))
    sc = published_scenario(t)
    return evaluate(sc, tender_offers(s, t, upto=upto), cat=tender_catalogue(t),
                    method=sc.method, scenario_file=f"tender {t.id}")


def ranking(store: Store, who: Person, tender_id: int) -> Evaluation:
    """The current evaluation, for the chair, observers and auditors, whole: refused to a
    member who declared a conflict with a bidder (it holds every bidder's detail; the
    ranking rows they may see are ``clarifications.withhold`` of it, as the report does)."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, *READERS)
        hidden = conflicts(s, t, who.name)
        if hidden:
            raise PermissionDenied(_("{label} declared a conflict of interest with {hidden}: "
                                     "the whole evaluation holds its detail (the award "
                                     "report shows the rest)").format(
                                       label=who.label, hidden=', '.join(sorted(hidden))))
        return evaluate_tender(s, t)
