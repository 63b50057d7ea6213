"""Score ranges of methods in which an offer gains from its own answers and loses from others'.

Under the ``uncertain`` missing-answer policy every utility lies in an interval ``[lo, hi]``
(known answers: ``lo == hi``), each offer's unknowns independent of the others'. For a method
whose score of offer i is non-decreasing in i's own utilities and non-increasing in every other
offer's utilities (PROMETHEE II: each pairwise term ``P_j(u_ij - u_kj) - P_j(u_kj - u_ij)`` is,
because every preference function ``P_j`` is non-decreasing; Brans & Vincke 1985), the exact
range of i's score is reached at two attainable configurations: i's unknowns at their low ends
and everyone else's at their high ends (minimum), and the reverse (maximum). The test
``tests/test_method_ranges.py`` checks this against enumeration on a fine grid.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


def own_worst_others_best(score: Callable[[FloatArray, FloatArray], FloatArray],
                          lo: FloatArray, hi: FloatArray, weights: FloatArray
                          ) -> tuple[FloatArray, FloatArray]:
    """(min, max) of every offer's score over the box ``[lo, hi]``, for a method that is
    monotone as the module docstring says: two evaluations of ``score`` per offer whose
    interval or rivals' intervals are not all points (one evaluation when nothing is unknown).
    """
    lo = np.asarray(lo, dtype=float)
    hi = np.asarray(hi, dtype=float)
    m = lo.shape[0]
    s_lo = np.asarray(score(lo, weights), dtype=float).copy()
    s_hi = s_lo.copy()
    if m == 0 or not (hi > lo).any():
        return s_lo, s_hi
    for i in range(m):
        worst = hi.copy()
        worst[i] = lo[i]
        best = lo.copy()
        best[i] = hi[i]
        s_lo[i] = score(worst, weights)[i]
        s_hi[i] = score(best, weights)[i]
    return s_lo, s_hi


def position_bounds(lo: FloatArray, hi: FloatArray
                    ) -> tuple[FloatArray, FloatArray, bool, bool]:
    """Bounds of ``p_i = (x_i - min x) / (max x - min x)`` when each ``x_k`` lies anywhere in
    ``[lo_k, hi_k]`` independently (the position of a value between the worst and the best of
    its column: min-max normalisation, VIKOR's regret ``1 - p`` and its Q).

    Over the configurations with a spread, ``p_i`` is non-decreasing in ``x_i`` and
    non-increasing in every other ``x_k`` (its derivatives are ``1/(M - mn)`` or 0 in ``x_i``,
    and ``-(x_i - mn)/(M - mn)²`` or ``-(M - x_i)/(M - mn)²`` in the maximum ``M`` and the
    minimum ``mn``), so its supremum is at ``x_i = hi_i`` with the others at their low ends
    and its infimum at the reverse; both corners are configurations, hence exact. A corner
    without spread means ``p_i`` is always 0 (high corner: every other value is at least
    ``hi_i``) or always 1 (low corner). Returns (p low, p high, can the column be flat, can it
    have a spread), the last two deciding which degenerate rule of the method can apply.
    """
    m = lo.size
    eye = np.eye(m, dtype=bool)
    up = np.where(eye, hi[:, None], lo[None, :])  # row i: i high, the others low
    down = np.where(eye, lo[:, None], hi[None, :])  # row i: i low, the others high
    p_hi = np.zeros(m)
    p_lo = np.ones(m)
    for mat, out, val in ((up, p_hi, hi), (down, p_lo, lo)):
        top, bot = mat.max(axis=1), mat.min(axis=1)
        spread = top - bot
        ok = spread > 0
        out[ok] = (val[ok] - bot[ok]) / spread[ok]
    can_flat = bool(lo.max() <= hi.min()) if m else True
    can_spread = bool(hi.max() > lo.min()) if m else False
    return p_lo, p_hi, can_flat, can_spread
