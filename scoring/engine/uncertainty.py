"""The ``uncertain`` missing-answer policy: an unknown answer is an interval, not a number.

Why: ``worst`` (unknown = 0) punishes a bidder for what the committee's sources did not say, and
``exclude`` (renormalise over what is known) rewards sparse files: an offer known on 22 % of
the weight can lead one known on 75 %. Neither says how much the ranking rests on ignorance.
Under ``uncertain`` each unknown utility is an interval: the question's whole range [0, 100]
(prior ``range``), or the range of the answers known for that question among the scenario's
offers (prior ``observed``, a documented, narrower assumption). A legal fact that is unknown
gives the legal utility the interval [exposed, not exposed].

Under a weighted sum with fixed weights the total is monotone in every utility, so the exact
bounds of an offer's total are the totals with every unknown at its low end and at its high end
(no sampling, no re-evaluation per answer). The point value shown is the total at the middle of
every interval. Because offers' unknowns are independent, one offer at its best and all others
at their worst is attainable together: the rank range follows from the total ranges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..ranking import TIE_TOLERANCE

FloatArray = np.ndarray


@dataclass(frozen=True, eq=False)
class Bounds:
    """Offers × leaves utility intervals; known answers have ``lo == hi``."""

    lo: FloatArray
    hi: FloatArray

    @property
    def point(self) -> FloatArray:
        return np.asarray((self.lo + self.hi) / 2.0)

    @property
    def unknown(self) -> np.ndarray:
        return np.asarray(self.hi - self.lo > 0)


def utility_bounds(util: FloatArray, prior: str, overrides: dict[int, tuple[FloatArray,
                                                                            FloatArray]]
                   ) -> Bounds:
    """Intervals for the NaN cells of ``util``; ``overrides[j] = (lo, hi)`` gives computed
    leaves (legal exposure) their own intervals."""
    unknown = np.isnan(util)
    if prior == "observed":
        with np.errstate(all="ignore"):
            col_lo = np.where(unknown.all(axis=0), 0.0, np.nanmin(np.where(unknown, np.inf,
                                                                           util), axis=0))
            col_hi = np.where(unknown.all(axis=0), 100.0, np.nanmax(np.where(unknown, -np.inf,
                                                                             util), axis=0))
    else:
        col_lo = np.zeros(util.shape[1])
        col_hi = np.full(util.shape[1], 100.0)
    lo = np.where(unknown, col_lo, util)
    hi = np.where(unknown, col_hi, util)
    for j, (a, b) in overrides.items():
        lo[:, j], hi[:, j] = np.minimum(a, b), np.maximum(a, b)
    return Bounds(lo, hi)


def rank_ranges(lo: Sequence[float], hi: Sequence[float]) -> list[tuple[int, int]]:
    """(best, worst) rank of each offer when every offer's total may lie anywhere in [lo, hi]:
    best = 1 + the offers certainly above it; worst = 1 + the offers possibly above it (a tie
    counts against it: the tie rule may go either way).

    Counted by binary search in the sorted ends (O(m log m), not one pass over every other
    offer per offer): no offer is certainly above itself (its lo never exceeds its own hi),
    and every offer is possibly above itself (its hi is at least its own lo), which the
    ``- 1`` removes."""
    lo_a, hi_a = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
    m = len(lo_a)
    above = m - np.searchsorted(np.sort(lo_a), hi_a + TIE_TOLERANCE, side="right")
    possibly = m - np.searchsorted(np.sort(hi_a), lo_a - TIE_TOLERANCE, side="left") - 1
    return [(1 + int(b), 1 + int(w)) for b, w in zip(above, possibly, strict=True)]
