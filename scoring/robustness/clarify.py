"""The clarification list: every unknown answer, ranked by how much resolving it could move the
result, and whether it could change the winner (and to whom).

This is the list of written clarification requests a committee may send bidders (Directive
2014/24/EU art. 56(3): the contracting authority may ask an operator to submit, supplement,
clarify or complete information within a time limit). An unknown answer is resolved to each end
of its question's domain (false/true, the worst and best option, the scale's ends, SEAL 0 and 4,
a US and an EU country), one answer at a time, everything else as it is.

Under a method whose totals depend on the other offers (TOPSIS, PROMETHEE, VIKOR) the two ends
are not enough: an answer between two rivals' values can change the winner while neither end
does (the ideal, the pairwise preferences or the spread move with it). For those methods a
direct answer is also tried at every point where the method can change its mind inside the
domain (``answers.search_utilities``: the other offers' values on that question, the preference
thresholds around them, and points between consecutive breakpoints), and a discrete question at
every one of its answers. ``tests/test_clarify_search.py`` checks the search against a fine grid.

Two paths, one meaning:
- a *direct* answer (a scored question that feeds no gate, legal fact or SEAL derivation) moves
  only its offer's total, by its weight times the change of utility: the new totals come from the
  engine's own aggregation of that one row (exact under every policy and method: ``direct``);
- an *indirect* answer (certifications, gate questions, legal facts, SEAL objectives) can change
  eligibility, the legal exposure, a derived SEAL level and the competing set of the cost note:
  the whole scenario is re-scored with that answer set, within a stated time budget; what the
  budget did not reach is listed as not assessed, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..engine import Evaluation, evaluate
from ..engine.facts import Memo
from ..engine.utilities import answer_utility
from ..models import Catalogue, Offer, Question
from ..ranking import ranks
from ..rules.legal import load_timeline
from ..scenario.catalogue import scenario_catalogue
from .answers import candidates, with_answer
from .direct import Direct, first_group, leaders_of
from .requests import gate_requests, money, price_requests

_INDIRECT_PREFIXES = ("legal.",)
_INDIRECT = {"cert.hds", "cert.secnumcloud"}


@dataclass(frozen=True)
class ClarificationItem:
    """One unknown answer and what resolving it alone could do."""

    offer: str
    question: str
    current: str
    could_be: tuple[Any, ...]
    total_range: tuple[float | None, float | None]
    rank_range: tuple[int | None, int | None]
    changes_winner: bool
    new_winner: str | None
    set_to: Any  # the value that changes the winner (None when it cannot)
    path: str  # "direct" or "re-scored"
    excluded_at_an_end: bool = False  # eligible with one answer, excluded with the other
    kind: str = "answer"  # "answer", "gate" (undetermined eligibility) or "price" (no quote)
    winning_quote: float | None = None  # price: EUR/year to lead alone (inf: any; None: none)
    lot_quotes: tuple[tuple[str, float | None], ...] = ()  # price: (lot, EUR/year) per lot

    @property
    def spread(self) -> float:
        lo, hi = self.total_range
        return 0.0 if lo is None or hi is None else hi - lo


@dataclass(frozen=True)
class Clarifications:
    items: tuple[ClarificationItem, ...]
    not_assessed: tuple[tuple[str, str], ...]  # (offer, question) left by the time budget
    winner: str | None


def _indirect(q: Question, gate_questions: set[str], seal_gates: bool) -> bool:
    """Whether resolving ``q`` can reach beyond its own leaf. A SEAL objective's answer sets
    that objective's leaf (25 × level, replacing any derived level) and nothing else, unless a
    gate reads SEAL levels."""
    if q.id.startswith("sov."):
        return seal_gates
    return q.id in _INDIRECT or q.id in gate_questions or q.id.startswith(_INDIRECT_PREFIXES)


def _rank_and_winner(ev: Evaluation, totals: np.ndarray, i: int) -> tuple[int | None, str | None]:
    rows = [r.index for r in ev.results if r.eligible]
    if not rows:
        return None, None
    rk = ranks(totals[rows])
    ids = [ev.offers[k].offer_id for k in rows]
    return (int(rk[rows.index(i)]) if i in rows else None), first_group(ids, totals[rows])


def clarify(ev: Evaluation, *, budget_s: float = 10.0, cat: Catalogue | None = None
            ) -> Clarifications:
    """Every unknown answer of every offer, ranked: first those that could change the winner,
    then by the width of the offer's total range."""
    cat = cat or ev.catalogue or scenario_catalogue(ev.scenario)
    tl = load_timeline()
    on = ev.evaluation_date
    winner = leaders_of(ev)
    gate_qs = {g.question for g in ev.scenario.gates if g.question} | {
        "cert.hds" for g in ev.scenario.gates if g.kind == "hds"} | {
        "cert.secnumcloud" for g in ev.scenario.gates if g.kind == "immunity"}
    leaf_of = {lf.question: j for j, lf in enumerate(ev.leaves)}
    seal_gates = any(g.kind == "min_seal" for g in ev.scenario.gates)
    direct = Direct(ev)
    memo = Memo(ev.offers)
    cache: dict[tuple[str, Any], float] = {}

    def utility_of(q: Question, o: Offer, v: Any) -> float:
        """The utility of answer v (an undated answer's utility does not depend on the offer:
        computed once per question and value)."""
        key = (q.id, v)
        if q.dated or key not in cache:
            u, _ = answer_utility(q, with_answer(o, q, v, on), on, cat.certifications)
            value = 0.0 if u is None else u
            if q.dated:
                return value
            cache[key] = value
        return cache[key]

    items: list[ClarificationItem] = []
    skipped: list[tuple[str, str]] = []
    deadline = time.monotonic() + budget_s
    for r in sorted(ev.results, key=lambda r: r.index):
        o, i = r.offer, r.index
        for q in cat.questions:
            if o.answer(q.id).known:
                continue
            values = candidates(q)
            if not values:
                continue
            shown = values
            indirect = _indirect(q, gate_qs, seal_gates)
            if not indirect and q.id not in leaf_of:
                continue  # not scored in this scenario (weight 0 or n/a): nothing to move
            if not indirect and not direct.monotone:
                values = tuple(direct.search_values(
                    q, i, leaf_of[q.id], [utility_of(q, o, v) for v in values]))
            if indirect and time.monotonic() > deadline:
                skipped.append((o.offer_id, q.id))
                continue
            outcomes: list[tuple[Any, float | None, int | None, str | None]] = []
            for v in values:
                if indirect:
                    changed = with_answer(o, q, v, on)
                    alone = direct.alone(changed, r, cat, tl)
                    if alone is not None:  # only this offer moved: its row, others as they are
                        t_new, rank, win = alone
                        outcomes.append((v, t_new, rank, win))
                        continue
                    offers = [changed if x.offer_id == o.offer_id else x for x in ev.offers]
                    ev2 = evaluate(ev.scenario, offers, cat=cat, timeline=tl, method=ev.method,
                                   memo=memo)
                    r2 = ev2.result(o.offer_id)
                    outcomes.append((v, r2.total, r2.rank, leaders_of(ev2)))
                else:
                    u = utility_of(q, o, v)
                    j = leaf_of[q.id]
                    if direct.linear:
                        t_new = direct.total_of(i, j, u)
                        rank, win = direct.rank_and_winner(i, t_new)
                    else:
                        tot = direct.totals_with(i, j, u)
                        rank, win = _rank_and_winner(ev, tot, i)
                        t_new = float(tot[i])
                    t = None if np.isnan(t_new) else t_new
                    outcomes.append((v, t, rank if r.eligible else None, win))
            items.append(_item(o.offer_id, q.id, outcomes, winner,
                               "re-scored" if indirect else "direct", shown))
    items += request_items(ev, winner)
    items.sort(key=_order)
    return Clarifications(tuple(items), tuple(skipped), winner)


def request_items(ev: Evaluation, winner: str | None) -> list[ClarificationItem]:
    """The undetermined gates and missing prices as items of the list (``requests``)."""
    out: list[ClarificationItem] = []
    for g in gate_requests(ev):
        admit = ", ".join(f"{q} = {v}" for q, v in g.admitting.items()) or "admitted"
        out.append(ClarificationItem(
            offer=g.offer, question=", ".join(g.questions) or ", ".join(g.gates),
            current="eligibility undetermined", could_be=(admit, "excluded"),
            total_range=g.total_range, rank_range=(g.rank_if_admitted, g.rank_if_admitted),
            changes_winner=g.could_lead and g.alone,
            new_winner=g.offer if g.could_lead and g.alone else None,
            set_to=admit if g.could_lead and g.alone else None, path="re-scored",
            excluded_at_an_end=True, kind="gate"))
    for pr in price_requests(ev):
        wins = pr.quote is not None
        out.append(ClarificationItem(
            offer=pr.offer, question="prices: " + ", ".join(pr.items), current="no price",
            could_be=("a quote",), total_range=pr.total_range, rank_range=(pr.rank, pr.rank),
            changes_winner=wins and pr.offer != winner, new_winner=pr.offer if wins else None,
            set_to=None if pr.quote is None else f"a quote up to {money(pr.quote)}",
            path="re-scored", kind="price", winning_quote=pr.quote,
            lot_quotes=tuple((q.lot, q.price) for q in pr.lots)))
    return out


def _order(it: ClarificationItem) -> tuple[Any, ...]:
    """Winner changes first; then answers that move an offer's rank (entering or leaving the
    ranking counts as the largest move); then by how far the offer's total can move."""
    best, worst = it.rank_range
    if best is None:
        rank_move = -1.0  # excluded whatever the answer: nothing moves in the ranking
    elif it.excluded_at_an_end:
        rank_move = float("inf")
    else:
        rank_move = float((worst or best) - best)
    return (not it.changes_winner, -rank_move, -it.spread, it.offer, it.question)


def _item(offer: str, question: str,
          outcomes: Sequence[tuple[Any, float | None, int | None, str | None]],
          winner: str | None, path: str, shown: Sequence[Any] | None = None
          ) -> ClarificationItem:
    """One item from the outcomes of every answer tried; ``could_be`` lists ``shown`` (the
    domain's ends) when more answers were searched, ``set_to`` the first that changes the
    winner."""
    totals = [t for _, t, _, _ in outcomes if t is not None]
    rks = [k for _, _, k, _ in outcomes if k is not None]
    partly = 0 < len(rks) < len(outcomes)
    change = next(((v, w) for v, _, _, w in outcomes if w != winner), None)
    return ClarificationItem(
        offer=offer, question=question, current="unknown",
        could_be=tuple(shown) if shown is not None else tuple(v for v, _, _, _ in outcomes),
        total_range=(min(totals), max(totals)) if totals else (None, None),
        rank_range=(min(rks), max(rks)) if rks else (None, None),
        changes_winner=change is not None, new_winner=None if change is None else change[1],
        set_to=None if change is None else change[0], path=path, excluded_at_an_end=partly,
    )


@dataclass(frozen=True)
class PairItem:
    """Two unknown answers resolved together change the winner where neither alone does."""

    first: tuple[str, str, Any]  # (offer, question, value)
    second: tuple[str, str, Any]
    new_winner: str | None


def clarify_pairs(ev: Evaluation, singles: Clarifications, *, top: int = 20,
                  budget_s: float = 10.0, cat: Catalogue | None = None
                  ) -> tuple[tuple[PairItem, ...], int, int]:
    """Pairs among the ``top`` widest single items (those that cannot change the winner alone),
    each combination of their ends re-scored. Returns (pairs found, pairs tried, pairs left by
    the time budget)."""
    cat = cat or ev.catalogue or scenario_catalogue(ev.scenario)
    tl = load_timeline()
    on = ev.evaluation_date
    alone = [it for it in singles.items if not it.changes_winner and it.kind == "answer"]
    gates = [it for it in alone if it.rank_range[0] is None and it.path == "re-scored"]
    pool = list(dict.fromkeys(gates[: top // 2] + alone))[:top]
    memo = Memo(ev.offers)
    found: list[PairItem] = []
    tried = left = 0
    deadline = time.monotonic() + budget_s
    for a_i, a in enumerate(pool):
        for b in pool[a_i + 1:]:
            if time.monotonic() > deadline:
                left += 1
                continue
            tried += 1
            hit = _pair_change(ev, cat, tl, on, a, b, singles.winner, memo)
            if hit is not None:
                found.append(hit)
    return tuple(found), tried, left


def _pair_change(ev: Evaluation, cat: Catalogue, tl: Any, on: dt.date, a: ClarificationItem,
                 b: ClarificationItem, winner: str | None, memo: Memo) -> PairItem | None:
    qa, qb = cat.question(a.question), cat.question(b.question)
    for va in a.could_be:
        for vb in b.could_be:
            offers = []
            for o in ev.offers:
                x = o
                if o.offer_id == a.offer:
                    x = with_answer(x, qa, va, on)
                if o.offer_id == b.offer:
                    x = with_answer(x, qb, vb, on)
                offers.append(x)
            ev2 = evaluate(ev.scenario, offers, cat=cat, timeline=tl, method=ev.method, memo=memo)
            w = leaders_of(ev2)
            if w != winner:
                return PairItem((a.offer, a.question, va), (b.offer, b.question, vb), w)
    return None
