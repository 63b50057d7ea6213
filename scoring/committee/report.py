"""The award report (Directive 2014/24/EU art. 84): what was decided, on which published rules,
by whom, and what changed along the way, drawn from the database and the audit log only.

Sections: decision; publication (weights and gates as published, with their hash); bids and
their opening; conflicts of interest and the measures taken; committee scores with their
disagreement and consensus reasons; clarifications with the ranking before and after; the final
ranking with every selected and rejected offer and why; the timeline; the audit chain status.
Rendered as Markdown, as DOCX and (with LibreOffice) as PDF: ``document``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..scenario.model import demo_label
from . import audit, document
from .access import STATE_LABELS, load_tender, require_role
from .document import Block
from .identity import Person
from .models import AuditRecord, Clarification, Declaration, Submission, Tender
from .panel import build_panel
from .stats import FLAG_SPREAD
from .store import Store

NOISY = {"score.saved", "bid.read"}  # counted in the timeline, not listed one by one


def _fmt(x: Any, nd: int = 2) -> str:
    return "-" if x is None else (f"{x:.{nd}f}" if isinstance(x, float) else str(x))


def _publication(t: Tender) -> list[Block]:
    pub = json.loads(t.published_canonical or "{}")
    sc = pub.get("scenario", {})
    rows = []
    for pillar, w in sc.get("weights", {}).items():
        crit = ", ".join(f"{k} {v}" for k, v in (w.get("criteria") or {}).items())
        rows.append((pillar, _fmt(w.get("weight")), crit or "-"))
    gates = [(g.get("id", ""), g.get("label", ""), g.get("reason", ""))
             for g in sc.get("gates", [])]
    return [
        Block("h2", "Rules as published (frozen before any bid)"),
        Block("p", f"Publication hash {t.published_hash}; scenario hash "
                   f"{pub.get('scenario_hash')}; method {sc.get('method')}; aggregation of "
                   f"committee scores: {pub.get('aggregation')}; evaluation date "
                   f"{sc.get('evaluation_date')}."),
        Block("table", headers=("pillar", "weight", "criteria"), rows=tuple(rows)),
        Block("p", "Gates (an offer failing one is excluded):"),
        Block("table", headers=("gate", "label", "legal basis"), rows=tuple(gates)),
        Block("p", "Questions scored by the committee: " + ", ".join(
            f"{q['id']} ({q['scale']})" for q in pub.get("questions", [])) + "."),
    ]


def _bids(s: Session, t: Tender) -> list[Block]:
    subs = s.execute(select(Submission).where(Submission.tender_id == t.id)
                     .order_by(Submission.offer_id)).scalars()
    rows = tuple((b.offer_id, b.vendor_name, b.received_at, b.technical_sha256[:16] + "…",
                  b.price_sha256[:16] + "…") for b in subs)
    opened = ", ".join(json.loads(t.opened_by)) if t.opened_by else "not opened"
    return [Block("h2", "Bids received and their opening"),
            Block("table", headers=("offer", "bidder", "received (UTC)", "technical SHA-256",
                                    "price SHA-256"), rows=rows),
            Block("p", f"Opened by: {opened} (two designated members; every bid matched its "
                       "receipt hash).")]


def _conflicts(s: Session, t: Tender) -> list[Block]:
    decl = s.execute(select(Declaration).where(Declaration.tender_id == t.id)
                     .order_by(Declaration.person, Declaration.offer_id)).scalars().all()
    rows = tuple((d.person, d.offer_id, "CONFLICT" if d.conflict else "none", d.note or "-",
                  f"{d.offer_id} hidden from {d.person}; no score of theirs on it counted"
                  if d.conflict else "-") for d in decl)
    n = sum(1 for d in decl if d.conflict)
    return [Block("h2", "Conflicts of interest (art. 24)"),
            Block("p", f"{len(decl)} declaration(s), {n} conflict(s) declared before any bid "
                       "was read."),
            Block("table", headers=("member", "bidder", "declaration", "description",
                                    "measure taken"), rows=rows)]


def _scores(s: Session, t: Tender) -> list[Block]:
    p = build_panel(s, t)
    rows = tuple((it.offer_id, it.question,
                  "; ".join(f"{e} {v:g}" for e, v in it.scores.items()) or "-",
                  _fmt(it.aggregate), _fmt(it.spread), "; ".join(it.flags) or "-",
                  _fmt(it.consensus), it.reason or "-") for it in p.items)
    w = "; ".join(f"{q}: {'-' if v is None else f'{v:.3f}'}" for q, v in p.kendall_w.items())
    return [Block("h2", "Committee scores, disagreement and consensus"),
            Block("p", f"Evaluators (sheets submitted independently): "
                       f"{', '.join(p.evaluators) or '-'}. Aggregation: {p.aggregation}. "
                       f"An item goes to moderation when its scores differ by more than "
                       f"{FLAG_SPREAD['0-4']:g} level or {FLAG_SPREAD['0-100']:g} points, or "
                       "its median falls between two levels."),
            Block("table", headers=("offer", "question", "scores", p.aggregation, "spread",
                                    "flag", "consensus", "consensus reason"), rows=rows),
            Block("p", f"Kendall's W across evaluators per question ({p.notes[0]}): {w}. "
                       "W = 12 S / (m²(n³−n) − m ΣT) (Kendall & Babington Smith 1939, tie "
                       "correction per Kendall & Gibbons 1990); 1 = identical rankings.")]


def _offer_rank(rank: dict[str, Any], offer_id: str) -> str:
    for r in rank.get("results", []):
        if r["offer"] == offer_id:
            return f"rank {r['rank'] or 'excluded'}, total {_fmt(r['total'])}"
    return "-"


def _leader(rank: dict[str, Any]) -> str:
    return next((r["offer"] for r in rank.get("results", []) if r["rank"] == 1), "none")


def _clarifications(s: Session, t: Tender) -> list[Block]:
    rows = []
    for c in s.execute(select(Clarification).where(Clarification.tender_id == t.id)
                       .order_by(Clarification.id)).scalars():
        before = json.loads(c.rank_before_json)
        after = json.loads(c.rank_after_json) if c.rank_after_json else None
        rows.append(
            f"Request #{c.id} to {c.offer_id} about {c.question}, by {c.requested_by}, due "
            f"{c.deadline}: \u201c{c.request_text}\u201d. Reply "
            + (f"received {c.reply_received_on}: \u201c{c.reply_text}\u201d (answer recorded: "
               f"{c.reply_value_json})" if c.reply_received_on else "not received")
            + f". Before: {_offer_rank(before, c.offer_id)}, leader {_leader(before)}"
            + ("" if after is None else
               f"; after: {_offer_rank(after, c.offer_id)}, leader {_leader(after)}") + ".")
    return [Block("h2", "Clarifications (art. 56(3))"),
            Block("p", f"{len(rows)} written request(s); each reply is the dated source of the "
                       "updated answer.") if rows else Block("p", "No clarification was "
                                                                  "requested."),
            *([Block("ul", items=tuple(rows))] if rows else [])]


def _ranking(t: Tender) -> list[Block]:
    if not t.final_rank_json:
        return [Block("h2", "Ranking"), Block("p", "No final ranking yet (state: "
                                                   f"{STATE_LABELS[t.state]}).")]
    rank = json.loads(t.final_rank_json)
    gates = {g.get("id"): g for g in
             json.loads(t.published_canonical or "{}").get("scenario", {}).get("gates", [])}
    lead = next((r for r in rank["results"] if r["rank"] == 1), None)
    rows, why = [], []
    for r in sorted(rank["results"], key=lambda r: (r["rank"] is None, r["rank"] or 0)):
        tr = r.get("total_range")
        rows.append((_fmt(r["rank"]), r["offer"], _fmt(r["total"]),
                     "-" if not tr else f"{_fmt(tr[0])}–{_fmt(tr[1])}",
                     "yes" if r["eligible"] else "no"))
        if r["offer"] == t.awarded_offer:
            why.append(f"{r['offer']}: SELECTED (rank {r['rank']}, total {_fmt(r['total'])})"
                       + (f"; reason: {t.award_reason}" if t.award_reason else ""))
        elif not r["eligible"]:
            why.append(f"{r['offer']}: rejected, excluded by " + "; ".join(
                f"{gates.get(g, {}).get('label', g)} ({gates.get(g, {}).get('reason', '')})"
                for g in r["excluded_by"]))
        else:
            why.append(f"{r['offer']}: rejected, rank {r['rank']} with total "
                       f"{_fmt(r['total'])}" + (f" below the leader's {_fmt(lead['total'])}"
                                                 if lead else ""))
    return [Block("h2", "Final ranking, selected and rejected offers"),
            Block("p", f"Evaluation hash {rank['hash']}; method {rank['method']}; missing "
                       f"answers: {rank['policy']}. Total range = every unknown answer at its "
                       "worst / best."),
            Block("table", headers=("rank", "offer", "total", "total range", "eligible"),
                  rows=tuple(rows)),
            Block("ul", items=tuple(why))]


def _timeline(s: Session, t: Tender) -> list[Block]:
    recs = s.execute(select(AuditRecord).where(AuditRecord.tender_id == t.id)
                     .order_by(AuditRecord.seq)).scalars().all()
    rows = tuple((str(r.seq), r.at[:19].replace("T", " "),
                  r.actor + ("" if r.authenticated else " (not authenticated)"), r.action)
                 for r in recs if r.action not in NOISY)
    counts = Counter(r.action for r in recs if r.action in NOISY)
    return [Block("h2", "Timeline (from the audit log)"),
            Block("table", headers=("record", "when (UTC)", "who", "what"), rows=rows),
            Block("p", "Also logged: " + (", ".join(f"{n} × {a}" for a, n in
                                                    sorted(counts.items())) or "nothing else")
                  + ".")]


def _demo(t: Tender) -> list[Block]:
    """A tender made from a demonstration scenario (``demo:``, fictional vendors) says so at
    the top of its report, so that a rehearsal is never filed as a real award."""
    demo = json.loads(t.scenario_json or "{}").get("demo")
    if not isinstance(demo, dict):
        return []
    return [Block("p", f"{demo_label().upper()}: {' '.join(str(demo.get('reason', '')).split())}")]


def award_blocks(store: Store, who: Person, tender_id: int) -> list[Block]:
    """The report as blocks (chair and observers). It prints the audit head at this moment:
    a filed report anchors the log outside the database (``audit.verify(expect_head=...)``)."""
    chain = audit.verify(store)
    with store.read() as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair", "observer")
        decision = (f"Awarded to {t.awarded_offer}." + (f" Reason: {t.award_reason}"
                                                        if t.award_reason else "")
                    if t.awarded_offer else f"Not awarded yet ({STATE_LABELS[t.state]}).")
        return [
            Block("h1", f"Award report: {t.title}"),
            *_demo(t),
            Block("p", f"Tender {t.id}, state {t.state}. Prepared by {who.label}. {decision}"),
            Block("p", f"Audit log: {chain.text()}."),
            Block("p", f"Audit head when this report was made: record {chain.records}, hash "
                       f"{chain.head}. File this report (or this line) outside the database: "
                       f"`hostwise audit verify --expect-count {chain.records} --expect-head "
                       f"{chain.head}` then proves the log was not truncated or rewritten "
                       "since."),
            *_publication(t), *_bids(s, t), *_conflicts(s, t), *_scores(s, t),
            *_clarifications(s, t), *_ranking(t), *_timeline(s, t),
        ]


def award_markdown(store: Store, who: Person, tender_id: int) -> str:
    return document.markdown(award_blocks(store, who, tender_id))


def award_docx(store: Store, who: Person, tender_id: int) -> bytes:
    return document.docx(award_blocks(store, who, tender_id))


def award_pdf(store: Store, who: Person, tender_id: int) -> bytes:
    return document.pdf(award_docx(store, who, tender_id))
