"""VIKOR: the compromise ranking of Opricovic, with its two acceptance conditions.

References:
    S. Opricovic, *Multicriteria Optimization of Civil Engineering Systems*, Faculty of Civil
    Engineering, Belgrade, 1998 (the method).
    S. Opricovic and G.-H. Tzeng, "Compromise solution by MCDM methods: A comparative analysis
    of VIKOR and TOPSIS", *European Journal of Operational Research* 156(2):445–455, 2004 —
    section 2 (steps a–e, conditions C1 and C2, the compromise set) and section 4 (the
    mountain-climbing example, Tables 1–3: the test oracle).

What is computed, for m alternatives, n criteria and weights w summing to 1. With ``f*_j`` the
best and ``f-_j`` the worst value of criterion j among the alternatives present:

* the weighted regret ``d_ij = w_j (f*_j − f_ij) / (f*_j − f-_j)`` ∈ [0, w_j];
* the group utility ``S_i = Σ_j d_ij`` (an L1 distance to the ideal) and the individual regret
  ``R_i = max_j d_ij`` (an L∞ distance);
* ``Q_i = v (S_i − S*) / (S- − S*) + (1 − v) (R_i − R*) / (R- − R*)`` with ``S* = min S``,
  ``S- = max S`` (likewise R), and v the weight of the "majority of criteria" strategy (0.5:
  consensus; above: majority; below: veto). Lower Q is better, 0 is the best of the set.

The proposed solution is the best by Q, ``a1``, if (C1, acceptable advantage) the second by Q,
``a2``, is at least ``DQ = 1/(m − 1)`` behind, and (C2, acceptable stability) ``a1`` is also
best by S or by R. If only C2 fails, the compromise set is {a1, a2}; if C1 fails, it is every
alternative whose Q is less than DQ above ``Q(a1)``.

Score on 0–100 for the engine: ``100 (1 − Q)``: 100 is the best offer of the set, 0 the worst;
like Q itself it is relative to the offers present (adding an offer moves ``f*`` and ``f-``).

Degenerate cases, each with a rule so that no NaN can reach a report:

* A criterion on which every alternative has the same value (``f* = f-``) cannot separate them:
  its regret is 0 for everyone (the same rule as TOPSIS's all-zero column).
* ``S- = S*`` (or ``R- = R*``, within ``SPREAD_TOL``): that index cannot separate the
  alternatives, so it is left out of Q and the other carries the whole strategy weight
  (``Q = R-part`` when S is flat, for 0 < v < 1). Why not set it to 0: Q would then stop at
  ``1 − v``, and the acceptance threshold DQ, defined on a 0–1 scale, would mean something else.
* Neither index separates them (identical alternatives, one alternative, all weights zero, or
  v = 1 with S flat): every Q is 1/2, the neutral midpoint — score 50, as TOPSIS and PROMETHEE
  give in the same case. C1 then fails and the compromise set is every alternative.
* One alternative: ``DQ`` is taken as 1, C1 and C2 hold vacuously, the compromise set is it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ._checks import benefit_mask, finite_matrix, weight_vector
from ._ranges import position_bounds

__all__ = [
    "SPREAD_TOL",
    "VikorResult",
    "VikorSettings",
    "compromise_bounds",
    "compromise_index",
    "vikor",
    "vikor_regrets",
    "vikor_score",
]

FloatArray = NDArray[np.float64]

#: Spreads of S or R (both in [0, 1]) at most this are float noise of equal values, not a
#: difference between alternatives; also the slack on the C1 comparison.
SPREAD_TOL = 1e-12


class VikorSettings(BaseModel):
    """VIKOR parameters of a scenario.

    ``v``: weight of the strategy of "the majority of criteria" (group utility S) against
    ``1 − v`` for the individual regret R (Opricovic & Tzeng 2004, eq. 4). 0.5 is the
    consensus value used in their example.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    v: float = Field(default=0.5, ge=0.0, le=1.0)


# eq=False: numpy fields would make a generated ``__eq__`` ambiguous.
@dataclass(frozen=True, eq=False)
class VikorResult:
    """Everything VIKOR computed (lower S, R, Q are better).

    Attributes:
        s: group utility S per alternative (m,), in [0, 1].
        r: individual regret R per alternative (m,), in [0, 1].
        q: compromise index Q (m,), in [0, 1]; 0 is the best of the set.
        regret: weighted regrets ``d_ij`` (m, n): rows sum to S, row maxima are R.
        weights: the weights used, normalised to sum to 1 (n,).
        v: the strategy weight used.
        dq: the acceptable-advantage threshold ``1 / (m − 1)`` (1 when m = 1).
        c1: acceptable advantage: ``Q(a2) − Q(a1) ≥ DQ``.
        c2: acceptable stability: a1 is also best by S or by R.
        compromise: indices of the compromise solution(s), best by Q first.
    """

    s: FloatArray
    r: FloatArray
    q: FloatArray
    regret: FloatArray
    weights: FloatArray
    v: float
    dq: float
    c1: bool
    c2: bool
    compromise: tuple[int, ...]

    def ranking(self) -> NDArray[np.int64]:
        """Indices by Q, best (lowest) first; ties keep the lower index first."""
        return np.argsort(self.q, kind="stable")


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


def vikor_regrets(x: FloatArray, w: FloatArray, benefit: NDArray[np.bool_]) -> FloatArray:
    """``d_ij = w_j (f*_j − f_ij) / (f*_j − f-_j)`` (m, n); 0 on a criterion without spread.

    ``w`` is used as given (the caller normalises); ``f*`` is the column maximum for a benefit
    criterion and the minimum for a cost criterion.
    """
    hi, lo = x.max(axis=0), x.min(axis=0)
    best = np.where(benefit, hi, lo)
    spread = hi - lo
    # |f* − f| is (f* − f) for a benefit criterion and (f − f*) for a cost one. Dividing the gap
    # by the spread first keeps the ratio in [0, 1] even for a spread of a few ulps (w / spread
    # could overflow).
    ratio = np.divide(np.abs(best - x), spread, out=np.zeros_like(x), where=spread > 0)
    return ratio * w


def compromise_index(s: FloatArray, r: FloatArray, v: float) -> FloatArray:
    """Q from S and R with the degenerate-spread rule of the module docstring."""
    parts = []
    for values, weight in ((s, v), (r, 1.0 - v)):
        lo, spread = values.min(), values.max() - values.min()
        if spread > SPREAD_TOL and weight > 0:
            parts.append((weight, (values - lo) / spread))
    total = sum(weight for weight, _ in parts)
    if total <= 0:
        return np.full(s.shape, 0.5)
    q = np.zeros(s.shape)
    for weight, normalised in parts:
        q += (weight / total) * normalised
    return q


def _compromise(s: FloatArray, r: FloatArray, q: FloatArray
                ) -> tuple[float, bool, bool, tuple[int, ...]]:
    """DQ, C1, C2 and the compromise set (Opricovic & Tzeng 2004, section 2, step e)."""
    m = q.size
    order = np.argsort(q, kind="stable")
    a1 = int(order[0])
    if m == 1:
        return 1.0, True, True, (a1,)
    dq = 1.0 / (m - 1)
    a2 = int(order[1])
    c1 = bool(q[a2] - q[a1] >= dq - SPREAD_TOL)
    c2 = bool(s[a1] <= s.min() + SPREAD_TOL or r[a1] <= r.min() + SPREAD_TOL)
    if c1 and c2:
        chosen: tuple[int, ...] = (a1,)
    elif c1:
        chosen = (a1, a2)
    else:
        # Same test as C1, so a2 is always in the set when C1 fails.
        chosen = tuple(int(k) for k in order if q[k] - q[a1] < dq - SPREAD_TOL)
    return dq, c1, c2, chosen


def vikor(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | None = None,
    v: float = 0.5,
) -> VikorResult:
    """VIKOR (Opricovic 1998; Opricovic & Tzeng 2004): S, R, Q, C1, C2, the compromise set.

    Args:
        matrix: m alternatives × n criteria, finite; read, not copied.
        weights: n non-negative weights, normalised inside by their sum.
        benefit: n booleans, True where larger is better; None = all benefit.
        v: weight of the group-utility strategy, in [0, 1].

    Raises:
        InputError: bad shapes, non-finite cells, bad weights, v outside [0, 1].
    """
    if not 0.0 <= v <= 1.0:
        raise InputError(f"VIKOR's v must be in [0, 1], got {v!r}")
    x = finite_matrix(matrix, "matrix", "alternatives × criteria", copy=False)
    n = x.shape[1]
    w = weight_vector(weights, n)
    d = vikor_regrets(x, w, benefit_mask(benefit, n))
    s, r = d.sum(axis=1), d.max(axis=1)
    q = compromise_index(s, r, v)
    dq, c1, c2, chosen = _compromise(s, r, q)
    return VikorResult(
        s=_frozen(s), r=_frozen(r), q=_frozen(q), regret=_frozen(d), weights=_frozen(w),
        v=float(v), dq=dq, c1=c1, c2=c2, compromise=chosen,
    )


def vikor_score(q: FloatArray) -> FloatArray:
    """The engine's 0–100 score of a compromise index: ``100 (1 − Q)`` (higher is better)."""
    return 100.0 * (1.0 - q)


def _regret_bounds(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Exact bounds of the unweighted regret ``(f* − f_i) / (f* − f-)`` of one benefit column
    (m,) when each value lies in ``[lo, hi]``: the regret is ``1 − p`` with ``p`` the position
    of ``_ranges.position_bounds`` while the column has a spread, and 0 when it is flat."""
    p_lo, p_hi, flat, spread = position_bounds(lo, hi)
    if not spread:
        return np.zeros(lo.size), np.zeros(lo.size)
    r_lo, r_hi = 1.0 - p_hi, 1.0 - p_lo
    return (np.zeros(lo.size) if flat else r_lo), r_hi


def _part_bounds(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray, bool, bool]:
    """Bounds of ``(x_i − min x) / (max x − min x)`` for S or R given each offer's interval,
    taken as independent (a relaxation: S and R of different offers share the columns), with
    whether the index can be flat (left out of Q) and whether it can have a spread."""
    p_lo, p_hi, _, _ = position_bounds(lo, hi)
    can_flat = bool(lo.max() <= hi.min() + SPREAD_TOL)
    can_spread = bool(hi.max() - lo.min() > SPREAD_TOL)
    return p_lo, p_hi, can_flat, can_spread


def compromise_bounds(lo: ArrayLike, hi: ArrayLike, weights: ArrayLike, v: float = 0.5
                      ) -> tuple[FloatArray, FloatArray]:
    """An outer bound of every alternative's Q when each cell lies in ``[lo, hi]`` (all
    criteria benefit).

    Each offer's S and R are bounded exactly (per criterion the regret is monotone: up with the
    others' values, down with the offer's own, and 0 on a flat column; criteria are independent
    intervals, so the sums and maxima of the per-criterion bounds are attained). Q normalises S
    and R by their spread over the offers, and the S of different offers move together through
    the shared columns; treating them as independent intervals gives a box that contains every
    attainable (S, R), over which Q's parts are bounded exactly by the position rule. The
    degenerate rules of :func:`compromise_index` (a flat index left out, Q = 1/2 when both are)
    are covered by taking the hull of every case that can occur. So the result contains every
    attainable Q but may be wider: an outer bound, checked against enumeration in
    ``tests/test_method_ranges.py``.
    """
    lo_x = finite_matrix(lo, "lo", "alternatives × criteria", copy=False)
    hi_x = finite_matrix(hi, "hi", "alternatives × criteria", copy=False)
    w = weight_vector(weights, lo_x.shape[1])
    m, n = lo_x.shape
    d_lo, d_hi = np.zeros((m, n)), np.zeros((m, n))
    for j in range(n):
        if w[j] > 0:
            r_lo, r_hi = _regret_bounds(lo_x[:, j], hi_x[:, j])
            d_lo[:, j], d_hi[:, j] = w[j] * r_lo, w[j] * r_hi
    s_lo, s_hi = d_lo.sum(axis=1), d_hi.sum(axis=1)
    r_lo, r_hi = d_lo.max(axis=1, initial=0.0), d_hi.max(axis=1, initial=0.0)
    qs_lo, qs_hi, s_flat, s_spread = _part_bounds(s_lo, s_hi)
    qr_lo, qr_hi, r_flat, r_spread = _part_bounds(r_lo, r_hi)
    use_s = v > 0 and s_spread
    use_r = v < 1 and r_spread
    cases: list[tuple[FloatArray, FloatArray]] = []
    if use_s and use_r:
        cases.append((v * qs_lo + (1 - v) * qr_lo, v * qs_hi + (1 - v) * qr_hi))
    if use_s and (r_flat or v == 1):
        cases.append((qs_lo, qs_hi))
    if use_r and (s_flat or v == 0):
        cases.append((qr_lo, qr_hi))
    if (s_flat or v == 0) and (r_flat or v == 1):
        cases.append((np.full(m, 0.5), np.full(m, 0.5)))
    q_lo = np.minimum.reduce([c[0] for c in cases])
    q_hi = np.maximum.reduce([c[1] for c in cases])
    return _frozen(np.clip(q_lo, 0.0, 1.0)), _frozen(np.clip(q_hi, 0.0, 1.0))
