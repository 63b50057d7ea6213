"""The aggregation methods, listed once.

The CLI's ``--method``, the scenario's ``method:``, the app's picker and the robustness analyses
all read :data:`METHODS`; adding a method touches its own file and one entry here.

A method turns a complete matrix of utilities (offers × scored leaves, 0–100, higher is better,
no NaN: the missing-answer policy has been applied before) and global leaf weights (summing to 1)
into one score per offer on 0–100, higher is better. Methods whose score is a weighted sum
(linear in the weights) support the exact analyses (stability intervals with exact crossovers,
minimal flip by linear programming); the others are analysed by sampling (SMAA) or, where an
analysis needs linearity, the analysis says so plainly instead of switching method silently.

How a caller gets a scorer for a scenario::

    method = get_method(scenario.method)
    params = getattr(scenario, method.params_key) if method.params_key else None
    method = method.bind(params, [(lf.question, lf.criterion, lf.pillar) for lf in leaves])
    totals = method.score(utilities, weights)           # (m,)
    pieces = method.explain(utilities, weights)         # {name: (m, n) array}

``bind`` returns a :class:`Method` whose ``score`` / ``explain`` / ``score_many`` use the
parameters resolved against the leaves (most specific id first); methods without parameters
return themselves (``params`` must then be None). ``params=None`` on a method with parameters
binds its defaults (PROMETHEE: usual criterion everywhere), which is also what the unbound
``score`` uses.

``explain(utilities, weights)`` returns offer × leaf arrays (same shape as ``utilities``) that
show where each score comes from:

* ``wsm``: ``contribution = w_j u_ij / Σw`` — rows sum to the score.
* ``topsis``: ``sq_dist_ideal`` and ``sq_dist_anti_ideal`` — squared weighted gaps to the best
  and worst offer present per leaf (rows sum to S+² and S−²), and ``weighted_normalised``; this
  is what shows why TOPSIS may order two offers differently from the weighted sum.
* ``promethee``: ``net_flow = w_j φ_j(a)`` (rows sum to φ) and ``contribution = 50 w_j φ_j``
  (rows sum to score − 50: 50 is the neutral point), plus ``outranking_utility = 50 (1 + φ_j)``.

``linearise`` (optional): for a method whose score, for a fixed set of offers, is a weighted sum
of transformed utilities (PROMETHEE II), the transformed m × n matrix; ``score_many`` uses it so
that sampling many weight vectors costs one matrix product.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import InputError
from ._ranges import own_worst_others_best
from .promethee import (
    USUAL,
    CriterionFunction,
    PrometheeSettings,
    criterion_net_flows,
    net_flow_score,
    outranking_utilities,
)
from .topsis import closeness_bounds, topsis, topsis_explain
from .wsm import wsm_explain, wsm_score, wsm_score_range

FloatArray = NDArray[np.float64]
Scorer = Callable[[FloatArray, FloatArray], FloatArray]
Explainer = Callable[[FloatArray, FloatArray], dict[str, FloatArray]]
Linearise = Callable[[FloatArray], FloatArray]
#: (lo, hi, weights) -> (low scores, high scores, exact): the range of every offer's score when
#: each utility may lie anywhere in [lo, hi] (``exact`` False: an outer bound).
RangeScorer = Callable[[FloatArray, FloatArray, FloatArray], tuple[FloatArray, FloatArray, bool]]
LeafKeys = Sequence[str | Sequence[str]]
#: (params, leaf keys or None) -> bound Method; see :meth:`Method.bind`.
Binder = Callable[["Method", Any, LeafKeys | None], "Method"]


@dataclass(frozen=True)
class Method:
    """One aggregation method as the rest of the program sees it.

    Attributes:
        name: the id written in scenarios and on the command line (``wsm``).
        label: what a committee reads (``Weighted sum``).
        summary: one sentence saying what the score means, for help texts.
        reference: the publication the implementation follows.
        score: (utilities m×n, weights n) -> scores m, 0–100.
        linear: True when the score is ``utilities @ weights / Σw`` (exact analyses apply).
        depends_on_others: True when an offer's score depends on the other offers present
            (rank reversal is possible when one is added or withdrawn).
        explain: (utilities, weights) -> {name: m×n array}; see the module docstring.
        params_key: the scenario field holding this method's parameters (None: none).
        linearise: utilities -> m×n matrix whose weighted mean is the score, when it exists.
        params: the parameters bound by :meth:`bind` (None for defaults), for display.
        score_range: (lo, hi, weights) -> (low, high, exact): every offer's score range when
            each utility lies in an interval (the ``uncertain`` policy); ``exact`` False when
            the range is an outer bound (it contains every attainable score, maybe more).
    """

    name: str
    label: str
    summary: str
    reference: str
    score: Scorer
    linear: bool
    depends_on_others: bool
    explain: Explainer | None = None
    params_key: str | None = None
    linearise: Linearise | None = None
    params: Any = None
    _binder: Binder | None = None
    score_range: RangeScorer | None = None

    def bind(self, params: Any = None, leaf_keys: LeafKeys | None = None) -> Method:
        """This method with its parameters resolved against the scored leaves.

        ``leaf_keys``: for each leaf, its ids most specific first (``("cert.hds", "security",
        "trust")``) or a single id. Raises ``InputError`` for parameters the method does not
        take or that name no leaf.
        """
        if self._binder is None:
            if params is not None:
                raise InputError(f"method {self.name!r} takes no parameters")
            return self
        return self._binder(self, params, leaf_keys)

    def score_many(self, utilities: FloatArray, weights: FloatArray) -> FloatArray:
        """Scores for many weight vectors (N×n) -> (N×m); one matrix product when possible."""
        w = np.atleast_2d(weights)
        if self.linear or self.linearise is not None:
            u = utilities if self.linearise is None else self.linearise(utilities)
            return (w @ u.T) / w.sum(axis=1, keepdims=True)
        return np.stack([self.score(utilities, row) for row in w])


def _topsis_score(utilities: FloatArray, weights: FloatArray) -> FloatArray:
    """TOPSIS closeness × 100, all leaves benefit (utilities are higher-is-better)."""
    if not (weights > 0).any():
        return np.full(utilities.shape[0], 50.0)
    res = topsis(utilities, weights, np.ones(utilities.shape[1], dtype=bool))
    return np.asarray(res.closeness) * 100.0


def _topsis_explain(utilities: FloatArray, weights: FloatArray) -> dict[str, FloatArray]:
    return topsis_explain(utilities, weights, np.ones(utilities.shape[1], dtype=bool))


def _topsis_range(lo: FloatArray, hi: FloatArray, weights: FloatArray
                  ) -> tuple[FloatArray, FloatArray, bool]:
    """An outer bound of the closeness × 100 (``topsis.closeness_bounds``): not exact."""
    if not (weights > 0).any():
        flat = np.full(lo.shape[0], 50.0)
        return flat, flat.copy(), True
    c_lo, c_hi = closeness_bounds(lo, hi, weights)
    return np.asarray(c_lo) * 100.0, np.asarray(c_hi) * 100.0, False


def _monotone_range(score: Scorer) -> RangeScorer:
    """The exact range of a method in which an offer gains from its own utilities and loses
    from the others' (``_ranges.own_worst_others_best``; PROMETHEE II)."""

    def score_range(lo: FloatArray, hi: FloatArray, weights: FloatArray
                    ) -> tuple[FloatArray, FloatArray, bool]:
        s_lo, s_hi = own_worst_others_best(score, lo, hi, weights)
        return s_lo, s_hi, True

    return score_range


def _promethee_parts(
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


def _bind_promethee(method: Method, params: Any, leaf_keys: LeafKeys | None) -> Method:
    if params is None:
        return method
    if not isinstance(params, PrometheeSettings):
        raise InputError(f"PROMETHEE parameters must be PrometheeSettings, got {type(params)}")
    if leaf_keys is None:
        if params.criteria:
            raise InputError("PROMETHEE per-criterion functions need the leaf ids to bind to")
        parts = _promethee_parts(params.default)
    else:
        parts = _promethee_parts(params.functions_for(leaf_keys))
    score, explain, linearise = parts
    return replace(method, score=score, explain=explain, linearise=linearise, params=params,
                   score_range=_monotone_range(score))


_PROMETHEE_DEFAULT = _promethee_parts(USUAL)

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            name="wsm",
            label="Weighted sum",
            summary="Each offer's total is the weighted sum of its 0-100 utilities: every point "
            "of the total can be traced to one answer and one weight.",
            reference="Keeney & Raiffa (1976), Decisions with Multiple Objectives, additive value "
            "model",
            score=wsm_score,
            linear=True,
            depends_on_others=False,
            explain=wsm_explain,
            score_range=wsm_score_range,
        ),
        Method(
            name="topsis",
            label="TOPSIS",
            summary="Closeness (0-100) to an ideal offer built from the best answer to each "
            "question among the offers present, and away from the worst.",
            reference="Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer LNEMS 186",
            score=_topsis_score,
            linear=False,
            depends_on_others=True,
            explain=_topsis_explain,
            score_range=_topsis_range,
        ),
        Method(
            name="promethee",
            label="PROMETHEE II",
            summary="Net outranking flow mapped to 0-100 as 50 x (flow + 1): 50 is the average "
            "competitor, 100 beats every other offer on every weighted question.",
            reference="Brans & Vincke (1985), A preference ranking organisation method, "
            "Management Science 31(6):647-656",
            score=_PROMETHEE_DEFAULT[0],
            linear=False,
            depends_on_others=True,
            explain=_PROMETHEE_DEFAULT[1],
            params_key="promethee",
            linearise=_PROMETHEE_DEFAULT[2],
            _binder=_bind_promethee,
            score_range=_monotone_range(_PROMETHEE_DEFAULT[0]),
        ),
    )
}


def method_names() -> tuple[str, ...]:
    """The method ids, in the order a picker shows them."""
    return tuple(METHODS)


def get_method(name: str) -> Method:
    """The method called ``name``; ``KeyError`` with the known names otherwise."""
    try:
        return METHODS[name]
    except KeyError:
        raise KeyError(f"unknown method {name!r} (known: {', '.join(METHODS)})") from None


__all__ = [
    "METHODS",
    "Explainer",
    "LeafKeys",
    "Method",
    "RangeScorer",
    "Scorer",
    "get_method",
    "method_names",
    "net_flow_score",
]
