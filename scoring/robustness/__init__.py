"""How robust is the award? Stability intervals, one-way paths, flip, SMAA-2, rank reversal.

Everything works on the engine's ``DecisionMatrix`` (``Evaluation.matrix(level)``): the
eligible offers × criteria (or pillars) with their 0–100 scores and weights, and the engine's
own aggregation ``DecisionMatrix.totals``. Excluded offers are not in it: gates are respected,
so no analysis can make an excluded offer win. Ranks follow THE rule of
``scoring.ranking`` everywhere.

Modules (one job each):

* ``paths`` — one criterion's weight path, totals as rational functions, batched exact roots;
* ``stability`` — exact stability intervals and leader crossovers (open/closed ends);
* ``oneway`` — totals and ranks along a path, every ranking change;
* ``flip`` — the smallest weight change that makes an offer first (LP; faces of the simplex);
* ``smaa`` — SMAA-2 over the matrix, on the scenario's method;
* ``reversal`` — rank reversal when an offer is removed or added;
* ``scenario`` — the analyses of an evaluated scenario, on its own method (the exact ones
  need the weighted sum and say so otherwise).

Text and JSON renderings live in ``scoring.report.robustness``.
"""

from ._common import TIE_TOLERANCE, ranking
from .flip import FlipResult, WeightChange, flip
from .oneway import OneWay, RankingChange, one_way, sweep
from .reversal import RankReversalReport, RemovalCheck, Reversal, rank_reversal_check
from .scenario import (
    MAX_SAMPLES,
    SensitivityReport,
    Support,
    check_samples,
    flip_for,
    sensitivity,
    smaa_for,
    support,
)
from .smaa import LeafMatrix, SmaaSummary, leaf_matrix, smaa
from .stability import Crossover, StabilityInterval, stability_intervals

__all__ = [
    "MAX_SAMPLES",
    "TIE_TOLERANCE",
    "Crossover",
    "FlipResult",
    "LeafMatrix",
    "OneWay",
    "RankReversalReport",
    "RankingChange",
    "RemovalCheck",
    "Reversal",
    "SensitivityReport",
    "SmaaSummary",
    "StabilityInterval",
    "Support",
    "WeightChange",
    "check_samples",
    "flip",
    "flip_for",
    "leaf_matrix",
    "one_way",
    "rank_reversal_check",
    "ranking",
    "sensitivity",
    "smaa",
    "smaa_for",
    "stability_intervals",
    "support",
    "sweep",
]
