"""A committee authors its own tender (issue 19, part 2): created from a bundled catalogue or a
criteria workbook, edited operation by operation (each checked against the version loaded and
audited), every problem of the draft located, publication refused until it is right, and the
published tender scored against its own catalogue (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from scoring.committee import ConcurrentEditError, Store, audit, authoring, workflow
from scoring.committee.catalogue import tender_catalogue
from scoring.committee.errors import CommitteeError, PublicationError
from scoring.committee.models import Tender
from scoring.errors import CatalogueError
from scoring.io.catalogue import load_catalogue
from scoring.report.criteria_workbook import criteria_workbook
from scoring.report.questionnaire_template import template_workbook
from scoring.scenario.load import load_scenario
from tests.workbooks import cell, edited

from .conftest import CHAIR

DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)


def _tender(store: Store, tid: int) -> Tender:
    with store.read() as s:
        t = s.get(Tender, tid)
        assert t is not None
        s.expunge(t)
        return t


def _lines(d: authoring.Draft) -> list[str]:
    return [f"{p.question}: {p.message}" for p in d.check.problems]


def test_a_tender_from_the_ght_dpi_catalogue(any_store: Store) -> None:
    tid = authoring.create_from_catalogue(any_store, CHAIR, "DPI hosting", "ght-dpi")
    d = authoring.read_draft(any_store, tid)
    bundled = load_catalogue("ght-dpi")
    sc, _ = load_scenario("data/scenarios/ght-dpi-demo.yaml")
    assert d.catalogue is not None and d.catalogue["id"] == "ght-dpi"
    assert tender_catalogue(_tender(any_store, tid)).sha256 == bundled.sha256  # bytes as is
    raw = Path("data/scenarios/ght-dpi-demo.yaml").read_text(encoding="utf-8")
    assert d.scenario["weights"] == yaml.safe_load(raw)["weights"]
    assert [g["id"] for g in d.scenario["gates"]] == [g.id for g in sc.gates]
    assert d.scenario["catalogue"] == "ght-dpi" and "grades" not in d.scenario
    assert d.questions == tuple(q.id for q in bundled.questions if q.type == "grade")
    assert len(d.questions) == 35
    assert d.check.ok, _lines(d)
    h = workflow.publish(any_store, CHAIR, tid, DEADLINE)
    pub = json.loads(_tender(any_store, tid).published_canonical or "{}")
    assert pub["catalogue_sha256"] == bundled.sha256 and h


def test_an_unknown_bundled_catalogue_or_scenario_is_refused(sqlite_store: Store) -> None:
    with pytest.raises(CommitteeError, match="not a bundled catalogue"):
        authoring.create_from_catalogue(sqlite_store, CHAIR, "x", "../etc")
    with pytest.raises(CommitteeError, match="not a bundled scenario of ght-dpi"):
        authoring.create_from_catalogue(sqlite_store, CHAIR, "x", "ght-dpi", "hdh-2026")


def test_hdh_is_copied_in_the_version_2_form(sqlite_store: Store) -> None:
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "HDH", "hdh", "hdh-2026")
    d = authoring.read_draft(sqlite_store, tid)
    assert d.catalogue is not None and d.catalogue["version"] == 2
    own = tender_catalogue(_tender(sqlite_store, tid))
    assert [q.id for q in own.questions] == [q.id for q in load_catalogue().questions]


def test_edits_criteria_questions_types_grids_and_weights(any_store: Store) -> None:
    tid = authoring.create_from_catalogue(any_store, CHAIR, "DPI", "ght-dpi")
    v = authoring.read_draft(any_store, tid).version
    d = authoring.edit(any_store, CHAIR, tid, v, "add_criterion",
                       authoring.add_criterion("service", "training", "Training of staff"),
                       {"pillar": "service", "criterion": "training"})
    assert any("training" in ln for ln in _lines(d)), _lines(d)  # no question yet: located
    d = authoring.edit(any_store, CHAIR, tid, d.version, "add_question",
                       authoring.add_question("service", "training", "svc.staff_training", "grade",
                                              "Training plan", "CCTP §9"), {})
    assert "svc.staff_training" in d.questions  # a grade joins the evaluators' list
    gaps = [ln for ln in _lines(d) if "training" in ln]
    assert gaps == ["weights.service.criteria.training: criterion 'training' of the catalogue "
                    "has no weight: it counts 0"]
    d = authoring.edit(any_store, CHAIR, tid, d.version, "weights",
                       authoring.set_weights({"service": 20}, {("service", "training"): 10},
                                             {}), {})
    assert d.check.ok, _lines(d)
    d = authoring.edit(any_store, CHAIR, tid, d.version, "grid",
                       authoring.set_question("svc.staff_training", grid={1: "none", 5: "tested"}),
                       {})
    assert d.check.ok and d.check.catalogue is not None
    assert d.check.catalogue.question("svc.staff_training").grid is not None
    d = authoring.edit(any_store, CHAIR, tid, d.version, "grid",
                       authoring.set_question("svc.staff_training", grid={1: "only one"}), {})
    assert any("svc.staff_training" in ln and "at least 2 levels" in ln for ln in _lines(d)), \
        _lines(d)
    d = authoring.edit(any_store, CHAIR, tid, d.version, "type",
                       authoring.set_question("svc.staff_training", qtype="bool"), {})
    q = next(x for x in (d.catalogue or {})["questions"] if x["id"] == "svc.staff_training")
    assert "grid" not in q and "svc.staff_training" not in d.questions and d.check.ok, _lines(d)
    d = authoring.edit(any_store, CHAIR, tid, d.version, "rename",
                       authoring.rename_criterion("service", "training", "Staff training"), {})
    assert d.check.catalogue is not None
    assert d.check.catalogue.pillars["service"].criteria["training"] == "Staff training"
    d = authoring.edit(any_store, CHAIR, tid, d.version, "remove",
                       authoring.remove_criterion("service", "training"), {})
    assert "training" not in d.scenario["weights"]["service"]["criteria"] and d.check.ok
    acts = [r.action for r in audit.records(any_store, tid)]
    assert acts.count("tender.authored") == 8 and audit.verify(any_store).ok


def test_a_stale_edit_is_refused_and_changes_nothing(any_store: Store) -> None:
    tid = authoring.create_from_catalogue(any_store, CHAIR, "DPI", "ght-dpi")
    v = authoring.read_draft(any_store, tid).version
    authoring.edit(any_store, CHAIR, tid, v, "rename", authoring.rename_pillar("service",
                                                                                "Service"), {})
    before = _tender(any_store, tid).catalogue_yaml
    with pytest.raises(ConcurrentEditError):
        authoring.edit(any_store, CHAIR, tid, v, "remove",
                       authoring.remove_question("svc.support_24_7"), {})
    assert _tender(any_store, tid).catalogue_yaml == before


def test_gates_lots_workload_and_the_evaluators_list(sqlite_store: Store) -> None:
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "DPI", "ght-dpi")
    d = authoring.read_draft(sqlite_store, tid)
    d = authoring.edit(sqlite_store, CHAIR, tid, d.version, "gates",
                       authoring.set_gates(["hds"]), {})
    assert d.scenario["gates"] == [{"id": "hds"}] and d.check.ok, _lines(d)
    d = authoring.edit(sqlite_store, CHAIR, tid, d.version, "gates",
                       authoring.set_gates([]), {})
    assert d.check.ok and [p.question for p in d.check.warnings] == ["gates"]  # said, allowed
    d = authoring.edit(sqlite_store, CHAIR, tid, d.version, "lots", authoring.set_lots(
        [{"id": "all", "name": "Everything", "demand": {"no.such.item": 1}}]), {})
    assert any(p.question == "lots.all.demand.no.such.item" for p in d.check.problems)
    d = authoring.edit(sqlite_store, CHAIR, tid, d.version, "lots", authoring.set_lots([]), {})
    assert "lots" not in d.scenario
    d = authoring.edit(sqlite_store, CHAIR, tid, d.version, "evaluated",
                       authoring.set_evaluated(["cert.hds"]), {})
    assert any(p.question == "cert.hds" and "cannot be scored" in p.message
               for p in d.check.problems)
    d = authoring.edit(sqlite_store, CHAIR, tid, d.version, "workload",
                       authoring.set_workload({}, {}), {})
    assert any(p.question == "workload" and "buys nothing" in p.message
               for p in d.check.problems)


def _workbook(edit: Any = None) -> bytes:
    sc, _ = load_scenario("data/scenarios/ght-dpi-demo.yaml")
    return edited(criteria_workbook(load_catalogue("ght-dpi"), sc.weights), edit)


BAD_GRID = "rev.plan"


def test_a_workbook_with_errors_is_located_then_fixed_and_published(any_store: Store) -> None:
    bad = _workbook(lambda wb: setattr(cell(wb, BAD_GRID, "grid"), "value", "0=absent"))
    rd = authoring.read_workbook(bad, "grille.xlsx")
    assert rd.doc is not None
    assert [p.line() for p in rd.problems] == [
        f"grille.xlsx: -: {BAD_GRID}: grid: a grade needs at least 2 levels (has 1)"]
    tid = authoring.create_from_workbook(any_store, CHAIR, "From the grid", bad, "grille.xlsx")
    d = authoring.read_draft(any_store, tid)
    sc, _ = load_scenario("data/scenarios/ght-dpi-demo.yaml")
    assert d.scenario["weights"]["technical"]["weight"] == sc.weights["technical"].weight
    with pytest.raises(PublicationError, match=f"{BAD_GRID}.*at least 2 levels"):
        workflow.publish(any_store, CHAIR, tid, DEADLINE)
    d = authoring.edit(any_store, CHAIR, tid, d.version, "grid", authoring.set_question(
        BAD_GRID, grid={0: "absent", 1: "partial", 2: "tested"}), {})
    d = authoring.edit(any_store, CHAIR, tid, d.version, "workload", authoring.set_workload(
        dict(sc.workload.annual)), {})
    d = authoring.edit(any_store, CHAIR, tid, d.version, "gates", authoring.set_gates(
        [g.id for g in sc.gates]), {})
    assert d.check.ok, _lines(d)
    workflow.publish(any_store, CHAIR, tid, DEADLINE)
    t = _tender(any_store, tid)
    grid = tender_catalogue(t).question(BAD_GRID).grid
    assert grid is not None and sorted(grid) == [0, 1, 2]
    assert json.loads(t.published_canonical or "{}")["catalogue_yaml"] == t.catalogue_yaml
    with pytest.raises(CommitteeError, match="only when draft"):
        authoring.edit(any_store, CHAIR, tid, t.version, "x", authoring.set_lots([]), {})


def test_a_workbook_that_cannot_be_read_makes_no_tender(sqlite_store: Store) -> None:
    rd = authoring.read_workbook(b"PK\x03\x04 not really a zip", "g.xlsx")
    assert rd.doc is None and rd.problems and rd.problems[0].file == "g.xlsx"
    with pytest.raises(CatalogueError):
        authoring.create_from_workbook(sqlite_store, CHAIR, "x", b"not a zip", "g.xlsx")
    big = b"PK" + b"\0" * (authoring.MAX_BYTES + 1)
    assert "larger than" in authoring.read_workbook(big, "g.xlsx").problems[0].message
    assert workflow.list_tenders(sqlite_store) == []


def test_the_downloads_come_from_the_tender_s_own_catalogue(sqlite_store: Store) -> None:
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "DPI", "ght-dpi")
    d = authoring.read_draft(sqlite_store, tid)
    authoring.edit(sqlite_store, CHAIR, tid, d.version, "add", authoring.add_question(
        "service", "support", "svc.extra", "bool", "An extra question", "RC §1"), {})
    grid, template = authoring.downloads(sqlite_store, tid)
    wb = openpyxl.load_workbook(io.BytesIO(grid))
    ids = [r[2] for r in wb["Criteria"].iter_rows(min_row=2, values_only=True)]
    assert "svc.extra" in ids
    assert template[:2] == b"PK" and template != template_workbook(
        None, load_catalogue("ght-dpi"))
    assert yaml.safe_load(_tender(sqlite_store, tid).catalogue_yaml or "")["id"] == "ght-dpi"


def test_the_preview_checks_what_is_typed_and_saves_nothing(sqlite_store: Store) -> None:
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "DPI", "ght-dpi")
    d = authoring.read_draft(sqlite_store, tid)
    gap = authoring.preview(d, authoring.set_weights({}, {("service", "support"): 0}, {}))
    assert d.check.ok and gap.ok  # a weight of 0 written is a choice, said, not a gap
    bad = authoring.preview(d, authoring.set_weights({"service": -5}, {}, {}))
    assert [p.question for p in bad.problems] == ["weights.service"]
    assert authoring.read_draft(sqlite_store, tid) == d  # nothing saved


def test_grids_and_lots_as_written_in_the_editor() -> None:
    grid = authoring.grid_of("0=absent; 1=partial=40; 2=full=100")
    assert grid == {0: "absent", 1: {"descriptor": "partial", "utility": 40},
                    2: {"descriptor": "full", "utility": 100}}
    assert authoring.grid_of(authoring.grid_text(grid)) == grid
    with pytest.raises(CommitteeError, match="grid level 'zero' is not an integer"):
        authoring.grid_of("zero=absent")
    old = [{"id": "a", "name": "A", "demand": {"x": 1}, "incumbent": "ovh"}]
    lots = authoring.lots_of([("a", "Hosting", 2.0, "x=5; y=1"), ("", "", None, "")], old)
    assert lots == [{"id": "a", "name": "Hosting", "demand": {"x": 5, "y": 1},
                     "incumbent": "ovh", "weight": 2.0}]
    assert authoring.weight_of("12,5", "w") == 12.5 == authoring.weight_of(" 12.5 ", "w")
    assert authoring.weight_of("", "w") is None
    with pytest.raises(CommitteeError, match="technical/hosting: 'lots' is not a number"):
        authoring.weight_of("lots", "technical/hosting")
    with pytest.raises(CommitteeError, match="lot b: demand"):
        authoring.lots_of([("b", "B", None, "x")], [])
