"""Rank reversal: does removing (equivalently, adding) one offer change the order of the others?

V. Belton and T. Gear, "On a short-coming of Saaty's method of analytic hierarchies", Omega
11(3):228–230, 1983; for TOPSIS: Y.-M. Wang and Y. Luo, "On rank reversal in decision
analysis", Math. Comput. Modelling 49:1221–1229, 2009. Each eligible offer is removed in turn
and the order of the others compared; checking the removal of X from the full set is the same
as checking the addition of X to the set without it. Any method of the registry
(``scoring.methods.registry.METHODS``) can be checked; the weighted sum on fixed utility scales
cannot reverse, except through the cost note (computed against the cheapest offer present).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..engine import DecisionMatrix
from ..errors import InputError
from ..methods.registry import METHODS, REFERENCE_METHOD
from ._common import normalised, ranking

if TYPE_CHECKING:
    from ..engine import Evaluation


def _cause(method: str) -> str:
    m = METHODS[method]
    return f"{m.label} {m.depends_why or 'scores each offer against the other offers present'}"


@dataclass(frozen=True)
class Reversal:
    """With ``removed`` present, ``ahead_before`` ranks above ``ahead_after``; without it, the
    other way round."""

    removed: str
    ahead_before: str
    ahead_after: str
    cause: str = ""



@dataclass(frozen=True)
class RemovalCheck:
    """The order of the other offers with and without ``removed`` (best first)."""

    removed: str
    before: tuple[str, ...]
    after: tuple[str, ...]

    @property
    def reversed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class RankReversalReport:
    """Does removing (equivalently, adding) one offer change the order of the others?"""

    method: str
    basis: str
    order: tuple[str, ...]
    checks: tuple[RemovalCheck, ...]
    reversals: tuple[Reversal, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def found(self) -> bool:
        return bool(self.reversals)


def _pair_reversals(removed: str, before: Sequence[str], after: Sequence[str],
                    cause: str) -> list[Reversal]:
    pos = {o: i for i, o in enumerate(after)}
    out: list[Reversal] = []
    for i, a in enumerate(before):
        for b in before[i + 1:]:
            if pos[b] < pos[a]:
                out.append(Reversal(removed, a, b, cause))
    return out


def _dm_order(dm: DecisionMatrix, method: str, keep: Sequence[int]) -> list[int]:
    sub = list(keep)
    if METHODS[method].linear:  # the decision matrix's own weighted sum (its policy included)
        t = dm.totals()[sub]
    else:  # the registry's scorer on the frozen scores (NaN as 0, as the engine does)
        w = normalised(dm.weights)
        t = METHODS[method].score(np.nan_to_num(dm.scores[sub]), w)
    return [sub[i] for i in ranking(t)]


def rank_reversal_check(ev_or_dm: Evaluation | DecisionMatrix, method: str = REFERENCE_METHOD
                        ) -> RankReversalReport:
    """Remove each eligible offer in turn and compare the order of the others.

    With an ``Evaluation`` the engine is re-run on the scenario without the offer (gates, cost
    notes and, for TOPSIS, normalisation and ideal points all recomputed): under the weighted sum
    the utilities are absolute 0–100 scales, except the cost note, which is computed against
    the cheapest eligible costable offer (and the dearest, for the linear formula), so removing
    that offer re-notes every price and can reorder the others. With a ``DecisionMatrix`` the
    scores are frozen (the cost note as computed against the full set): the weighted sum then
    cannot reverse, and TOPSIS is recomputed on the remaining rows.
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}")
    if isinstance(ev_or_dm, DecisionMatrix):
        dm = ev_or_dm
        full = _dm_order(dm, method, range(len(dm.offers)))
        order = tuple(dm.offers[i] for i in full)
        checks: list[RemovalCheck] = []
        revs: list[Reversal] = []
        cause = _cause(method) if METHODS[method].depends_on_others else ""
        for x in range(len(dm.offers)):
            keep = [i for i in range(len(dm.offers)) if i != x]
            before = tuple(dm.offers[i] for i in full if i != x)
            after = tuple(dm.offers[i] for i in _dm_order(dm, method, keep))
            checks.append(RemovalCheck(dm.offers[x], before, after))
            revs += _pair_reversals(dm.offers[x], before, after, cause)
        notes = ["decision matrix: scores frozen as computed against the full set of offers "
                 "(including the cost note)"]
        if not METHODS[method].depends_on_others:
            notes.append(f"{METHODS[method].label.lower()} on fixed utility scales: the order "
                         "of the others cannot change")
        return RankReversalReport(method, "decision matrix", order, tuple(checks), tuple(revs),
                                  tuple(notes))

    from ..engine import evaluate

    ev = ev_or_dm
    base = ev if ev.method == method else evaluate(
        ev.scenario, [r.offer for r in ev.results], method=method,
        scenario_file=ev.scenario_file)
    order = tuple(r.offer.offer_id for r in base.results if r.rank is not None)
    elig = [r for r in base.results if r.rank is not None]
    costable = [r for r in elig if r.cost.costable and r.cost.annual_cost]
    cheapest = min(costable, key=lambda r: r.cost.annual_cost or 0.0) if costable else None
    dearest = max(costable, key=lambda r: r.cost.annual_cost or 0.0) if costable else None
    checks = []
    revs = []
    for r in elig:
        xid = r.offer.offer_id
        rest_ev = evaluate(ev.scenario, [q.offer for q in base.results
                                         if q.offer.offer_id != xid],
                           method=method, scenario_file=ev.scenario_file)
        before = tuple(o for o in order if o != xid)
        after = tuple(q.offer.offer_id for q in rest_ev.results if q.rank is not None)
        checks.append(RemovalCheck(xid, before, after))
        if METHODS[method].depends_on_others:
            cause = _cause(method)
        elif cheapest is not None and xid == cheapest.offer.offer_id:
            cause = "the cost note is re-computed against a new cheapest offer"
        elif (dearest is not None and xid == dearest.offer.offer_id
              and ev.scenario.price_formula.kind == "linear"):
            cause = "the linear cost note is re-computed against a new dearest offer"
        else:
            cause = "the cost note's reference changed"
        revs += _pair_reversals(xid, before, after, cause)
    notes = ["engine re-run without each eligible offer (excluded offers take no part in the "
             "ranking, the cost reference or the method's reference points)",
             "removing X from the full set = adding X to the set without it"]
    if not METHODS[method].depends_on_others:
        notes.append(f"{METHODS[method].label.lower()}: utilities are absolute 0-100 scales, "
                     "except the cost note, "
                     "which depends on the cheapest eligible offer "
                     f"({cheapest.offer.offer_id if cheapest else 'none costable'})")
    return RankReversalReport(method, "evaluation", order, tuple(checks), tuple(revs),
                              tuple(notes))
