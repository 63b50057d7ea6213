"""Stage 6 of the pipeline: ranks by THE ranking rule (tied offers share theirs), the rank an
undetermined offer would take if admitted, and, with utility intervals, every offer's total
range (the bound method's ``score_range``) and rank range. Its own room because it is the one
stage that reads every offer's result at once; ``pipeline.evaluate`` calls ``rank_stage``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..methods.registry import DEFAULT_METHOD, METHODS, Method
from ..ranking import ranks, shared_ranks, tie_groups
from .result import scored_rows
from .tree import Leaf, leaf_weights
from .uncertainty import Bounds, rank_ranges

FloatArray = np.ndarray


@dataclass(frozen=True)
class Ranks:
    ranked: list[int]  # rows of the passing offers with a total
    rank: dict[str, int]  # position by the ranking rule (ties listed in offer-id order)
    shared: dict[str, int]  # the rank tied offers share ("1, 1, 3")
    tied_with: dict[str, tuple[str, ...]]
    total_range: dict[str, tuple[float, float]]
    rank_range: dict[str, tuple[int, int]]
    if_admitted: dict[str, int]  # undetermined offers: shared rank if admitted alone
    range_exact: bool | None = None  # False: the total ranges are outer bounds (TOPSIS, VIKOR)


def total_ranges(m: Method, bounds: Bounds, leaves: Sequence[Leaf], rows: Sequence[int]
                  ) -> tuple[FloatArray, FloatArray, bool]:
    """Every scored offer's total range over its utility intervals, by the bound method's
    ``score_range`` (exact for the weighted sum and PROMETHEE II, an outer bound for TOPSIS and
    VIKOR) on the rows the totals were computed on (``scored_rows``), NaN elsewhere."""
    n_off = bounds.lo.shape[0]
    lo_t, hi_t = np.full(n_off, np.nan), np.full(n_off, np.nan)
    if m.score_range is None or not rows:
        return lo_t, hi_t, True
    idx = list(rows)
    a, b, exact = m.score_range(np.nan_to_num(bounds.lo[idx]), np.nan_to_num(bounds.hi[idx]),
                                leaf_weights(leaves))
    lo_t[idx], hi_t[idx] = a, b
    return lo_t, hi_t, exact


def rank_stage(ids: Sequence[str], status: dict[str, str], totals: FloatArray,
           leaves: Sequence[Leaf], bounds: Bounds | None, m: Method | None = None) -> Ranks:
    """Ranks of the passing offers by THE ranking rule (tied offers share theirs); each
    undetermined offer's rank were it admitted alone, the others as they are.

    With utility intervals (uncertain policy): every scored offer's total range by the method's
    ``score_range`` (exact for the weighted sum and PROMETHEE II, an outer bound for TOPSIS and
    VIKOR: ``range_exact``) and rank ranges from those ranges. A passing offer's best rank is
    among the passing offers (every undetermined rival excluded), its worst among them and every
    undetermined offer with a total (all admitted): both ends are attainable, the admissions
    being independent. (A method whose score depends on the others scores only the passing
    offers: undetermined offers have no total there, so they do not enter its rank ranges.)
    An undetermined offer's range runs from its best rank admitted alone to "excluded"
    (``OfferResult.eligibility``); its worst rank if admitted is kept here."""
    def ok(i: int) -> bool:
        return not np.isnan(totals[i])
    ranked = [i for i, k in enumerate(ids) if status[k] == "pass" and ok(i)]
    open_ = [i for i, k in enumerate(ids) if status[k] == "undetermined" and ok(i)]
    names = [ids[i] for i in ranked]
    rank = dict(zip(names, (int(r) for r in ranks(totals[ranked])), strict=True))
    shared = dict(zip(names, (int(r) for r in shared_ranks(totals[ranked])), strict=True))
    groups = tie_groups(totals[ranked])
    tied_with = {k: tuple(names[b] for b in range(len(names)) if b != a
                          and groups[b] == groups[a]) for a, k in enumerate(names)}
    if_admitted = {ids[u]: int(shared_ranks(totals[[*ranked, u]])[-1]) for u in open_}
    if bounds is None:
        return Ranks(ranked, rank, shared, tied_with, {}, {}, if_admitted)
    method = m or METHODS[DEFAULT_METHOD]
    lo_t, hi_t, exact = total_ranges(method, bounds, leaves,
                                      scored_rows(method, [status[k] == "pass" for k in ids]))
    # The point total lies in its range; float noise of a different formula must not put it
    # outside (the point is one configuration of the intervals).
    with np.errstate(invalid="ignore"):
        lo_t, hi_t = np.fmin(lo_t, totals), np.fmax(hi_t, totals)
    among_pass = rank_ranges(lo_t[ranked], hi_t[ranked])
    every = ranked + open_
    among_all = rank_ranges(lo_t[every], hi_t[every])
    rr = {ids[i]: (among_pass[n][0], among_all[n][1]) for n, i in enumerate(ranked)}
    for n, u in enumerate(open_):
        alone = rank_ranges(lo_t[[*ranked, u]], hi_t[[*ranked, u]])[-1]
        rr[ids[u]] = (alone[0], among_all[len(ranked) + n][1])
    return Ranks(ranked, rank, shared, tied_with,
                  {k: (float(lo_t[i]), float(hi_t[i])) for i, k in enumerate(ids)
                   if not np.isnan(lo_t[i])}, rr, if_admitted, exact)
