"""The tender editor edits the whole criteria tree (issue 19: "edit criteria, weights, gates and
lots, see the validation as you type, publish"): pillars added and removed, an enum question's
options, a number question's bounds and scoring direction, the computed modules and the price
items; each operation audited, refused once published, its problems located by the check, and
the edited catalogue a valid file for ``hostwise catalogue validate`` (YAML and workbook)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from scoring.cli.main import main
from scoring.committee import Store, audit, authoring, workflow
from scoring.committee.errors import CommitteeError
from scoring.scenario.load import load_scenario

from .conftest import CHAIR

DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=3)).replace(microsecond=0)


def _lines(d: authoring.Draft) -> list[str]:
    return [f"{p.question}: {p.message}" for p in d.check.problems]


def _draft(store: Store, catalogue: str = "ght-dpi") -> authoring.Draft:
    tid = authoring.create_from_catalogue(store, CHAIR, "T", catalogue)
    return authoring.read_draft(store, tid)


def _q(d: authoring.Draft, qid: str) -> dict[str, object]:
    return next(q for q in (d.catalogue or {})["questions"] if q["id"] == qid)


def _last_audit(store: Store, tid: int) -> dict[str, object]:
    rec = [r for r in audit.records(store, tid) if r.action == "tender.authored"][-1]
    detail: dict[str, object] = json.loads(rec.detail_json)
    return detail


def test_a_pillar_is_added_filled_weighted_and_the_draft_valid(any_store: Store) -> None:
    d = _draft(any_store)
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "add_pillar",
                       authoring.add_pillar("reversibility", "Réversibilité"),
                       {"pillar": "reversibility"})
    assert list((d.catalogue or {})["pillars"])[-2:] == ["reversibility", "cost"]  # before
    assert _lines(d) == ["pillars.reversibility.criteria: an ordinary pillar needs at least "
                         "one criterion"]
    assert _last_audit(any_store, d.id)["op"] == "add_pillar"
    assert _last_audit(any_store, d.id)["pillar"] == "reversibility"
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "add_criterion",
                       authoring.add_criterion("reversibility", "plan", "Plan"), {})
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "add_question",
                       authoring.add_question("reversibility", "plan", "rev.exit", "grade",
                                              "Exit plan", "CCTP §8"), {})
    assert _lines(d) == ["weights.reversibility: pillar 'reversibility' of the catalogue has "
                         "no weight: it counts 0"]  # the weights table follows
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_weights", authoring.set_weights(
        {"reversibility": 10}, {("reversibility", "plan"): 1}, {}), {})
    assert d.check.ok, _lines(d)
    assert d.check.catalogue is not None
    assert d.check.catalogue.pillars["reversibility"].label == "Réversibilité"


def test_adding_a_pillar_is_refused_with_the_reason(sqlite_store: Store) -> None:
    d = _draft(sqlite_store)
    for pid, label, why in (("service", "S", "already exists"),
                            ("cost", "C", "turn the module on instead"),
                            ("révers", "R", "ASCII letters"),
                            ("new", " ", "the label is empty")):
        with pytest.raises(CommitteeError, match=why):
            authoring.edit(sqlite_store, CHAIR, d.id, d.version, "add_pillar",
                           authoring.add_pillar(pid, label), {})
    assert authoring.read_draft(sqlite_store, d.id) == d  # nothing saved


def test_a_pillar_is_removed_with_its_content_only_when_confirmed(any_store: Store) -> None:
    d = _draft(any_store)
    crit, qids = authoring.pillar_content(d.catalogue or {}, "governance")
    assert crit and qids
    with pytest.raises(CommitteeError, match=f"holds {len(crit)} criteria and {len(qids)} "
                                             "questions: confirm"):
        authoring.edit(any_store, CHAIR, d.id, d.version, "remove_pillar",
                       authoring.remove_pillar("governance"), {})
    with pytest.raises(CommitteeError, match="turn the module off"):
        authoring.edit(any_store, CHAIR, d.id, d.version, "remove_pillar",
                       authoring.remove_pillar("cost", True), {})
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "remove_pillar",
                       authoring.remove_pillar("governance", True),
                       {"pillar": "governance", "questions_removed": qids})
    assert "governance" not in (d.catalogue or {})["pillars"]
    assert "governance" not in d.scenario["weights"]
    assert not set(qids) & {q["id"] for q in (d.catalogue or {})["questions"]}
    assert not set(qids) & set(d.questions)
    assert _last_audit(any_store, d.id)["questions_removed"] == qids
    assert d.check.ok, _lines(d)
    gate = [g["id"] for g in (d.catalogue or {})["gates"] if g.get("pillar") == "technical"]
    assert gate == ["technical-minimum"] and {"id": "technical-minimum"} in d.scenario["gates"]
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "remove_pillar",
                       authoring.remove_pillar("technical", True), {})
    assert not any(g["id"] == "technical-minimum" for g in (d.catalogue or {})["gates"])
    assert {"id": "technical-minimum"} not in d.scenario["gates"] and d.check.ok, _lines(d)
    e = authoring.edit(any_store, CHAIR, d.id, d.version, "add_pillar",
                       authoring.add_pillar("empty", "Empty"), {})
    e = authoring.edit(any_store, CHAIR, d.id, e.version, "remove_pillar",
                       authoring.remove_pillar("empty"), {})  # nothing in it: no confirmation
    assert "empty" not in (e.catalogue or {})["pillars"]


def test_an_enum_question_s_options_and_utilities(any_store: Store) -> None:
    d = _draft(any_store)
    opts = authoring.options_of("tier2=0; tier3=60,5; tier4=100; unknown_tier=")
    assert opts == {"tier2": 0, "tier3": 60.5, "tier4": 100, "unknown_tier": None}
    assert authoring.options_of(authoring.options_text(opts)) == opts
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_options",
                       authoring.set_options("host.tier", opts), {"question": "host.tier"})
    assert d.check.ok, _lines(d)
    assert d.check.catalogue is not None
    assert d.check.catalogue.question("host.tier").options == opts
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_options",
                       authoring.set_options("host.tier", {"tier2": 0, "tier9": 150}), {})
    assert _lines(d) == ["host.tier: options.tier9: utility 150.0 must be from 0 to 100"]
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_options",
                       authoring.set_options("host.tier", {}), {})
    assert "host.tier: an enum question needs options" in _lines(d)
    with pytest.raises(CommitteeError, match=r"avail.sla: options belong to enum questions, "
                                             r"not to a number question"):
        authoring.set_options("avail.sla", {"a": 1})(d.catalogue or {}, {}, [])
    with pytest.raises(CommitteeError, match="options: 'tier2' is given twice"):
        authoring.options_of("tier2=0; tier2=5")
    with pytest.raises(CommitteeError, match="utility 'x' is not a number"):
        authoring.options_of("tier2=x")


def test_a_gate_allowing_an_option_that_no_longer_exists_is_located(
        sqlite_store: Store) -> None:
    d = _draft(sqlite_store)
    assert [g["allowed"] for g in (d.catalogue or {})["gates"]
            if g["id"] == "data-location"] == [["france", "eu"]]
    check = authoring.preview(d, authoring.set_options(
        "host.data_location", {"fr": 100, "eu": 50, "non_eu": 0}))
    assert [f"{p.question}: {p.message}" for p in check.problems] == [
        "gates.data-location.allowed: 'france': not an option of host.data_location (options: "
        "fr, eu, non_eu)"]


def test_a_removed_question_takes_the_answer_gates_on_it(sqlite_store: Store) -> None:
    d = _draft(sqlite_store)
    assert {"id": "iso27001"} in d.scenario["gates"]
    d = authoring.edit(sqlite_store, CHAIR, d.id, d.version, "remove_question",
                       authoring.remove_question("cert.iso27001"), {})
    assert "iso27001" not in [g["id"] for g in (d.catalogue or {})["gates"]]
    assert {"id": "iso27001"} not in d.scenario["gates"] and d.check.ok, _lines(d)


def test_the_answers_a_module_reads_keep_their_format(sqlite_store: Store) -> None:
    d = _draft(sqlite_store, "hdh")
    with pytest.raises(CommitteeError, match="the legal module reads this answer in its own "
                                             "format: its options are fixed"):
        authoring.edit(sqlite_store, CHAIR, d.id, d.version, "set_options",
                       authoring.set_options("legal.data_location", {"fr": 100}), {})
    with pytest.raises(CommitteeError, match="legal module reads"):
        authoring.edit(sqlite_store, CHAIR, d.id, d.version, "set_number", authoring.set_number(
            "legal.non_eu_share_individual", unit="%", minimum=0, maximum=100,
            direction=None), {})


def test_a_number_question_s_bounds_unit_and_direction(any_store: Store) -> None:
    d = _draft(any_store)
    assert authoring.direction_of(_q(d, "avail.rpo_minutes").get("scale")) == ("lower", 0, 240)
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_number", authoring.set_number(
        "avail.rpo_minutes", unit="min", minimum=0, maximum=1440, direction="higher", low=15,
        high=60), {"question": "avail.rpo_minutes"})
    q = _q(d, "avail.rpo_minutes")
    assert (q["unit"], q["min"], q["max"], q["scale"]) == ("min", 0, 1440,
                                                           {"worst": 15, "best": 60})
    assert d.check.ok, _lines(d)
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_number", authoring.set_number(
        "avail.rpo_minutes", unit=None, minimum=100, maximum=10, direction="lower", low=15,
        high=60), {})
    assert _q(d, "avail.rpo_minutes")["scale"] == {"worst": 60, "best": 15}
    assert "unit" not in _q(d, "avail.rpo_minutes")
    assert "avail.rpo_minutes: min 100 must be below max 10" in _lines(d)  # located
    cat = d.catalogue or {}
    for kw, why in (({"direction": "higher", "low": 5, "high": 5}, "must be below its upper"),
                    ({"direction": "higher", "low": None, "high": 5}, "both ends"),
                    ({"direction": "up", "low": 1, "high": 5}, "higher or lower")):
        with pytest.raises(CommitteeError, match=why):
            authoring.set_number("avail.rpo_minutes", unit=None, minimum=0, maximum=10,
                                 **kw)(cat, {}, [])  # type: ignore[arg-type]
    with pytest.raises(CommitteeError, match="belong to number or percent questions"):
        authoring.set_number("host.tier", unit=None, minimum=None, maximum=None,
                             direction=None)(cat, {}, [])
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_number", authoring.set_number(
        "avail.rpo_minutes", unit=None, minimum=0, maximum=10, direction=None), {})
    assert "scale" not in _q(d, "avail.rpo_minutes")  # a fact, not scored


def test_the_modules_bring_and_take_their_pillars_questions_and_gates(
        any_store: Store) -> None:
    d = _draft(any_store)
    check, diff = authoring.preview_change(d, authoring.set_modules(
        ["cost", "legal", "sovereignty"]))
    assert diff.pillars_added == ["legal", "sovereignty"] and not diff.pillars_removed
    assert "legal.hq_country" in diff.questions_added and "sov.sov8_sustainability" in \
        diff.questions_added
    assert [p.question for p in check.problems] == ["weights.legal", "weights.sovereignty"]
    assert authoring.read_draft(any_store, d.id) == d  # a preview saves nothing
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_modules",
                       authoring.set_modules(["cost", "legal", "sovereignty"]), {})
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_weights",
                       authoring.set_weights({"legal": 5, "sovereignty": 5}, {}, {}), {})
    assert d.check.ok, _lines(d)
    assert d.check.catalogue is not None and d.check.catalogue.certifications is not None
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_modules",
                       authoring.set_modules(["cost", "sovereignty"]), {})
    assert _q(d, "legal.hq_country")["pillar"] == "sovereignty"  # still read: moved
    assert "legal.non_eu_share_individual" not in {q["id"] for q in d.catalogue["questions"]}
    assert "legal" not in d.scenario["weights"] and d.check.ok, _lines(d)
    gates = [g["id"] for g in d.catalogue["gates"] if g.get("kind") == "costable"]
    assert gates and any(g["id"] in gates for g in d.scenario["gates"])
    check, diff = authoring.preview_change(d, authoring.set_modules(["sovereignty"]))
    assert diff.pillars_removed == ["cost"] and diff.gates_removed == gates
    d = authoring.edit(any_store, CHAIR, d.id, d.version, "set_modules",
                       authoring.set_modules(["sovereignty"]), {"modules": ["sovereignty"]})
    assert "price_items" not in d.catalogue and not any(
        g["id"] in gates for g in d.scenario["gates"])
    assert _last_audit(any_store, d.id)["modules"] == ["sovereignty"]
    with pytest.raises(CommitteeError, match="unknown module carbon"):
        authoring.set_modules(["carbon"])(d.catalogue, {}, [])


def test_price_items_and_the_workload_that_buys_them(sqlite_store: Store) -> None:
    d = _draft(sqlite_store)
    rows = [("vm.4vcpu_16gb", "hour", "A VM"), ("", None, None), ("gpu.h100", "hour", "GPU")]
    items = authoring.price_items_of(rows)
    assert list(items) == ["vm.4vcpu_16gb", "gpu.h100"]
    d = authoring.edit(sqlite_store, CHAIR, d.id, d.version, "set_price_items",
                       authoring.set_price_items(items), {})
    assert set(d.scenario["workload"]["annual"]) <= {"vm.4vcpu_16gb"}
    assert d.check.catalogue is not None and "gpu.h100" in d.check.catalogue.price_items
    with pytest.raises(CommitteeError, match="price item x: given twice"):
        authoring.price_items_of([("x", "h", ""), ("x", "h", "")])
    with pytest.raises(CommitteeError, match="price item id 'ﬁle'"):
        authoring.set_price_items({"ﬁle": {"unit": "h", "help": "x"}})(d.catalogue, {}, [])


def test_the_tree_is_locked_once_published(sqlite_store: Store) -> None:
    d = _draft(sqlite_store)
    workflow.publish(sqlite_store, CHAIR, d.id, DEADLINE)
    v = authoring.read_draft(sqlite_store, d.id).version
    for change in (authoring.add_pillar("x", "X"), authoring.remove_pillar("governance", True),
                   authoring.set_options("host.tier", {"a": 1}),
                   authoring.set_modules([]), authoring.set_price_items({})):
        with pytest.raises(CommitteeError, match="only when draft"):
            authoring.edit(sqlite_store, CHAIR, d.id, v, "x", change, {})


def test_the_edited_catalogue_validates_as_yaml_and_as_a_workbook(
        sqlite_store: Store, tmp_path: Path) -> None:
    d = _draft(sqlite_store)
    sc, _ = load_scenario("data/scenarios/ght-dpi-demo.yaml")
    for op, change in (
            ("add_pillar", authoring.add_pillar("reversibility", "Réversibilité")),
            ("add_criterion", authoring.add_criterion("reversibility", "plan", "Plan")),
            ("add_question", authoring.add_question("reversibility", "plan", "rev.exit",
                                                    "enum", "Exit plan", "CCTP §8")),
            ("set_options", authoring.set_options("rev.exit", {"none": 0, "tested": 100})),
            ("set_number", authoring.set_number("avail.rpo_minutes", unit="min", minimum=0,
                                                maximum=600, direction="lower", low=5,
                                                high=120)),
            ("set_modules", authoring.set_modules(["cost", "legal"])),
            ("set_weights", authoring.set_weights({"reversibility": 10, "legal": 5},
                                                  {("reversibility", "plan"): 1}, {}))):
        d = authoring.edit(sqlite_store, CHAIR, d.id, d.version, op, change, {})
    assert d.check.ok, _lines(d)
    cat_file = tmp_path / "catalogue.yaml"
    cat_file.write_text(authoring.catalogue_text(sqlite_store, d.id), encoding="utf-8")
    assert main(["catalogue", "validate", str(cat_file)]) == 0
    grid, _template = authoring.downloads(sqlite_store, d.id)
    xlsx, back = tmp_path / "grille.xlsx", tmp_path / "back.yaml"
    xlsx.write_bytes(grid)
    assert main(["catalogue", "import", str(xlsx), "-o", str(back)]) == 0
    assert main(["catalogue", "validate", str(back)]) == 0
    doc = yaml.safe_load(back.read_text(encoding="utf-8"))
    assert doc["pillars"]["reversibility"]["label"] == "Réversibilité"
    assert doc["modules"] == ["legal", "cost"] or set(doc["modules"]) == {"legal", "cost"}
    q = next(x for x in doc["questions"] if x["id"] == "rev.exit")
    assert q["options"] == {"none": 0, "tested": 100}
    rpo = next(x for x in doc["questions"] if x["id"] == "avail.rpo_minutes")
    assert rpo["scale"] == {"worst": 120, "best": 5} and rpo["max"] == 600
    assert sc.catalogue == "ght-dpi"
