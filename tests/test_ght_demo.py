"""The second bundled tender, ``ght-dpi`` (fictional demonstration data): a hospital group's HDS
hosting of its patient-record system. Its catalogue, bids, grades and scenarios are checked as
data; every CLI command runs on it with the demonstration label and without a word of the
replayed tender; the demo flag leaves the replay's hashes alone."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
import yaml

from scoring.cli.main import main
from scoring.engine import evaluate_path
from scoring.io import load_offers
from scoring.io.catalogue import load_catalogue
from scoring.report.ranking import rank_json
from scoring.scenario.load import load_scenario, parse_scenario_doc
from scoring.scenario.model import DEMO_LABEL

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SCENARIO = DATA / "scenarios" / "ght-dpi-demo.yaml"
VARIANT = DATA / "scenarios" / "ght-dpi-demo-cost40.yaml"
VENDORS = DATA / "vendors" / "demo-ght"
GRADES = DATA / "grades" / "ght-dpi-demo.yaml"
# Words of the replayed tender that must never show on the demonstration tender's outputs.
REPLAY_WORDS = re.compile(r"HDH|Health Data Hub|SNDS|Microsoft|Azure", re.IGNORECASE)


def test_catalogue_is_a_tender_of_its_own_kind() -> None:
    cat = load_catalogue("ght-dpi")
    assert cat.version == 2 and cat.modules == ("cost",)
    assert not {"legal", "sovereignty"} & set(cat.pillars)
    graded = [q for q in cat.questions if q.type == "grade"]
    assert len(cat.questions) >= 60
    assert len(graded) * 2 >= len(cat.questions)
    for q in graded:  # a 0-4 grid whose descriptors differ level by level
        assert q.grid is not None and sorted(q.grid) == [0, 1, 2, 3, 4], q.id
        descriptors = [g.descriptor for g in q.grid.values()]
        assert len(set(descriptors)) == 5 and all(d.strip() for d in descriptors), q.id
    others = {q.type for q in cat.questions if q.type != "grade"}
    assert {"bool", "enum", "number"} <= others
    assert {g.kind for g in cat.gates} >= {"hds", "answer", "min_pillar", "costable"}
    assert {"oneoff.migration", "storage.backup", "db.managed_8vcpu_64gb"} <= set(
        cat.price_items)
    assert not REPLAY_WORDS.search((DATA / "catalogues/ght-dpi/catalogue.yaml").read_text())


@pytest.mark.parametrize("path", [SCENARIO, VARIANT])
def test_scenarios_weigh_everything_and_are_flagged_demo(path: Path) -> None:
    ev = evaluate_path(path)
    sc = ev.scenario
    assert ev.weight_warnings == ()  # every pillar, criterion and question has a weight
    assert sc.demo is not None and "ictional" in sc.demo.reason
    assert "demonstration data" in sc.title
    assert sc.missing_policy == "uncertain" and len(sc.lots) == 3
    assert [g.id for g in sc.gates] == ["hds", "iso27001", "data-location",
                                        "technical-minimum", "costable"]
    assert all(g.kind is not None for g in sc.gates)  # resolved from the catalogue's gates
    # the gates bite: a lapsed HDS v1 certificate and a weak technical offer are excluded
    excluded = {r.offer.offer_id: r.excluded_by for r in ev.results if r.eligibility == "fail"}
    assert excluded == {"hexacloud": ("hds",), "quartz": ("technical-minimum",)}


def test_demo_bids_are_fictional_and_kept_apart_from_the_replay() -> None:
    cat = load_catalogue("ght-dpi")
    offers = load_offers([VENDORS], cat).offers
    assert 5 <= len(offers) <= 6
    for o in offers:
        assert "(démo)" in o.vendor_name
        assert all("Demonstration data, fictional" in s.title for s in o.sources.values())
        assert {p.item for p in o.prices} == set(cat.price_items)
        assert not REPLAY_WORDS.search(Path(o.file).read_text(encoding="utf-8"))
    unknown = sum(1 for o in offers for q in cat.questions if q.type != "grade"
                  and not o.answer(q.id).known)
    assert unknown > 0  # some answers are not known, and stay unknown
    replay = load_offers([DATA / "vendors" / "2019", DATA / "vendors" / "2026"]).offers
    assert not {o.offer_id for o in offers} & {o.offer_id for o in replay}


def test_grades_cover_most_but_not_all_grade_criteria() -> None:
    cat = load_catalogue("ght-dpi")
    grade_ids = {q.id for q in cat.questions if q.type == "grade"}
    doc = yaml.safe_load(GRADES.read_text(encoding="utf-8"))["grades"]
    given = sum(len(v) for v in doc.values())
    assert 0 < len(doc) * len(grade_ids) - given < given / 10  # a few left unknown on purpose
    for per_offer in doc.values():
        for qid, g in per_offer.items():
            assert qid in grade_ids and g["justification"] and len(g["evaluators"]) >= 2
    ev = evaluate_path(SCENARIO)
    r = ev.result("nebulo-sante")
    assert r.offer.answer("rev.plan").value == 4  # the committee's level became the answer
    assert not r.offer.answer("gov.improvement").known  # not graded: unknown, not 0


def test_demo_flag_is_hashed_only_when_given() -> None:
    """Drop-at-default: a scenario without ``demo`` keeps the hash it had before the field."""
    sc, _ = load_scenario(DATA / "scenarios" / "hdh-2026.yaml")
    assert "demo" not in json.loads(sc.canonical())
    doc = yaml.safe_load(SCENARIO.read_text(encoding="utf-8"))
    with_flag = parse_scenario_doc(doc)
    without = parse_scenario_doc({k: v for k, v in doc.items() if k != "demo"})
    assert json.loads(with_flag.canonical())["demo"] == {"reason": with_flag.demo.reason}
    assert with_flag.hash != without.hash
    with pytest.raises(Exception, match="reason"):
        parse_scenario_doc({**doc, "demo": {"reason": ""}})


def test_rank_json_carries_the_demo_label_only_for_a_demo() -> None:
    assert rank_json(evaluate_path(SCENARIO))["demo"]["label"] == DEMO_LABEL
    assert "demo" not in rank_json(evaluate_path(DATA / "scenarios" / "hdh-2019.yaml"))


S = str(SCENARIO)
COMMANDS = [
    ["validate", "--scenario", S, str(VENDORS)],
    ["validate", "--json", "--catalogue", "ght-dpi", str(VENDORS)],
    ["questions", "--catalogue", "ght-dpi"],
    ["questions", "--scenario", S],
    ["rank", S], ["rank", "--json", S], ["rank", "--method", "topsis", S],
    ["compare", S, str(VARIANT)], ["compare", "--json", S, str(VARIANT)],
    ["explain", S, "septentrion"], ["explain", "--json", S, "quartz"],
    ["allocate", S], ["allocate", "--json", S],
    ["frontier", S], ["frontier", "--kind", "legal", "--json", S],
    ["sensitivity", "--samples", "300", S],
    ["sensitivity", "--level", "criterion", "--samples", "200", "--json", S],
    ["flip", S, "nebulo-sante"], ["flip", "--level", "criterion", S, "armorique-data"],
    ["clarify", S], ["clarify", "--pairs", "--json", S],
    ["catalogue", "validate", "--show", "ght-dpi"],
]
SCENARIO_COMMANDS = {"rank", "compare", "explain", "allocate", "frontier", "sensitivity", "flip",
                     "clarify"}


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_every_command_runs_on_the_demo_without_a_replay_word(
        argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert not REPLAY_WORDS.search(out + err), REPLAY_WORDS.findall(out + err)
    if argv[0] in SCENARIO_COMMANDS:  # the label on stdout, or on stderr beside JSON
        assert DEMO_LABEL.upper() in (err if "--json" in argv else out)
    if "--json" in argv:
        json.loads(out)


def test_frontier_without_sovereignty_sweeps_budgets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frontier", S]) == 0
    out = capsys.readouterr().out
    assert "What each budget buys" in out and "SEAL" not in out and "sovereignty" not in out
    assert main(["allocate", S]) == 0
    out = capsys.readouterr().out
    assert "SEAL" not in out and "LEGAL-PTS" not in out


def _sheet_text(path: Path) -> str:
    """The cell text of a workbook (shared strings and inline strings), not its metadata (the
    writing library names its vendor's product in docProps and the theme)."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist()
                         if n.startswith("xl/worksheets/") or n == "xl/sharedStrings.xml")


@pytest.mark.parametrize("argv", [
    ["export", S, "--samples", "200"],
    ["template", "--catalogue", "ght-dpi"],
    ["catalogue", "template", "ght-dpi"],
    ["catalogue", "workbook", "ght-dpi", "--scenario", S],
], ids=lambda a: " ".join(a[:2]))
def test_every_workbook_of_the_demo_is_free_of_replay_words(
        argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "out.xlsx"
    assert main([*argv, "-o", str(out_file)]) == 0
    text = _sheet_text(out_file)
    assert not REPLAY_WORDS.search(text + capsys.readouterr().out)
    if argv[0] == "export":
        assert DEMO_LABEL.upper() in text  # on the cover
    if argv[:2] == ["catalogue", "workbook"]:  # and it reads back as the same catalogue
        back = tmp_path / "cat.yaml"
        assert main(["catalogue", "import", str(out_file), "-o", str(back),
                     "--check-scenario", S]) == 0
