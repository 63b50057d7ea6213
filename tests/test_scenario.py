"""Scenario files: validation of weights and references , hashing, extends."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine import build_leaves
from scoring.errors import ScenarioError
from scoring.io.catalogue import load_catalogue
from scoring.scenario.load import load_scenario, parse_scenario
from tests.factories import scenario

SCEN = Path(__file__).resolve().parents[1] / "data" / "scenarios"
BASE = (SCEN / "hdh-2026.yaml").read_bytes()


def _problems(data: bytes) -> list[str]:
    with pytest.raises(ScenarioError) as ei:
        sc = parse_scenario(data, "s.yaml")
        build_leaves(sc, load_catalogue(), "s.yaml")
    return [p.line() for p in ei.value.problems]


@pytest.mark.parametrize(("old", "new", "phrase"), [
    (b"cost: {weight: 25}", b"cost: {weight: -5}", "weights.cost: weight -5"),
    (b"platform: 35", b"platform: .nan", "must be a finite number"),
    (b"cost: {weight: 25}", b"costs: {weight: 25}", "unknown pillar"),
    (b"platform: 35", b"platforms: 35", "unknown criterion"),
    (b"evaluation_date: 2026-04-23", b"evaluation_date: 2026-02-30", "evaluation_date"),
    (b"kind: immunity", b"kind: immunityy", "gates.1.kind"),
    (b"method: wsm", b"method: magic", "method"),
])
def test_bad_scenarios_are_located(old: bytes, new: bytes, phrase: str) -> None:
    assert old in BASE
    lines = _problems(BASE.replace(old, new))
    assert any(phrase in ln for ln in lines), lines


def test_all_zero_weights() -> None:
    data = (BASE.replace(b"weight: 40", b"weight: 0").replace(b"cost: {weight: 25}",
            b"cost: {weight: 0}").replace(b"legal: {weight: 15}", b"legal: {weight: 0}")
            .replace(b"sovereignty: {weight: 20}", b"sovereignty: {weight: 0}"))
    assert any("all pillar weights are zero" in ln for ln in _problems(data))


def test_float_noise_is_normalised_explicitly() -> None:
    sc = scenario(weights={"technical": {"weight": 0.1}, "cost": {"weight": 0.2},
                           "legal": {"weight": 0.30000000000000004},
                           "sovereignty": {"weight": 0.4}})
    leaves = build_leaves(sc, load_catalogue())
    assert sum(lf.weight for lf in leaves) == pytest.approx(1.0, abs=1e-12)
    assert {lf.pillar: lf.w_pillar for lf in leaves}["legal"] == pytest.approx(0.3)


def test_hash_is_canonical_and_changes_with_content() -> None:
    a = parse_scenario(BASE, "a")
    reordered = BASE.replace(b"method: wsm\n", b"") + b"method: wsm\n"
    assert parse_scenario(reordered, "b").hash == a.hash
    assert parse_scenario(BASE.replace(b"cost: {weight: 25}", b"cost: {weight: 26}"), "c").hash \
        != a.hash


def test_extends_overrides_and_cycles(tmp_path: Path) -> None:
    sc, _ = load_scenario(SCEN / "hdh-2026-j0.yaml")
    assert sc.gates[1].mode == "qualified_or_in_process"
    assert sc.weights["cost"].weight == 25  # inherited
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nid: a\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nid: b\n")
    with pytest.raises(ScenarioError, match="circular"):
        load_scenario(tmp_path / "a.yaml")


def test_all_bundled_scenarios_load() -> None:
    for f in sorted(SCEN.glob("*.yaml")):
        sc, _ = load_scenario(f)
        assert sc.workload.label.startswith("ASSUMPTION")


@pytest.mark.parametrize("pillar", ["cost", "legal", "sovereignty"])
def test_criteria_under_a_single_criterion_pillar_are_refused(pillar: str) -> None:
    """Defect: criteria under cost/legal/sovereignty were silently ignored."""
    old = {"cost": b"cost: {weight: 25}", "legal": b"legal: {weight: 15}",
           "sovereignty": b"sovereignty: {weight: 20}"}[pillar]
    assert old in BASE, old
    bad = old.replace(b"}", b", criteria: {anything: 1}}")
    lines = _problems(BASE.replace(old, bad))
    assert any(f"weights.{pillar}.criteria" in ln and "ignored" in ln for ln in lines), lines


def test_extends_resolves_the_base_offer_paths_against_the_base_file(tmp_path: Path) -> None:
    """Defect: a child scenario elsewhere made the base's relative offers.paths resolve against
    the child's folder (/tmp/vendors/2026). A relative path resolves against its own file."""
    from scoring.engine import evaluate_path

    child = tmp_path / "mine.yaml"
    child.write_text(f"extends: {SCEN / 'hdh-2026.yaml'}\nid: mine\ntitle: mine\n",
                     encoding="utf-8")
    sc, base = load_scenario(child)
    assert all((base / p).resolve().is_dir() for p in sc.offers.paths)
    here = evaluate_path(SCEN / "hdh-2026.yaml")
    there = evaluate_path(child)
    assert [r.offer.offer_id for r in there.results] == [r.offer.offer_id for r in here.results]
    assert [r.total for r in there.results] == [r.total for r in here.results]


def test_bundled_scenarios_keep_their_offer_paths() -> None:
    """Rebasing is a no-op inside one folder: the counterfactuals keep '../vendors/...'."""
    sc, _ = load_scenario(SCEN / "cf-2026-offers-2019-weights.yaml")
    assert all(p.startswith("../vendors/") for p in sc.offers.paths), sc.offers.paths
