"""How much of a leader's lead a counterfactual carries (issue 17, item 5: the contract-vehicle
criterion of the 2019 replay), computed from the two evaluations' own totals."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine import evaluate_path
from scoring.report.compare import compare_data, compare_text

SCEN = Path(__file__).resolve().parent.parent / "data" / "scenarios"


def _margin(ev) -> float:  # type: ignore[no-untyped-def]
    passing = sorted((r.total for r in ev.results if r.eligible), reverse=True)
    return passing[0] - passing[1]


def test_the_lead_carried_by_the_contract_vehicle() -> None:
    a = evaluate_path(SCEN / "hdh-2019.yaml")
    b = evaluate_path(SCEN / "cf-2019-no-vehicle.yaml")
    d = compare_data([a, b])
    lc = d["lead_change"]
    assert lc["leader"] == a.leaders()[0].offer_id == b.leaders()[0].offer_id
    assert lc["from"] == pytest.approx(_margin(a))
    assert lc["to"] == pytest.approx(_margin(b))
    assert lc["carried"] == pytest.approx(_margin(a) - _margin(b))
    text = compare_text(d)
    assert "of it." in text and f"{lc['share']:.0%}" in text


def test_no_lead_change_when_the_leader_differs_or_ties() -> None:
    a = evaluate_path(SCEN / "hdh-2019.yaml")
    c = evaluate_path(SCEN / "cf-2026-offers-2019-weights.yaml")
    d = compare_data([a, c])
    if d["scenarios"][0]["leader"] != d["scenarios"][1]["leader"]:
        assert "lead_change" not in d
