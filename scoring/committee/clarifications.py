"""Written clarification requests and replies (Directive 2014/24/EU art. 56(3)).

The chair picks items of the clarification list (``scoring.robustness.clarify.clarify``: the
unknown answers that could move the result most), writes each as a request to the bidder with a
deadline, and records the bidder's reply with the date it was received. The reply's value
becomes the offer's answer, citing the reply as its source; the ranking before the request and
after the reply are both kept (``rank_json``), so the report shows what each reply changed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..engine import evaluate
from ..i18n import N_, _
from ..models import Question
from ..report.ranking import rank_json
from ..robustness.clarify import ClarificationItem, clarify
from . import audit
from .access import (
    READERS,
    bidders,
    conflicts,
    load_tender,
    require_no_conflict,
    require_role,
    require_state,
    without_conflicts,
)
from .errors import CommitteeError, NotFound
from .evaluation import (
    apply_reply,
    evaluate_tender,
    published_scenario,
    tender_catalogue,
    tender_offers,
)
from .identity import Person, clean_note
from .models import Clarification, Tender
from .store import Store


@dataclass(frozen=True)
class Request:
    id: int
    offer_id: str
    question: str
    text: str
    deadline: dt.date
    requested_by: str
    reply_text: str | None
    reply_value: Any
    received_on: dt.date | None
    rank_before: dict[str, Any]
    rank_after: dict[str, Any] | None


def withhold(rank: dict[str, Any], hidden: Collection[str]) -> dict[str, Any]:
    """A ranking without the results of bidders the viewer declared a conflict with (the rule
    of ``access.without_conflicts``), naming what was withheld."""
    if not hidden:
        return rank
    kept = [r for r in rank.get("results", []) if r["offer"] not in hidden]
    gone = sorted({r["offer"] for r in rank.get("results", [])} - {r["offer"] for r in kept})
    return {**rank, "results": kept, "withheld": gone}


def _request(c: Clarification, hidden: Collection[str] = ()) -> Request:
    return Request(c.id, c.offer_id, c.question, c.request_text, c.deadline, c.requested_by,
                   c.reply_text, json.loads(c.reply_value_json or "null"), c.reply_received_on,
                   withhold(json.loads(c.rank_before_json), hidden),
                   withhold(json.loads(c.rank_after_json), hidden) if c.rank_after_json
                   else None)


def candidates(store: Store, who: Person, tender_id: int, budget_s: float = 10.0
               ) -> list[ClarificationItem]:
    """The clarification list of the tender's current evaluation (chair), without the bidders
    the chair declared a conflict with."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        items = clarify(evaluate_tender(s, t), budget_s=budget_s).items
        return without_conflicts(s, t, who, items, lambda i: i.offer)


def check_value(q: Question, value: Any) -> None:
    """A reply's value must be an answer the question accepts (its type and range); there is
    no default answer (issue 18: a value field starting at 0 silently lowered an offer)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CommitteeError(_("{id}: enter the value the bidder's reply gives (there is no "
                               "default answer)").format(
                                 id=q.id))
    ok = {
        "bool": isinstance(value, bool),
        "level": isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 4,
        "enum": isinstance(value, str) and value in (q.options or {}),
        "country": isinstance(value, str) and len(value) == 2 and value.isupper(),
        "text": isinstance(value, str),
        "date": isinstance(value, str),
    }.get(q.type)
    if q.type in ("number", "percent"):
        ok = (isinstance(value, int | float) and not isinstance(value, bool)
              and (q.min is None or value >= q.min) and (q.max is None or value <= q.max))
    if not ok:
        raise CommitteeError(_("{id}: {value!r} is not a valid {type} answer").format(
                                 id=q.id, value=value, type=q.type))


def request(store: Store, who: Person, tender_id: int, offer_id: str, question: str,
            text: str, deadline: dt.date) -> int:
    """Send a written request to a bidder; the current ranking is kept as 'before'."""
    with store.tx("the clarification request") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, N_("request a clarification"), "clarification")
        if offer_id not in bidders(s, t):
            raise NotFound(_("no bid {offer_id} in this tender").format(offer_id=offer_id))
        require_no_conflict(s, t, who, offer_id, N_("ask it for a clarification"))
        try:
            tender_catalogue(t).question(question)
        except KeyError:
            raise NotFound(_("{question} is not a question of the catalogue").format(
                               question=question)) from None
        text = clean_note(text, "clarification request")
        if not text:
            raise CommitteeError(_("a clarification request needs its question in writing"))
        before = rank_json(evaluate_tender(s, t))
        c = Clarification(tender_id=t.id, offer_id=offer_id, question=question,
                          request_text=text.strip(), deadline=deadline, requested_by=who.name,
                          requested_at=audit.now(), rank_before_json=json.dumps(before))
        s.add(c)
        s.flush()
        audit.append(s, who, "clarification.requested", t.id,
                     {"id": c.id, "offer": offer_id, "question": question,
                      "deadline": deadline.isoformat(), "text": text.strip()}, before)
        return c.id


@dataclass(frozen=True)
class Effect:
    """What recording a reply would do to its offer (and the leader), before it is saved."""

    offer_id: str
    total_before: float | None
    rank_before: int | None
    total_after: float | None
    rank_after: int | None
    leader_before: str
    leader_after: str

    def text(self) -> str:
        def one(total: float | None, rank: int | None) -> str:
            return (f"total {'-' if total is None else f'{total:.2f}'}, rank "
                    f"{'excluded' if rank is None else rank}")
        return (f"{self.offer_id}: {one(self.total_before, self.rank_before)} → "
                f"{one(self.total_after, self.rank_after)}; leader {self.leader_before} → "
                f"{self.leader_after}")


def _row(rank: dict[str, Any], offer_id: str) -> tuple[float | None, int | None]:
    row: dict[str, Any] = next((r for r in rank.get("results", []) if r["offer"] == offer_id),
                               {})
    return row.get("total"), row.get("rank")


def _leader(rank: dict[str, Any], hidden: Collection[str]) -> str:
    lead = [r["offer"] for r in rank.get("results", []) if r["rank"] == 1]
    return ", ".join("a bidder withheld from you" if o in hidden else o for o in lead) or "none"


def _reply_to(s: Session, t: Tender, who: Person, request_id: int) -> Clarification:
    """The request a reply is for, once the chair may record it: the one check shared by the
    preview and the recording, so what the chair previews is what they may save."""
    require_role(s, t, who, "chair")
    require_state(t, N_("record a clarification reply"), "clarification")
    c = s.get(Clarification, request_id)
    if c is None or c.tender_id != t.id:
        raise NotFound(_("no clarification request #{request_id} in this tender").format(
                           request_id=request_id))
    require_no_conflict(s, t, who, c.offer_id, N_("record its clarification reply"))
    return c


def preview_reply(store: Store, who: Person, tender_id: int, request_id: int,
                  value: Any) -> Effect:
    """The offer's total and rank now and with ``value`` recorded (nothing is written): what
    the chair confirms before saving the reply."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        c = _reply_to(s, t, who, request_id)
        cat = tender_catalogue(t)
        check_value(cat.question(c.question), value)
        sc = published_scenario(t)
        offers = tender_offers(s, t)
        before = rank_json(evaluate(sc, offers, cat=cat, method=sc.method,
                                    scenario_file=f"tender {t.id}"))
        draft = Clarification(id=c.id, offer_id=c.offer_id, question=c.question,
                              reply_received_on=sc.evaluation_date)  # never added to the session
        offers = [apply_reply(o, draft, value, sc.evaluation_date, cat) if o.offer_id == c.offer_id
                  else o for o in offers]
        after = rank_json(evaluate(sc, offers, cat=cat, method=sc.method,
                                   scenario_file=f"tender {t.id}"))
        hidden = conflicts(s, t, who.name)
        return Effect(c.offer_id, *_row(before, c.offer_id), *_row(after, c.offer_id),
                      _leader(before, hidden), _leader(after, hidden))


def record_reply(store: Store, who: Person, tender_id: int, request_id: int, reply: str,
                 value: Any, received_on: dt.date) -> Request:
    """Record the bidder's written reply (dated) and the ranking after it."""
    with store.tx("the clarification reply") as s:
        t = load_tender(s, tender_id)
        c = _reply_to(s, t, who, request_id)
        if c.reply_received_on is not None:
            raise CommitteeError(_("request #{request_id} already has its reply").format(
                                     request_id=request_id))
        reply = clean_note(reply, "clarification reply")
        if not reply:
            raise CommitteeError(_("record the bidder's reply as written"))
        check_value(tender_catalogue(t).question(c.question), value)
        c.reply_text, c.reply_value_json = reply.strip(), json.dumps(value)
        c.reply_received_on, c.recorded_by = received_on, who.name
        s.flush()
        after = rank_json(evaluate_tender(s, t, upto=c.id))
        c.rank_after_json = json.dumps(after)
        late = received_on > c.deadline
        audit.append(s, who, "clarification.answered", t.id,
                     {"id": c.id, "offer": c.offer_id, "question": c.question,
                      "value": value, "received_on": received_on.isoformat(),
                      "after_deadline": late}, {"reply": reply.strip(), "after": after})
        return _request(c)


def requests(store: Store, who: Person, tender_id: int) -> list[Request]:
    """The requests and replies, without those about a bidder the viewer is conflicted with."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, *READERS)
        rows = s.execute(select(Clarification).where(Clarification.tender_id == t.id)
                         .order_by(Clarification.id)).scalars()
        hidden = conflicts(s, t, who.name)
        return [_request(c, hidden)
                for c in without_conflicts(s, t, who, rows, lambda c: c.offer_id)]
