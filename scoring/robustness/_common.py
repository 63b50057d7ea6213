"""Pieces every robustness analysis shares: weights, criterion look-up, bounds, fast totals.

Ranks always follow THE rule of ``scoring.ranking`` (totals rounded to 9 decimals,
descending, ties to the lower index of ``dm.offers``); it is re-exported here so that the
analyses and their tests name one function.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine import DecisionMatrix
from ..engine.policy import renormalises
from ..errors import InputError
from ..ranking import TIE_TOLERANCE, ranking

__all__ = ["TIE_TOLERANCE", "FloatArray", "ranking"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def normalised(w: ArrayLike) -> FloatArray:
    """Weights scaled to sum to 1 (every analysis works on the simplex)."""
    v = np.asarray(w, dtype=float)
    s = v.sum()
    if not math.isfinite(s) or s <= 0 or np.any(v < 0):
        raise InputError("weights must be non-negative with a positive sum")
    return v / s


def criterion_index(dm: DecisionMatrix, criterion: str | int) -> int:
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


def weight_bounds(dm: DecisionMatrix,
                  bounds: Mapping[str, tuple[float, float]] | ArrayLike | None
                  ) -> tuple[FloatArray, FloatArray]:
    """Per-criterion [lower, upper] weight bounds from a mapping or an (n, 2) array."""
    n = len(dm.criteria)
    lo, hi = np.zeros(n), np.ones(n)
    if bounds is None:
        return lo, hi
    if isinstance(bounds, Mapping):
        for name, (a, b) in bounds.items():
            k = criterion_index(dm, name)
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


def is_linear(dm: DecisionMatrix) -> bool:
    """Totals linear in the weights: ``worst`` policy, or no missing answer."""
    return not renormalises(dm.policy) or not bool(np.isnan(dm.scores).any())


def groups_of(dm: DecisionMatrix) -> NDArray[np.int64]:
    """The pillar index of each criterion (each criterion its own pillar when not given)."""
    return np.asarray(dm.groups or range(len(dm.criteria)), dtype=np.int64)


def totals_many(dm: DecisionMatrix, weights: FloatArray) -> FloatArray:
    """``dm.totals`` for many weight vectors (N, n) -> (N, m), pillar by pillar.

    The same formula as ``DecisionMatrix.totals`` (see its docstring), computed with one
    (N × n_p)·(n_p × m) product per pillar instead of an (N, m, P) einsum: about 10× faster and
    O(N·m) memory, which is what lets SMAA run on 500 offers. Pinned to ``dm.totals`` by
    ``tests/test_robustness.py``.
    """
    w2 = np.atleast_2d(np.asarray(weights, dtype=float))
    s0 = np.nan_to_num(dm.scores)
    if is_linear(dm):
        return np.asarray((w2 @ s0.T) / w2.sum(axis=1, keepdims=True))
    avail = (~np.isnan(dm.scores)).astype(float)
    sa = s0 * avail
    groups = groups_of(dm)
    pillars, size = np.unique(groups, return_counts=True)
    # Single-criterion pillars: the pillar score is the criterion's score when answered, so
    # they all fit in two products.
    single = np.flatnonzero(np.isin(groups, pillars[size == 1]))
    num = w2[:, single] @ sa[:, single].T
    den = w2[:, single] @ avail[:, single].T
    for p in pillars[size > 1]:
        cols = np.flatnonzero(groups == p)
        wp = w2[:, cols]
        pnum = wp @ sa[:, cols].T
        pden = wp @ avail[:, cols].T
        big_w = wp.sum(axis=1, keepdims=True)
        answered = pden > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            num += np.where(answered, pnum / pden, 0.0) * big_w
        den += answered * big_w
    out = np.zeros_like(num)  # nothing answered with weight: the engine's total is 0
    np.divide(num, den, out=out, where=den > 0)
    return out


def twin_groups(dm: DecisionMatrix, extra: NDArray[np.float64] | None = None
                ) -> tuple[tuple[str, ...], ...]:
    """Groups of offers whose rows are identical (NaN equal to NaN; ``extra``, one row per
    offer, must match too, e.g. the utility intervals): they tie at every weight, so no
    analysis may name one of them ahead of the others ("a tie is a tie")."""
    rows = np.nan_to_num(np.asarray(dm.scores, dtype=float), nan=-1.0)
    if extra is not None:
        rows = np.hstack([rows, np.nan_to_num(np.asarray(extra, dtype=float), nan=-1.0)])
    seen: dict[bytes, list[str]] = {}
    for i, o in enumerate(dm.offers):
        seen.setdefault(rows[i].tobytes() + bytes(str(np.isnan(dm.scores[i]).tolist()),
                                                  "ascii"), []).append(o)
    return tuple(tuple(g) for g in seen.values() if len(g) > 1)


def tie_name(offer: str | None, groups: tuple[tuple[str, ...], ...]) -> str | None:
    """The offer, or its whole tie group ("outscale = ovhcloud") when it has twins."""
    for g in groups:
        if offer in g:
            return " = ".join(g)
    return offer
