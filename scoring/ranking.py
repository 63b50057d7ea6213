"""The one ranking rule, used by the engine and by every analysis (stability, flip, award,
clarification list), by SMAA (whose integer-key fast path hands every near tie back to
``ranking``), by the Excel summary's live rank formula and by ``docs/methods.md``. It sits on
the ground floor, below both ``methods`` and ``engine``, so each derives from it.

Offers are ranked by total, descending. Totals within ``TIE_TOLERANCE`` (1e-9 points) of their
neighbour in that order tie: two totals equal on paper but apart in the last bits of floating
point (0.1 + 0.2 against 0.3, or two identical offers whose rows a BLAS kernel summed in another
order) must never be ordered by noise. Grouping by the gap between neighbours, rather than by
rounding to 9 decimals, has no rounding boundary at which two equal totals could fall on either
side. Within a tie, the offer that comes first in the evaluation's offer order (the offer id
order) ranks first: a published, reproducible rule stated in advance, never the order in which
files happened to be read.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

TIE_TOLERANCE = 1e-9


def ranking(totals: ArrayLike) -> NDArray[np.int64]:
    """Offer indices from first to last, for one (m,) or many (N, m) total vectors."""
    t = np.asarray(totals, dtype=float)
    single = t.ndim == 1
    t2 = np.atleast_2d(t)
    m = t2.shape[1]
    by_value = np.argsort(-t2, axis=-1, kind="stable")
    v = np.take_along_axis(t2, by_value, axis=-1)
    gap = np.zeros_like(v, dtype=bool)
    gap[:, 1:] = (v[:, :-1] - v[:, 1:]) > TIE_TOLERANCE  # a new tie group starts here
    group = np.cumsum(gap, axis=-1)
    key = np.empty_like(group)
    np.put_along_axis(key, by_value, group, axis=-1)  # each offer's group, in offer order
    order = np.argsort(key * m + np.arange(m), axis=-1, kind="stable")
    return order[0] if single else order


def ranks(totals: ArrayLike) -> NDArray[np.int64]:
    """Rank of each offer (1 = first), same shape as ``totals``; ties broken by offer order.

    Next: ``scoring.report.ranking.rank_json`` / ``rank_text`` and the Ranking page.
    """
    order = ranking(totals)
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(1, order.shape[-1] + 1), axis=-1)
    return out


def tied(a: float, b: float) -> bool:
    """Whether two totals tie under the ranking rule (within ``TIE_TOLERANCE``)."""
    return abs(a - b) <= TIE_TOLERANCE


def tie_groups(totals: ArrayLike) -> NDArray[np.int64]:
    """Each offer's tie group (0 = the first), by the same gap rule as ``ranking``: offers in
    one group are equal under the rule and share a rank; the offer-id order inside a group is a
    listing order, never a verdict."""
    t = np.asarray(totals, dtype=float)
    if t.size == 0:
        return np.zeros(0, dtype=np.int64)
    by_value = np.argsort(-t, kind="stable")
    v = t[by_value]
    gap = np.zeros(v.shape, dtype=bool)
    gap[1:] = (v[:-1] - v[1:]) > TIE_TOLERANCE
    out = np.empty(t.shape, dtype=np.int64)
    out[by_value] = np.cumsum(gap)
    return out


def shared_ranks(totals: ArrayLike) -> NDArray[np.int64]:
    """Competition ranks ("1, 1, 3"): one plus the number of offers in better tie groups, so
    tied offers share their rank (shown "1=")."""
    g = tie_groups(totals)
    return (1 + np.searchsorted(np.sort(g), g, side="left")).astype(np.int64)


def rank_label(rank: int, tied: bool) -> str:
    """``"1="`` for a shared rank, ``"1"`` otherwise."""
    return f"{rank}=" if tied else str(rank)
