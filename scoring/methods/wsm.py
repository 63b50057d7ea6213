"""Weighted sum (WSM): the additive value model, Hostwise's default method.

Reference: R. L. Keeney and H. Raiffa, *Decisions with Multiple Objectives: Preferences and
Value Tradeoffs*, Wiley, 1976 (additive value function ``V(a) = Σ_j w_j v_j(a)``).

Why it is the default: every point of an offer's total can be traced to one answer and one
weight (``contribution = w_j · u_ij``), the score of an offer does not depend on which other
offers are present, and the score is linear in the weights, so the exact analyses (stability
intervals, minimal flip by linear programming) apply.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["wsm_explain", "wsm_score", "wsm_score_range"]

FloatArray = NDArray[np.float64]


def wsm_score(utilities: FloatArray, weights: FloatArray) -> FloatArray:
    """``Σ_j w_j u_ij / Σ_j w_j`` per offer (m,): 0–100 when the utilities are 0–100.

    Dividing by the weight sum makes only the ratios of the weights matter, as in every other
    method of the registry.

    The totals of the Ranking page and of ``hostwise rank`` under ``wsm`` come from here,
    through the registry. Next: ``scoring.ranking.ranks``.
    """
    return (utilities @ weights) / weights.sum()


def wsm_explain(utilities: FloatArray, weights: FloatArray) -> dict[str, FloatArray]:
    """``contribution``: ``w_j u_ij / Σ w`` (m × n); its row sums are the scores."""
    return {"contribution": utilities * (weights / weights.sum())}


def wsm_score_range(lo: FloatArray, hi: FloatArray, weights: FloatArray
                    ) -> tuple[FloatArray, FloatArray, bool]:
    """Exact bounds of every offer's score when each utility may lie anywhere in [lo, hi].

    Why exact: with fixed non-negative weights the score is non-decreasing in every utility and
    depends on the offer's own row only, so its minimum is at every unknown's low end and its
    maximum at every high end, both attainable (Keeney & Raiffa 1976, additive value model).
    """
    return wsm_score(lo, weights), wsm_score(hi, weights), True
