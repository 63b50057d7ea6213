"""Exact stability intervals and crossovers of one criterion's weight (weighted sum only).

For each criterion k the weight moves along the one-way path of ``paths`` (others rescaled
proportionally). The leader can change only where it ties with another offer, so the path is
walked from the current weight outwards: at each step the ties of the current leader with every
other offer (m − 1 polynomials, batched roots) are the only candidate change points, and the
leader on each open piece between them is read with the engine's ``DecisionMatrix.totals`` and
the ranking rule. The ranking can first change only where two offers adjacent in it tie (a
non-adjacent pair cannot meet before an adjacent one: the totals are continuous on the open
path), so its interval needs m − 1 polynomials as well. Work per criterion is O(m · changes)
instead of the O(m²) of all pairs (Triantaphyllou & Sánchez 1997 for the weighted sum; the
kinetic argument is that of kinetic sorting, J. Basch, L. Guibas and J. Hershberger, "Data
structures for mobile data", J. Algorithms 31(1):1–28, 1999).

End points. At exactly 0 or 1 some weights are 0: under ``exclude`` an offer whose answered
criteria of a pillar lose all their weight drops that pillar, so the ranking AT the end point
can differ from the ranking just inside it. The end points are therefore evaluated on their
own, and every interval says whether each of its ends belongs to it (``*_closed``). Inside the
path an end is closed when the ranking exactly there (ties broken by offer order) is still the
current one. A tie at a single point inside an interval (two totals that touch without
crossing) is not counted as a change.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import DecisionMatrix
from ._common import FloatArray, IntArray, normalised, ranking, totals_many
from .paths import _path, _weights_at, rational_coefficients, real_roots, tie_polynomials

#: Candidate change points closer than this (in weight) are merged.
MERGE = 1e-10
#: Midpoints evaluated per batch while walking.
_BATCH = 64


@dataclass(frozen=True)
class Crossover:
    """A point of the path where the leader changes: ``before`` leads just below ``weight``,
    ``after`` just above; both have ``total`` there. Only ties inside the path are
    crossovers; a change exactly at weight 0 or 1 (a jump of the totals) shows in
    ``StabilityInterval.end_leaders`` and the ``*_closed`` flags.
    """

    weight: float
    before: str
    after: str
    total: float


@dataclass(frozen=True)
class StabilityInterval:
    """For one criterion: the exact interval of its weight (others rescaled proportionally)
    around the current ``weight`` where the leader stays ``leader`` ([leader_lo, leader_hi])
    and where the whole ranking stays the same ([ranking_lo, ranking_hi]). ``*_closed`` say
    whether each end belongs to the interval; ``end_leaders`` are the leaders at exactly 0 and
    exactly 1 (see the module docstring)."""

    criterion: str
    weight: float
    leader: str | None
    leader_lo: float
    leader_hi: float
    ranking_lo: float
    ranking_hi: float
    crossovers: tuple[Crossover, ...] = ()
    leader_closed: tuple[bool, bool] = (True, True)
    ranking_closed: tuple[bool, bool] = (True, True)
    end_leaders: tuple[str | None, str | None] = (None, None)


class _Path:
    """One criterion's path with cached exact evaluations."""

    def __init__(self, dm: DecisionMatrix, k: int) -> None:
        self.dm, self.k = dm, k
        self.w, self.rest = _path(dm, k)
        self.t0 = float(self.w[k])
        self.N, self.D = rational_coefficients(dm, k, self.rest)

    def orders(self, t: FloatArray) -> IntArray:
        """The engine's ranking at points t (``DecisionMatrix.totals``' formula, computed pillar
        by pillar: ``totals_many``)."""
        return np.asarray(ranking(totals_many(self.dm, _weights_at(self.k, self.rest, t))))

    def totals(self, t: float) -> FloatArray:
        return np.asarray(self.dm.totals(_weights_at(self.k, self.rest, t)[0]))

    def ties(self, i: IntArray, j: IntArray, lo: float, hi: float) -> FloatArray:
        """Sorted distinct tie points of pairs (i, j) strictly inside (lo, hi)."""
        if len(i) == 0:
            return np.zeros(0)
        poly, same = tie_polynomials(self.N, self.D, i, j)
        _, roots = real_roots(poly[~same])
        roots = np.unique(roots[(roots > lo + MERGE) & (roots < hi - MERGE)])
        if roots.size > 1:
            roots = roots[np.concatenate([[True], np.diff(roots) > MERGE])]
        return roots


def _first_change(p: _Path, start: float, end: float, same: IntArray,
                  key: str, cands: FloatArray) -> tuple[float, IntArray | None]:
    """Walk from ``start`` towards ``end`` across ``cands`` (ordered that way); return the first
    break where the piece after it no longer matches ``same`` (by leader or whole ranking), and
    the ranking on that piece (None when ``end`` is reached)."""
    if start == end:
        return end, None
    pts = np.concatenate([[start], cands, [end]])
    for a in range(0, len(pts) - 1, _BATCH):
        b = min(a + _BATCH, len(pts) - 1)
        mids = (pts[a:b] + pts[a + 1:b + 1]) / 2.0
        orders = p.orders(mids)
        ok = (orders[:, 0] == same[0]) if key == "leader" else np.all(orders == same, axis=1)
        bad = np.flatnonzero(~ok)
        if bad.size:
            r = a + int(bad[0])
            return float(pts[r]), orders[bad[0]]
    return end, None


def _walk_leader(p: _Path, names: tuple[str, ...], direction: int
                 ) -> tuple[float, list[Crossover]]:
    """Leader changes from t0 towards 1 (direction +1) or 0 (−1): the interval end and every
    crossover on the way, in path order."""
    m = len(names)
    start, end = p.t0, (1.0 if direction > 0 else 0.0)
    leader = int(p.orders(np.array([p.t0]))[0][0])
    first_end: float | None = None
    cross: list[Crossover] = []
    pos = start
    while True:
        others = np.array([j for j in range(m) if j != leader], dtype=np.int64)
        lo, hi = (pos, end) if direction > 0 else (end, pos)
        c = p.ties(np.full(others.size, leader), others, lo, hi)
        if direction < 0:
            c = c[::-1]
        at, order = _first_change(p, pos, end, np.array([leader]), "leader", c)
        if first_end is None:
            first_end = at
        if order is None:
            break
        new = int(order[0])
        tot = p.totals(at)
        before, after = (leader, new) if direction > 0 else (new, leader)
        cross.append(Crossover(at, names[before], names[after],
                               float((tot[leader] + tot[new]) / 2.0)))
        leader, pos = new, at
    if direction < 0:
        cross.reverse()
    return first_end, cross


def _ranking_end(p: _Path, current: IntArray, direction: int) -> float:
    """Where the whole ranking first changes from t0 towards one end (adjacent ties only)."""
    end = 1.0 if direction > 0 else 0.0
    lo, hi = (p.t0, end) if direction > 0 else (end, p.t0)
    c = p.ties(current[:-1], current[1:], lo, hi)
    if direction < 0:
        c = c[::-1]
    at, _ = _first_change(p, p.t0, end, current, "ranking", c)
    return at


def interval_for(dm: DecisionMatrix, k: int) -> StabilityInterval:
    """The stability interval of criterion k (see ``stability_intervals``)."""
    p = _Path(dm, k)
    names = dm.offers
    current = p.orders(np.array([p.t0]))[0]
    llo, cross_l = _walk_leader(p, names, -1)
    lhi, cross_r = _walk_leader(p, names, +1)
    rlo, rhi = _ranking_end(p, current, -1), _ranking_end(p, current, +1)
    at = p.orders(np.array(sorted({0.0, 1.0, llo, lhi, rlo, rhi})))
    exact = dict(zip(sorted({0.0, 1.0, llo, lhi, rlo, rhi}), at, strict=True))
    lead = int(current[0])

    def leads(t: float) -> bool:
        return int(exact[t][0]) == lead

    def same(t: float) -> bool:
        return bool(np.array_equal(exact[t], current))

    cross = list(cross_l) + list(cross_r)
    end0, end1 = int(exact[0.0][0]), int(exact[1.0][0])
    return StabilityInterval(
        dm.criteria[k], p.t0, names[lead], llo, lhi, rlo, rhi, tuple(cross),
        (leads(llo), leads(lhi)), (same(rlo), same(rhi)), (names[end0], names[end1]))


def stability_intervals(dm: DecisionMatrix) -> tuple[StabilityInterval, ...]:
    """For each criterion, the exact weight interval keeping (a) the leader, (b) the ranking.

    Defined for the weighted sum (``DecisionMatrix.totals``); for a scenario scored by another
    method, see ``scoring.robustness.scenario``.
    """
    if len(dm.criteria) < 2:
        return ()
    if not dm.offers:
        w = normalised(dm.weights)
        return tuple(StabilityInterval(c, float(w[k]), None, 0.0, 1.0, 0.0, 1.0)
                     for k, c in enumerate(dm.criteria))
    return tuple(interval_for(dm, k) for k in range(len(dm.criteria)))
