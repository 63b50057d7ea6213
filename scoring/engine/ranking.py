"""The one ranking rule, used by the engine and by every analysis (SMAA, stability, flip, award).

Offers are ranked by total, descending, after rounding to ``RANK_DECIMALS`` decimals, so that two
totals equal on paper but apart in the last bits of floating point (0.1 + 0.2 against 0.3) tie
rather than being ordered by noise. Ties go to the offer that comes first in the evaluation's
offer order, which is the offer id order: a published, reproducible rule (the committee states
it in advance), never the order in which files happened to be read.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

RANK_DECIMALS = 9
TIE_TOLERANCE = 10.0 ** -RANK_DECIMALS


def ranking(totals: ArrayLike) -> NDArray[np.int64]:
    """Offer indices from first to last, for one (m,) or many (N, m) total vectors."""
    t = np.round(np.asarray(totals, dtype=float), RANK_DECIMALS)
    return np.argsort(-t, axis=-1, kind="stable")


def ranks(totals: ArrayLike) -> NDArray[np.int64]:
    """Rank of each offer (1 = first), same shape as ``totals``; ties broken by offer order."""
    order = ranking(totals)
    out = np.empty_like(order)
    np.put_along_axis(out, order, np.arange(1, order.shape[-1] + 1), axis=-1)
    return out


def tied(a: float, b: float) -> bool:
    """Whether two totals tie under the ranking rule."""
    return round(a, RANK_DECIMALS) == round(b, RANK_DECIMALS)
