"""Sections 8 to 10 of the award report: the declarations of interest and the measure taken on
each conflict (Directive 2014/24/EU art. 24), the written clarification requests with the
ranking before and after each reply (art. 56(3)), and the timeline from the audit log (routine
records counted, not listed).
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import _
from .clarifications import withhold
from .document import Block
from .models import AuditRecord, Clarification, Declaration, Tender
from .report_common import NOISY, Hidden, day, num, when


def conflicts(s: Session, t: Tender, hidden: Hidden) -> list[Block]:
    decl = [d for d in s.execute(select(Declaration).where(Declaration.tender_id == t.id)
                                 .order_by(Declaration.person, Declaration.offer_id)).scalars()
            if d.offer_id not in hidden]
    rows = tuple((d.person, d.offer_id, _("CONFLICT") if d.conflict else _("none"),
                  d.note or "-",
                  _("{offer} hidden from {person}; no score of theirs on it counted").format(
                      offer=d.offer_id, person=d.person) if d.conflict else "-")
                 for d in decl)
    n = sum(1 for d in decl if d.conflict)
    return [Block("h2", _("8. Conflicts of interest (art. 24)")),
            Block("p", _("{n} declaration(s), {k} conflict(s) declared before any bid was "
                         "read.").format(n=len(decl), k=n)),
            Block("table", headers=(_("member"), _("bidder"), _("declaration"),
                                    _("description"), _("measure taken")), rows=rows)]


def _rank_of(rank: dict[str, Any], offer_id: str) -> str:
    for r in rank.get("results", []):
        if r["offer"] == offer_id:
            return _("rank {rank}, total {total}").format(
                rank=r["rank"] or _("excluded"), total=num(r["total"]))
    return "-"


def _leader(rank: dict[str, Any]) -> str:
    lead = ", ".join(r["offer"] for r in rank.get("results", []) if r["rank"] == 1)
    return lead or (_("withheld from this copy") if rank.get("withheld") else "-")


def _clarification(c: Clarification, hidden: Hidden) -> str:
    before = withhold(json.loads(c.rank_before_json), hidden)
    after = withhold(json.loads(c.rank_after_json), hidden) if c.rank_after_json else None
    reply = (_("received {date}: \u201c{text}\u201d (answer recorded: {value})").format(
        date=day(str(c.reply_received_on)), text=c.reply_text, value=c.reply_value_json)
        if c.reply_received_on else _("not received"))
    out = _("Request #{id} to {offer} about {question}, by {who}, due {due}: \u201c{text}"
            "\u201d. Reply {reply}. Before: {before}, leader {leader}").format(
        id=c.id, offer=c.offer_id, question=c.question, who=c.requested_by,
        due=day(str(c.deadline)), text=c.request_text, reply=reply,
        before=_rank_of(before, c.offer_id), leader=_leader(before))
    if after is not None:
        out += _("; after: {after}, leader {leader}").format(after=_rank_of(after, c.offer_id),
                                                             leader=_leader(after))
    return out + "."


def clarifications(s: Session, t: Tender, hidden: Hidden) -> list[Block]:
    rows = [_clarification(c, hidden) for c in s.execute(
        select(Clarification).where(Clarification.tender_id == t.id)
        .order_by(Clarification.id)).scalars() if c.offer_id not in hidden]
    return [Block("h2", _("9. Clarifications (art. 56(3))")),
            Block("p", _("{n} written request(s); each reply is the dated source of the "
                         "updated answer.").format(n=len(rows)) if rows
                  else _("No clarification was requested.")),
            *([Block("ul", items=tuple(rows))] if rows else [])]


def timeline(s: Session, t: Tender) -> list[Block]:
    recs = s.execute(select(AuditRecord).where(AuditRecord.tender_id == t.id)
                     .order_by(AuditRecord.seq)).scalars().all()
    rows = tuple((str(r.seq), when(r.at),
                  r.actor + ("" if r.authenticated else " " + _("(not authenticated)")),
                  r.action) for r in recs if r.action not in NOISY)
    counts = Counter(r.action for r in recs if r.action in NOISY)
    also = ", ".join(f"{n} × {a}" for a, n in sorted(counts.items())) or _("nothing else")
    return [Block("h2", _("10. Timeline (from the audit log)")),
            Block("table", headers=(_("record"), _("when"), _("who"), _("what")), rows=rows),
            Block("p", _("Also logged: {what}.").format(what=also))]
