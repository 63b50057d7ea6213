"""Hostwise core: pure functions over explicit data models. No Streamlit here, ever."""

from .errors import (
    AllocationInfeasible,
    CatalogueError,
    HostwiseError,
    LegalTimelineError,
    Problem,
    QuestionnaireError,
    ScenarioError,
)

__all__ = [
    "AllocationInfeasible",
    "CatalogueError",
    "HostwiseError",
    "LegalTimelineError",
    "Problem",
    "QuestionnaireError",
    "ScenarioError",
]
