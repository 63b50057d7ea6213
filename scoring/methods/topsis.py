"""TOPSIS: rank alternatives by their relative closeness to an ideal point.

Reference: C.-L. Hwang and K. Yoon, *Multiple Attribute Decision Making: Methods and
Applications*, Lecture Notes in Economics and Mathematical Systems 186, Springer, 1981 (the
fighter-aircraft example on pp. 133–134 is the test oracle).

The variant implemented is the one in the book and in most reference implementations (pymcdm,
scikit-criteria, R ``MCDA``): vector normalisation of each criterion column, weights applied to
the normalised matrix, ideal / anti-ideal taken column-wise from the alternatives themselves,
Euclidean distances, and closeness ``C* = S- / (S+ + S-)``. Pinning the normalisation matters:
TOPSIS results change with it, so the published oracles only reproduce with this one.

Normalisation is a setting (:class:`TopsisSettings`): ``vector`` (the default, above) or
``minmax``, the linear ``(x_ij − min_j) / (max_j − min_j)``. Opricovic & Tzeng (2004, EJOR
156:445–455, section 4, Tables 1–3) show on the mountain-climbing example why the choice
matters: vector-normalised TOPSIS ranks the same three routes A1 ≻ A2 ≻ A3 with risk on 1–5 and
altitude in metres, and A2 ≻ A3 ≻ A1 with risk on 6–10 and altitude in km above the foothill
(closeness 0.762 / 0.722 / 0.238 against 0.489 / 0.612 / 0.511); a linear normalisation is
invariant under such a change of units (any positive affine map of a column), so min-max TOPSIS
gives one answer for both. In Hostwise every column is already a 0–100 utility, so ``minmax``
means "the best and worst offer present on each question span the whole weight", as in VIKOR.

Why TOPSIS is in Hostwise at all: it is a common "second opinion" to a weighted sum in public
tenders, and because its ideal point comes from the bids present, it can show rank reversal when
an offer is added or withdrawn — something the committee should see rather than discover.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict

from ..errors import InputError
from ._checks import benefit_mask, finite_matrix, weight_vector
from ._ranges import position_bounds

__all__ = ["Normalisation", "TopsisResult", "TopsisSettings", "closeness_bounds", "topsis",
           "topsis_closeness", "topsis_explain"]

FloatArray = NDArray[np.float64]
Normalisation = Literal["vector", "minmax"]
_TINY = float(np.finfo(np.float64).tiny)
_SMALL = 65_536  # cells: below, TOPSIS keeps the weighted matrix (<= 0.5 MiB) for both ideals


class TopsisSettings(BaseModel):
    """TOPSIS parameters of a scenario: the column normalisation (``vector`` by default)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    normalisation: Normalisation = "vector"


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
        normalised: the normalised (unweighted) decision matrix (m, n), built on first
            access only: scoring does not need it, and it is a full extra copy of the matrix.
        normalisation: ``vector`` or ``minmax``.
    """

    closeness: FloatArray
    ideal: FloatArray
    anti_ideal: FloatArray
    s_plus: FloatArray
    s_minus: FloatArray
    weights: FloatArray
    _matrix: FloatArray = field(repr=False)
    _inv_norms: FloatArray = field(repr=False)
    normalisation: Normalisation = "vector"

    @property
    def normalised(self) -> FloatArray:
        """``x_ij / ||x_j||`` (vector) or ``(x_ij − min_j) / (max_j − min_j)`` (minmax); 0 for
        a column without norm or spread. Read-only."""
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
    inv = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return inv, w * inv


def _minmax_columns(x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per-column ``1/(max_j − min_j)`` (0 without spread), the weighted factor, and ``min_j``.

    ``v_ij = (x_ij − min_j) · w_j / (max_j − min_j)``. A column without spread gets factor 0:
    every alternative sits on both ideals for it, as with an all-zero column under the vector
    normalisation. Cost columns are not turned round here: the ideals are taken per direction
    in :func:`_ideals`, and a distance to the ideal is the same either way.
    """
    lo = x.min(axis=0)
    spread = x.max(axis=0) - lo
    # Above the smallest normal float, so that 1 / spread stays finite.
    inv = np.divide(1.0, spread, out=np.zeros_like(spread), where=spread > _TINY)
    return inv, w * inv, lo


def _ideals(
    x: FloatArray, factor: FloatArray, benefit: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    # factor >= 0, so the column max / min of v = x * factor are factor * (max / min of x).
    col_max = x.max(axis=0) * factor
    col_min = x.min(axis=0) * factor
    return np.where(benefit, col_max, col_min), np.where(benefit, col_min, col_max)


def _sq_gaps(x: FloatArray, factor: FloatArray, point: FloatArray, out: FloatArray) -> FloatArray:
    """``(v_ij - point_j)²`` into ``out`` (m, n), with ``v = x * factor``; no other temporary."""
    np.multiply(x, factor, out=out)
    out -= point
    return np.square(out, out=out)


def _prepared(x: FloatArray, w: FloatArray, normalisation: str
              ) -> tuple[FloatArray, FloatArray, FloatArray]:
    """``(y, inv, factor)`` with ``v = y · factor``: ``y`` is ``x`` itself (vector) or
    ``x − min_j`` (minmax, one m × n copy: subtracting after scaling would lose the digits of
    a small spread on large values)."""
    if normalisation == "vector":
        inv, factor = _scaled_columns(x, w)
        return x, inv, factor
    if normalisation == "minmax":
        inv, factor, lo = _minmax_columns(x, w)
        return x - lo, inv, factor
    raise InputError(f"unknown TOPSIS normalisation {normalisation!r}; use vector or minmax")


def topsis(matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike,
           normalisation: Normalisation = "vector") -> TopsisResult:
    """Score alternatives with TOPSIS (Hwang & Yoon 1981, Euclidean distances).

    Args:
        matrix: decision matrix, m alternatives (rows) × n criteria (columns), finite floats.
            Read, never modified, and not copied.
        weights: n non-negative finite weights; normalised inside by their sum, so only their
            ratios matter (``[2, 1]`` and ``[0.667, 0.333]`` give the same result).
        benefit: n booleans, True where a larger value is better, False for a cost criterion
            (e.g. price) where a smaller value is better.
        normalisation: ``vector`` (Hwang & Yoon's, the default) or ``minmax`` (linear).

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

    Speed: one m × n work array (the squared gaps, reused for both ideals) besides the input,
    and on small matrices the weighted matrix too (``_compute``).
    """
    x, w, benefit_mask_ = _check_inputs(matrix, weights, benefit, finite=False)
    closeness, ideal, anti_ideal, s_plus, s_minus, y, inv = _compute(
        x, w, benefit_mask_, normalisation)
    return TopsisResult(
        closeness=_frozen(closeness),
        ideal=_frozen(ideal),
        anti_ideal=_frozen(anti_ideal),
        s_plus=_frozen(s_plus),
        s_minus=_frozen(s_minus),
        weights=_frozen(w),
        _matrix=y,
        _inv_norms=inv,
        normalisation=normalisation,
    )


def _compute(x: FloatArray, w: FloatArray, benefit: NDArray[np.bool_] | None,
             normalisation: str) -> tuple[FloatArray, ...]:
    """(closeness, A+, A-, S+, S-, y, inv) of a 2-D ``x`` (finiteness checked here), weights
    ``w`` summing to 1; ``benefit`` None: every criterion is a benefit (the registry's case).

    Speed without changing a bit of the result (issue 16): the column extremes prove every cell
    finite (NaN propagates into max and min, +inf shows in a max, -inf in a min) and, under
    the vector normalisation, give the ideals, so the matrix is not scanned again for either;
    on small matrices ``v = y · factor`` is formed once, not once per ideal (on large ones the
    extra m × n array is not worth it); one division when no offer sits on both ideals. The same
    operations in the same order otherwise, so the same floating-point numbers."""
    col_max, col_min = x.max(axis=0), x.min(axis=0)
    if not (np.isfinite(col_max).all() and np.isfinite(col_min).all()):
        finite_matrix(x, "matrix", "alternatives × criteria", copy=False)  # names the cell
    y, inv, factor = _prepared(x, w, normalisation)
    if normalisation == "vector" and benefit is None:  # y is x: its extremes are known
        ideal, anti_ideal = col_max * factor, col_min * factor
    else:
        ideal, anti_ideal = _ideals(y, factor, np.ones(x.shape[1], dtype=bool)
                                    if benefit is None else benefit)
    work = np.empty_like(y)
    if y.size <= _SMALL:
        v = y * factor
        s_plus = np.sqrt(np.square(np.subtract(v, ideal, out=work), out=work).sum(axis=1))
        s_minus = np.sqrt(np.square(np.subtract(v, anti_ideal, out=work), out=work).sum(axis=1))
    else:
        s_plus = np.sqrt(_sq_gaps(y, factor, ideal, work).sum(axis=1))
        s_minus = np.sqrt(_sq_gaps(y, factor, anti_ideal, work).sum(axis=1))
    denom = s_plus + s_minus
    if denom.all():
        closeness = s_minus / denom
    else:
        closeness = np.where(denom > 0, s_minus / np.where(denom > 0, denom, 1.0), 0.5)
    return closeness, ideal, anti_ideal, s_plus, s_minus, y, inv


def topsis_closeness(matrix: ArrayLike, weights: ArrayLike,
                     normalisation: Normalisation = "vector") -> FloatArray:
    """``topsis(matrix, weights, all benefit, normalisation).closeness``, the same numbers,
    without the result's tables (a writable array).

    Why: the registry scores with TOPSIS once per weight vector (sensitivity sweeps, SMAA), on
    matrices as small as 20 × 8, where building and freezing the result was a third of the
    call (``tests/test_topsis.py`` compares the two bit for bit)."""
    x = finite_matrix(matrix, "matrix", "alternatives × criteria", copy=False, finite=False)
    return _compute(x, weight_vector(weights, x.shape[1]), None, normalisation)[0]


def topsis_explain(
    matrix: ArrayLike, weights: ArrayLike, benefit: ArrayLike,
    normalisation: Normalisation = "vector",
) -> dict[str, FloatArray]:
    """Per-alternative × per-criterion pieces of the two TOPSIS distances (all m × n).

    * ``sq_dist_ideal``: ``(v_ij - A+_j)²``; its row sums are ``S+²``.
    * ``sq_dist_anti_ideal``: ``(v_ij - A-_j)²``; its row sums are ``S-²``.
    * ``weighted_normalised``: ``v_ij = w_j · x_ij / ||x_j||`` (vector) or
      ``w_j · (x_ij − min_j) / (max_j − min_j)`` (minmax).

    Why: a weighted sum adds ``w_j · u_ij``; TOPSIS instead compares squared gaps to the best
    and worst offers present. Showing both per criterion lets a committee see which criterion
    makes TOPSIS order two offers differently from the weighted sum (a large gap counts
    quadratically, and the ideals move when an offer is added or withdrawn).
    """
    x, w, b = _check_inputs(matrix, weights, benefit)
    y, _, factor = _prepared(x, w, normalisation)
    ideal, anti_ideal = _ideals(y, factor, b)
    return {
        "sq_dist_ideal": _frozen(_sq_gaps(y, factor, ideal, np.empty_like(y))),
        "sq_dist_anti_ideal": _frozen(_sq_gaps(y, factor, anti_ideal, np.empty_like(y))),
        "weighted_normalised": _frozen(y * factor),
    }


def _gap_bounds(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray,
                                                          FloatArray]:
    """Bounds of the unweighted normalised gaps of one column (m,) to its ideal and anti-ideal.

    With vector normalisation ``g+_i = max_k (x_k - x_i) / ||x||`` and ``g-_i = max_k (x_i -
    x_k) / ||x||`` (both ≥ 0, the k = i term being 0). For one pair, ``(a - b) / sqrt(a² + b² +
    R)`` with a, b, R ≥ 0 is non-decreasing in a and non-increasing in b whatever its sign, and
    once a, b are fixed it moves away from 0 as R falls; so over the box its supremum is at
    ``a = hi_a, b = lo_b`` and every other offer at its low end (exact per pair, hence exact for
    the maximum over k), and ``max(0, value at a = lo_a, b = hi_b, the rest high)`` is a lower
    bound (the infimum of a maximum is at least the maximum of the infima). Returns
    (g+ low, g+ high, g- low, g- high).
    """
    sl, sh = float(lo @ lo), float(hi @ hi)
    eye = np.eye(lo.size, dtype=bool)

    def ratio(num: FloatArray, den2: FloatArray) -> FloatArray:
        den = np.sqrt(np.maximum(den2, 0.0))
        r = np.divide(num, den, out=np.zeros(np.broadcast(num, den).shape), where=den > 0)
        r[eye] = 0.0  # the offer against itself: a gap of 0
        return np.asarray(np.maximum(r, 0.0).max(axis=1))

    # rows i, columns k
    gp_hi = ratio(hi[None, :] - lo[:, None], (sl - lo * lo + hi * hi)[None, :])
    gp_lo = ratio(lo[None, :] - hi[:, None], (sh - hi * hi + lo * lo)[None, :])
    gm_hi = ratio(hi[:, None] - lo[None, :], (sl - lo * lo + hi * hi)[:, None])
    gm_lo = ratio(lo[:, None] - hi[None, :], (sh - hi * hi + lo * lo)[:, None])
    return gp_lo, gp_hi, gm_lo, gm_hi


def _minmax_gap_bounds(lo: FloatArray, hi: FloatArray) -> tuple[FloatArray, FloatArray,
                                                                 FloatArray, FloatArray]:
    """The same bounds under min-max normalisation: the gap to the anti-ideal is the position
    ``p = (x - min) / (max - min)`` and the gap to the ideal ``1 - p``, exactly bounded by
    ``_ranges.position_bounds``; a column that can be flat can give both gaps 0."""
    p_lo, p_hi, flat, spread = position_bounds(lo, hi)
    zero = np.zeros(lo.size)
    if not spread:
        return zero, zero, zero, zero
    gp_lo, gp_hi, gm_lo, gm_hi = 1.0 - p_hi, 1.0 - p_lo, p_lo, p_hi
    if flat:
        gp_lo, gm_lo = zero, zero
    return gp_lo, gp_hi, gm_lo, gm_hi


def closeness_bounds(lo: ArrayLike, hi: ArrayLike, weights: ArrayLike,
                     normalisation: Normalisation = "vector"
                     ) -> tuple[FloatArray, FloatArray]:
    """An outer bound of every alternative's closeness when each cell lies in ``[lo, hi]``
    (all criteria benefit, non-negative values, vector or min-max normalisation).

    Why an outer bound and not the exact range: an alternative's closeness can reach its minimum
    with another alternative's value in the interior of its interval (the norm and the ideal
    move together), so no corner rule is exact; enumeration finds corner rules too narrow.
    Instead, per criterion, the gaps to the ideal and the anti-ideal are bounded exactly
    (:func:`_gap_bounds`, :func:`_minmax_gap_bounds`), the distances ``S+`` and ``S-`` follow
    (criteria are independent intervals), and ``C = S- / (S+ + S-)``, increasing in ``S-``
    and decreasing in ``S+``, is bounded by ``S-low / (S-low + S+high)`` and ``S-high /
    (S-high + S+low)``. What is lost is only the link between ``S+`` and ``S-`` of the same
    alternative. With every cell known the bound is the closeness itself. Checked against
    enumeration in ``tests/test_method_ranges.py``.
    """
    lo_x = finite_matrix(lo, "lo", "alternatives × criteria", copy=False)
    hi_x = finite_matrix(hi, "hi", "alternatives × criteria", copy=False)
    w = weight_vector(weights, lo_x.shape[1])
    m, n = lo_x.shape
    if normalisation not in ("vector", "minmax"):
        raise InputError(f"unknown TOPSIS normalisation {normalisation!r}; use vector or minmax")
    gaps = _gap_bounds if normalisation == "vector" else _minmax_gap_bounds
    sp_lo2, sp_hi2, sm_lo2, sm_hi2 = (np.zeros(m) for _ in range(4))
    for j in range(n):
        if w[j] == 0:
            continue
        gp_lo, gp_hi, gm_lo, gm_hi = gaps(lo_x[:, j], hi_x[:, j])
        w2 = w[j] * w[j]
        sp_lo2 += w2 * gp_lo * gp_lo
        sp_hi2 += w2 * gp_hi * gp_hi
        sm_lo2 += w2 * gm_lo * gm_lo
        sm_hi2 += w2 * gm_hi * gm_hi
    sp_lo, sp_hi, sm_lo, sm_hi = (np.sqrt(a) for a in (sp_lo2, sp_hi2, sm_lo2, sm_hi2))
    # Zero denominators: S- low = S+ high = 0 means S+ is always 0, so C is 1 or 0.5 (both
    # distances 0): the minimum is 0.5. S- high = S+ low = 0: C is 0 or 0.5, the maximum 0.5.
    d_lo, d_hi = sm_lo + sp_hi, sm_hi + sp_lo
    c_lo = np.where(d_lo > 0, sm_lo / np.where(d_lo > 0, d_lo, 1.0), 0.5)
    c_hi = np.where(d_hi > 0, sm_hi / np.where(d_hi > 0, d_hi, 1.0), 0.5)
    # Where S- can be 0 while S+ > 0 (or the reverse) the zero-denominator case is inside.
    return _frozen(np.minimum(c_lo, c_hi)), _frozen(c_hi)
