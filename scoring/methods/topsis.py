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

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._checks import benefit_mask, finite_matrix, weight_vector

__all__ = ["TopsisResult", "topsis", "topsis_closeness", "topsis_explain"]

FloatArray = NDArray[np.float64]
_SMALL = 65_536  # cells: below, TOPSIS keeps the weighted matrix (<= 0.5 MiB) for both ideals


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
        weights: the weights actually used, normalised to sum to 1 (n,).
        normalised: the vector-normalised (unweighted) decision matrix (m, n), built on first
            access only: scoring does not need it, and it is a full extra copy of the matrix.
    """

    closeness: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    s_plus: FloatArray
    s_minus: FloatArray
    weights: FloatArray
    _matrix: FloatArray = field(repr=False)
    _inv_norms: FloatArray = field(repr=False)

    @property
    def normalised(self) -> FloatArray:
        """``x_ij / ||x_j||`` (0 for an all-zero column), read-only."""
        return _frozen(self._matrix * self._inv_norms)

    def ranking(self) -> NDArray[np.int64]:
        """Alternative indices from best to worst (ties keep the lower index first)."""
        return np.argsort(-self.closeness, kind="stable")


def _frozen(a: NDArray) -> NDArray:
    a.setflags(write=False)
    return a


def _check_inputs(
    matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike, *, finite: bool = True
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    # copy=False: TOPSIS only reads the matrix, so the caller's array is used as it is;
    # finite=False: left to the caller (``_compute`` proves it from the column extremes).
    x = finite_matrix(matrix, "matrix", "alternatives × criteria", copy=False, finite=finite)
    n = x.shape[1]
    return x, weight_vector(weights, n), benefit_mask(benefit, n)


def _scaled_columns(x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per-column ``1/||x_j||`` (0 for an all-zero column) and the weighted factor ``w_j/||x_j||``.

    Why factors rather than a normalised matrix: ``v_ij = x_ij · w_j / ||x_j||`` is applied once
    inside the distance loop, so TOPSIS needs a single m × n work array instead of three.
    """
    sq = np.einsum("ij,ij->j", x, x)
    norms = np.sqrt(sq)
    if norms.all():  # the usual case: one division (the same numbers as the masked one)
        inv = 1.0 / norms
    else:
        inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return inv, w * inv


def _ideals(
    x: FloatArray, factor: FloatArray, benefit: NDArray[np.bool_] | None
) -> tuple[FloatArray, FloatArray]:
    """``A+`` and ``A-``; ``benefit`` None: every criterion is a benefit (the registry's case)."""
    # factor >= 0, so the column max / min of v = x * factor are factor * (max / min of x).
    col_max = x.max(axis=0) * factor
    col_min = x.min(axis=0) * factor
    if benefit is None:
        return col_max, col_min
    return np.where(benefit, col_max, col_min), np.where(benefit, col_min, col_max)


def _sq_gaps(x: FloatArray, factor: FloatArray, point: FloatArray, out: FloatArray) -> FloatArray:
    """``(v_ij - point_j)²`` into ``out`` (m, n), with ``v = x * factor``; no other temporary."""
    np.multiply(x, factor, out=out)
    out -= point
    return np.square(out, out=out)


def topsis(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike) -> TopsisResult:
    """Score alternatives with TOPSIS (Hwang & Yoon 1981, vector normalisation, Euclidean).

    Args:
        matrix: decision matrix, m alternatives (rows) × n criteria (columns), finite floats.
            Read, never modified, and not copied.
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

    Speed: one m × n work array besides the input (the squared gaps, reused for both ideals);
    a second one (the weighted matrix) on small matrices only.
    """
    x, w, benefit_mask_ = _check_inputs(matrix, weights, benefit, finite=False)
    closeness, ideal, anti_ideal, s_plus, s_minus, inv = _compute(x, w, benefit_mask_)
    return TopsisResult(
        closeness=_frozen(closeness),
        ideal=_frozen(ideal),
        anti_ideal=_frozen(anti_ideal),
        s_plus=_frozen(s_plus),
        s_minus=_frozen(s_minus),
        weights=_frozen(w),
        _matrix=x,
        _inv_norms=inv,
    )


def _compute(
    x: FloatArray, w: FloatArray, benefit: NDArray[np.bool_] | None
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """(closeness, A+, A-, S+, S-, 1/||x_j||) of a 2-D ``x`` (finiteness checked here) and
    weights ``w`` summing to 1.

    Speed without changing a bit of the result (issue 16): the column extremes, needed for the
    ideals anyway, prove every cell finite (NaN propagates into max and min, +inf shows in a
    max, -inf in a min), so the matrix is not scanned a second time; on small matrices
    ``v = x · w/||x||`` is formed once, not once per ideal (on large ones the extra m × n array
    is not worth it). Same operations in the same order as before, so the same floating-point
    numbers (``tests/test_topsis.py``)."""
    col_max, col_min = x.max(axis=0), x.min(axis=0)
    if not (np.isfinite(col_max).all() and np.isfinite(col_min).all()):
        finite_matrix(x, "matrix", "alternatives × criteria", copy=False)  # names the cell
    inv, factor = _scaled_columns(x, w)
    # factor >= 0, so the column max / min of v = x * factor are factor * (max / min of x).
    col_max *= factor
    col_min *= factor
    if benefit is None:
        ideal, anti_ideal = col_max, col_min
    else:
        ideal, anti_ideal = np.where(benefit, col_max, col_min), np.where(benefit, col_min, col_max)
    work = np.empty_like(x)
    if x.size <= _SMALL:  # v once: one pass fewer, one more (small) array
        v = x * factor
        s_plus = np.sqrt(np.square(np.subtract(v, ideal, out=work), out=work).sum(axis=1))
        s_minus = np.sqrt(np.square(np.subtract(v, anti_ideal, out=work), out=work).sum(axis=1))
    else:  # one work array: v re-formed per ideal (the same products, bit for bit)
        s_plus = np.sqrt(_sq_gaps(x, factor, ideal, work).sum(axis=1))
        s_minus = np.sqrt(_sq_gaps(x, factor, anti_ideal, work).sum(axis=1))
    denom = s_plus + s_minus
    if denom.all():  # the usual case: one division (the same numbers as the masked one)
        closeness = s_minus / denom
    else:
        closeness = np.where(denom > 0, s_minus / np.where(denom > 0, denom, 1.0), 0.5)
    return closeness, ideal, anti_ideal, s_plus, s_minus, inv


def topsis_closeness(matrix: ArrayLike, weights: ArrayLike) -> FloatArray:
    """``topsis(matrix, weights, all benefit).closeness``, the same numbers, without the
    result's intermediate tables (a writable array).

    Why: the registry scores with TOPSIS once per weight vector (sensitivity sweeps, SMAA), on
    matrices as small as 20 × 8, where building the result and freezing its five arrays was
    a third of the call; same checks, same arithmetic (``tests/test_topsis.py`` compares)."""
    x = finite_matrix(matrix, "matrix", "alternatives × criteria", copy=False, finite=False)
    return _compute(x, weight_vector(weights, x.shape[1]), None)[0]


def topsis_explain(
    matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike
) -> dict[str, FloatArray]:
    """Per-alternative × per-criterion pieces of the two TOPSIS distances (all m × n).

    * ``sq_dist_ideal``: ``(v_ij - A+_j)²``; its row sums are ``S+²``.
    * ``sq_dist_anti_ideal``: ``(v_ij - A-_j)²``; its row sums are ``S-²``.
    * ``weighted_normalised``: ``v_ij = w_j · x_ij / ||x_j||``.

    Why: a weighted sum adds ``w_j · u_ij``; TOPSIS instead compares squared gaps to the best
    and worst offers present. Showing both per criterion lets a committee see which criterion
    makes TOPSIS order two offers differently from the weighted sum (a large gap counts
    quadratically, and the ideals move when an offer is added or withdrawn).
    """
    x, w, b = _check_inputs(matrix, weights, benefit)
    _, factor = _scaled_columns(x, w)
    ideal, anti_ideal = _ideals(x, factor, b)
    return {
        "sq_dist_ideal": _frozen(_sq_gaps(x, factor, ideal, np.empty_like(x))),
        "sq_dist_anti_ideal": _frozen(_sq_gaps(x, factor, anti_ideal, np.empty_like(x))),
        "weighted_normalised": _frozen(x * factor),
    }
