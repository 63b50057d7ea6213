"""The direct path of the clarification list (``clarify``): an answer that feeds no gate, legal
fact or SEAL derivation moves only its offer's total, by the engine's own aggregation of that
one row; its rank and the winner follow by THE ranking rule (``scoring.ranking``) against the
other offers' unchanged totals. Exact under every policy and method, without re-scoring the
scenario.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..engine import Evaluation, OfferResult, evaluate
from ..engine.facts import Memo
from ..engine.policy import aggregate, has_intervals, point_policy, renormalises
from ..engine.tree import COST_LEAF
from ..methods.promethee_settings import PrometheeSettings
from ..methods.registry import METHODS
from ..models import Catalogue, Offer, Question
from ..ranking import TIE_TOLERANCE, tie_groups
from .answers import candidates, domain, search_utilities


def leaders_of(ev: Evaluation) -> str | None:
    """Who leads: one offer id, or a tie group written "a = b" (a tie is a tie: changing which
    member of a group is listed first changes no winner)."""
    return " = ".join(r.offer_id for r in ev.leaders()) or None


def first_group(ids: Sequence[str], totals: np.ndarray) -> str | None:
    """The offers sharing first place under THE ranking rule, written like ``leaders_of``."""
    if len(ids) == 0:
        return None
    g = tie_groups(totals)
    return " = ".join(k for k, x in zip(ids, g, strict=True) if x == 0)


class Direct:
    """Totals of one offer with one leaf changed, by the engine's aggregation; rank and winner
    by the ranking rule against the other offers' unchanged totals."""

    def __init__(self, ev: Evaluation) -> None:
        self.ev = ev
        self.leaves = ev.leaves
        self.policy = point_policy(ev.policy)
        self.base = np.array(ev.scored_utilities, dtype=float)
        self.eligible = np.array(sorted(r.index for r in ev.results if r.eligible), dtype=int)
        self.totals = np.array([np.nan if r.total is None else r.total
                                for r in sorted(ev.results, key=lambda r: r.index)])
        self.method = ev.scorer or METHODS[ev.method]
        self.linear = self.method.linear
        # An offer's total moves only with its own answers, in one direction: the ends suffice.
        self.monotone = self.linear and not self.method.depends_on_others
        # Under a fixed-weight sum (worst, or uncertain's complete matrix) a leaf moves its
        # offer's total by its weight times the change of utility: no aggregation needed.
        self.additive = self.linear and not renormalises(self.policy)
        self.weights = np.asarray(ev.effective_weights, dtype=float)
        self.scenario_memo = Memo(())  # leaves and canonical form, for one-offer re-scoring

    def totals_with(self, i: int, j: int, u: float) -> np.ndarray:
        """All offers' totals when offer i's leaf j has utility u (NaN for the excluded)."""
        out = self.totals.copy()
        if self.linear:
            out[i] = self.total_of(i, j, u)
            return out
        mat = self.base.copy()
        mat[i, j] = u
        w = np.array([lf.weight for lf in self.leaves])
        rows = list(self.eligible)
        out[rows] = self.method.score(np.nan_to_num(mat[rows]), w)
        return out

    def thresholds(self, j: int) -> tuple[float, ...]:
        """The preference thresholds of leaf j under the bound method (PROMETHEE), if any."""
        params = self.method.params
        if not isinstance(params, PrometheeSettings):
            return ()
        fn = params.functions_for([(lf.question, lf.criterion, lf.pillar)
                                   for lf in self.leaves])[j]
        return tuple(float(t) for t in (fn.q, fn.p, fn.s) if t)

    def search_values(self, q: Question, i: int, j: int, ends: Sequence[float]) -> list[Any]:
        """The answers to try for offer i's leaf j (question q) under a non-monotone method:
        every answer of a discrete question, and for a number on a scale the values whose
        utilities :func:`search_utilities` lists between the utilities of the domain's ends."""
        if q.type not in ("number", "percent") or q.scale is None:
            return list(domain(q))
        a, b = candidates(q)
        u_a, u_b = sorted(ends)
        rows = [int(k) for k in self.eligible if k != i]
        others = [float(x) for x in self.base[rows, j] if x == x]
        worst, best = q.scale.worst, q.scale.best
        values = [worst + u / 100.0 * (best - worst)
                  for u in search_utilities(others, u_a, u_b, self.thresholds(j))]
        lo_v, hi_v = min(a, b), max(a, b)
        return sorted({min(max(v, lo_v), hi_v) for v in values})

    def total_of(self, i: int, j: int, u: float) -> float:
        """Offer i's own total when its leaf j has utility u (linear methods)."""
        if self.additive:
            old = self.base[i, j]
            return float(self.totals[i] + self.weights[i, j] * (u - (0.0 if old != old else old)))
        row = self.base[i:i + 1].copy()
        row[0, j] = u
        return float(aggregate(row, self.leaves, self.policy)[0][0])

    def alone(self, changed: Offer, r: OfferResult, cat: Catalogue, tl: Any
              ) -> tuple[float | None, int | None, str | None] | None:
        """Re-score one offer on its own (its facts, utilities and gates), when that is exact:
        a linear method, its eligibility unchanged (so the competing set of the cost note, and
        every other total, stays as it is) and utility intervals that do not depend on the
        other offers (not the ``observed`` prior). None: re-score the whole scenario."""
        sc = self.ev.scenario
        if not self.linear or (has_intervals(sc.missing_policy) and
                               sc.uncertain_prior == "observed"):
            return None
        one = evaluate(sc, [changed], cat=cat, timeline=tl, method=self.ev.method,
                       memo=self.scenario_memo)
        r1 = one.results[0]
        if r1.eligible != r.eligible:
            return None
        row = np.array(one.scored_utilities[0], dtype=float)
        for j, lf in enumerate(self.leaves):
            if lf.question == COST_LEAF:  # the note against the scenario's competing offers
                row[j] = self.base[r.index, j]
        t = float(aggregate(row[None, :], self.leaves, self.policy)[0][0])
        if not r.eligible:
            return t, None, leaders_of(self.ev)
        rank, win = self.rank_and_winner(r.index, t)
        return t, rank, win

    def rank_and_winner(self, i: int, t: float) -> tuple[int | None, str | None]:
        """Offer i's rank with total t, the others unchanged, and who then leads (THE ranking
        rule: higher total first, within the tie tolerance the lower index first)."""
        rows = self.eligible
        if rows.size == 0:
            return None, None
        ids = [self.ev.offers[int(k)].offer_id for k in rows]
        if i not in rows:
            return None, first_group(ids, self.totals[rows])
        others = rows[rows != i]
        tot = self.totals[others]
        above = (tot > t + TIE_TOLERANCE) | ((np.abs(tot - t) <= TIE_TOLERANCE) & (others < i))
        rank = 1 + int(above.sum())
        totals = self.totals[rows].copy()
        totals[list(rows).index(i)] = t
        return rank, first_group(ids, totals)
