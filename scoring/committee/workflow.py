"""The tender's lifecycle: one state machine, every step checked and logged.

    draft → published → sealed → opened → technical_evaluation → clarification → evaluated
    → awarded

- published: weights, gates, method and questions frozen and hashed (Directive 2014/24/EU
  art. 67(5): the relative weighting is stated in the procurement documents);
- published: with its bid deadline (``opening``: extended only by a chair, before it passes,
  with a reason);
- sealed: once the deadline passed; bids stored with their salted SHA-256, content not viewable
  (Annex IV: nobody sees bids before the deadline, any breach is detectable);
- opened: by two distinct designated members, each signing in their own session (the
  four-eyes rule of bid opening: ``opening.sign_opening``);
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
from ..i18n import N_, _
from ..scenario.load import parse_scenario_doc
from . import audit
from .access import (
    ROLES,
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
from .bids import salts, utc
from .catalogue import SCALES as SCALES  # the pages read the scorable types here
from .catalogue import scored_questions, tender_catalogue, tender_check
from .errors import CommitteeError, NotFound, PublicationError, TransitionError
from .identity import UNBOUNDED, Person, clean_name, clean_note, lookalike
from .models import AuditRecord, Clarification, Member, Tender
from .opening import check_future, seal, sign_opening
from .store import Store
from .transitions import check_transition, move, next_state

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
    bid_deadline: str | None = None  # ISO 8601 UTC
    opening_first: str | None = None  # the first opener's signature, awaiting a second
    opening_first_at: str | None = None
    opened_by: tuple[str, ...] = ()


_move = move


def create_tender(store: Store, who: Person, title: str, scenario: dict[str, Any],
                  questions: Sequence[str] = (), aggregation: str = "median") -> int:
    """A draft tender; its creator is its chair (bound to their log-in, if any)."""
    if aggregation not in AGGREGATIONS:
        raise CommitteeError(_("aggregation must be one of {aggregations}").format(
                                 aggregations=', '.join(AGGREGATIONS)))
    with store.tx("the new tender") as s:
        t = Tender(title=clean_name(title, "the tender title", UNBOUNDED)
                   if title.strip() else "untitled tender", state="draft",
                   created_at=audit.now(), created_by=who.name,
                   scenario_json=json.dumps(scenario, default=str), technical_frozen=False,
                   questions_json=json.dumps(list(questions)), aggregation=aggregation)
        s.add(t)
        s.flush()
        s.add(Member(tender_id=t.id, name=who.name, role="chair", opener=False,
                     email=who.email, issuer=who.issuer, subject=who.subject))
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
        require_state(t, N_("edit the tender"), "draft")
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
                raise CommitteeError(_("aggregation must be one of {aggregations}").format(
                                         aggregations=', '.join(AGGREGATIONS)))
            t.aggregation = changed["aggregation"] = aggregation
        s.flush()
        audit.append(s, who, "tender.edited", t.id, changed)
        return t.version


def add_member(store: Store, who: Person, tender_id: int, name: str, role: str,
               opener: bool = False) -> None:
    """The chair designates a member before the bids are opened."""
    if role not in ROLES:
        raise CommitteeError(_("role must be one of {roles}").format(roles=', '.join(ROLES)))
    name = Person(name).name  # cleaned (identity.clean_name)
    with store.tx("the new member") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, N_("designate members"), "draft", "published", "sealed")
        if member(s, t, Person(name)) is not None:
            raise CommitteeError(_("{name} is already a member of this tender").format(
                                     name=name))
        like = lookalike(name, s.execute(select(Member.name).where(
            Member.tender_id == t.id)).scalars())
        if like is not None:
            raise CommitteeError(_("{name!r} looks like member {like!r} of this tender "
                                   "(case, spaces or look-alike letters): use one spelling").format(
                                     name=name, like=like))
        if opener and role == "auditor":
            raise CommitteeError(_("an auditor reads everything and acts on nothing: they "
                                   "cannot be designated to open the bids"))
        s.add(Member(tender_id=t.id, name=name, role=role, opener=opener))
        audit.append(s, who, "member.added", t.id, {"name": name, "role": role,
                                                    "opener": opener})


def frozen_questions(t: Tender) -> list[dict[str, str]]:
    """The qualitative questions with their scale, from the tender's catalogue (its own, or
    the one its scenario names: ``catalogue.tender_catalogue``). Everything else that would
    make the published rule wrong (a criterion the catalogue defines but the weights leave
    out, issue 19 part 7; a catalogue or gate problem) is refused first by ``publish``."""
    out, problems = scored_questions(tender_catalogue(t), json.loads(t.questions_json),
                                     f"tender {t.id} questions")
    if problems:
        raise PublicationError(problems)
    return out


def publish(store: Store, who: Person, tender_id: int, deadline: dt.datetime | None = None,
            now: dt.datetime | None = None) -> str:
    """Freeze and hash weights, gates, method and questions, with the bid deadline (given here
    or set on the draft, still ahead: ``opening``); returns the publication hash."""
    with store.tx("the publication") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "published")
        when = utc(now)
        if deadline is not None:
            t.bid_deadline = check_future(deadline, when)
        elif t.bid_deadline is None:
            raise TransitionError(_("set the bid deadline first: it is published with the "
                                    "tender"))
        else:
            check_future(dt.datetime.fromisoformat(t.bid_deadline), when)
        sc = parse_scenario_doc(json.loads(t.scenario_json), f"tender {t.id} scenario")
        check = tender_check(t)
        if not check.ok:
            raise PublicationError(check.problems)
        pub = {"scenario": json.loads(sc.canonical()), "scenario_hash": sc.hash,
               "questions": frozen_questions(t), "aggregation": t.aggregation}
        if t.catalogue_yaml is not None and check.catalogue is not None:
            # the tender's own catalogue, frozen with the rule it defines (its text as stored,
            # so that the published copy parses to the same hash)
            pub["catalogue_yaml"] = t.catalogue_yaml
            pub["catalogue_sha256"] = check.catalogue.sha256
        t.published_canonical = canonical_json(pub)
        t.published_hash = digest(pub)
        _move(s, t, who, "published", {"publication_hash": t.published_hash,
                                       "scenario_hash": sc.hash, "method": sc.method,
                                       "deadline": t.bid_deadline}, pub)
        return t.published_hash


def start_technical(store: Store, who: Person, tender_id: int) -> None:
    """Start the technical evaluation once every evaluator has declared their interests."""
    with store.tx("the start of the technical evaluation") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "technical_evaluation")
        evals = s.execute(select(Member).where(Member.tender_id == t.id,
                                               Member.role == "evaluator")).scalars().all()
        if not evals:
            raise TransitionError(_("designate at least one evaluator first"))
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
                                           "price_envelopes": "opened",
                                           "price_salts": salts(s, t, "price")})


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
            raise NotFound(_("{offer_id} is not a bid of this tender").format(offer_id=offer_id))
        if offer_id in conflicts(s, t, who.name):
            others = free_of_conflict(s, t, offer_id, "chair")
            require_no_conflict(
                s, t, who, offer_id,
                _("award it; another chair must ({chairs})").format(chairs=", ".join(others))
                if others else
                _("award it, and this tender has no other chair without a conflict with "
                  "{offer}: the award is refused").format(offer=offer_id))
        if not by_id[offer_id]["eligible"]:
            raise TransitionError(_not_eligible(by_id[offer_id]))
        if by_id[offer_id]["rank"] != 1 and not reason.strip():
            raise TransitionError(_("{offer_id} is ranked {by_id}: awarding it needs a "
                                    "written reason").format(
                                      offer_id=offer_id, by_id=by_id[offer_id]['rank']))
        reason = clean_note(reason, "award reason")
        t.awarded_offer, t.award_reason = offer_id, reason
        _move(s, t, who, "awarded", {"offer": offer_id, "reason": reason})


def _not_eligible(row: dict[str, Any]) -> str:
    """Why the final ranking does not admit this offer: the gates it fails, else the gates
    its unknown answers leave undetermined (an unknown is not a yes, nor a no: the award
    once said "excluded by" and named nothing)."""
    if row["excluded_by"]:
        return f"{row['offer']} is excluded by {', '.join(row['excluded_by'])}"
    open_ = "; ".join(f"{g['gate']} (unknown: {', '.join(g['questions'])})"
                      for g in row.get("undetermined_by", []))
    return (f"{row['offer']} is not shown eligible in the final ranking: unknown answers "
            f"leave gates undetermined: {open_ or 'no gate named'}; an offer is awarded only "
            "once its answers show it passes every gate (a clarification asks the bidder)")


def advance(store: Store, who: Person, tender_id: int, target: str, **kw: Any) -> None:
    """Move to ``target`` through the service of that step (the pages' single entry point)."""
    with store.read() as s:
        check_transition(load_tender(s, tender_id).state, target)
    if target == "published":
        publish(store, who, tender_id, kw.get("deadline"))
    elif target == "sealed":
        seal(store, who, tender_id)
    elif target == "opened":
        sign_opening(store, who, tender_id)
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
                          tuple(bidders(s, t)), next_state(t.state), t.bid_deadline,
                          t.opening_first, t.opening_first_at,
                          tuple(json.loads(t.opened_by)) if t.opened_by else ())


@dataclass(frozen=True)
class Pulse:
    """The tender's version and state now, and the last act on it (who, what): what an open
    page compares with the version it shows, to tell its reader the tender moved on."""

    version: int
    state: str
    by: str  # the last record's actor, labelled like everywhere else
    action: str


def pulse(store: Store, tender_id: int) -> Pulse:
    """One cheap read (the tender row and its last audit record), made every few seconds by
    every open committee page."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        last = s.execute(select(AuditRecord).where(AuditRecord.tender_id == t.id)
                         .order_by(AuditRecord.seq.desc()).limit(1)).scalar_one_or_none()
        by = "" if last is None else last.actor + ("" if last.authenticated
                                                   else " (not authenticated)")
        return Pulse(t.version, t.state, by, "" if last is None else last.action)


def list_tenders(store: Store) -> list[tuple[int, str, str]]:
    with store.read() as s:
        return [(t.id, t.title, t.state) for t in
                s.execute(select(Tender).order_by(Tender.id)).scalars()]
