"""The tender's lifecycle: one state machine, every step checked and logged.

    draft → published → sealed → opened → technical_evaluation → clarification → evaluated
    → awarded

- published: weights, gates, method and questions frozen and hashed (Directive 2014/24/EU
  art. 67(5): the relative weighting is stated in the procurement documents);
- sealed: no bid after the deadline; bids stored with their SHA-256, content not viewable
  (Annex IV: nobody sees bids before the deadline, any breach is detectable);
- opened: by two distinct designated members (the four-eyes rule of bid opening);
- technical_evaluation → clarification: the technical scores are frozen, only then the price
  envelopes open (the two-envelope procedure);
- clarification: written requests and replies (art. 56(3));
- evaluated → awarded: the award decision and its reasons (art. 84).
A tender never moves backwards and never skips a step; a refused step says why.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..hashing import canonical_json, digest
from ..scenario.catalogue import scenario_catalogue
from ..scenario.load import parse_scenario_doc
from ..scenario.rules import weight_warnings
from . import audit
from .access import (
    ROLES,
    STATES,
    bidders,
    conflicts,
    free_of_conflict,
    load_tender,
    member,
    missing_declarations,
    require_no_conflict,
    require_role,
    require_state,
)
from .errors import CommitteeError, NotFound, TransitionError
from .identity import UNBOUNDED, Person, clean_name, clean_note, lookalike
from .models import Clarification, Member, Submission, Tender
from .stats import grid_scale
from .store import Store

SCALES = {"level": "0-4", "number": "0-100", "percent": "0-100"}
AGGREGATIONS = ("median", "mean")


@dataclass(frozen=True)
class TenderView:
    id: int
    title: str
    state: str
    version: int
    published_hash: str | None
    technical_frozen: bool
    members: tuple[tuple[str, str, bool], ...]  # (name, role, opener)
    bidders: tuple[str, ...]
    next_state: str | None


def next_state(state: str) -> str | None:
    i = STATES.index(state)
    return STATES[i + 1] if i + 1 < len(STATES) else None


def check_transition(current: str, target: str) -> None:
    """Refuse, with the reason, any step that is not the next one."""
    if target not in STATES:
        raise TransitionError(f"unknown state {target!r} (states: {' → '.join(STATES)})")
    nxt = next_state(current)
    if target == nxt:
        return
    if target == current:
        why = f"the tender is already {current}"
    elif STATES.index(target) < STATES.index(current):
        why = "a tender never goes back (what was published, sealed or opened stays so)"
    else:
        why = "no step may be skipped"
    then = f"the next step is {nxt}" if nxt else "an awarded tender is closed"
    raise TransitionError(f"cannot go from {current} to {target}: {why}; {then}")


def _move(s: Any, t: Tender, who: Person, target: str, detail: dict[str, Any],
          inputs: Any = None) -> None:
    check_transition(t.state, target)
    before = t.state
    t.state = target
    s.flush()  # the version check happens here (a concurrent move loses)
    audit.append(s, who, f"tender.{target}", t.id, {"from": before, **detail}, inputs)


def create_tender(store: Store, who: Person, title: str, scenario: dict[str, Any],
                  questions: Sequence[str] = (), aggregation: str = "median") -> int:
    """A draft tender; its creator is its chair."""
    if aggregation not in AGGREGATIONS:
        raise CommitteeError(f"aggregation must be one of {', '.join(AGGREGATIONS)}")
    with store.tx("the new tender") as s:
        t = Tender(title=clean_name(title, "the tender title", UNBOUNDED)
                   if title.strip() else "untitled tender", state="draft",
                   created_at=audit.now(), created_by=who.name,
                   scenario_json=json.dumps(scenario, default=str), technical_frozen=False,
                   questions_json=json.dumps(list(questions)), aggregation=aggregation)
        s.add(t)
        s.flush()
        s.add(Member(tender_id=t.id, name=who.name, role="chair", opener=False))
        audit.append(s, who, "tender.created", t.id, {"title": t.title},
                     {"scenario": scenario, "questions": list(questions)})
        return t.id


def update_draft(store: Store, who: Person, tender_id: int, expected_version: int, *,
                 title: str | None = None, scenario: dict[str, Any] | None = None,
                 questions: Sequence[str] | None = None, aggregation: str | None = None) -> int:
    """Save draft edits made on ``expected_version``; returns the new version. A save based on
    an older version is refused (``ConcurrentEditError``): nothing is overwritten."""
    with store.tx("the draft edits") as s:
        t = load_tender(s, tender_id, expected_version)
        require_role(s, t, who, "chair")
        require_state(t, "edit the tender", "draft")
        changed: dict[str, Any] = {}
        if title is not None:
            t.title = changed["title"] = clean_name(title, "the tender title", UNBOUNDED)
        if scenario is not None:
            t.scenario_json = json.dumps(scenario, default=str)
            changed["scenario"] = digest(scenario)
        if questions is not None:
            t.questions_json = json.dumps(list(questions))
            changed["questions"] = list(questions)
        if aggregation is not None:
            if aggregation not in AGGREGATIONS:
                raise CommitteeError(f"aggregation must be one of {', '.join(AGGREGATIONS)}")
            t.aggregation = changed["aggregation"] = aggregation
        s.flush()
        audit.append(s, who, "tender.edited", t.id, changed)
        return t.version


def add_member(store: Store, who: Person, tender_id: int, name: str, role: str,
               opener: bool = False) -> None:
    """The chair designates a member before the bids are opened."""
    if role not in ROLES:
        raise CommitteeError(f"role must be one of {', '.join(ROLES)}")
    name = Person(name).name  # cleaned (identity.clean_name)
    with store.tx("the new member") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, "designate members", "draft", "published", "sealed")
        if member(s, t, Person(name)) is not None:
            raise CommitteeError(f"{name} is already a member of this tender")
        like = lookalike(name, s.execute(select(Member.name).where(
            Member.tender_id == t.id)).scalars())
        if like is not None:
            raise CommitteeError(f"{name!r} looks like member {like!r} of this tender (case, "
                                 "spaces or look-alike letters): use one spelling")
        s.add(Member(tender_id=t.id, name=name, role=role, opener=opener))
        audit.append(s, who, "member.added", t.id, {"name": name, "role": role,
                                                    "opener": opener})


def frozen_questions(t: Tender) -> list[dict[str, str]]:
    """The qualitative questions with their scale (0-4 for levels, 0-100 for numbers and
    percents, the grid's levels for a grade: ``stats.grid_scale``), from the catalogue the
    tender's scenario names. A criterion the catalogue defines but the weights leave out is an
    error here (issue 19, part 7): a published rule must not weigh a criterion 0 unsaid."""
    sc = parse_scenario_doc(json.loads(t.scenario_json), f"tender {t.id} scenario")
    cat = scenario_catalogue(sc)
    out = []
    problems = [f"{w.question}: {w.message}" for w in weight_warnings(sc, cat, "")
                if w.question.startswith(("weights", "sovereignty.weights"))]
    for qid in json.loads(t.questions_json):
        try:
            q = cat.question(qid)
        except KeyError:
            problems.append(f"{qid}: not a question of the catalogue {cat.id}")
            continue
        if q.type == "grade":
            out.append({"id": qid, "scale": grid_scale(list(q.grid or {}))})
            continue
        if q.type not in SCALES:
            problems.append(f"{qid}: a {q.type} question cannot be scored by evaluators "
                            "(only level, number, percent and grade questions)")
            continue
        out.append({"id": qid, "scale": SCALES[q.type]})
    if problems:
        raise CommitteeError("the questions cannot be published: " + "; ".join(problems))
    return out


def publish(store: Store, who: Person, tender_id: int) -> str:
    """Freeze and hash weights, gates, method and questions; returns the publication hash."""
    with store.tx("the publication") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "published")
        sc = parse_scenario_doc(json.loads(t.scenario_json), f"tender {t.id} scenario")
        pub = {"scenario": json.loads(sc.canonical()), "scenario_hash": sc.hash,
               "questions": frozen_questions(t), "aggregation": t.aggregation}
        t.published_canonical = canonical_json(pub)
        t.published_hash = digest(pub)
        _move(s, t, who, "published", {"publication_hash": t.published_hash,
                                       "scenario_hash": sc.hash, "method": sc.method}, pub)
        return t.published_hash


def seal(store: Store, who: Person, tender_id: int) -> None:
    """The deadline has passed: no more bids."""
    with store.tx("the sealing of the bids") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "sealed")
        subs = s.execute(select(Submission).where(Submission.tender_id == t.id)
                         .order_by(Submission.offer_id)).scalars().all()
        if not subs:
            raise TransitionError("cannot seal a tender that received no bid")
        _move(s, t, who, "sealed", {"bids": {b.offer_id: [b.technical_sha256, b.price_sha256]
                                             for b in subs}})


def open_bids(store: Store, openers: Sequence[Person], tender_id: int) -> None:
    """Open the bids: two distinct designated members, and every bid still matches its hash."""
    from .bids import altered

    names = sorted({p.name for p in openers})
    with store.tx("the opening of the bids") as s:
        t = load_tender(s, tender_id)
        check_transition(t.state, "opened")
        if len(names) < 2:
            raise TransitionError("opening needs two distinct designated members "
                                  f"(got {len(names)})")
        for p in openers:
            m = member(s, t, p)
            if m is None or not m.opener:
                raise TransitionError(f"{p.label} is not designated to open the bids")
        bad = altered(s, t)
        if bad:
            raise TransitionError("bids changed since they were received (hash mismatch): "
                                  + ", ".join(bad))
        t.opened_by = json.dumps(names)
        _move(s, t, openers[0], "opened",
              {"opened_by": [p.label for p in sorted(openers, key=lambda p: p.name)]})


def start_technical(store: Store, who: Person, tender_id: int) -> None:
    """Start the technical evaluation once every evaluator has declared their interests."""
    with store.tx("the start of the technical evaluation") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "technical_evaluation")
        evals = s.execute(select(Member).where(Member.tender_id == t.id,
                                               Member.role == "evaluator")).scalars().all()
        if not evals:
            raise TransitionError("designate at least one evaluator first")
        late = {m.name: missing_declarations(s, t, m.name) for m in evals}
        late = {k: v for k, v in late.items() if v}
        if late:
            raise TransitionError("every evaluator must declare interests first; missing: "
                                  + "; ".join(f"{k} ({', '.join(v)})" for k, v in late.items()))
        _move(s, t, who, "technical_evaluation", {"evaluators": [m.name for m in evals]})


def freeze_technical(store: Store, who: Person, tender_id: int) -> None:
    """Freeze the technical scores (all sheets in, every flagged item moderated); the price
    envelopes open and the clarification stage begins."""
    from .panel import consensus_digest, unresolved

    with store.tx("the technical freeze") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "clarification")
        todo = unresolved(s, t, frozenset(conflicts(s, t, who.name)))
        if todo:
            raise TransitionError("cannot freeze the technical scores yet: " + "; ".join(todo))
        t.technical_frozen = True
        _move(s, t, who, "clarification", {"consensus_hash": consensus_digest(s, t),
                                           "price_envelopes": "opened"})


def finish_evaluation(store: Store, who: Person, tender_id: int,
                      today: dt.date | None = None) -> None:
    """Record the final ranking once every clarification is answered or past its deadline."""
    from ..report.ranking import rank_json
    from .evaluation import evaluate_tender

    today = today or dt.date.today()
    with store.tx("the final ranking") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "evaluated")
        pending = s.execute(select(Clarification).where(
            Clarification.tender_id == t.id, Clarification.reply_received_on.is_(None),
            Clarification.deadline >= today)).scalars().all()
        if pending:
            raise TransitionError("clarifications still open before their deadline: "
                                  + ", ".join(f"#{c.id} {c.offer_id} {c.question} "
                                              f"(due {c.deadline})" for c in pending))
        rank = rank_json(evaluate_tender(s, t))
        t.final_rank_json = json.dumps(rank, sort_keys=True)
        _move(s, t, who, "evaluated", {"evaluation_hash": rank["hash"]}, rank)


def award(store: Store, who: Person, tender_id: int, offer_id: str, reason: str = "") -> None:
    """Award to an eligible offer; choosing any but the leader needs a written reason. A chair
    who declared a conflict with the proposed winner cannot award it: another chair without
    that conflict must (the refusal names them), and with none the award is refused."""
    with store.tx("the award") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "awarded")
        rank = json.loads(t.final_rank_json or "{}")
        by_id = {r["offer"]: r for r in rank.get("results", [])}
        if offer_id not in by_id:
            raise NotFound(f"{offer_id} is not a bid of this tender")
        if offer_id in conflicts(s, t, who.name):
            others = free_of_conflict(s, t, offer_id, "chair")
            require_no_conflict(
                s, t, who, offer_id,
                f"award it; another chair must ({', '.join(others)})" if others else
                "award it, and this tender has no other chair without a conflict with "
                f"{offer_id}: the award is refused")
        if not by_id[offer_id]["eligible"]:
            raise TransitionError(f"{offer_id} is excluded by "
                                  f"{', '.join(by_id[offer_id]['excluded_by'])}")
        if by_id[offer_id]["rank"] != 1 and not reason.strip():
            raise TransitionError(f"{offer_id} is ranked {by_id[offer_id]['rank']}: awarding "
                                  "it needs a written reason")
        reason = clean_note(reason, "award reason")
        t.awarded_offer, t.award_reason = offer_id, reason
        _move(s, t, who, "awarded", {"offer": offer_id, "reason": reason})


def advance(store: Store, who: Person, tender_id: int, target: str, **kw: Any) -> None:
    """Move to ``target`` through the service of that step (the pages' single entry point)."""
    with store.read() as s:
        check_transition(load_tender(s, tender_id).state, target)
    if target == "published":
        publish(store, who, tender_id)
    elif target == "sealed":
        seal(store, who, tender_id)
    elif target == "opened":
        open_bids(store, kw.get("openers", [who]), tender_id)
    elif target == "technical_evaluation":
        start_technical(store, who, tender_id)
    elif target == "clarification":
        freeze_technical(store, who, tender_id)
    elif target == "evaluated":
        finish_evaluation(store, who, tender_id, kw.get("today"))
    else:
        award(store, who, tender_id, kw.get("offer_id", ""), kw.get("reason", ""))


def view(store: Store, tender_id: int) -> TenderView:
    with store.read() as s:
        t = load_tender(s, tender_id)
        ms = s.execute(select(Member).where(Member.tender_id == t.id).order_by(Member.name)
                       ).scalars()
        return TenderView(t.id, t.title, t.state, t.version, t.published_hash,
                          t.technical_frozen, tuple((m.name, m.role, m.opener) for m in ms),
                          tuple(bidders(s, t)), next_state(t.state))


def list_tenders(store: Store) -> list[tuple[int, str, str]]:
    with store.read() as s:
        return [(t.id, t.title, t.state) for t in
                s.execute(select(Tender).order_by(Tender.id)).scalars()]
