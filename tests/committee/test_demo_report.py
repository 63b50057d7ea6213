"""A committee tender made from a demonstration scenario (``demo:``, fictional vendors) says so
at the top of its award report, in the committee's language; a real tender's report does not."""

from __future__ import annotations

from pathlib import Path

from scoring.committee import workflow
from scoring.committee.report import award_markdown
from scoring.committee.store import Store
from scoring.i18n import use_language
from scoring.scenario.load import load_scenario_doc

from .conftest import CHAIR, SCENARIO

DEMO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "ght-dpi-demo.yaml"


def test_award_report_of_a_demo_tender_is_labelled(sqlite_store: Store) -> None:
    doc = load_scenario_doc(DEMO)
    tid = workflow.create_tender(sqlite_store, CHAIR, "Rehearsal", doc)
    real = workflow.create_tender(sqlite_store, CHAIR, "Real", SCENARIO)
    text = award_markdown(sqlite_store, CHAIR, tid)
    head = text.split("\n\n")[:3]
    assert any("DEMONSTRATION DATA — FICTIONAL VENDORS: Fictional tender" in p for p in head)
    with use_language("fr"):
        assert "DONNÉES DE DÉMONSTRATION — FOURNISSEURS FICTIFS" in award_markdown(
            sqlite_store, CHAIR, tid)
    assert "DEMONSTRATION" not in award_markdown(sqlite_store, CHAIR, real)
