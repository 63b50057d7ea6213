"""A committee authors its tender on the Tender page (AppTest, embedded SQLite): a draft from
the bundled ght-dpi catalogue, edited, its problems shown beside the editor and publication
refused while they last; a draft from a criteria workbook whose error is shown located on
upload, fixed in the editor, then published."""

from __future__ import annotations

import pytest
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


def _options_key(store: Store, tid: int) -> str:
    return f"c.a.q.opt.{authoring.read_draft(store, tid).version}.host.tier"


def _add_pillar_and_edit_options(at: AppTest, store: Store, tid: int, add: str,
                                 save: str) -> AppTest:
    at.text_input(key="c.a.pil.id").set_value("reversibility")
    at.text_input(key="c.a.pil.label").set_value("Réversibilité")
    at = ok(click(at, add))
    at.selectbox(key="c.a.q.pick").set_value("host.tier").run()
    at.text_input(key=_options_key(store, tid)).set_value(
        "tier2=0; tier3=60,5; tier4=100; n/a=; tier5=150").run()
    assert "host.tier: options.tier5: utility 150.0 must be from 0 to 100" in texts(ok(at))
    at.text_input(key=_options_key(store, tid)).set_value(
        "tier2=0; tier3=60,5; tier4=100; n/a=").run()  # checked as typed, nothing saved yet
    assert "options.tier5" not in texts(ok(at))
    return ok(click(at, save))


def test_a_pillar_is_added_and_an_enum_s_options_edited_on_the_page(store: Store) -> None:
    tid = authoring.create_from_catalogue(store, CHAIR, "DPI", "ght-dpi")
    at = _add_pillar_and_edit_options(ok(page(CHAIR.name)), store, tid, "Add the pillar",
                                      "Save the options")
    shown = texts(at)
    assert "The options of host.tier were saved." in shown
    assert "pillars.reversibility.criteria: an ordinary pillar needs at least one criterion" \
        in shown  # located beside the editor
    d = authoring.read_draft(store, tid)
    assert d.catalogue is not None
    assert d.catalogue["pillars"]["reversibility"] == {"label": "Réversibilité", "criteria": {}}
    tier = next(q for q in d.catalogue["questions"] if q["id"] == "host.tier")
    assert tier["options"] == {"tier2": 0, "tier3": 60.5, "tier4": 100, "n/a": None}
    typed = at.text_input(key=_options_key(store, tid)).value  # as stored, written back
    assert typed == "tier2=0; tier3=60.5; tier4=100; n/a="
    # a grade's grid gains levels beyond the ones it had, with their descriptors
    at.selectbox(key="c.a.q.pick").set_value("rev.plan").run()
    grid = next(t for t in at.text_input if t.label.startswith("Grid of a grade question"))
    grid.set_value("0=absent; 1=stated; 2=written; 3=rehearsed; 4=tested; 5=audited")
    at = ok(click(at, "Apply to the question"))
    d = authoring.read_draft(store, tid)
    plan = next(q for q in (d.catalogue or {})["questions"] if q["id"] == "rev.plan")
    assert plan["grid"][5] == "audited" and len(plan["grid"]) == 6
    # the pillar, empty, is removed (its picker says what it holds)
    pick = at.selectbox(key="c.a.pil.pick")
    assert "reversibility (0 criteria, 0 questions)" in pick.options
    pick.set_value("reversibility")
    at.checkbox(key="c.a.pil.rm").check()
    at = ok(click(at, "Apply to the pillar"))
    assert "The pillar reversibility was removed." in texts(at)
    assert "reversibility" not in (authoring.read_draft(store, tid).catalogue or {})["pillars"]


def test_the_modules_picked_are_checked_before_they_are_saved(store: Store) -> None:
    tid = authoring.create_from_catalogue(store, CHAIR, "DPI", "ght-dpi")
    at = ok(page(CHAIR.name))
    v = authoring.read_draft(store, tid).version
    at.multiselect(key=f"c.a.m.{v}").set_value(["cost", "legal"]).run()
    shown = texts(ok(at))
    assert "Not saved yet: the check beside shows the catalogue with these modules." in shown
    assert "Pillars added: legal" in shown and "legal.hq_country" in shown
    assert "weights.legal: pillar 'legal' of the catalogue has no weight: it counts 0" in shown
    assert "legal" not in (authoring.read_draft(store, tid).catalogue or {})["pillars"]
    at = ok(click(at, "Save the modules"))
    assert "The modules were saved." in texts(at)
    assert (authoring.read_draft(store, tid).catalogue or {})["modules"] == ["legal", "cost"]


def test_a_pillar_and_enum_options_in_french(store: Store,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTWISE_LANG", "fr")  # as tests/ui/test_committee_ght_fr.py
    tid = authoring.create_from_catalogue(store, CHAIR, "DPI", "ght-dpi")
    at = ok(page(CHAIR.name, "fr"))
    assert "Modules et postes de prix" in [t.label for t in at.tabs]
    at = _add_pillar_and_edit_options(at, store, tid, "Ajouter le pilier",
                                      "Enregistrer les options")
    shown = texts(at)
    assert "Les options de host.tier ont été enregistrées." in shown
    assert "**Options de réponse**" in shown and "**Ajouter un pilier**" in shown
    d = authoring.read_draft(store, tid)
    assert d.catalogue is not None and "reversibility" in d.catalogue["pillars"]
    tier = next(q for q in d.catalogue["questions"] if q["id"] == "host.tier")
    assert tier["options"]["tier3"] == 60.5


def test_a_number_s_bounds_and_scoring_direction_on_the_page(store: Store) -> None:
    tid = authoring.create_from_catalogue(store, CHAIR, "DPI", "ght-dpi")
    at = ok(page(CHAIR.name))
    at.selectbox(key="c.a.q.pick").set_value("avail.rpo_minutes").run()
    assert not [t for t in at.text_input if t.label.startswith("Grid of a grade")]
    at_ = f"{authoring.read_draft(store, tid).version}.avail.rpo_minutes"
    direction = at.selectbox(key=f"c.a.q.dir.{at_}")
    assert direction.options == ["higher is better", "lower is better",
                                 "not scored (a fact for gates)"]
    assert direction.index == 1  # stored as scale {worst: 240, best: 0}
    assert at.text_input(key=f"c.a.q.slo.{at_}").value == "0"
    direction.select_index(0)
    at.text_input(key=f"c.a.q.max.{at_}").set_value("1 440")
    at.text_input(key=f"c.a.q.slo.{at_}").set_value("15")
    at.text_input(key=f"c.a.q.shi.{at_}").set_value("10").run()
    assert "the scale's lower end 15 must be below its upper end 10" in texts(ok(at))
    at.text_input(key=f"c.a.q.shi.{at_}").set_value("60,5").run()
    assert "Not saved yet: the check beside shows this change." in texts(ok(at))
    at = ok(click(at, "Save the unit, bounds and scoring"))
    assert "The unit, bounds and scoring of avail.rpo_minutes were saved." in texts(at)
    q = next(x for x in (authoring.read_draft(store, tid).catalogue or {})["questions"]
             if x["id"] == "avail.rpo_minutes")
    assert (q["max"], q["scale"]) == (1440, {"worst": 15, "best": 60.5})
