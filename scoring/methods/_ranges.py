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
