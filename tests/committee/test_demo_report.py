"""A committee tender made from a demonstration scenario (``demo:``, fictional vendors) says so
at the top of its award report, in the committee's language; a real tender's report does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from scoring.committee import workflow
from scoring.committee.report import award_markdown
from scoring.committee.store import Store
from scoring.i18n import use_language
from scoring.io.catalogue import catalogue_path, load_catalogue
from scoring.io.catalogue_text import label as catalogue_label
from scoring.scenario.load import load_scenario_doc
from scoring.scenario.texts import text_by_id

from .conftest import CHAIR, SCENARIO

DEMO = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "ght-dpi-demo.yaml"


def test_award_report_of_a_demo_tender_is_labelled(sqlite_store: Store) -> None:
    doc = load_scenario_doc(DEMO)
    tid = workflow.create_tender(sqlite_store, CHAIR, "Rehearsal", doc)
    real = workflow.create_tender(sqlite_store, CHAIR, "Real", SCENARIO)
    text = award_markdown(sqlite_store, CHAIR, tid)
    head = text.split("\n\n")[:3]
    assert any("DEMONSTRATION DATA — FICTIONAL VENDORS: Fictional tender" in p for p in head)
    workflow.publish(sqlite_store, CHAIR, tid, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    with use_language("fr"):
        fr = award_markdown(sqlite_store, CHAIR, tid)  # its gates as published
        reason = text_by_id("ght-dpi-demo", "demo.reason", doc["demo"]["reason"])
        cat = load_catalogue(catalogue_path("ght-dpi"))
        english = cat.gate("hds").label  # the scenario names the catalogue's gate by id
        label = catalogue_label(cat, "gate", "hds")
    # the demonstration notice and the gates in the committee's words (the bundled scenario's
    # French sidecar), never the English of the data file
    assert "DONNÉES DE DÉMONSTRATION — FOURNISSEURS FICTIFS" in fr
    assert reason != doc["demo"]["reason"] and " ".join(reason.split()) in fr
    assert label != english and label in fr and english not in fr
    assert "DEMONSTRATION" not in award_markdown(sqlite_store, CHAIR, real)
