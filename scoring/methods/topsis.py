"""TOPSIS: rank alternatives by their relative closeness to an ideal point.

Reference: C.-L. Hwang and K. Yoon, *Multiple Attribute Decision Making: Methods and
Applications*, Lecture Notes in Economics and Mathematical Systems 186, Springer, 1981 (the
fighter-aircraft example on pp. 133–134 is the test oracle).

The variant implemented is the one in the book and in most reference implementations (pymcdm,
scikit-criteria, R ``MCDA``): vector normalisation of each criterion column, weights applied to
the normalised matrix, ideal / anti-ideal taken column-wise from the alternatives themselves,
Euclidean distances, and closeness ``C* = S- / (S+ + S-)``. Pinning the normalisation matters:
TOPSIS results change with it, so the published oracles only reproduce with this one.

Why TOPSIS is in Hostwise at all: it is a common "second opinion" to a weighted sum in public
tenders, and because its ideal point comes from the bids present, it can show rank reversal when
an offer is added or withdrawn — something the committee should see rather than discover.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError
from ._checks import finite_matrix

__all__ = ["TopsisResult", "topsis"]

FloatArray = NDArray[np.float64]


# eq=False: the fields are numpy arrays, for which a generated ``__eq__`` would be ambiguous.
@dataclass(frozen=True, eq=False)
class TopsisResult:
    """Everything TOPSIS computed, so a report can show the intermediate tables of the book.

    Attributes:
        closeness: ``C*`` per alternative (m,), in [0, 1]; larger is better.
        ideal: weighted positive-ideal point ``A+`` (n,).
        anti_ideal: weighted negative-ideal point ``A-`` (n,).
        s_plus: Euclidean distance of each alternative to ``A+`` (m,).
        s_minus: Euclidean distance of each alternative to ``A-`` (m,).
        normalised: the vector-normalised (unweighted) decision matrix (m, n).
        weights: the weights actually used, normalised to sum to 1 (n,).
    """

    closeness: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    s_plus: FloatArray
    s_minus: FloatArray
    normalised: FloatArray
    weights: FloatArray

    def ranking(self) -> NDArray[np.int64]:
        """Alternative indices from best to worst (ties keep the lower index first)."""
        return np.argsort(-self.closeness, kind="stable")


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


def _check_inputs(
    matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    x = finite_matrix(matrix, "matrix", "alternatives × criteria")
    n = x.shape[1]

    w = np.array(weights, dtype=np.float64)
    if w.shape != (n,):
        raise InputError(f"weights must have one entry per criterion ({n}), got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise InputError(f"weights must be finite, got {w.tolist()}")
    if np.any(w < 0):
        raise InputError(f"weights must be non-negative, got {w.tolist()}")
    total = w.sum()
    if total <= 0:
        raise InputError("weights are all zero: at least one criterion must count")

    b = np.asarray(benefit)
    if b.shape != (n,) or b.dtype != np.bool_:
        raise InputError(
            f"benefit must be a bool array with one entry per criterion ({n}), "
            f"got dtype {b.dtype} and shape {b.shape}"
        )
    return x, w / total, b.copy()


def topsis(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> TopsisResult:
    """Score alternatives with TOPSIS (Hwang & Yoon 1981, vector normalisation, Euclidean).

    Args:
        matrix: decision matrix, m alternatives (rows) × n criteria (columns), finite floats.
        weights: n non-negative finite weights; normalised inside by their sum, so only their
            ratios matter (``[2, 1]`` and ``[0.667, 0.333]`` give the same result).
        benefit: n booleans, True where a larger value is better, False for a cost criterion
            (e.g. price) where a smaller value is better.

    Returns:
        A :class:`TopsisResult`; ``closeness`` is the score (larger is better).

    Raises:
        ValueError: wrong shapes, non-finite values, negative or all-zero weights.

    Degenerate cases, chosen so that no NaN can leak into a report:

    * A criterion whose column is all zeros has no vector norm. Its normalised column is set to
      0, so every alternative sits on both ideals for it and it contributes 0 distance — the
      criterion simply cannot separate the alternatives, which is what an all-zero column means.
    * If ``S+ + S- = 0`` for an alternative, it coincides with both the ideal and the
      anti-ideal; that happens only when all alternatives are identical on every weighted
      criterion (or there is one alternative). Closeness is then 0.5 for all: no information
      to prefer any of them, so the neutral midpoint. 0 or 1 would fake a verdict, and NaN would
      poison any downstream sum or chart.
    """
    x, w, benefit_mask = _check_inputs(matrix, weights, benefit)

    norms = np.sqrt(np.sum(x * x, axis=0))
    safe = np.where(norms > 0, norms, 1.0)
    normalised = np.where(norms > 0, x / safe, 0.0)

    v = normalised * w
    col_max = v.max(axis=0)
    col_min = v.min(axis=0)
    ideal = np.where(benefit_mask, col_max, col_min)
    anti_ideal = np.where(benefit_mask, col_min, col_max)

    s_plus = np.sqrt(np.sum((v - ideal) ** 2, axis=1))
    s_minus = np.sqrt(np.sum((v - anti_ideal) ** 2, axis=1))
    denom = s_plus + s_minus
    closeness = np.where(denom > 0, s_minus / np.where(denom > 0, denom, 1.0), 0.5)

    return TopsisResult(
        closeness=_frozen(closeness),
        ideal=_frozen(ideal),
        anti_ideal=_frozen(anti_ideal),
        s_plus=_frozen(s_plus),
        s_minus=_frozen(s_minus),
        normalised=_frozen(normalised),
        weights=_frozen(w),
    )
