"""PROMETHEE II net flows and the PROMETHEE I partial order, with the six preference functions.

References:
    J. P. Brans and Ph. Vincke, "A preference ranking organisation method (The PROMETHEE method
    for multiple criteria decision-making)", *Management Science* 31(6):647–656, 1985 — the six
    generalised criteria, the flows and PROMETHEE I / II.
    J. P. Brans and B. Mareschal, "PROMETHEE methods", ch. 5 of Figueira, Greco & Ehrgott (eds),
    *Multiple Criteria Decision Analysis: State of the Art Surveys*, Springer, 2005 — flows
    normalised by ``n − 1`` so that ``φ ∈ [−1, 1]``, and the names used here.
    H. Zhao, Y. Peng and W. Li, "Revised PROMETHEE II for improving efficiency in emergency
    response", *Procedia Computer Science* 17:181–188, 2013 — the test oracle.

What is computed. For criterion j and two alternatives a, b, ``d = g_j(a) − g_j(b)`` (after
turning cost criteria around) and ``P_j(d) ∈ [0, 1]`` is how strongly a is preferred to b on j:

========== ============ ===============================================================
kind       thresholds   P(d) for d > 0 (P = 0 for d ≤ 0)
========== ============ ===============================================================
usual      —            1
u_shape    q            0 if d ≤ q, else 1            (Brans' "quasi-criterion", type II)
v_shape    p            d / p if d ≤ p, else 1        (linear preference, type III)
level      q ≤ p        0 if d ≤ q, 1/2 if d ≤ p, else 1                  (type IV)
linear     q ≤ p        0 if d ≤ q, (d − q)/(p − q) if d ≤ p, else 1       (type V)
gaussian   s            1 − exp(−d² / (2 s²))                              (type VI)
========== ============ ===============================================================

With m alternatives and weights w summing to 1, the single-criterion flows are
``φ_j⁺(a) = Σ_b P_j(a, b) / (m − 1)``, ``φ_j⁻(a) = Σ_b P_j(b, a) / (m − 1)`` and
``φ_j = φ_j⁺ − φ_j⁻ ∈ [−1, 1]``; the flows are ``φ⁺ = Σ_j w_j φ_j⁺``, ``φ⁻ = Σ_j w_j φ_j⁻`` and
the PROMETHEE II net flow ``φ = φ⁺ − φ⁻ = Σ_j w_j φ_j`` (the net flows sum to 0).

Score on 0–100 for the engine: ``50 · (φ + 1)``; 50 is "as good as the average competitor",
100 "strictly preferred to every other offer on every weighted criterion". Because
``Σ w_j = 1`` this equals ``Σ_j w_j · 50 (1 + φ_j)``: a weighted sum of per-criterion
"outranking utilities" that depend on the offers present (never on the weights). That is
exposed as :func:`outranking_utilities` so that analyses can use weighted-sum machinery.

Why no m × m × n array: with 2 000 offers and 300 questions that is 9.6 GB. Every function but
the Gaussian is piecewise linear in d, so one sort per criterion plus prefix sums give both
flows in O(m log m) per criterion and O(m · n) memory. The Gaussian is evaluated pairwise on
the distinct values of the criterion (few, for questionnaire answers), in row blocks.

Thresholds are in the units of the matrix; in the engine that is utility points (0–100):
``q = 10`` reads "a gap of up to 10 utility points is negligible". The functions and their
thresholds as a scenario writes them are validated in ``promethee_settings``.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError
from ._checks import benefit_mask, finite_matrix, weight_vector
from .promethee_settings import USUAL, CriterionFunction

__all__ = [
    "PrometheeResult",
    "Relation",
    "criterion_net_flows",
    "net_flow_score",
    "outranking_utilities",
    "partial_order",
    "promethee",
]

FloatArray = NDArray[np.float64]
#: Row-block budget (cells) for the pairwise Gaussian evaluation: 2 MiB of float64.
_BLOCK_CELLS = 1 << 18
#: Two flows closer than this are equal in PROMETHEE I (float noise, not preference).
FLOW_TOL = 1e-12


class Relation(enum.IntEnum):
    """PROMETHEE I relation of row alternative a to column alternative b."""

    OUTRANKED = -1  # b outranks a
    INDIFFERENT = 0  # same φ⁺ and same φ⁻
    OUTRANKS = 1  # a at least as good on both flows, better on one
    INCOMPARABLE = 2  # the flows disagree: a better on one, b on the other


# eq=False: numpy fields would make a generated ``__eq__`` ambiguous.
@dataclass(frozen=True, eq=False)
class PrometheeResult:
    """Flows of PROMETHEE I / II.

    Attributes:
        phi_plus: leaving (positive) flow per alternative (m,), in [0, 1].
        phi_minus: entering (negative) flow per alternative (m,), in [0, 1].
        phi: PROMETHEE II net flow ``φ⁺ − φ⁻`` (m,), in [−1, 1], summing to 0.
        criterion_net: single-criterion net flows ``φ_j`` (m, n), unweighted, in [−1, 1].
        weights: the weights used, normalised to sum to 1 (n,).
    """

    phi_plus: FloatArray
    phi_minus: FloatArray
    phi: FloatArray
    criterion_net: FloatArray
    weights: FloatArray

    def ranking(self) -> NDArray[np.int64]:
        """PROMETHEE II complete order: indices best first (ties keep the lower index first)."""
        return np.argsort(-self.phi, kind="stable")

    def partial_order(self) -> NDArray[np.int8]:
        """PROMETHEE I relations (m × m) of :class:`Relation` codes; see :func:`partial_order`."""
        return partial_order(self.phi_plus, self.phi_minus)

    def contributions(self) -> FloatArray:
        """``w_j · φ_j(a)`` (m × n): what each criterion adds to the net flow; rows sum to φ."""
        return self.criterion_net * self.weights


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


def _piecewise_sums(
    vals: FloatArray, cum_n: NDArray[np.int64], cum_v: FloatArray, fn: CriterionFunction
) -> tuple[FloatArray, FloatArray]:
    """``Σ_b P(v − x_b)`` and ``Σ_b P(x_b − v)`` for every distinct value v of the criterion.

    ``vals`` are the sorted distinct values, ``cum_n[k]`` / ``cum_v[k]`` the count / sum of the
    criterion's cells with value < ``vals[k]`` (length k + 1). Strict inequalities follow the
    definitions: a gap equal to q is indifference, a gap above p is full preference.
    """
    cn: FloatArray = cum_n.astype(np.float64)  # counts as floats: every sum below is float
    total = cn[-1]

    def below(t: FloatArray) -> NDArray[np.intp]:  # position of the first value ≥ t
        return np.searchsorted(vals, t, side="left")

    def above(t: FloatArray) -> NDArray[np.intp]:  # position of the first value > t
        return np.searchsorted(vals, t, side="right")

    if fn.kind in ("usual", "u_shape"):
        q = fn.q or 0.0
        return cn[below(vals - q)], total - cn[above(vals + q)]
    assert fn.p is not None
    q, p = fn.q or 0.0, fn.p
    if fn.kind == "level" or p == q:
        leave = cn[below(vals - q)] + cn[below(vals - p)]
        enter = 2.0 * total - cn[above(vals + q)] - cn[above(vals + p)]
        return 0.5 * leave, 0.5 * enter
    # v_shape (q = 0) and linear: full preference beyond p, a ramp between q and p.
    lo, hi = below(vals - p), below(vals - q)  # x_b < v − p: full; v − p ≤ x_b < v − q: ramp
    ramp = ((vals - q) * (cn[hi] - cn[lo]) - (cum_v[hi] - cum_v[lo])) / (p - q)
    lo2, hi2 = above(vals + q), above(vals + p)  # v + q < x_b ≤ v + p: ramp; x_b > v + p: full
    ramp2 = ((cum_v[hi2] - cum_v[lo2]) - (vals + q) * (cn[hi2] - cn[lo2])) / (p - q)
    return cn[lo] + ramp, (total - cn[hi2]) + ramp2


def _gaussian_sums(
    vals: FloatArray, counts: NDArray[np.int64], s: float
) -> tuple[FloatArray, FloatArray]:
    """Pairwise Gaussian preference on the distinct values, in row blocks (no k × k at once)."""
    k = vals.size
    leave, enter = np.empty(k), np.empty(k)
    step = max(1, _BLOCK_CELLS // k)
    for start in range(0, k, step):
        d = vals[start : start + step, None] - vals[None, :]
        g = -np.expm1(-(d * d) / (2.0 * s * s)) * counts
        leave[start : start + step] = np.where(d > 0, g, 0.0).sum(axis=1)
        enter[start : start + step] = np.where(d < 0, g, 0.0).sum(axis=1)
    return leave, enter


def _criterion_flows(x: FloatArray, fn: CriterionFunction) -> tuple[FloatArray, FloatArray]:
    """Unweighted ``(φ_j⁺, φ_j⁻)`` of one criterion column (benefit direction), each (m,)."""
    m = x.size
    if m < 2:
        return np.zeros(m), np.zeros(m)
    vals, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    leave_v: FloatArray
    enter_v: FloatArray
    if fn.kind == "gaussian":
        assert fn.s is not None
        leave_v, enter_v = _gaussian_sums(vals, counts, fn.s)
    else:
        cum_n = np.concatenate(([0], np.cumsum(counts)))
        cum_v = np.concatenate(([0.0], np.cumsum(vals * counts)))
        leave_v, enter_v = _piecewise_sums(vals, cum_n, cum_v, fn)
    return leave_v[inverse] / (m - 1), enter_v[inverse] / (m - 1)


def _functions(
    functions: CriterionFunction | Sequence[CriterionFunction] | None, n: int
) -> tuple[CriterionFunction, ...]:
    if functions is None:
        return (USUAL,) * n
    if isinstance(functions, CriterionFunction):
        return (functions,) * n
    fns = tuple(functions)
    if len(fns) != n:
        raise InputError(f"{len(fns)} preference functions for {n} criteria")
    return fns


def _usual_counts(cols: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Usual criterion on a block of criteria (k, m): per cell, how many values are smaller
    (leaving sum) and how many are larger (entering sum).

    One ``argsort`` per row; in sorted order a tie group's first position is the count of
    smaller values and its last position gives the count of larger ones. All rows at once, so
    no Python loop over criteria (3-4× faster than a ``searchsorted`` per criterion).
    """
    k, m = cols.shape
    order = np.argsort(cols, axis=1)
    srt = np.take_along_axis(cols, order, axis=1)
    pos = np.broadcast_to(np.arange(m), (k, m))
    first = np.ones((k, m), dtype=bool)
    first[:, 1:] = srt[:, 1:] != srt[:, :-1]
    last = np.ones((k, m), dtype=bool)
    last[:, :-1] = first[:, 1:]
    start = np.maximum.accumulate(np.where(first, pos, 0), axis=1)
    end = np.minimum.accumulate(np.where(last, pos, m)[:, ::-1], axis=1)[:, ::-1]
    leave, enter = np.empty((k, m)), np.empty((k, m))
    np.put_along_axis(leave, order, start.astype(np.float64), axis=1)
    np.put_along_axis(enter, order, (m - 1 - end).astype(np.float64), axis=1)
    return leave, enter


#: Cells per block in the usual-criterion path: bounds each int64 temporary to 2 MiB.
_USUAL_BLOCK_CELLS = 1 << 18


def _all_flows(
    x: FloatArray, benefit: NDArray[np.bool_], fns: Sequence[CriterionFunction],
) -> tuple[FloatArray, FloatArray]:
    """Single-criterion leaving and entering flows, each stored criterion-major (n, m)."""
    m, n = x.shape
    plus, minus = np.zeros((n, m)), np.zeros((n, m))
    if m < 2:
        return plus, minus
    # One transposed copy (always a copy: it is negated in place below, and for a single
    # criterion ``x.T`` is already contiguous, so ``ascontiguousarray`` would return a view of
    # the caller's matrix): each criterion a contiguous row, cost criteria turned round.
    cols = x.T.copy(order="C")
    np.negative(cols, out=cols, where=~benefit[:, None])
    usual = np.flatnonzero([f.kind == "usual" for f in fns])
    step = max(1, _USUAL_BLOCK_CELLS // m)
    for i in range(0, usual.size, step):
        rows = usual[i : i + step]
        plus[rows], minus[rows] = _usual_counts(cols[rows])
    plus[usual] /= m - 1
    minus[usual] /= m - 1
    for j in range(n):
        if fns[j].kind != "usual":
            plus[j], minus[j] = _criterion_flows(cols[j], fns[j])
    return plus, minus


def promethee(
    matrix: ArrayLike,
    weights: ArrayLike,
    benefit: ArrayLike | None = None,
    functions: CriterionFunction | Sequence[CriterionFunction] | None = None,
) -> PrometheeResult:
    """PROMETHEE I / II flows (Brans & Vincke 1985; flows divided by m − 1).

    Args:
        matrix: m alternatives × n criteria, finite; read, not copied.
        weights: n non-negative weights, normalised inside by their sum.
        benefit: n booleans, True where larger is better; None = all benefit.
        functions: one :class:`CriterionFunction` for all criteria, one per criterion, or None
            for the usual criterion everywhere. Thresholds are in the units of each column.

    Returns:
        A :class:`PrometheeResult`. With one alternative every flow is 0.

    Raises:
        InputError: bad shapes, non-finite cells, bad weights or a wrong number of functions.
    """
    x = finite_matrix(matrix, "matrix", "alternatives × criteria", copy=False)
    n = x.shape[1]
    w = weight_vector(weights, n)
    b = benefit_mask(benefit, n)
    plus, minus = _all_flows(x, b, _functions(functions, n))
    phi_plus, phi_minus = w @ plus, w @ minus
    return PrometheeResult(
        phi_plus=_frozen(phi_plus),
        phi_minus=_frozen(phi_minus),
        phi=_frozen(phi_plus - phi_minus),
        criterion_net=_frozen((plus - minus).T),
        weights=_frozen(w),
    )


def net_flow_score(phi: FloatArray) -> FloatArray:
    """The engine's 0–100 score of a net flow: ``50 · (φ + 1)`` (φ = −1 → 0, 0 → 50, 1 → 100)."""
    return 50.0 * (phi + 1.0)


def outranking_utilities(
    utilities: FloatArray, functions: Sequence[CriterionFunction]
) -> FloatArray:
    """``50 · (1 + φ_j(a))`` (m × n): per-criterion utilities whose weighted mean is the score.

    They depend on the offers present (an added offer changes them) but not on the weights, so
    for a fixed set of offers PROMETHEE II is a weighted sum of these columns. ``utilities``
    are higher-is-better (the engine's 0–100 utilities).
    """
    return net_flow_score(criterion_net_flows(utilities, functions).T)


def criterion_net_flows(
    utilities: FloatArray, functions: Sequence[CriterionFunction]
) -> FloatArray:
    """Single-criterion net flows ``φ_j(a)``, criterion-major (n × m), higher-is-better columns.

    The registry's scorer uses ``w @ criterion_net_flows(u, fns)`` directly: no transposed copy.
    """
    n = utilities.shape[1]
    plus, minus = _all_flows(utilities, np.ones(n, dtype=bool), functions)
    np.subtract(plus, minus, out=plus)
    return plus


def partial_order(phi_plus: ArrayLike, phi_minus: ArrayLike) -> NDArray[np.int8]:
    """PROMETHEE I (Brans & Vincke 1985): relation of every pair from the two flows (m × m).

    a outranks b when ``φ⁺(a) ≥ φ⁺(b)`` and ``φ⁻(a) ≤ φ⁻(b)`` with one inequality strict; they
    are indifferent when both flows are equal; otherwise incomparable (one flow says a, the other
    b). Equality allows ``FLOW_TOL`` of float noise. Codes are :class:`Relation` values; the
    diagonal is INDIFFERENT. Why it is offered next to the net flow: PROMETHEE II's complete
    order hides such conflicts, and a committee should know when the top two are incomparable.
    """
    fp = np.asarray(phi_plus, dtype=np.float64)
    fm = np.asarray(phi_minus, dtype=np.float64)
    gp = fp[:, None] - fp[None, :]  # > 0: a leaves more
    gm = fm[None, :] - fm[:, None]  # > 0: a is entered less
    a_ok = (gp >= -FLOW_TOL) & (gm >= -FLOW_TOL)
    b_ok = (gp <= FLOW_TOL) & (gm <= FLOW_TOL)
    rel = np.full(gp.shape, Relation.INCOMPARABLE, dtype=np.int8)
    rel[a_ok] = Relation.OUTRANKS
    rel[b_ok] = Relation.OUTRANKED
    rel[a_ok & b_ok] = Relation.INDIFFERENT
    return rel
