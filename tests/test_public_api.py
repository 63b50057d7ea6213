"""The public API of ``scoring`` is pinned: removing or renaming a name is a deliberate act."""

from __future__ import annotations

import subprocess
import sys

import scoring

PINNED = {
    "AllocationInfeasible", "AllocationProblem", "CatalogueError", "DecisionMatrix",
    "Evaluation", "HostwiseError", "InputError", "LegalTimelineError", "Problem",
    "QuestionnaireError", "ScenarioError", "ahp", "annual_cost", "build_award", "evaluate",
    "evaluate_path", "exposure", "flip", "frontier", "load_catalogue", "load_offers",
    "load_scenario", "load_timeline", "one_way", "parse_questionnaire", "parse_scenario",
    "price_notes", "smaa2", "solve", "stability_intervals", "topsis",
}


def test_public_names_are_pinned_and_resolve() -> None:
    assert set(scoring.__all__) == PINNED
    for name in scoring.__all__:
        assert getattr(scoring, name) is not None


def test_import_is_light() -> None:
    code = ("import sys, scoring; heavy = [m for m in ('numpy', 'pandas', 'pulp', 'streamlit')"
            " if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
