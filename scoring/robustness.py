"""How robust is the award? Sensitivity, stability intervals, flip, SMAA-2, rank reversal.

Everything here works on the engine's ``DecisionMatrix`` (``Evaluation.matrix(level)``): the
eligible offers × criteria (or pillars) with their 0–100 scores and normalised weights, and the
engine's own aggregation ``DecisionMatrix.totals``. Excluded offers are not in it: gates are
respected, so no analysis can make an excluded offer win.

Methods (the weights are always renormalised to sum to 1 first):

* **One-way sensitivity** (the "walking weights" of Visual PROMETHEE; T. Butler, J. Jia and
  J. Dyer, "Simulation techniques for the sensitivity analysis of multi-criteria decision
  models", EJOR 103:531–546, 1997, §2): the weight of criterion k moves from 0 to 1 and the
  others keep their proportions, ``w(t) = t·e_k + (1 − t)·w_{−k} / Σ w_{−k}``; ``t = w_k`` is
  the current point. If every other weight is 0 the others share ``1 − t`` equally.
* **Crossovers and stability intervals** (exact; cf. E. Triantaphyllou and A. Sánchez, "A
  sensitivity analysis approach for some deterministic multi-criteria decision-making
  methods", Decision Sciences 28(1):151–194, 1997, for the weighted sum). Along the path each
  total is a rational function ``N_i(t) / D_i(t)``: linear under the ``worst`` policy, and under
  ``exclude`` a ratio of polynomials of degree ≤ 2 (degree 1 when the moved criterion's pillar
  is fully answered by the offer, e.g. at pillar level). Two offers tie where the polynomial
  ``N_i D_j − N_j D_i`` (degree ≤ 4) vanishes; its real roots in [0, 1] (``numpy.roots``,
  polished by Newton steps) are the only places where the ranking can change. The ranking is
  then read off once per elementary interval between consecutive roots with the engine's own
  ``totals``, so the intervals and crossovers are exact up to floating-point rounding — not
  sampled. Intervals are closed: a tie at an end point (broken by offer order) counts as
  "still the same".
* **Flip** (the smallest L1 change ``Σ|w' − w|`` of the weight vector that puts an offer first
  — a "most critical criteria" analysis in the sense of Triantaphyllou & Sánchez 1997, over all
  weights at once): a linear programme solved with pulp + HiGHS (``d_k ≥ ±(w'_k − w_k)``,
  minimise ``Σ d_k``). Exact under ``worst`` (or when no answer is missing): totals are linear
  in ``w``. Under ``exclude`` totals are ratios; the problem is split on a threshold τ:
  ``total_o ≥ τ`` and ``total_j ≤ τ − margin`` are linear in ``w`` once each pillar's ratio
  ρ = (pillar weight) / (weight the offer answered in it) is fixed. ρ is constant — the split
  exact — when every offer answers each pillar fully or not at all (always so at pillar
  level); τ is then searched on a 33-point grid refined three times around the best value
  ("minimal up to the threshold search"). When some pillar is partly answered, ρ is re-fixed
  at each answer and the LP solved again (up to four rounds), and the same is done from the
  two nearest of 20,000 seeded sampled weight vectors that make the offer first; the smallest
  answer is kept ("smallest change found, not proven minimal"). Not searched: answers that
  need a weight of exactly 0 so that an offer's partly answered pillar drops out of its total.
  Under ``exclude`` every offer must keep some weight (1e-6) on what it answered: otherwise its
  total is 0/0, which the engine shows as 0, and beating it would be an artefact. Every answer
  is re-scored with ``DecisionMatrix.totals`` before it is returned. "Impossible" is proven
  under ``worst`` (LP infeasible) or by dominance (another offer at least as good everywhere,
  same criteria answered); otherwise it means that nothing above found a way.
* **SMAA-2** (R. Lahdelma and P. Salminen, Operations Research 49(3):444–454, 2001):
  ``scoring.smaa.smaa2`` on the scores when the totals are linear; under ``exclude`` with
  missing answers, the same weight stream (``scoring.smaa.sample_weights``) scored chunk by
  chunk through ``DecisionMatrix.totals``, with smaa2's exact accumulation of central weights.
* **Rank reversal** (V. Belton and T. Gear, "On a short-coming of Saaty's method of analytic
  hierarchies", Omega 11(3):228–230, 1983; for TOPSIS: Y.-M. Wang and Y. Luo, "On rank
  reversal in decision analysis", Math. Comput. Modelling 49:1221–1229, 2009): each eligible
  offer is removed in turn and the order of the others compared. Checking the removal of X
  from the full set is the same as checking the addition of X to the set without it.

Ranks follow the engine: totals rounded to 9 decimals, descending, ties broken by the order of
``dm.offers`` (the engine's order at the scenario's weights).
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .engine import DecisionMatrix
from .errors import InputError
from .textfmt import table

if TYPE_CHECKING:
    from .engine import Evaluation

__all__ = [
    "Crossover",
    "FlipResult",
    "OneWay",
    "RankReversalReport",
    "RankingChange",
    "RemovalCheck",
    "Reversal",
    "SmaaSummary",
    "StabilityInterval",
    "WeightChange",
    "acceptability_text",
    "central_weights_text",
    "flip",
    "flip_text",
    "one_way",
    "pct",
    "rank_reversal_check",
    "ranking",
    "reversal_text",
    "smaa",
    "stability_intervals",
    "stability_text",
    "sweep",
]

FloatArray = NDArray[np.float64]

#: Totals are rounded to this many decimals before ranking (the engine's rule).
RANK_DECIMALS = 9
#: Candidate breakpoints closer than this (in weight) are merged.
_MERGE = 1e-10
#: Candidate breakpoints this close to 0 or 1 are the end points themselves.
_SNAP = 1e-9
#: A root with a larger imaginary part is not a candidate crossover.
_IMAG_TOL = 1e-7
#: Weight changes smaller than this are not listed in words.
_SHOWN_CHANGE = 5e-4
_FLIP_SAMPLES = 20_000
#: Under ``exclude`` every offer keeps at least this much weight on criteria it answered: with
#: none, its total is 0/0 (the engine shows 0) and "winning" would be an artefact.
_MIN_ANSWERED = 1e-6
_TAU_GRID = 33
_TAU_ZOOM = (9, 9, 9)
_RHO_ROUNDS = 4
_SAMPLED_STARTS = 2


# --------------------------------------------------------------------------------------------
# Small shared helpers
# --------------------------------------------------------------------------------------------


def pct(x: float | None) -> str:
    """A weight as a percentage in words: 0.1 -> '10 %', 0.3125 -> '31.2 %'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    s = f"{100.0 * x:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return s + " %"


def _r6(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


def _normalised(w: ArrayLike) -> FloatArray:
    v = np.asarray(w, dtype=float)
    s = v.sum()
    if not math.isfinite(s) or s <= 0 or np.any(v < 0):
        raise InputError("weights must be non-negative with a positive sum")
    return v / s


def ranking(totals: ArrayLike) -> NDArray[np.int64]:
    """Offer indices from first to last, for one (m,) or many (N, m) total vectors: totals
    rounded to 9 decimals, descending, ties to the lower index (the engine's rule)."""
    t = np.round(np.asarray(totals, dtype=float), RANK_DECIMALS)
    return np.argsort(-t, axis=-1, kind="stable")


def _criterion_index(dm: DecisionMatrix, criterion: str | int) -> int:
    """Index of a criterion by position, full name, or unique last part ('platform', 'SOV-1')."""
    if isinstance(criterion, int | np.integer):
        k = int(criterion)
        if not 0 <= k < len(dm.criteria):
            raise InputError(f"criterion index {k} out of range 0..{len(dm.criteria) - 1}")
        return k
    name = str(criterion).strip().lower()
    exact = [i for i, c in enumerate(dm.criteria) if c.lower() == name]
    if exact:
        return exact[0]
    tail = [i for i, c in enumerate(dm.criteria) if c.lower().split("/")[-1] == name]
    if len(tail) == 1:
        return tail[0]
    raise InputError(f"unknown criterion {criterion!r} (criteria: {', '.join(dm.criteria)})")


_table = table


# --------------------------------------------------------------------------------------------
# One-way path: totals as rational functions of t, exact breakpoints
# --------------------------------------------------------------------------------------------


def _path(dm: DecisionMatrix, k: int) -> tuple[FloatArray, FloatArray]:
    """Current normalised weights and the direction ``rest`` (w(t) = t e_k + (1 - t) rest)."""
    n = len(dm.criteria)
    if n < 2:
        raise InputError("one-way sensitivity needs at least two criteria")
    w = _normalised(dm.weights)
    rest = w.copy()
    rest[k] = 0.0
    s = rest.sum()
    if s <= 0:
        rest = np.ones(n)
        rest[k] = 0.0
        s = float(n - 1)
    return w, rest / s


def _weights_at(k: int, rest: FloatArray, t: ArrayLike) -> FloatArray:
    tt = np.atleast_1d(np.asarray(t, dtype=float))
    out = (1.0 - tt)[:, None] * rest[None, :]
    out[:, k] = tt
    return out


def _lin(at0: float, at1: float) -> FloatArray:
    """The polynomial (highest degree first) of the affine map t -> at0 + (at1 - at0) t."""
    return np.array([at1 - at0, at0])


def _rational(dm: DecisionMatrix, k: int, rest: FloatArray) -> list[tuple[FloatArray, FloatArray]]:
    """``(N_i, D_i)`` per offer with total_i(t) = N_i(t) / D_i(t) for t in (0, 1).

    See ``DecisionMatrix``: under ``worst`` the total is Σ w s (Σ w(t) = 1). Under ``exclude``
    every pillar not holding k keeps its internal proportions, so its score P_ip is constant and
    its weight is (1 - t) V_p; only k's pillar contributes W(t) num(t) / den(t).
    """
    s0 = np.nan_to_num(dm.scores)
    m, n = s0.shape
    out: list[tuple[FloatArray, FloatArray]] = []
    if dm.policy == "worst":
        for i in range(m):
            out.append((_lin(float(rest @ s0[i]), float(s0[i, k])), np.array([1.0])))
        return out
    avail = ~np.isnan(dm.scores)
    groups = np.asarray(dm.groups or range(n))
    pk = groups[k]
    members = groups == pk
    others = members.copy()
    others[k] = False
    vk = float(rest[members].sum())
    wpoly = _lin(vk, 1.0)
    for i in range(m):
        a, sa = avail[i].astype(float), s0[i] * avail[i]
        num_a = den_b = 0.0  # (1 - t) * num_a, (1 - t) * den_b: pillars other than k's
        for p in np.unique(groups):
            if p == pk:
                continue
            mem = groups == p
            c = float((rest * a)[mem].sum())
            if c > 0:
                vp = float(rest[mem].sum())
                num_a += vp * float((rest * sa)[mem].sum()) / c
                den_b += vp
        A, B = _lin(num_a, 0.0), _lin(den_b, 0.0)
        c_rest = float((rest * a)[others].sum())
        num = _lin(float((rest * sa)[others].sum()), float(sa[k]))
        den = _lin(c_rest, float(a[k]))
        if avail[i][members].all():  # den == W: the pillar's score times its weight is num
            N, D = np.polyadd(A, num), np.polyadd(B, wpoly)
        elif not np.any(den):  # the offer answers nothing in k's pillar on the open path
            N, D = A, B
        else:
            N = np.polyadd(np.polymul(A, den), np.polymul(wpoly, num))
            D = np.polymul(np.polyadd(B, wpoly), den)
        if not np.any(D):  # nothing answered at all: the engine's total is 0
            N, D = np.array([0.0]), np.array([1.0])
        out.append((N, D))
    return out


def _real_roots(poly: FloatArray) -> list[float]:
    """Real roots in [0, 1] of a polynomial (highest degree first), polished by Newton."""
    p = np.trim_zeros(np.asarray(poly, dtype=float), "f")
    if p.size <= 1:
        return []
    big = float(np.abs(p).max())
    while p.size > 1 and abs(p[0]) <= 1e-13 * big:
        p = p[1:]
    if p.size <= 1:
        return []
    dp = np.polyder(p)
    out: list[float] = []
    for r in np.roots(p):
        if abs(r.imag) > _IMAG_TOL or not -1e-9 <= r.real <= 1 + 1e-9:
            continue
        x = float(r.real)
        for _ in range(3):
            d = float(np.polyval(dp, x))
            if d == 0.0:
                break
            step = float(np.polyval(p, x)) / d
            if not math.isfinite(step) or abs(step) > 1e-6:
                break
            x -= step
        out.append(min(1.0, max(0.0, x)))
    return out


@dataclass(frozen=True)
class _Segments:
    """The path of one criterion cut at every candidate tie: the ranking on each piece."""

    k: int
    weight: float
    rest: FloatArray
    breaks: FloatArray  # 0 = b_0 < b_1 < ... < b_M = 1
    orders: NDArray[np.int64]  # (M, m): the ranking on (b_r, b_{r+1})
    current: NDArray[np.int64]  # ranking at the current weights


def _segments(dm: DecisionMatrix, k: int) -> _Segments:
    w, rest = _path(dm, k)
    m = len(dm.offers)
    cands: list[float] = [0.0, 1.0]
    if m >= 2:
        nd = _rational(dm, k, rest)
        for i in range(m):
            for j in range(i + 1, m):
                left = np.polymul(nd[i][0], nd[j][1])
                right = np.polymul(nd[j][0], nd[i][1])
                diff = np.polysub(left, right)
                scale = max(float(np.abs(left).max()), float(np.abs(right).max()), 1.0)
                if float(np.abs(diff).max()) <= 1e-12 * scale:
                    continue  # identical along the whole path: tied everywhere
                cands.extend(_real_roots(diff))
    snapped = sorted(0.0 if c <= _SNAP else 1.0 if c >= 1.0 - _SNAP else c for c in cands)
    breaks = [snapped[0]]
    for c in snapped[1:]:
        if c - breaks[-1] > _MERGE:
            breaks.append(c)
    breaks[-1] = 1.0  # 1.0 is a candidate: the last kept point is within _MERGE of it
    b = np.asarray(breaks)
    mids = (b[:-1] + b[1:]) / 2.0
    totals = np.atleast_2d(dm.totals(_weights_at(k, rest, mids)))
    orders = ranking(totals)
    current = ranking(dm.totals(w))
    return _Segments(k, float(w[k]), rest, b, orders, current)


def _stable_range(seg: _Segments, same: NDArray[np.bool_]) -> tuple[float, float]:
    """The closed interval of t around the current weight over which ``same`` holds."""
    t0, b = seg.weight, seg.breaks
    M = len(b) - 1
    touching = [r for r in range(M) if b[r] - _MERGE <= t0 <= b[r + 1] + _MERGE]
    good = [r for r in touching if same[r]]
    if not good:
        return t0, t0
    lo_r, hi_r = min(good), max(good)
    while lo_r > 0 and same[lo_r - 1]:
        lo_r -= 1
    while hi_r < M - 1 and same[hi_r + 1]:
        hi_r += 1
    return float(b[lo_r]), float(b[hi_r + 1])


@dataclass(frozen=True)
class Crossover:
    """A point of the path where the leader changes: ``before`` leads just below ``weight``,
    ``after`` just above; both have ``total`` there."""

    weight: float
    before: str
    after: str
    total: float

    def words(self, criterion: str) -> str:
        return f"at {criterion} {pct(self.weight)}: {self.before} -> {self.after}"

    def to_json(self) -> dict[str, Any]:
        return {"weight": _r6(self.weight), "from": self.before, "to": self.after,
                "total": _r6(self.total)}


@dataclass(frozen=True)
class RankingChange:
    """A point of the path where the full ranking changes (``before`` / ``after``: best first)."""

    weight: float
    before: tuple[str, ...]
    after: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"weight": _r6(self.weight), "from": list(self.before), "to": list(self.after)}


def _changes(dm: DecisionMatrix, seg: _Segments) -> tuple[list[Crossover], list[RankingChange]]:
    cross: list[Crossover] = []
    ranks: list[RankingChange] = []
    names = dm.offers
    for r in range(1, len(seg.breaks) - 1):
        a, b = seg.orders[r - 1], seg.orders[r]
        t = float(seg.breaks[r])
        if not np.array_equal(a, b):
            ranks.append(RankingChange(t, tuple(names[i] for i in a), tuple(names[i] for i in b)))
        if a[0] != b[0]:
            tot = dm.totals(_weights_at(seg.k, seg.rest, t)[0])
            cross.append(Crossover(t, names[a[0]], names[b[0]],
                                   float((tot[a[0]] + tot[b[0]]) / 2.0)))
    return cross, ranks


@dataclass(frozen=True, eq=False)
class OneWay:
    """One-way sensitivity of the totals to one criterion's weight (see the module docstring).

    ``t`` (steps,) is the criterion's weight along the path, ``totals`` (steps, m) and ``ranks``
    (steps, m, 1 = first) the engine's totals and ranks there; ``crossovers`` are the exact
    points where the leader changes and ``ranking_changes`` those where any two offers swap.
    ``weights_at(t)`` gives the full weight vector at a point of the path.
    """

    criterion: str
    index: int
    weight: float
    rest: tuple[float, ...]
    offers: tuple[str, ...]
    t: FloatArray
    totals: FloatArray
    ranks: NDArray[np.int64]
    crossovers: tuple[Crossover, ...]
    ranking_changes: tuple[RankingChange, ...]

    def weights_at(self, t: ArrayLike) -> FloatArray:
        return _weights_at(self.index, np.asarray(self.rest), t)

    def to_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion, "weight": _r6(self.weight),
            "t": [_r6(x) for x in self.t],
            "totals": {o: [_r6(x) for x in self.totals[:, i]] for i, o in enumerate(self.offers)},
            "ranks": {o: [int(x) for x in self.ranks[:, i]] for i, o in enumerate(self.offers)},
            "crossovers": [c.to_json() for c in self.crossovers],
            "ranking_changes": [c.to_json() for c in self.ranking_changes],
        }


def one_way(dm: DecisionMatrix, criterion: str | int, steps: int = 101) -> OneWay:
    """Totals and ranks of every offer as ``criterion``'s weight moves from 0 to 1, the others
    rescaled proportionally, with the exact crossover points where the leader changes."""
    if steps < 2:
        raise InputError("steps must be at least 2")
    k = _criterion_index(dm, criterion)
    seg = _segments(dm, k)
    t = np.linspace(0.0, 1.0, steps)
    totals = np.atleast_2d(dm.totals(_weights_at(k, seg.rest, t)))
    order = ranking(totals)
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, order.shape[1] + 1)[None, :], axis=1)
    cross, rank_changes = _changes(dm, seg)
    for a in (t, totals, ranks):
        a.setflags(write=False)
    return OneWay(dm.criteria[k], k, seg.weight, tuple(float(x) for x in seg.rest), dm.offers,
                  t, totals, ranks, tuple(cross), tuple(rank_changes))


def sweep(dm: DecisionMatrix, steps: int = 101) -> tuple[OneWay, ...]:
    """``one_way`` for every criterion (or pillar) of the matrix."""
    return tuple(one_way(dm, k, steps) for k in range(len(dm.criteria)))


# --------------------------------------------------------------------------------------------
# Stability intervals
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StabilityInterval:
    """For one criterion: the exact interval of its weight (others rescaled proportionally)
    around the current ``weight`` where the leader stays ``leader`` ([leader_lo, leader_hi])
    and where the whole ranking stays the same ([ranking_lo, ranking_hi]); closed intervals."""

    criterion: str
    weight: float
    leader: str | None
    leader_lo: float
    leader_hi: float
    ranking_lo: float
    ranking_hi: float
    crossovers: tuple[Crossover, ...] = ()

    def words(self) -> str:
        if self.leader is None:
            return f"{self.criterion}: no eligible offer"
        if self.leader_lo <= 0.0 and self.leader_hi >= 1.0:
            lead = f"{self.leader} leads whatever the weight of {self.criterion}"
        else:
            lead = (f"{self.leader} leads while {self.criterion} weighs between "
                    f"{pct(self.leader_lo)} and {pct(self.leader_hi)}")
        return f"{lead} (now {pct(self.weight)})"

    def to_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion, "weight": _r6(self.weight), "leader": self.leader,
            "leader_interval": [_r6(self.leader_lo), _r6(self.leader_hi)],
            "ranking_interval": [_r6(self.ranking_lo), _r6(self.ranking_hi)],
            "crossovers": [c.to_json() for c in self.crossovers],
        }


def stability_intervals(dm: DecisionMatrix) -> tuple[StabilityInterval, ...]:
    """For each criterion, the exact weight interval keeping (a) the leader, (b) the ranking."""
    if len(dm.criteria) < 2:
        return ()
    out: list[StabilityInterval] = []
    for k in range(len(dm.criteria)):
        w = _normalised(dm.weights)
        if not dm.offers:
            out.append(StabilityInterval(dm.criteria[k], float(w[k]), None, 0.0, 1.0, 0.0, 1.0))
            continue
        seg = _segments(dm, k)
        same_leader = seg.orders[:, 0] == seg.current[0]
        same_rank = np.all(seg.orders == seg.current[None, :], axis=1)
        llo, lhi = _stable_range(seg, same_leader)
        rlo, rhi = _stable_range(seg, same_rank)
        cross, _ = _changes(dm, seg)
        out.append(StabilityInterval(dm.criteria[k], seg.weight, dm.offers[seg.current[0]],
                                     llo, lhi, rlo, rhi, tuple(cross)))
    return tuple(out)


def stability_text(intervals: Sequence[StabilityInterval]) -> str:
    """A table of the stability intervals, then each crossover in words."""
    rows = [[s.criterion, pct(s.weight), f"{pct(s.leader_lo)} - {pct(s.leader_hi)}",
             f"{pct(s.ranking_lo)} - {pct(s.ranking_hi)}",
             ", ".join(f"{pct(c.weight)}: {c.before}->{c.after}" for c in s.crossovers) or "none"]
            for s in intervals]
    return _table(rows, ["criterion", "weight", "same leader", "same ranking",
                         "leader changes at"])


# --------------------------------------------------------------------------------------------
# Flip: the smallest weight change that makes an offer first (LP, pulp + HiGHS)
# --------------------------------------------------------------------------------------------


_BANNER_SILENCED = False


def _solve(prob: Any) -> str:
    """Solve with pulp's HiGHS, silently. HiGHS prints a banner on C stdout when the first
    solver instance of the process is created, which would corrupt ``--json`` output: that first
    solve runs with file descriptor 1 sent to /dev/null."""
    import pulp

    global _BANNER_SILENCED
    solver = pulp.HiGHS(msg=False, primal_feasibility_tolerance=1e-10,
                        dual_feasibility_tolerance=1e-10)
    if _BANNER_SILENCED:
        prob.solve(solver)
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                prob.solve(solver)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SILENCED = True
    return str(pulp.LpStatus[prob.status])


def _lp_min_l1(w: FloatArray, lo: FloatArray, hi: FloatArray, rows: FloatArray,
               rhs: FloatArray) -> FloatArray | None:
    """argmin Σ|x − w| over lo ≤ x ≤ hi, Σx = 1, rows @ x ≥ rhs (None when infeasible)."""
    import pulp

    n = len(w)
    prob = pulp.LpProblem("flip", pulp.LpMinimize)
    x = [prob.add_variable(f"w{k}", float(lo[k]), float(hi[k])) for k in range(n)]
    d = [prob.add_variable(f"d{k}", 0.0) for k in range(n)]
    expr, ge, eq = pulp.LpAffineExpression, pulp.LpConstraintGE, pulp.LpConstraintEQ
    prob += expr([(dk, 1.0) for dk in d])
    prob += pulp.LpConstraint(expr([(xk, 1.0) for xk in x]), eq, rhs=1.0)
    for k in range(n):  # d_k >= |x_k - w_k|
        prob += pulp.LpConstraint(expr([(d[k], 1.0), (x[k], -1.0)]), ge, rhs=-float(w[k]))
        prob += pulp.LpConstraint(expr([(d[k], 1.0), (x[k], 1.0)]), ge, rhs=float(w[k]))
    for r in range(rows.shape[0]):
        terms = [(x[k], float(rows[r, k])) for k in np.flatnonzero(rows[r])]
        prob += pulp.LpConstraint(expr(terms), ge, rhs=float(rhs[r]))
    if _solve(prob) != "Optimal":
        return None
    v = np.array([xk.value() or 0.0 for xk in x], dtype=float)
    v = np.clip(v, lo, hi)
    return v / v.sum()


@dataclass(frozen=True)
class WeightChange:
    """One criterion's weight before and after the flip."""

    criterion: str
    before: float
    after: float

    def words(self) -> str:
        return f"{self.criterion} {pct(self.before)} → {pct(self.after)}"

    def to_json(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "before": _r6(self.before), "after": _r6(self.after)}


@dataclass(frozen=True)
class FlipResult:
    """The smallest change of the weights (L1 distance) that makes ``offer`` rank first.

    ``possible`` is False when no admissible weight vector does it (``reason`` says why:
    dominated, excluded by gates, bounds). ``distance`` = Σ|w' − w| (twice the weight moved);
    ``changes`` lists the criteria whose weight moves (largest first); ``totals_after`` are the
    engine's totals at ``weights_after``. ``exact`` is True when the answer is proven minimal
    (or proven impossible); ``method`` names how it was found.
    """

    offer: str
    possible: bool
    reason: str
    criteria: tuple[str, ...]
    weights_before: tuple[float, ...]
    weights_after: tuple[float, ...] | None
    distance: float | None
    changes: tuple[WeightChange, ...]
    totals_after: tuple[tuple[str, float], ...] | None
    method: str
    exact: bool
    margin: float

    def words(self) -> str:
        if not self.possible:
            return f"{self.offer} cannot rank first: {self.reason}"
        if not self.changes:
            return f"{self.offer} {self.reason}"
        moved = (self.distance or 0.0) / 2.0
        head = (f"{self.offer} would rank first had the weights been moved by {pct(moved)} "
                f"(L1 distance {self.distance:.4f}): ")
        tail = ("" if self.exact else " [minimal up to the threshold search]"
                if self.method == "lp-threshold-search" else " [smallest change found, not "
                "proven minimal]")
        return head + "; ".join(c.words() for c in self.changes) + tail

    def to_json(self) -> dict[str, Any]:
        return {
            "offer": self.offer, "possible": self.possible, "reason": self.reason,
            "distance": _r6(self.distance),
            "moved": None if self.distance is None else _r6(self.distance / 2.0),
            "method": self.method, "exact": self.exact, "margin": self.margin,
            "weights_before": {c: _r6(x) for c, x in zip(self.criteria, self.weights_before,
                                                          strict=True)},
            "weights_after": None if self.weights_after is None else {
                c: _r6(x) for c, x in zip(self.criteria, self.weights_after, strict=True)},
            "changes": [c.to_json() for c in self.changes],
            "totals_after": None if self.totals_after is None else {
                o: _r6(t) for o, t in self.totals_after},
            "words": self.words(),
        }


def _bounds(dm: DecisionMatrix, bounds: Mapping[str, tuple[float, float]] | ArrayLike | None
            ) -> tuple[FloatArray, FloatArray]:
    n = len(dm.criteria)
    lo, hi = np.zeros(n), np.ones(n)
    if bounds is None:
        return lo, hi
    if isinstance(bounds, Mapping):
        for name, (a, b) in bounds.items():
            k = _criterion_index(dm, name)
            lo[k], hi[k] = float(a), float(b)
    else:
        arr = np.asarray(bounds, dtype=float)
        if arr.shape != (n, 2):
            raise InputError(f"bounds must be {n} × [lower, upper], got shape {arr.shape}")
        lo, hi = arr[:, 0].copy(), arr[:, 1].copy()
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))) or np.any(lo < 0) \
            or np.any(hi > 1) or np.any(lo > hi):
        raise InputError("weight bounds must satisfy 0 <= lower <= upper <= 1")
    if lo.sum() > 1 + 1e-12 or hi.sum() < 1 - 1e-12:
        raise InputError("weight bounds are infeasible: no weights summing to 1 fit them")
    return lo, hi


def _lead(totals: FloatArray, o: int) -> float:
    """How far offer o is ahead of the best other offer (negative: behind)."""
    others = np.delete(totals, o)
    return float(totals[o] - others.max()) if others.size else math.inf


def _first(dm: DecisionMatrix, w: FloatArray, o: int, margin: float) -> bool:
    if dm.policy == "exclude":
        answered = (~np.isnan(dm.scores)).astype(float) @ w
        if np.any(answered < _MIN_ANSWERED * (1 - 1e-6)):
            return False
    t = dm.totals(w)
    if margin > 0:
        return _lead(t, o) >= margin * (1 - 1e-6) and int(ranking(t)[0]) == o
    return _lead(t, o) >= -1e-9


def _dominator(dm: DecisionMatrix, o: int) -> str | None:
    """Why o cannot be first, if another offer is at least as good on every criterion with the
    same answered criteria (then no weights, under either policy, put o strictly ahead)."""
    avail = ~np.isnan(dm.scores)
    s0 = np.nan_to_num(dm.scores)
    for j in range(len(dm.offers)):
        if j == o:
            continue
        same_pattern = dm.policy == "worst" or np.array_equal(avail[j], avail[o])
        if same_pattern and np.all(s0[j] >= s0[o]):
            if np.array_equal(s0[j], s0[o]):
                return (f"scores identical to {dm.offers[j]} (same criteria answered), so it "
                        "can at best tie with it")
            return (f"dominated by {dm.offers[j]} (no better on any criterion, same criteria "
                    "answered), so no weights can put it ahead")
    return None


def _exclude_rows(dm: DecisionMatrix, o: int, tau: float, margin: float,
                  rho: FloatArray) -> FloatArray:
    """Rows r @ w >= 0 for total_o >= tau and total_j <= tau - margin, with each pillar's
    ratio rho[i, p] = (pillar weight) / (answered weight of the pillar) held fixed; then one
    row per offer for its answered weight (>= _MIN_ANSWERED)."""
    avail = ~np.isnan(dm.scores)
    s0 = np.nan_to_num(dm.scores)
    groups = np.asarray(dm.groups or range(len(dm.criteria)))
    coef = avail * rho[:, groups]  # (m, n)
    rows = [coef[o] * (s0[o] - tau)]
    for j in range(len(dm.offers)):
        if j != o:
            rows.append(-coef[j] * (s0[j] - (tau - margin)))
    return np.vstack([np.asarray(rows), avail.astype(float)])


def _rho(dm: DecisionMatrix, w: FloatArray) -> FloatArray:
    avail = (~np.isnan(dm.scores)).astype(float)
    groups = np.asarray(dm.groups or range(len(dm.criteria)))
    g = np.zeros((len(dm.criteria), int(groups.max()) + 1))
    g[np.arange(len(dm.criteria)), groups] = 1.0
    wp = w @ g  # (P,)
    den = (avail * w) @ g  # (m, P)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, wp[None, :] / den, 1.0)


def _linearisation_exact(dm: DecisionMatrix) -> bool:
    """True when every offer answers each pillar fully or not at all (rho is then constant)."""
    avail = ~np.isnan(dm.scores)
    groups = np.asarray(dm.groups or range(len(dm.criteria)))
    for p in np.unique(groups):
        sub = avail[:, groups == p]
        if np.any(sub.any(axis=1) & ~sub.all(axis=1)):
            return False
    return True


def _tau_search(dm: DecisionMatrix, o: int, w: FloatArray, lo: FloatArray, hi: FloatArray,
                margin: float, rho: FloatArray, extra: Sequence[float]) -> FloatArray | None:
    """Min L1 over thresholds tau: a grid, then three zooms around the best tau."""
    avail = ~np.isnan(dm.scores[o])
    s = dm.scores[o][avail]
    t_lo, t_hi = float(s.min()), float(s.max())
    cache: dict[float, FloatArray | None] = {}

    def solve(tau: float) -> FloatArray | None:
        key = round(tau, 12)
        if key not in cache:
            m = len(dm.offers)
            rhs = np.concatenate([np.zeros(m), np.full(m, _MIN_ANSWERED)])
            cache[key] = _lp_min_l1(w, lo, hi, _exclude_rows(dm, o, tau, margin, rho), rhs)
        return cache[key]

    def value(tau: float) -> float:
        x = solve(tau)
        return math.inf if x is None else float(np.abs(x - w).sum())

    taus = list(np.linspace(t_lo, t_hi, _TAU_GRID)) + [float(t) for t in extra
                                                       if t_lo <= t <= t_hi]
    best = min(taus, key=value)
    if math.isinf(value(best)):
        return None
    step = (t_hi - t_lo) / (_TAU_GRID - 1)
    for pts in _TAU_ZOOM:
        a, b = max(t_lo, best - step), min(t_hi, best + step)
        grid = list(np.linspace(a, b, pts))
        best = min([best, *grid], key=value)
        step = (b - a) / (pts - 1)
    return solve(best)


def flip(
    dm: DecisionMatrix,
    offer: str,
    *,
    margin: float = 1e-6,
    bounds: Mapping[str, tuple[float, float]] | ArrayLike | None = None,
    excluded_by: Sequence[str] = (),
    samples: int = _FLIP_SAMPLES,
    seed: int = 0,
) -> FlipResult:
    """The smallest L1 change of the weight vector that makes ``offer`` rank first.

    Subject to ``w' >= 0``, ``Σ w' = 1`` and the optional per-criterion ``bounds`` (a mapping
    criterion -> (lower, upper), or an (n, 2) array). ``margin`` is the lead, in points of the
    0–100 total, by which the offer must beat every other offer (default 1e-6): with 0, a tie at
    the boundary is accepted (and the engine would break it by offer order). An offer not in
    ``dm.offers`` is excluded by the gates (``excluded_by`` names them) and cannot rank first.
    Under ``exclude`` every offer must keep at least 1e-6 of weight on criteria it answered
    (otherwise its total is 0/0, shown as 0 by the engine, and "beating" it is an artefact).
    ``samples`` and ``seed`` drive the sampled fallback of the ``exclude`` policy (see the
    module docstring). Every answer is re-scored with ``dm.totals``.
    """
    crit = dm.criteria
    w = _normalised(dm.weights)
    before = tuple(float(x) for x in w)
    if margin < 0 or not math.isfinite(margin):
        raise InputError("margin must be a non-negative number of points")

    def impossible(reason: str, method: str, exact: bool) -> FlipResult:
        return FlipResult(offer, False, reason, crit, before, None, None, (), None, method,
                          exact, margin)

    if offer not in dm.offers:
        gates = f" ({', '.join(excluded_by)})" if excluded_by else ""
        return impossible(f"{offer} is excluded by the gates{gates}: only eligible offers are "
                          "ranked, so no weights can make it first", "gates", True)
    o = dm.offers.index(offer)
    lo, hi = _bounds(dm, bounds)

    def done(w2: FloatArray, method: str, exact: bool, reason: str = "") -> FlipResult:
        tot = dm.totals(w2)
        changes = sorted((WeightChange(crit[k], float(w[k]), float(w2[k]))
                          for k in range(len(crit)) if abs(w2[k] - w[k]) >= _SHOWN_CHANGE),
                         key=lambda c: -abs(c.after - c.before))
        lead = _lead(tot, o)
        why = reason or (f"ranks first with a lead of {lead:.6f} points" if lead > 1e-9 else
                         "ties for first place at the boundary")
        return FlipResult(offer, True, why, crit, before, tuple(float(x) for x in w2),
                          float(np.abs(w2 - w).sum()), tuple(changes),
                          tuple((dm.offers[i], float(tot[i])) for i in range(len(dm.offers))),
                          method, exact, margin)

    in_bounds = bool(np.all(w >= lo - 1e-12) and np.all(w <= hi + 1e-12))
    if in_bounds and (len(dm.offers) == 1 or _first(dm, w, o, margin)):
        return done(w, "current", True, "already ranks first at the current weights")
    dom = _dominator(dm, o) if margin > 0 else None
    if dom is not None:
        return impossible(dom, "dominance", True)

    linear = dm.policy == "worst" or not np.isnan(dm.scores).any()
    bound_note = " within the given bounds" if bounds is not None else ""
    if linear:
        s0 = np.nan_to_num(dm.scores)
        rows = s0[o][None, :] - np.delete(s0, o, axis=0)
        for bump in (0.0, 1e-7, 1e-6, 1e-5):
            w2 = _lp_min_l1(w, lo, hi, rows, np.full(rows.shape[0], margin + bump))
            if w2 is None:
                return impossible(f"no weight vector{bound_note} puts it ahead of every other "
                                  f"offer by {margin:g} points", "lp", True)
            if _first(dm, w2, o, margin):
                return done(w2, "lp", bump == 0.0)
        return impossible("the LP answer did not survive re-scoring (numerical trouble)",
                          "lp", False)

    # exclude policy with missing answers: threshold search on the linearised LP
    exact_lin = _linearisation_exact(dm)
    best: FlipResult | None = None

    def consider(w2: FloatArray | None, method: str, exact: bool) -> FloatArray | None:
        nonlocal best
        if w2 is None or not _first(dm, w2, o, margin):
            return None
        cand = done(w2, method, exact)
        if best is None or (cand.distance or 0.0) < (best.distance or 0.0) - 1e-12:
            best = cand
        return w2

    def rounds(start: FloatArray, method: str, n_rounds: int) -> None:
        ref = start
        cur = dm.totals(start)
        extra = [float(cur[o]), float(np.delete(cur, o).max() + margin)]
        for _ in range(1 if exact_lin else n_rounds):
            w2 = None
            # A bigger margin helps only against solver tolerance, i.e. when rho is exact.
            for bump in (0.0, 1e-6, 1e-5) if exact_lin else (0.0,):
                w2 = _tau_search(dm, o, w, lo, hi, margin + bump, _rho(dm, ref), extra)
                if w2 is None or consider(w2, method, False) is not None:
                    break
            if w2 is None or float(np.abs(w2 - ref).sum()) < 1e-9:
                break
            ref = w2
            extra = [float(dm.totals(w2)[o])]

    rounds(w, "lp-threshold-search" if exact_lin else "lp-linearised", _RHO_ROUNDS)
    if best is None or not exact_lin:
        # Sampled starts: always when the linearisation is inexact (the rounds from w can stall
        # in a local answer), otherwise only when nothing was found.
        from .smaa import sample_weights

        W = sample_weights(len(crit), samples, seed, np.column_stack([lo, hi])
                           if bounds is not None else None)
        T = dm.totals(W)
        others = np.delete(T, o, axis=1).max(axis=1)
        answered = W @ (~np.isnan(dm.scores)).astype(float).T  # (samples, m)
        ok = ((T[:, o] - others >= max(margin, 1e-9)) & (ranking(T)[:, 0] == o)
              & np.all(answered >= _MIN_ANSWERED, axis=1))
        if ok.any():
            dist = np.abs(W[ok] - w).sum(axis=1)
            for r in np.argsort(dist, kind="stable")[:_SAMPLED_STARTS]:
                start = W[ok][r]
                consider(start, "sampled", False)
                rounds(start, "sampled+lp", 2)
    if best is not None:
        return best
    return impossible(f"no weight vector{bound_note} found that puts it ahead of every other "
                      f"offer by {margin:g} points (linearised LP over the threshold, then "
                      f"{samples:,} sampled weight vectors; under the exclude policy this is "
                      "not a proof)", "lp-threshold-search+sampled", False)


def flip_text(res: FlipResult) -> str:
    """The flip answer in words, then the weights before and after, then the new totals."""
    lines = [res.words()]
    if res.possible and res.weights_after is not None and res.changes:
        rows = [[c, pct(b), pct(a), f"{100 * (a - b):+.1f}"]
                for c, b, a in zip(res.criteria, res.weights_before, res.weights_after,
                                   strict=True)]
        lines += ["", _table(rows, ["criterion", "weight now", "weight needed", "change (pts)"])]
        if res.totals_after:
            tot = sorted(res.totals_after, key=lambda x: -x[1])
            lines += ["", "Totals at these weights: "
                      + ", ".join(f"{o} {t:.2f}" for o, t in tot)]
        proof = "proven minimal" if res.exact else "not proven minimal"
        lines.append(f"Method: {res.method} ({proof}); margin {res.margin:g} points.")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# SMAA-2
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SmaaSummary:
    """SMAA-2 over the decision matrix (``scoring.smaa.SmaaResult`` plus names).

    ``acceptability[i, r]``: share of sampled weights giving offer i rank r + 1;
    ``central_weights[i]``: mean weights making i first (NaN if it never is);
    ``confidence[i]``: share of samples where i wins at its central weights (1/0 without
    utility noise). ``engine`` is ``smaa2`` or ``totals`` (the chunked exclude-policy loop).
    """

    offers: tuple[str, ...]
    criteria: tuple[str, ...]
    acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    n_samples: int
    seed: int
    engine: str

    def to_json(self) -> dict[str, Any]:
        return {
            "samples": self.n_samples, "seed": self.seed, "engine": self.engine,
            "acceptability": {o: [_r6(x) for x in self.acceptability[i]]
                              for i, o in enumerate(self.offers)},
            "central_weights": {
                o: None if np.isnan(self.central_weights[i]).all() else
                {c: _r6(x) for c, x in zip(self.criteria, self.central_weights[i], strict=True)}
                for i, o in enumerate(self.offers)},
            "confidence": {o: _r6(self.confidence[i]) for i, o in enumerate(self.offers)},
        }


def _bounds_array(dm: DecisionMatrix, weight_bounds: Any) -> FloatArray | None:
    if weight_bounds is None:
        return None
    lo, hi = _bounds(dm, weight_bounds)
    return np.column_stack([lo, hi])


def _order_indices(dm: DecisionMatrix, order: Sequence[str | int] | None) -> list[int] | None:
    return None if order is None else [_criterion_index(dm, c) for c in order]


def smaa(
    dm: DecisionMatrix,
    samples: int = 10_000,
    seed: int | None = 0,
    *,
    weight_bounds: Mapping[str, tuple[float, float]] | ArrayLike | None = None,
    weight_order: Sequence[str | int] | None = None,
    utility_sd: ArrayLike | None = None,
    chunk_size: int = 10_000,
    engine: str = "auto",
) -> SmaaSummary:
    """SMAA-2 on the decision matrix, seeded (same arguments → identical result, bit for bit).

    ``engine="auto"`` uses ``scoring.smaa.smaa2`` on the scores (NaN -> 0) when the totals are
    linear in the weights (``worst`` policy, or nothing missing), and otherwise the ``totals``
    loop: the same weight stream (``scoring.smaa.sample_weights``: the sample is drawn whole,
    8·n bytes per sample) scored chunk by chunk with ``dm.totals``, ranked by the engine's rule,
    central weights accumulated exactly as smaa2 does. Utility noise (``utility_sd``) needs the
    linear case. Bounds and order may name criteria.
    """
    from .smaa import sample_weights, smaa2

    m, n = dm.scores.shape
    if m == 0:
        raise InputError("no eligible offer: nothing to rank")
    samples, chunk_size = int(samples), int(chunk_size)
    if samples < 1 or chunk_size < 1:
        raise InputError("samples and chunk_size must be at least 1")
    bounds = _bounds_array(dm, weight_bounds)
    order = _order_indices(dm, weight_order)
    linear = dm.policy == "worst" or not np.isnan(dm.scores).any()
    if engine not in ("auto", "smaa2", "totals"):
        raise InputError("engine must be auto, smaa2 or totals")
    use = ("smaa2" if linear else "totals") if engine == "auto" else engine
    if use == "smaa2" and not linear:
        raise InputError("smaa2 needs totals linear in the weights: with the exclude policy and "
                         "missing answers use engine='totals'")
    try:
        if use == "smaa2":
            r = smaa2(np.nan_to_num(dm.scores), n_samples=samples, seed=seed,
                      weight_bounds=bounds, weight_order=order, utility_sd=utility_sd,
                      chunk_size=chunk_size)
            return SmaaSummary(dm.offers, dm.criteria, r.acceptability, r.central_weights,
                               r.confidence, r.n_samples, r.seed, "smaa2")
        if utility_sd is not None and np.any(np.asarray(utility_sd, dtype=float) > 0):
            raise InputError("utility noise is supported only when the totals are linear "
                             "(worst policy or no missing answer)")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy)
        W = sample_weights(n, samples, seed, bounds, order)
    except InputError:
        raise
    except ValueError as exc:
        raise InputError(str(exc)) from None
    grid = float(2 ** (53 - samples.bit_length()))
    counts = np.zeros(m * m, dtype=np.int64)
    sums = np.zeros(m * n, dtype=np.float64)
    pos = np.arange(m, dtype=np.int64)
    crit = np.arange(n, dtype=np.int64)
    for start in range(0, samples, chunk_size):
        wc = W[start:start + chunk_size]
        order_ = ranking(np.atleast_2d(dm.totals(wc)))  # (k, m): offer at each rank
        counts += np.bincount((order_ * m + pos).ravel(), minlength=m * m)
        q = wc * grid
        np.rint(q, out=q)
        sums += np.bincount((order_[:, 0][:, None] * n + crit).ravel(), weights=q.ravel(),
                            minlength=m * n)
    cnt = counts.reshape(m, m)
    wins = cnt[:, 0]
    central = np.full((m, n), np.nan)
    won = wins > 0
    central[won] = sums.reshape(m, n)[won] / (wins[won, None] * grid)
    conf = np.full(m, np.nan)
    idx = np.flatnonzero(won)
    if idx.size:
        lead = ranking(np.atleast_2d(dm.totals(central[idx])))[:, 0]
        conf[idx] = (lead == idx).astype(float)
    acc = cnt / samples
    for a in (acc, central, conf):
        a.setflags(write=False)
    return SmaaSummary(dm.offers, dm.criteria, acc, central, conf, samples, int(seed), "totals")


def acceptability_text(s: SmaaSummary) -> str:
    """Rank acceptability indices (offers × ranks, in %) with the confidence factors."""
    m = len(s.offers)
    rows = [[o, *[f"{100 * s.acceptability[i, r]:.1f}" for r in range(m)],
             "-" if math.isnan(s.confidence[i]) else f"{100 * s.confidence[i]:.0f}"]
            for i, o in enumerate(s.offers)]
    return _table(rows, ["offer", *[f"rank {r + 1} %" for r in range(m)], "confidence %"])


def central_weights_text(s: SmaaSummary) -> str:
    """Central weight vectors (the average weights making each offer first), in %."""
    short = [c.split("/")[-1] for c in s.criteria]
    rows = [[o, *(["never first"] + [""] * (len(short) - 1)
                  if np.isnan(s.central_weights[i]).all()
                  else [f"{100 * x:.1f}" for x in s.central_weights[i]])]
            for i, o in enumerate(s.offers)]
    return _table(rows, ["offer", *short])


# --------------------------------------------------------------------------------------------
# Rank reversal
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reversal:
    """With ``removed`` present, ``ahead_before`` ranks above ``ahead_after``; without it, the
    other way round."""

    removed: str
    ahead_before: str
    ahead_after: str
    cause: str = ""

    def words(self) -> str:
        return (f"removing {self.removed} puts {self.ahead_after} ahead of {self.ahead_before}"
                + (f" ({self.cause})" if self.cause else ""))

    def to_json(self) -> dict[str, Any]:
        return {"removed": self.removed, "ahead_before": self.ahead_before,
                "ahead_after": self.ahead_after, "cause": self.cause}


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

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method, "basis": self.basis, "order": list(self.order),
            "checks": [{"removed": c.removed, "before": list(c.before), "after": list(c.after)}
                       for c in self.checks],
            "reversals": [r.to_json() for r in self.reversals], "notes": list(self.notes),
        }


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
    if method == "wsm":
        t = dm.totals()[sub]
    else:
        from .methods.topsis import topsis

        w = _normalised(dm.weights)
        use = w > 0
        mat = np.nan_to_num(dm.scores[np.ix_(sub, np.flatnonzero(use))])
        t = np.asarray(topsis(mat, w[use], np.ones(int(use.sum()), dtype=bool)).closeness) * 100
    return [sub[i] for i in ranking(t)]


def rank_reversal_check(ev_or_dm: Evaluation | DecisionMatrix, method: str = "wsm"
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
    if method not in ("wsm", "topsis"):
        raise InputError("method must be wsm or topsis")
    if isinstance(ev_or_dm, DecisionMatrix):
        dm = ev_or_dm
        full = _dm_order(dm, method, range(len(dm.offers)))
        order = tuple(dm.offers[i] for i in full)
        checks: list[RemovalCheck] = []
        revs: list[Reversal] = []
        cause = ("TOPSIS normalises by the column norms and takes its ideal points from the "
                 "offers present" if method == "topsis" else "")
        for x in range(len(dm.offers)):
            keep = [i for i in range(len(dm.offers)) if i != x]
            before = tuple(dm.offers[i] for i in full if i != x)
            after = tuple(dm.offers[i] for i in _dm_order(dm, method, keep))
            checks.append(RemovalCheck(dm.offers[x], before, after))
            revs += _pair_reversals(dm.offers[x], before, after, cause)
        notes = ["decision matrix: scores frozen as computed against the full set of offers "
                 "(including the cost note)"]
        if method == "wsm":
            notes.append("weighted sum on fixed utility scales: the order of the others cannot "
                         "change")
        return RankReversalReport(method, "decision matrix", order, tuple(checks), tuple(revs),
                                  tuple(notes))

    from .engine import evaluate

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
        x = r.offer.offer_id
        rest_ev = evaluate(ev.scenario, [q.offer for q in base.results
                                         if q.offer.offer_id != x],
                           method=method, scenario_file=ev.scenario_file)
        before = tuple(o for o in order if o != x)
        after = tuple(q.offer.offer_id for q in rest_ev.results if q.rank is not None)
        checks.append(RemovalCheck(x, before, after))
        if method == "topsis":
            cause = ("TOPSIS normalises by the column norms and takes its ideal points from the "
                     "offers present")
        elif cheapest is not None and x == cheapest.offer.offer_id:
            cause = "the cost note is re-computed against a new cheapest offer"
        elif (dearest is not None and x == dearest.offer.offer_id
              and ev.scenario.price_formula.kind == "linear"):
            cause = "the linear cost note is re-computed against a new dearest offer"
        else:
            cause = "the cost note's reference changed"
        revs += _pair_reversals(x, before, after, cause)
    notes = ["engine re-run without each eligible offer (excluded offers take no part in the "
             "ranking, the cost reference or TOPSIS)",
             "removing X from the full set = adding X to the set without it"]
    if method == "wsm":
        notes.append("weighted sum: utilities are absolute 0-100 scales, except the cost note, "
                     "which depends on the cheapest eligible offer "
                     f"({cheapest.offer.offer_id if cheapest else 'none costable'})")
    return RankReversalReport(method, "evaluation", order, tuple(checks), tuple(revs),
                              tuple(notes))


def reversal_text(rep: RankReversalReport) -> str:
    """The rank-reversal report in words."""
    head = (f"Rank reversal ({rep.method}, {rep.basis}): "
            + ("none found" if not rep.found else f"{len(rep.reversals)} found"))
    lines = [head, *[f"  - {r.words()}" for r in rep.reversals],
             *[f"  note: {n}" for n in rep.notes]]
    return "\n".join(lines)
