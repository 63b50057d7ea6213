"""One evaluation: criteria tree, answer utilities, the pipeline in named stages, its result.

Public names: ``evaluate`` (scenario + offers -> ``Evaluation``), ``evaluate_path`` (a scenario file
and everything it names), ``Evaluation`` and ``DecisionMatrix`` (the input of the robustness
analyses), ``result_hash``.
"""

from .load import evaluate_path, evaluate_scenario, resolve_offers
from .pipeline import evaluate, result_hash
from .policy import aggregate
from .result import DecisionMatrix, Evaluation, OfferResult
from .tree import COST_LEAF, LEGAL_LEAF, Leaf, build_leaves, leaf_weights
from .utilities import answer_utility

__all__ = [
    "COST_LEAF",
    "LEGAL_LEAF",
    "DecisionMatrix",
    "Evaluation",
    "Leaf",
    "OfferResult",
    "aggregate",
    "answer_utility",
    "build_leaves",
    "evaluate",
    "evaluate_path",
    "evaluate_scenario",
    "leaf_weights",
    "resolve_offers",
    "result_hash",
]
