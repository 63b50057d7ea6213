"""The aggregation methods, listed once.

The CLI's ``--method``, the scenario's ``method:``, the app's picker and the robustness analyses
all read :data:`METHODS`; adding a method touches its own file and one entry here. It is the only
road: the engine computes every total (the weighted sum's too) with the bound method's ``score``;
a scenario keeps each method's raw parameters under ``params_key`` and ``params_model``
validates them; explanations (CLI, report, app) are rendered from ``explain`` and the metadata
below (``columns``, ``figures``, ``scale``, ``note``, ``remarks``), and help texts from
``summary`` and ``reference``. No module outside ``scoring/methods`` names a method
(``tests/test_methods_road.py`` checks it).

A method turns a complete matrix of utilities (offers × scored leaves, 0–100, higher is better,
no NaN: the missing-answer policy has been applied before) and global leaf weights (summing to 1)
into one score per offer on 0–100, higher is better. Methods whose score is a weighted sum
(linear in the weights) support the exact analyses (stability intervals with exact crossovers,
minimal flip by linear programming); the others are analysed by sampling (SMAA) or, where an
analysis needs linearity, the analysis says so plainly instead of switching method silently.

How a caller gets a scorer for a scenario::

    method = get_method(scenario.method)
    params = method.parse_params(scenario.method_params.get(method.params_key))
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
* ``vikor``: ``regret = w_j (f*_j − u_ij) / (f*_j − f-_j)`` — rows sum to S (group utility) and
  their maximum is R (individual regret); Q and the score follow from S and R of all offers.

``linearise`` (optional): for a method whose score, for a fixed set of offers, is a weighted sum
of transformed utilities (PROMETHEE II), the transformed m × n matrix; ``score_many`` uses it so
that sampling many weight vectors costs one matrix product.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails

from ..i18n import N_
from .base import (
    POINTS,
    SCORE_DIGITS,
    Column,
    Explainer,
    Figure,
    LeafKeys,
    Method,
    RangeScorer,
    Scale,
    Scorer,
)
from .bound import (
    PROMETHEE_DEFAULT,
    TOPSIS_DEFAULT,
    VIKOR_DEFAULT,
    VIKOR_REMARKS,
    bind_promethee,
    bind_topsis,
    bind_vikor,
    monotone_range,
    topsis_range,
    vikor_range,
)
from .promethee import net_flow_score
from .promethee_settings import PrometheeSettings
from .topsis import TopsisSettings
from .vikor import (
    VikorSettings,
)
from .wsm import wsm_explain, wsm_score, wsm_score_range

_UNKNOWN = (" An unknown answer counts as 0 (as the middle of its interval under the "
            "uncertain policy): the method has no renormalisation of its own.")

METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            name="wsm",
            label=N_("Weighted sum"),
            summary=N_("Each offer's total is the weighted sum of its 0-100 utilities: every "
                       "point of the total can be traced to one answer and one weight."),
            reference="Keeney & Raiffa (1976), Decisions with Multiple Objectives, additive value "
            "model",
            score=wsm_score,
            linear=True,
            depends_on_others=False,
            explain=wsm_explain,
            columns=(Column("contribution", "contrib.", 2),),
            figures=(Figure("total", "contribution", "sum", SCORE_DIGITS),),
            sort_keys=("contribution",),
            score_range=wsm_score_range,
        ),
        Method(
            name="topsis",
            label="TOPSIS",
            summary=N_("Closeness (0-100) to an ideal offer built from the best answer to each "
                       "question among the offers present, and away from the worst."),
            reference="Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer LNEMS 186",
            score=TOPSIS_DEFAULT[0],
            linear=False,
            depends_on_others=True,
            explain=TOPSIS_DEFAULT[1],
            _binder=bind_topsis,
            params_key="topsis",
            params_model=TopsisSettings,
            scale=Scale("C", "closeness", 4, lambda s: s / 100.0,
                        N_("by {gap} in closeness to the ideal (C {lead} against {second})")),
            columns=(Column("weighted_normalised", "weighted normalised", 4),
                     Column("sq_dist_ideal", "to ideal^2", 2, sci=True),
                     Column("sq_dist_anti_ideal", "to anti-ideal^2", 2, sci=True)),
            figures=(Figure("S+", "sq_dist_ideal", "sqrt_sum"),
                     Figure("S-", "sq_dist_anti_ideal", "sqrt_sum")),
            sort_keys=("sq_dist_ideal", "sq_dist_anti_ideal"),
            depends_why="normalises by the column norms and takes its ideal points from the "
            "offers present",
            note="TOPSIS compares offers question by question against the best and worst "
            "answers among the eligible offers, and squares the gaps: a few large gaps weigh "
            "more than many small ones, and a question on which the eligible offers differ "
            "widely weighs more than its weight alone says." + _UNKNOWN,
            score_range=topsis_range(TopsisSettings()),
        ),
        Method(
            name="promethee",
            label="PROMETHEE II",
            summary=N_("Net outranking flow mapped to 0-100 as 50 x (flow + 1): 50 is the "
                       "average competitor, 100 beats every other offer on every weighted "
                       "question."),
            reference="Brans & Vincke (1985), A preference ranking organisation method, "
            "Management Science 31(6):647-656",
            score=PROMETHEE_DEFAULT[0],
            linear=False,
            depends_on_others=True,
            explain=PROMETHEE_DEFAULT[1],
            params_key="promethee",
            linearise=PROMETHEE_DEFAULT[2],
            _binder=bind_promethee,
            score_range=monotone_range(PROMETHEE_DEFAULT[0]),
            params_model=PrometheeSettings,
            hash_placeholder=True,
            scale=Scale("φ", "net flow", 4, lambda s: s / 50.0 - 1.0,
                        N_("by {gap} in net flow (φ {lead} against {second})")),
            columns=(Column("outranking_utility", "outranking utility", 2),
                     Column("net_flow", "net flow w·φj", 4)),
            sort_keys=("net_flow",),
            depends_why="compares each offer with every other offer present",
            note="PROMETHEE II compares the offers two by two on every question: on each, an "
            "offer gains the weight of the question for every offer it beats and loses it for "
            "every offer that beats it, however large the gap (usual criterion) or as the "
            "scenario's preference function says. A small lead on many questions can outweigh "
            "a large lead on a few." + _UNKNOWN,
        ),
        Method(
            name="vikor",
            label="VIKOR",
            summary=N_("Compromise index Q mapped to 0-100 as 100 x (1 - Q): 100 is the offer "
                       "closest to the best answers present, balancing the weighted total "
                       "shortfall (S) and the largest single shortfall (R); 0 is the farthest."),
            reference="Opricovic & Tzeng (2004), Compromise solution by MCDM methods: A "
            "comparative analysis of VIKOR and TOPSIS, EJOR 156(2):445-455",
            score=VIKOR_DEFAULT[0],
            linear=False,
            depends_on_others=True,
            explain=VIKOR_DEFAULT[1],
            _binder=bind_vikor,
            params_key="vikor",
            params_model=VikorSettings,
            scale=Scale("Q", "compromise index Q", 4, lambda s: 1.0 - s / 100.0,
                        N_("by {gap} in the compromise index (Q {lead} against {second}; "
                           "lower is better)"), higher_is_better=False),
            columns=(Column("regret", "weighted regret", 4),),
            figures=(Figure("S", "regret", "sum"), Figure("R", "regret", "max")),
            sort_keys=("regret",),
            depends_why="takes the best and worst answer to each question, and the spread of "
            "S and R, from the offers present",
            note="VIKOR measures each offer's shortfall from the best answer present on every "
            "question, as a share of the spread between the best and the worst offer, times "
            "the weight: S adds the shortfalls (the majority view), R keeps the largest one "
            "(the veto view) and Q blends them with v. A question on which the offers differ "
            "by one point weighs as much as one on which they differ by a hundred." + _UNKNOWN,
            remarks=VIKOR_REMARKS,
            score_range=vikor_range(VikorSettings()),
        ),
    )
}


#: The method the others are compared with in explanations: the additive model whose
#: contributions (weight × utility) every explanation lists answer by answer.
REFERENCE_METHOD = "wsm"
#: The method of a scenario that names none.
DEFAULT_METHOD = REFERENCE_METHOD


def parse_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Every method's parameters from a scenario's raw mappings ({params_key: mapping}).

    Raises ``pydantic.ValidationError`` with every located problem of every method.
    """
    out: dict[str, Any] = {}
    problems: list[InitErrorDetails] = []
    for m in METHODS.values():
        if m.params_key is None or m.params_key not in raw:
            continue
        try:
            out[m.params_key] = m.parse_params(raw[m.params_key])
        except ValidationError as exc:
            problems += [InitErrorDetails(type=e["type"], loc=e["loc"], input=e["input"],
                                          ctx=e.get("ctx", {})) for e in exc.errors()]
    if problems:
        raise ValidationError.from_exception_data("method settings", problems)
    return out


def settings_keys() -> tuple[str, ...]:
    """The scenario keys that hold method parameters, one per method that takes some."""
    return tuple(m.params_key for m in METHODS.values() if m.params_key is not None)


def canonical_settings(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The method parameters as they enter a scenario's canonical form (its hash): each given
    mapping parsed and dumped with its defaults filled in (so ``{}`` and ``{v: 0.5}`` hash the
    same), and ``null`` for a method with ``hash_placeholder`` and nothing given."""
    parsed = parse_settings(raw)
    out: dict[str, Any] = {}
    for m in METHODS.values():
        if m.params_key is None:
            continue
        p = parsed.get(m.params_key)
        if p is not None:
            out[m.params_key] = p.model_dump(mode="json")
        elif m.hash_placeholder:
            out[m.params_key] = None
    return out


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
    "DEFAULT_METHOD",
    "METHODS",
    "POINTS",
    "REFERENCE_METHOD",
    "SCORE_DIGITS",
    "Column",
    "Explainer",
    "Figure",
    "LeafKeys",
    "Method",
    "RangeScorer",
    "Scale",
    "Scorer",
    "canonical_settings",
    "get_method",
    "method_names",
    "net_flow_score",
    "parse_settings",
    "settings_keys",
]
