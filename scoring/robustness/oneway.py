"""One-way sensitivity: totals and ranks along one criterion's weight path, with every exact
point where the leader or the ranking changes (weighted sum; see ``paths`` for the path).

The leader changes come from the stability walk (``stability.interval_for``). The full list of
ranking changes needs every pair of offers (O(m²) tie polynomials, batched), so it is meant for
the committee's handful of offers, not for the 500-offer sensitivity report, which does not
use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine import DecisionMatrix
from ..errors import InputError
from ..ranking import ranks as rank_numbers
from ._common import FloatArray, criterion_index, ranking
from .paths import _weights_at, real_roots, tie_polynomials
from .stability import MERGE, Crossover, _Path, interval_for


@dataclass(frozen=True)
class RankingChange:
    """A point of the path where the full ranking changes (``before`` / ``after``: best first)."""

    weight: float
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class OneWay:
    """One-way sensitivity of the totals to one criterion's weight.

    ``t`` (steps,) is the criterion's weight along the path, ``totals`` (steps, m) and ``ranks``
    (steps, m, 1 = first) the engine's totals and ranks there; ``crossovers`` are the exact
    points where the leader changes and ``ranking_changes`` those where any two offers swap.
    ``weights_at(t)`` gives the full weight vector at a point of the path.
    """

    criterion: str
    index: int
    weight: float
    rest: tuple[float, ...]
    offers: tuple[str, ...]
    t: FloatArray
    totals: FloatArray
    ranks: NDArray[np.int64]
    crossovers: tuple[Crossover, ...]
    ranking_changes: tuple[RankingChange, ...]

    def weights_at(self, t: ArrayLike) -> FloatArray:
        return _weights_at(self.index, np.asarray(self.rest), t)


def _ranking_changes(dm: DecisionMatrix, p: _Path) -> list[RankingChange]:
    m = len(dm.offers)
    if m < 2:
        return []
    i, j = np.triu_indices(m, 1)
    poly, same = tie_polynomials(p.N, p.D, i, j)
    _, roots = real_roots(poly[~same])
    roots = np.unique(roots[(roots > MERGE) & (roots < 1.0 - MERGE)])
    if roots.size > 1:
        roots = roots[np.concatenate([[True], np.diff(roots) > MERGE])]
    b = np.concatenate([[0.0], roots, [1.0]])
    orders = p.orders((b[:-1] + b[1:]) / 2.0)
    names = dm.offers
    out: list[RankingChange] = []
    for r in range(1, len(b) - 1):
        if not np.array_equal(orders[r - 1], orders[r]):
            out.append(RankingChange(float(b[r]), tuple(names[x] for x in orders[r - 1]),
                                     tuple(names[x] for x in orders[r])))
    return out


def one_way(dm: DecisionMatrix, criterion: str | int, steps: int = 101) -> OneWay:
    """Totals and ranks of every offer as ``criterion``'s weight moves from 0 to 1, the others
    rescaled proportionally, with the exact crossover points where the leader changes."""
    if steps < 2:
        raise InputError("steps must be at least 2")
    k = criterion_index(dm, criterion)
    p = _Path(dm, k)
    t = np.linspace(0.0, 1.0, steps)
    totals = np.atleast_2d(dm.totals(_weights_at(k, p.rest, t)))
    ranks = rank_numbers(totals)
    cross = interval_for(dm, k).crossovers if dm.offers else ()
    changes = _ranking_changes(dm, p)
    for a in (t, totals, ranks):
        a.setflags(write=False)
    return OneWay(dm.criteria[k], k, p.t0, tuple(float(x) for x in p.rest), dm.offers,
                  t, totals, ranks, tuple(cross), tuple(changes))


def sweep(dm: DecisionMatrix, steps: int = 101) -> tuple[OneWay, ...]:
    """``one_way`` for every criterion (or pillar) of the matrix."""
    return tuple(one_way(dm, k, steps) for k in range(len(dm.criteria)))


__all__ = ["OneWay", "RankingChange", "one_way", "ranking", "sweep"]
