"""Declarations of interest, independent scoring, aggregation and moderation.

Independence: an evaluator sees only their own scores until they submit their sheet; after
that they see the submitted sheets of others (never a draft). The chair and observers see only
submitted sheets. Scores of an evaluator about a bidder they declared a conflict with are never
accepted, and are left out of the aggregation if the conflict was declared late.
Aggregation, disagreement and the moderation rule: ``stats``. The consensus of each item (the
moderated value when the chair recorded one, else the median or mean) feeds the engine as the
offer's answer (``consensus_answers`` / ``apply_consensus``).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..hashing import digest
from ..i18n import N_, _
from ..io.grades import consensus_note
from ..models import Answer, Offer, Source
from . import audit, stats
from .access import (
    READERS,
    bidders,
    conflicts,
    declarations,
    load_tender,
    member,
    require_clear,
    require_no_conflict,
    require_role,
    require_state,
    without_conflicts,
)
from .errors import CommitteeError, NotFound, PermissionDenied
from .identity import MAX_NOTE, Person, clean_note
from .models import Declaration, Member, Moderation, Score, ScoreSheet, Tender
from .store import Store

CONSENSUS_SOURCE = "committee-consensus"
MAX_TEXT = MAX_NOTE  # a note, justification or reason: refused above it, never cut


@dataclass(frozen=True)
class Item:
    """One (offer, question) with every submitted score and the consensus."""

    offer_id: str
    question: str
    scale: str
    scores: dict[str, float]  # evaluator -> value (submitted sheets, no conflicted evaluator)
    aggregate: float | None
    spread: float
    flags: tuple[str, ...]
    moderated: float | None = None
    reason: str = ""
    moderated_by: str = ""
    justifications: dict[str, str] = field(default_factory=dict)  # evaluator -> their reason
    dated: str = ""  # ISO day of the consensus: the moderation, else the last score saved

    @property
    def consensus(self) -> float | None:
        return self.moderated if self.moderated is not None else self.aggregate

    def note(self) -> str:
        """Where the consensus comes from, as the answer's note: the evaluators, the moderator,
        the day, the moderation's reason and each evaluator's justification, worded as a
        grade of an evaluations file is (``io.grades.consensus_note``), so that the reason
        shown beside the utility is the committee's own (Directive 2014/24 art. 84)."""
        said = "; ".join(f"{e}: {j}" for e, j in self.justifications.items() if j)
        why = (f"moderation: {self.reason}" + (f" (evaluators' justifications: {said})"
                                                if said else "")
               if self.moderated is not None else said or "-")
        day = dt.date.fromisoformat(self.dated[:10]) if self.dated else dt.date.min
        return consensus_note(list(self.scores), self.moderated_by or None, day, why)


@dataclass(frozen=True)
class Panel:
    items: tuple[Item, ...]
    kendall_w: dict[str, float | None]  # question -> W over the offers every evaluator scored
    evaluators: tuple[str, ...]
    aggregation: str
    notes: list[str] = field(default_factory=list)

    def item(self, offer_id: str, question: str) -> Item:
        for it in self.items:
            if (it.offer_id, it.question) == (offer_id, question):
                return it
        raise NotFound(_("no scored item {offer_id} / {question}").format(
                           offer_id=offer_id, question=question))


def _questions(t: Tender) -> dict[str, str]:
    pub = json.loads(t.published_canonical or "{}")
    return {q["id"]: q["scale"] for q in pub.get("questions", [])}


def declare(store: Store, who: Person, tender_id: int, offer_id: str, conflict: bool,
            note: str = "") -> None:
    """Declare no interest, or a conflict, about one bidder. A conflict is never withdrawn; a
    'none' may later become a conflict (both are kept in the log)."""
    with store.tx("the declaration of interest") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair", "evaluator", "observer")
        require_state(t, N_("declare interests"), "sealed", "opened", "technical_evaluation")
        if offer_id not in bidders(s, t):
            raise NotFound(_("no bid {offer_id} in this tender").format(offer_id=offer_id))
        note = clean_note(note, "declaration note")
        if conflict and not note:
            raise CommitteeError(_("a conflict of interest needs a short description"))
        old = declarations(s, t, who.name).get(offer_id)
        if old is not None and (old.conflict or not conflict):
            raise CommitteeError(f"{who.label} already declared about {offer_id}"
                                 + (" (a conflict is never withdrawn)" if old.conflict else ""))
        if old is None:
            s.add(Declaration(tender_id=t.id, person=who.name, offer_id=offer_id,
                              conflict=conflict, note=note.strip(),
                              declared_at=audit.now()))
        else:
            old.conflict, old.note, old.declared_at = True, note.strip(), audit.now()
        audit.append(s, who, "interest.declared", t.id,
                     {"offer": offer_id, "conflict": conflict, "note": note.strip(),
                      "measure": (f"{offer_id} hidden from {who.name}; their scores for it "
                                  "excluded") if conflict else ""})


def _sheet(s: Session, t: Tender, name: str) -> ScoreSheet:
    sh = s.execute(select(ScoreSheet).where(ScoreSheet.tender_id == t.id,
                                            ScoreSheet.evaluator == name)).scalar_one_or_none()
    if sh is None:
        sh = ScoreSheet(tender_id=t.id, evaluator=name, submitted_at=None)
        s.add(sh)
    return sh


def save_score(store: Store, who: Person, tender_id: int, offer_id: str, question: str,
               value: float, justification: str) -> None:
    """Save (or change, until the sheet is submitted) one score with its written reason."""
    with store.tx("the score") as s:
        t = load_tender(s, tender_id)
        require_state(t, N_("score"), "technical_evaluation")
        require_clear(s, t, who, offer_id, N_("score this bid"), "evaluator")
        scale = _questions(t).get(question)
        if scale is None:
            raise NotFound(_("{question} is not a published question of this tender").format(
                               question=question))
        if offer_id not in bidders(s, t):
            raise NotFound(_("no bid {offer_id} in this tender").format(offer_id=offer_id))
        if not stats.on_scale(value, scale):
            raise CommitteeError(_("{question}: a score on the {scale} scale must be "
                                   "{scale2} (got {value})").format(
                                     question=question, scale=scale,
                                     scale2=stats.scale_words(scale), value=value))
        justification = clean_note(justification, "score justification")
        if not justification:
            raise CommitteeError(_("{offer_id} / {question}: every score needs a written "
                                   "justification").format(
                                     offer_id=offer_id, question=question))
        if _sheet(s, t, who.name).submitted_at is not None:
            raise CommitteeError(_("{label} already submitted their sheet: scores are "
                                   "final").format(label=who.label))
        sc = s.execute(select(Score).where(Score.tender_id == t.id, Score.evaluator == who.name,
                                           Score.offer_id == offer_id,
                                           Score.question == question)).scalar_one_or_none()
        text = justification.strip()
        if sc is None:
            s.add(Score(tender_id=t.id, evaluator=who.name, offer_id=offer_id,
                        question=question, value=float(value), justification=text,
                        saved_at=audit.now()))
        else:
            sc.value, sc.justification, sc.saved_at = float(value), text, audit.now()
        s.flush()
        audit.append(s, who, "score.saved", t.id, {"offer": offer_id, "question": question},
                     {"value": float(value), "justification": text})


def submit_sheet(store: Store, who: Person, tender_id: int) -> None:
    """Submit every score at once (all bids not in conflict × all questions)."""
    with store.tx("the score sheet") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "evaluator")
        require_state(t, N_("submit scores"), "technical_evaluation")
        hidden = conflicts(s, t, who.name)
        mine = {(x.offer_id, x.question) for x in s.execute(select(Score).where(
            Score.tender_id == t.id, Score.evaluator == who.name)).scalars()}
        missing = [f"{o}/{q}" for o in bidders(s, t) if o not in hidden for q in _questions(t)
                   if (o, q) not in mine]
        if missing:
            raise CommitteeError(f"{len(missing)} score(s) missing: {', '.join(missing[:10])}")
        sh = _sheet(s, t, who.name)
        if sh.submitted_at is not None:
            raise CommitteeError(_("{label} already submitted their sheet").format(
                                     label=who.label))
        sh.submitted_at = audit.now()
        audit.append(s, who, "sheet.submitted", t.id, {"scores": len(mine)})


def _submitted(s: Session, t: Tender) -> set[str]:
    return {x.evaluator for x in s.execute(select(ScoreSheet).where(
        ScoreSheet.tender_id == t.id, ScoreSheet.submitted_at.is_not(None))).scalars()}


def visible_scores(store: Store, who: Person, tender_id: int) -> list[dict[str, Any]]:
    """The scores this person may see (module docstring), as rows."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        m = member(s, t, who)
        if m is None:
            raise PermissionDenied(_("{label} is not a member of this tender").format(
                                       label=who.label))
        done = _submitted(s, t)
        see_others = m.role in READERS or who.name in done
        rows = s.execute(select(Score).where(Score.tender_id == t.id)
                         .order_by(Score.offer_id, Score.question, Score.evaluator)).scalars()
        return [{"evaluator": x.evaluator, "offer": x.offer_id, "question": x.question,
                 "value": x.value, "justification": x.justification, "saved_at": x.saved_at}
                for x in without_conflicts(s, t, who, rows, lambda x: x.offer_id)
                if x.evaluator == who.name or (see_others and x.evaluator in done)]


def build_panel(s: Session, t: Tender, hidden: frozenset[str] = frozenset()) -> Panel:
    """Aggregate the submitted sheets (internal; the chair's view is ``panel``). ``hidden``:
    the viewer's conflicts, left out of the items and of Kendall's W (a W over an offer would
    say something about its scores)."""
    qs = _questions(t)
    done = sorted(_submitted(s, t))
    excluded = {n: conflicts(s, t, n) for n in done}
    mods = {(x.offer_id, x.question): x for x in s.execute(
        select(Moderation).where(Moderation.tender_id == t.id)).scalars()}
    vals: dict[tuple[str, str], dict[str, float]] = {}
    whys: dict[tuple[str, str], dict[str, str]] = {}
    last: dict[tuple[str, str], str] = {}
    for x in s.execute(select(Score).where(Score.tender_id == t.id)).scalars():
        if x.evaluator in excluded and x.offer_id not in excluded[x.evaluator]:
            key = (x.offer_id, x.question)
            vals.setdefault(key, {})[x.evaluator] = x.value
            whys.setdefault(key, {})[x.evaluator] = x.justification
            last[key] = max(last.get(key, ""), x.saved_at)
    items = []
    for o in bidders(s, t):
        if o in hidden:
            continue
        for q, scale in qs.items():
            v = vals.get((o, q), {})
            agg = stats.consensus(list(v.values()), t.aggregation) if v else None
            md = mods.get((o, q))
            items.append(Item(o, q, scale, dict(sorted(v.items())), agg,
                              stats.spread(list(v.values())),
                              tuple(stats.flag_reasons(list(v.values()), scale, t.aggregation)),
                              md.value if md else None, md.reason if md else "",
                              md.moderated_by if md else "",
                              dict(sorted(whys.get((o, q), {}).items())),
                              md.moderated_at if md else last.get((o, q), "")))
    common = [o for o in bidders(s, t)
              if o not in hidden and not any(o in c for c in excluded.values())]
    w = {q: stats.kendall_w([[vals.get((o, q), {}).get(e, 0.0) for o in common] for e in done])
         for q in qs}
    notes = [f"Kendall's W over the offers every evaluator scored ({', '.join(common) or '-'})"]
    return Panel(tuple(items), w, tuple(done), t.aggregation, notes)


def panel(store: Store, who: Person, tender_id: int) -> Panel:
    """The chair's (and observers') view of the aggregated scores and disagreements, without
    the bidders the viewer declared a conflict with (no item, no score, not in W)."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, *READERS)
        return build_panel(s, t, frozenset(conflicts(s, t, who.name)))


def moderate(store: Store, who: Person, tender_id: int, offer_id: str, question: str,
             value: float, reason: str) -> None:
    """Record the consensus score of one item and its reason (chair, after every sheet)."""
    with store.tx("the moderated score") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, N_("moderate"), "technical_evaluation")
        require_no_conflict(s, t, who, offer_id, N_("moderate its scores (another chair must)"))
        waiting = _waiting_sheets(s, t)
        if waiting:
            raise CommitteeError(_("moderation waits for every sheet; missing: {waiting}").format(
                                     waiting=', '.join(waiting)))
        it = build_panel(s, t).item(offer_id, question)
        if not stats.on_scale(value, it.scale):
            raise CommitteeError(_("the consensus on the {scale} scale must be {scale2}").format(
                                     scale=it.scale, scale2=stats.scale_words(it.scale)))
        reason = clean_note(reason, "moderation reason")
        if not reason:
            raise CommitteeError(_("a moderated score needs its reason in writing"))
        if it.moderated is not None:
            raise CommitteeError(_("{offer_id} / {question} was already moderated").format(
                                     offer_id=offer_id, question=question))
        s.add(Moderation(tender_id=t.id, offer_id=offer_id, question=question,
                         value=float(value), reason=reason.strip(),
                         moderated_by=who.name, moderated_at=audit.now()))
        audit.append(s, who, "score.moderated", t.id,
                     {"offer": offer_id, "question": question, "scores": it.scores,
                      "consensus": float(value), "reason": reason.strip()})


def _waiting_sheets(s: Session, t: Tender) -> list[str]:
    evals = s.execute(select(Member.name).where(Member.tender_id == t.id,
                                                Member.role == "evaluator")).scalars()
    done = _submitted(s, t)
    return sorted(e for e in evals if e not in done)


def unresolved(s: Session, t: Tender, hidden: frozenset[str] = frozenset()) -> list[str]:
    """What stops the technical scores from being frozen (empty: nothing). ``hidden``: the
    asker's conflicts, named without the flags (a flag quotes the scores' median or spread)."""
    out = [f"{e} has not submitted their sheet" for e in _waiting_sheets(s, t)]
    if out:
        return out
    for it in build_panel(s, t).items:
        if it.aggregate is None and it.moderated is None:
            out.append(f"{it.offer_id} / {it.question} has no score")
        elif it.flags and it.moderated is None and it.offer_id in hidden:
            out.append(f"{it.offer_id} / {it.question} needs moderation by a chair without "
                       f"a conflict with {it.offer_id}")
        elif it.flags and it.moderated is None:
            out.append(f"{it.offer_id} / {it.question} needs moderation "
                       f"({'; '.join(it.flags)})")
    return out


def consensus_answers(p: Panel) -> dict[str, dict[str, float]]:
    """offer id -> question -> consensus value (on the question's own scale)."""
    out: dict[str, dict[str, float]] = {}
    for it in p.items:
        if it.consensus is not None:
            out.setdefault(it.offer_id, {})[it.question] = it.consensus
    return out


def consensus_digest(s: Session, t: Tender) -> str:
    return digest(consensus_answers(build_panel(s, t)))


def apply_consensus(offers: Sequence[Offer], answers: dict[str, dict[str, float]],
                    scales: dict[str, str], p: Panel | None = None) -> list[Offer]:
    """The offers with each scored question answered by the committee's consensus (a level
    as an int 0-4 or of the grid, a 0-100 score as the number), citing the consensus as their
    source. With the panel ``p`` the answer's note names the evaluators, the moderator and the
    reason (``Item.note``) as a grade read from an evaluations file does (``io.grades``), and
    the source names the evaluators."""
    notes = {(it.offer_id, it.question): it.note() for it in (p.items if p else ())
             if it.consensus is not None}
    who = f" (evaluators {', '.join(p.evaluators)})" if p and p.evaluators else ""
    out = []
    for o in offers:
        mine = answers.get(o.offer_id)
        if not mine:
            out.append(o)
            continue
        src = Source(id=CONSENSUS_SOURCE, title="Evaluation committee consensus score" + who)
        new = dict(o.answers)
        for q, v in mine.items():
            val: float | int = int(v) if stats.whole_levels(scales.get(q, "")) else v
            new[q] = Answer(question=q, value=val, confidence="confirmed",
                            sources=(CONSENSUS_SOURCE,),
                            note=notes.get((o.offer_id, q), "committee consensus"))
        out.append(o.model_copy(update={"answers": new,
                                        "sources": {**o.sources, CONSENSUS_SOURCE: src}}))
    return out
