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

# The published moderation rule: an item goes to the chair when its scores differ by more than
# one level (0-4) or 25 points (0-100), or when the median falls between two levels.
FLAG_SPREAD = {"0-4": 1.0, "0-100": 25.0}
SCALE_MAX = {"0-4": 4.0, "0-100": 100.0}


def consensus(values: Sequence[float], how: str = "median") -> float:
    if not values:
        raise ValueError("no score to aggregate")
    return float(statistics.median(values) if how == "median" else statistics.fmean(values))


def spread(values: Sequence[float]) -> float:
    return float(max(values) - min(values)) if values else 0.0


def flag_reasons(values: Sequence[float], scale: str, how: str = "median") -> list[str]:
    """Why an item needs moderation under the published rule (empty: it does not)."""
    out = []
    if len(values) >= 2 and spread(values) > FLAG_SPREAD[scale]:
        out.append(f"scores differ by {spread(values):g} (more than {FLAG_SPREAD[scale]:g})")
    if values and scale == "0-4" and not consensus(values, how).is_integer():
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
