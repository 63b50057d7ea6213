"""Sections 1 to 3 of the award report: the context (object, procedure, steps, committee,
audit head), the criteria and weights as published (with their hash; a catalogue criterion the
weights leave out is shown "not weighted") and the offers received (bidders, dates, envelope
hashes, documents, opening). What the record says before any score: Directive 2014/24/EU art.
67 (criteria and weights published) and art. 84 (the report names the procedure and the
bids); Code de la commande publique art. R2184-1 ff.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import _, format_number
from ..models import MODULES, Catalogue
from ..rules.sovereignty import DEFAULT_WEIGHTS
from . import audit
from .access import STATE_LABELS
from .document import Block
from .models import BidDocument, Member, Submission, Tender
from .report_common import (
    Hidden,
    catalogue_of,
    day,
    policy,
    published,
    step_records,
    weight,
    when,
)


def context(s: Session, t: Tender, prepared_by: str, chain: audit.Verification
             ) -> list[Block]:
    steps = step_records(s, t)
    members = s.execute(select(Member).where(Member.tender_id == t.id)
                        .order_by(Member.role, Member.name)).scalars()
    return [
        Block("h2", _("1. Context")),
        Block("p", _("Object of the tender: {title} (tender {id}).").format(title=t.title,
                                                                            id=t.id)),
        Block("p", _("Procedure: sealed bids in two envelopes (technical, price), published "
                     "criteria and weights, evaluation by a committee whose members declare "
                     "their interests (Directive 2014/24/EU art. 24, 67 and 84). Current "
                     "state: {state}.").format(state=_(STATE_LABELS[t.state]))),
        Block("table", headers=(_("step"), _("date"), _("by")),
              rows=tuple((_(a.split(".", 1)[1]), when(r.at), r.actor)
                         for a, r in sorted(steps.items(), key=lambda kv: kv[1].seq))),
        Block("p", _("Committee:")),
        Block("table", headers=(_("member"), _("role"), _("may open the bids")),
              rows=tuple((m.name, _(m.role), _("yes") if m.opener else _("no"))
                         for m in members)),
        Block("p", _("Prepared by {who}. Audit log: {status}.").format(
            who=prepared_by, status=_("audit chain holds and vouches for every committee row: "
                                    "{n} record(s), {rows} row(s)").format(
                                        n=chain.records, rows=chain.rows)
            if chain.ok else chain.text())),
        Block("p", _("Audit head when this report was made: record {n}, hash {head}. File "
                     "this report (or this line) outside the database: `hostwise audit "
                     "verify --expect-count {n} --expect-head {head}` then proves the log was "
                     "not truncated or rewritten since.").format(n=chain.records,
                                                                 head=chain.head)),
    ]


def _weighted(v: Any) -> str:
    """A published weight; zero says what it means."""
    w = v.get("weight") if isinstance(v, dict) else v
    return weight(w) + (f" ({_('not weighted')})" if w is not None and float(w) == 0 else "")


def criteria_rows(sc: dict[str, Any], cat: Catalogue) -> list[tuple[str, ...]]:
    """(pillar, weight, criterion, criterion weight) for every pillar and every criterion of
    the catalogue, published or not: an omitted (or zero) criterion counts for nothing, and
    says so. Publication now refuses an omitted one (``workflow.frozen_questions``); a tender
    published before that rule may still hold one."""
    weights = sc.get("weights") or {}
    rows: list[tuple[str, ...]] = []
    for p in cat.pillar_ids:
        pw = weights.get(p)
        pweight = _weighted(pw) if pw else _("not weighted")
        if p == "sovereignty":
            given = (sc.get("sovereignty") or {}).get("weights")
            known: list[str] = list(DEFAULT_WEIGHTS)
            spec = given if given is not None else DEFAULT_WEIGHTS
            default = given is None
        elif p not in MODULES:
            known = list(cat.criteria(p))
            spec = pw.get("criteria") if pw else None
            default = spec is None
            spec = spec or {}
        else:
            rows.append((_(p), pweight, "-", "-"))
            continue
        for c in known:
            if default:
                cw = _("default") + (f" ({weight(spec[c])})" if c in spec else "")
            else:
                cw = _weighted(spec[c]) if c in spec else _("not weighted")
            rows.append((_(p), pweight, c, cw))
    return rows


def criteria(t: Tender) -> list[Block]:
    pub = published(t)
    sc = pub.get("scenario", {})
    cat = catalogue_of(t)

    def said(g: dict[str, Any], key: str) -> str:
        """A gate's own text, else its catalogue gate's (a scenario may name a gate by id)."""
        own = g.get(key)
        if own:
            return str(own)
        found = cat.gate(str(g.get("id", "")))
        return str(getattr(found, key, "") or "-") if found is not None else "-"

    gates = tuple((str(g.get("id", "")), said(g, "label"), said(g, "reason"))
                  for g in sc.get("gates", []))
    qs = ", ".join(f"{q['id']} ({q['scale']})" for q in pub.get("questions", [])) or "-"
    return [
        Block("h2", _("2. Criteria and weights as published")),
        Block("p", _("Frozen and hashed before any bid was received. Publication hash "
                     "{pub}; scenario hash {sc}; method {method}; evaluation date {date}; "
                     "missing answers: {policy}; aggregation of the committee's scores: "
                     "{agg}.").format(pub=t.published_hash or "-",
                                      sc=pub.get("scenario_hash") or "-",
                                      method=sc.get("method") or "-",
                                      date=day(sc.get("evaluation_date")),
                                      policy=policy(sc.get("missing_policy")),
                                      agg=_(pub.get("aggregation") or t.aggregation))),
        Block("table", headers=(_("pillar"), _("weight"), _("criterion"),
                                _("criterion weight")),
              rows=tuple(criteria_rows(sc, catalogue_of(t)))),
        Block("p", _("Gates (an offer failing one is excluded):")),
        Block("table", headers=(_("gate"), _("label"), _("legal basis")), rows=gates),
        Block("p", _("Criteria scored by the committee: {questions}.").format(questions=qs)),
    ]


def offers(s: Session, t: Tender, hidden: Hidden) -> list[Block]:
    subs = [b for b in s.execute(select(Submission).where(Submission.tender_id == t.id)
                                 .order_by(Submission.offer_id)).scalars()
            if b.offer_id not in hidden]
    opened = step_records(s, t).get("tender.opened")
    who = _(" and ").join(json.loads(t.opened_by)) if t.opened_by else ""
    return [
        Block("h2", _("3. Offers received")),
        Block("p", _("Bid deadline: {deadline} (its extensions, if any, are in the "
                     "timeline).").format(deadline=when(t.bid_deadline) if t.bid_deadline
                                          else _("none recorded"))),
        Block("table", headers=(_("offer"), _("bidder"), _("received"),
                                _("technical envelope SHA-256 (salted)"),
                                _("price envelope SHA-256 (salted)")),
              rows=tuple((b.offer_id, b.vendor_name, when(b.received_at), b.technical_sha256,
                          b.price_sha256) for b in subs)),
        *_documents(s, t, hidden),
        Block("p", _("Opened on {date} by {who} (two designated members, each signing in "
                     "their own session; every bid and every document matched its receipt "
                     "hash).").format(date=when(opened.at), who=who)
              if opened and who else _("The bids are not opened yet.")),
    ]


def _documents(s: Session, t: Tender, hidden: Hidden) -> list[Block]:
    docs = [d for d in s.execute(select(BidDocument.offer_id, BidDocument.filename,
                                        BidDocument.size, BidDocument.sha256, BidDocument.salt)
                                 .where(BidDocument.tender_id == t.id)
                                 .order_by(BidDocument.offer_id, BidDocument.filename))
            if d[0] not in hidden]
    if not docs:
        return [Block("p", _("No document was attached to any bid."))]
    return [Block("p", _("Documents of the bids (sealed commitment = SHA-256 of the salt "
                         "followed by the file):")),
            Block("table", headers=(_("offer"), _("document"), _("bytes"),
                                    _("sealed commitment"), _("salt")),
                  rows=tuple((o, n, format_number(size, 0), h,
                              salt if t.opened_by else _("revealed at opening"))
                             for o, n, size, h, salt in docs))]
