"""The public API of ``scoring`` is pinned: removing or renaming a name is a deliberate act."""

from __future__ import annotations

import subprocess
import sys
import types

import pytest

import scoring

PINNED = {
    "AllocationProblem", "CatalogueError", "DecisionMatrix",
    "Evaluation", "HostwiseError", "InputError", "LegalTimelineError", "Problem",
    "QuestionnaireError", "ScenarioError", "ahp", "annual_cost", "load_award_problem", "evaluate",
    "evaluate_path", "exposure", "flip", "frontier", "load_catalogue", "load_offers",
    "load_scenario", "load_timeline", "one_way", "parse_questionnaire", "parse_scenario",
    "price_notes", "smaa2", "solve", "stability_intervals", "topsis",
}


def test_public_names_are_pinned_and_resolve() -> None:
    assert set(scoring.__all__) == PINNED
    for name in scoring.__all__:
        value = getattr(scoring, name)
        assert not isinstance(value, types.ModuleType), f"scoring.{name} is a module"
        assert callable(value), name


@pytest.mark.parametrize("order", [sorted(PINNED), sorted(PINNED, reverse=True)])
def test_no_public_name_is_shadowed_by_a_submodule(order: list[str]) -> None:
    """Defect: ``from scoring import evaluate_path, evaluate`` returned the *module*
    ``scoring.evaluate`` (loading evaluate_path imported the submodule, which Python binds on the
    package under the same name). In a fresh interpreter, in either order, every public name is
    a class or a function."""
    code = ("import types, scoring\n"
            f"for n in {order!r}:\n"
            "    v = getattr(scoring, n)\n"
            "    assert not isinstance(v, types.ModuleType), n\n"
            "    assert callable(v), n\n"
            "from scoring import evaluate_path, evaluate\n"
            "assert callable(evaluate) and not isinstance(evaluate, types.ModuleType)\n")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_is_light() -> None:
    code = ("import sys, scoring; heavy = [m for m in ('numpy', 'pandas', 'pulp', 'streamlit')"
            " if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == ""
