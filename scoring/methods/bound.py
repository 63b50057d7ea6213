"""Each method's parts under given settings (Hwang & Yoon 1981 for TOPSIS; Opricovic &
Tzeng 2004 for VIKOR; Brans & Vincke 1985 for PROMETHEE II): its score, its explanation, the
range of a total when answers are intervals, and ``bind``, which resolves a scenario's
parameters against the leaves. The registry (``registry.METHODS``) lists the methods with these
parts; this module builds them, so the table stays a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from ..errors import InputError
from ._ranges import own_worst_others_best
from .base import (
    Explainer,
    FloatArray,
    LeafKeys,
    Linearise,
    Method,
    RangeScorer,
    Remarks,
    Scorer,
)
from .promethee import criterion_net_flows, net_flow_score, outranking_utilities
from .promethee_settings import USUAL, CriterionFunction, PrometheeSettings
from .topsis import TopsisSettings, closeness_bounds, topsis_closeness, topsis_explain
from .vikor import (
    SPREAD_TOL,
    VikorSettings,
    compromise_bounds,
    compromise_index,
    vikor,
    vikor_regrets,
    vikor_score,
)


def topsis_parts(settings: TopsisSettings) -> tuple[Scorer, Explainer]:
    """TOPSIS closeness × 100 and its pieces, all leaves benefit (higher-is-better utilities)."""

    def score(utilities: FloatArray, weights: FloatArray) -> FloatArray:
        if not (weights > 0).any():
            return np.full(utilities.shape[0], 50.0)
        return topsis_closeness(utilities, weights, settings.normalisation) * 100.0

    def explain(utilities: FloatArray, weights: FloatArray) -> dict[str, FloatArray]:
        return topsis_explain(utilities, weights, np.ones(utilities.shape[1], dtype=bool),
                              settings.normalisation)

    return score, explain


def bind_topsis(method: Method, params: Any, leaf_keys: LeafKeys | None) -> Method:
    if params is None:
        return method
    if not isinstance(params, TopsisSettings):
        raise InputError(f"TOPSIS parameters must be TopsisSettings, got {type(params)}")
    score, explain = topsis_parts(params)
    return replace(method, score=score, explain=explain, params=params,
                   score_range=topsis_range(params))


TOPSIS_DEFAULT = topsis_parts(TopsisSettings())


def vikor_parts(settings: VikorSettings) -> tuple[Scorer, Explainer]:
    """``100 (1 − Q)`` and the weighted regrets, all leaves benefit.

    All weights zero: every regret is 0, neither S nor R separates the offers, Q = 1/2 for all
    (the neutral rule of :mod:`scoring.methods.vikor`), so the score is 50, as under TOPSIS.
    """

    def regrets(utilities: FloatArray, weights: FloatArray) -> FloatArray:
        total = weights.sum()
        w = weights / total if total > 0 else np.zeros_like(weights)
        return vikor_regrets(utilities, w, np.ones(utilities.shape[1], dtype=bool))

    def score(utilities: FloatArray, weights: FloatArray) -> FloatArray:
        d = regrets(utilities, weights)
        return vikor_score(compromise_index(d.sum(axis=1), d.max(axis=1), settings.v))

    def explain(utilities: FloatArray, weights: FloatArray) -> dict[str, FloatArray]:
        return {"regret": regrets(utilities, weights)}

    return score, explain


def vikor_range(settings: VikorSettings) -> RangeScorer:
    """An outer bound of ``100 (1 − Q)`` (``vikor.compromise_bounds``): not exact, because the
    spread of S and R over the offers moves with every offer's unknowns (the corner rule that
    is exact for PROMETHEE II is not for VIKOR: ``tests/test_method_ranges.py``)."""

    def score_range(lo: FloatArray, hi: FloatArray, weights: FloatArray
                    ) -> tuple[FloatArray, FloatArray, bool]:
        if not (weights > 0).any():
            flat = np.full(lo.shape[0], 50.0)
            return flat, flat.copy(), True
        q_lo, q_hi = compromise_bounds(lo, hi, weights, settings.v)
        return vikor_score(np.asarray(q_hi)), vikor_score(np.asarray(q_lo)), False

    return score_range


def bind_vikor(method: Method, params: Any, leaf_keys: LeafKeys | None) -> Method:
    if params is None:
        return method
    if not isinstance(params, VikorSettings):
        raise InputError(f"VIKOR parameters must be VikorSettings, got {type(params)}")
    score, explain = vikor_parts(params)
    return replace(method, score=score, explain=explain, params=params,
                   remarks=vikor_remarks_for(params), score_range=vikor_range(params))


def vikor_remarks_for(settings: VikorSettings) -> Remarks:
    def remarks(utilities: FloatArray, weights: FloatArray, names: Sequence[str]) -> list[str]:
        if utilities.shape[0] == 0 or not (weights > 0).any():
            return []
        r = vikor(utilities, weights, None, settings.v)
        order = r.ranking()
        a1 = int(order[0])
        out = []
        if len(order) > 1:
            a2 = int(order[1])
            gap = float(r.q[a2] - r.q[a1])
            out.append(f"C1 acceptable advantage: Q({names[a2]}) - Q({names[a1]}) = {gap:.4f} "
                       f"{'>=' if r.c1 else '<'} DQ = 1/(m-1) = {r.dq:.4f}: "
                       f"{'holds' if r.c1 else 'fails'}")
            best_s = bool(r.s[a1] <= r.s.min() + SPREAD_TOL)
            best_r = bool(r.r[a1] <= r.r.min() + SPREAD_TOL)
            by = " and ".join(x for x, ok in (("S", best_s), ("R", best_r)) if ok)
            out.append(f"C2 acceptable stability: {names[a1]} is "
                       + (f"also best by {by}: holds" if by else "best by neither S nor R: "
                          "fails"))
        chosen = ", ".join(names[k] for k in r.compromise)
        out.append(f"Compromise {'solution' if len(r.compromise) == 1 else 'set'} "
                   f"(v = {r.v:g}): {chosen}")
        return out

    return remarks


VIKOR_REMARKS = vikor_remarks_for(VikorSettings())
VIKOR_DEFAULT = vikor_parts(VikorSettings())


def topsis_range(settings: TopsisSettings) -> RangeScorer:
    """An outer bound of the closeness × 100 (``topsis.closeness_bounds``): not exact."""

    def score_range(lo: FloatArray, hi: FloatArray, weights: FloatArray
                    ) -> tuple[FloatArray, FloatArray, bool]:
        if not (weights > 0).any():
            flat = np.full(lo.shape[0], 50.0)
            return flat, flat.copy(), True
        c_lo, c_hi = closeness_bounds(lo, hi, weights, settings.normalisation)
        return np.asarray(c_lo) * 100.0, np.asarray(c_hi) * 100.0, False

    return score_range


def monotone_range(score: Scorer) -> RangeScorer:
    """The exact range of a method in which an offer gains from its own utilities and loses
    from the others' (``_ranges.own_worst_others_best``; PROMETHEE II)."""

    def score_range(lo: FloatArray, hi: FloatArray, weights: FloatArray
                    ) -> tuple[FloatArray, FloatArray, bool]:
        s_lo, s_hi = own_worst_others_best(score, lo, hi, weights)
        return s_lo, s_hi, True

    return score_range


def promethee_parts(
    functions: CriterionFunction | Sequence[CriterionFunction],
) -> tuple[Scorer, Explainer, Linearise]:
    """Score, explain and linearise for one function everywhere or one function per leaf."""

    def fns(n: int) -> Sequence[CriterionFunction]:
        if isinstance(functions, CriterionFunction):
            return (functions,) * n
        if len(functions) != n:
            raise InputError(f"PROMETHEE was bound to {len(functions)} leaves, given {n} columns")
        return functions

    def linearise(utilities: FloatArray) -> FloatArray:
        return outranking_utilities(utilities, fns(utilities.shape[1]))

    def score(utilities: FloatArray, weights: FloatArray) -> FloatArray:
        # 50 (1 + φ) with φ = Σ_j w̃_j φ_j; equal to linearise(u) @ w̃ since Σ w̃ = 1.
        net = criterion_net_flows(utilities, fns(utilities.shape[1]))
        return net_flow_score((weights @ net) / weights.sum())

    def explain(utilities: FloatArray, weights: FloatArray) -> dict[str, FloatArray]:
        phi_j = criterion_net_flows(utilities, fns(utilities.shape[1])).T
        net = phi_j * (weights / weights.sum())
        return {"net_flow": net, "contribution": 50.0 * net,
                "outranking_utility": net_flow_score(phi_j)}

    return score, explain, linearise


def bind_promethee(method: Method, params: Any, leaf_keys: LeafKeys | None) -> Method:
    if params is None:
        return method
    if not isinstance(params, PrometheeSettings):
        raise InputError(f"PROMETHEE parameters must be PrometheeSettings, got {type(params)}")
    if leaf_keys is None:
        if params.criteria:
            raise InputError("PROMETHEE per-criterion functions need the leaf ids to bind to")
        parts = promethee_parts(params.default)
    else:
        parts = promethee_parts(params.functions_for(leaf_keys))
    score, explain, linearise = parts
    return replace(method, score=score, explain=explain, linearise=linearise, params=params,
                   score_range=monotone_range(score))


PROMETHEE_DEFAULT = promethee_parts(USUAL)
