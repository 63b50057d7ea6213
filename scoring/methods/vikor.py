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

__all__ = [
    "SPREAD_TOL",
    "VikorResult",
    "VikorSettings",
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

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

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
