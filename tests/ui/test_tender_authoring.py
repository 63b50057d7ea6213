"""A committee authors its tender on the Tender page (AppTest, embedded SQLite): a draft from
the bundled ght-dpi catalogue, edited, its problems shown beside the editor and publication
refused while they last; a draft from a criteria workbook whose error is shown located on
upload, fixed in the editor, then published."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.committee import Store, authoring, workflow
from scoring.io.catalogue import load_catalogue
from scoring.report.criteria_workbook import criteria_workbook
from scoring.scenario.load import load_scenario
from tests.committee.conftest import CHAIR
from tests.ui import support
from tests.ui.support import click, ok, texts
from tests.workbooks import cell, edited


def page(who: str, lang: str = "en") -> AppTest:
    """The Tender page in ``lang``, as the local member ``who``."""
    return support.page("tender", who, lang=lang, timeout=180)


def test_a_tender_from_the_ght_dpi_catalogue_is_edited_and_checked(store: Store) -> None:
    at = ok(page(CHAIR.name))
    at.radio(key="c.new.mode").set_value("catalogue").run()
    assert at.selectbox(key="c.new.cat").value == "ght-dpi"
    assert at.selectbox(key="c.new.cat.sc").value == "ght-dpi-demo"
    at.text_input(key="c.new.cat.title").set_value("DPI hosting")
    at = ok(click(at, "Create the tender"))
    (tid, title, st), = workflow.list_tenders(store)
    assert (title, st) == ("DPI hosting", "draft")
    assert "The draft is valid: it can be published." in texts(at)
    at.selectbox(key="c.a.crit.p").set_value("service")
    at.text_input(key="c.a.crit.id").set_value("training")
    at.text_input(key="c.a.crit.label").set_value("Training of staff")
    at = ok(click(at, "Add the criterion"))
    shown = texts(at)
    assert "1 problem stops the publication:" in shown
    assert "pillars.service.criteria.training" in shown  # located beside the editor
    at = ok(click(at, "Move to the next step"))
    assert "refused" in texts(at) and "training" in texts(at)
    assert workflow.list_tenders(store)[0][2] == "draft"
    d = authoring.read_draft(store, tid)
    assert d.catalogue is not None and "training" in d.catalogue["pillars"]["service"][
        "criteria"]


def _bad_workbook() -> bytes:
    sc, _ = load_scenario("data/scenarios/ght-dpi-demo.yaml")
    return edited(criteria_workbook(load_catalogue("ght-dpi"), sc.weights),
                  lambda wb: setattr(cell(wb, "rev.plan", "grid"), "value", "0=absent"))


def test_a_workbook_error_is_located_fixed_in_the_editor_then_published(store: Store) -> None:
    at = ok(page(CHAIR.name))
    at.radio(key="c.new.mode").set_value("workbook").run()
    at.get("file_uploader")[0].set_value(("grille.xlsx", _bad_workbook(),
                                          "application/vnd.ms-excel")).run()
    shown = texts(ok(at))
    assert "1 problem in the workbook:" in shown
    assert "rev.plan" in shown and "a grade needs at least 2 levels (has 1)" in shown
    at = ok(click(at, "Create the tender"))
    (tid, _t, _s), = workflow.list_tenders(store)
    assert "rev.plan" in texts(at)  # the same problem, now beside the editor
    at.selectbox(key="c.a.q.pick").set_value("rev.plan").run()
    grid = next(t for t in at.text_input if t.label.startswith("Grid of a grade question"))
    assert grid.value == "0=absent"
    grid.set_value("0=absent; 1=partial; 2=tested")
    at = ok(click(at, "Apply to the question"))
    assert "a grade needs at least 2 levels" not in texts(at)
    # the workload is not in a criteria workbook: the check says so until it is given
    assert "the cost pillar has a weight but the workload buys nothing" in texts(at)
    sc, _ = load_scenario("data/scenarios/ght-dpi-demo.yaml")
    d = authoring.read_draft(store, tid)
    authoring.edit(store, CHAIR, tid, d.version, "set_workload",
                   authoring.set_workload(dict(sc.workload.annual)), {})
    at = ok(at.run())
    assert "The draft is valid: it can be published." in texts(at)
    at = ok(click(at, "Move to the next step"))
    assert workflow.list_tenders(store)[0][2] == "published"


def test_the_authoring_page_in_french(store: Store) -> None:
    authoring.create_from_catalogue(store, CHAIR, "DPI", "ght-dpi")
    at = ok(page(CHAIR.name, "fr"))
    shown = texts(at)
    assert "Le brouillon est valide\u00a0: il peut être publié." in shown
    assert [t.label for t in at.tabs][:2] == ["Critères et questions", "Pondérations"]
