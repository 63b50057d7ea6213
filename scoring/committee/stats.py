"""Aggregation of independent scores and the measures of disagreement (pure functions).

- Consensus by the median (default: one outlying evaluator cannot drag it) or the mean.
- Spread: the largest minus the smallest score of an item.
- Kendall's coefficient of concordance W across evaluators (Kendall & Babington Smith, "The
  problem of m rankings", Ann. Math. Statist. 10(3):275-287, 1939), with the correction for
  tied ranks (Kendall & Gibbons, *Rank Correlation Methods*, 5th ed., 1990, eq. 6.9;
  Legendre, J. Agric. Biol. Environ. Stat. 10:226-245, 2005):

      W = 12 S / (m² (n³ − n) − m Σ T),   S = Σ_i (R_i − m (n + 1) / 2)²,   T = Σ (t³ − t)

  for m evaluators ranking n offers (R_i the rank sum of offer i, mid-ranks for ties, t the
  size of each group of ties within one evaluator's ranking). W = 1: identical rankings; W = 0:
  no agreement. Undefined (None) for fewer than 2 evaluators or 2 offers, or when every
  evaluator ties every offer.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from itertools import pairwise

# The published moderation rule: an item goes to the chair when its scores differ by more than
# one level (0-4) or 25 points (0-100), or when the median falls between two levels.
FLAG_SPREAD = {"0-4": 1.0, "0-100": 25.0}
SCALE_MAX = {"0-4": 4.0, "0-100": 100.0}
GRID = "grid "  # a grade question's scale: "grid 0,1,2,3,4", the levels of its grid


def grid_scale(levels: Sequence[int]) -> str:
    """The scale of a grade question: its grid's levels (docs/catalogue.md, "grade")."""
    return GRID + ",".join(str(x) for x in sorted(levels))


def grid_levels(scale: str) -> tuple[int, ...] | None:
    """The levels of a grid scale; None for the 0-4 and 0-100 scales."""
    if not scale.startswith(GRID):
        return None
    return tuple(int(x) for x in scale[len(GRID):].split(","))


def whole_levels(scale: str) -> bool:
    """Scores on this scale are whole levels (SEAL 0-4, or a grade's grid)."""
    return scale == "0-4" or grid_levels(scale) is not None


def on_scale(value: float, scale: str) -> bool:
    """Whether a score is allowed on the scale: 0-4 whole, 0-100 any, a grid's levels only."""
    levels = grid_levels(scale)
    if levels is not None:
        return float(value).is_integer() and int(value) in levels
    return 0 <= value <= SCALE_MAX[scale] and (scale != "0-4" or float(value).is_integer())


def scale_words(scale: str) -> str:
    """What the scale allows, for an error message."""
    levels = grid_levels(scale)
    if levels is not None:
        return "a level of the grid (" + ", ".join(map(str, levels)) + ")"
    return f"{'a whole level ' if scale == '0-4' else ''}from 0 to {SCALE_MAX[scale]:g}"


def flag_spread(scale: str) -> float:
    """More than this apart and the scores go to moderation: one level on 0-4, 25 points on
    0-100, the widest step between two neighbouring levels on a grid (one level apart)."""
    levels = grid_levels(scale)
    if levels is not None:
        return float(max(b - a for a, b in pairwise(levels)))
    return FLAG_SPREAD[scale]


def consensus(values: Sequence[float], how: str = "median") -> float:
    if not values:
        raise ValueError("no score to aggregate")
    return float(statistics.median(values) if how == "median" else statistics.fmean(values))


def spread(values: Sequence[float]) -> float:
    return float(max(values) - min(values)) if values else 0.0


def flag_reasons(values: Sequence[float], scale: str, how: str = "median") -> list[str]:
    """Why an item needs moderation under the published rule (empty: it does not)."""
    out = []
    if len(values) >= 2 and spread(values) > flag_spread(scale):
        out.append(f"scores differ by {spread(values):g} (more than {flag_spread(scale):g})")
    if values and whole_levels(scale) and not on_scale(consensus(values, how), scale):
        out.append(f"the {how} {consensus(values, how):g} is not a whole level")
    return out


def midranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n (1 = lowest), ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def kendall_w(matrix: Sequence[Sequence[float]]) -> float | None:
    """W for ``matrix[evaluator][offer]`` scores (every evaluator scored every offer)."""
    m = len(matrix)
    n = len(matrix[0]) if m else 0
    if m < 2 or n < 2 or any(len(row) != n for row in matrix):
        return None
    ranks = [midranks(row) for row in matrix]
    sums = [sum(r[i] for r in ranks) for i in range(n)]
    mean = m * (n + 1) / 2
    s = sum((x - mean) ** 2 for x in sums)
    ties = 0.0
    for row in matrix:
        for v in set(row):
            t = sum(1 for x in row if x == v)
            ties += t ** 3 - t
    denom = m * m * (n ** 3 - n) - m * ties
    return None if denom <= 0 else 12 * s / denom
