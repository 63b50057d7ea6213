"""Hostwise core: pure functions over explicit data models. No Streamlit here, ever.

The public API is listed in ``__all__`` and pinned by ``tests/test_public_api.py``. Heavy
submodules (numpy, pulp) load on first use, so ``import scoring`` and the CLI start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import (
    CatalogueError,
    HostwiseError,
    InputError,
    LegalTimelineError,
    Problem,
    QuestionnaireError,
    ScenarioError,
)

_LAZY = {
    # loading and validation
    "load_catalogue": "io.catalogue",
    "load_offers": "io",
    "parse_questionnaire": "io",
    "load_timeline": "rules.legal",
    "load_scenario": "scenario.load",
    "parse_scenario": "scenario.load",
    # scoring
    "evaluate": "engine",
    "evaluate_path": "engine",
    "Evaluation": "engine",
    "DecisionMatrix": "engine",
    "exposure": "rules.legal",
    "price_notes": "rules.cost",
    "annual_cost": "rules.cost",
    # allocation
    "AllocationProblem": "allocation",
    "solve": "allocation",
    "frontier": "allocation",
    "load_award_problem": "award",
    # robustness
    "stability_intervals": "robustness",
    "one_way": "robustness",
    "flip": "robustness",
    "smaa2": "methods.smaa",
    "ahp": "methods.ahp",
    "topsis": "methods.topsis",
}

__all__ = [
    "CatalogueError",
    "HostwiseError",
    "InputError",
    "LegalTimelineError",
    "Problem",
    "QuestionnaireError",
    "ScenarioError",
    *sorted(_LAZY),
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")
