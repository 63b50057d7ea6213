"""A tender that is not the HDH's (issue 19): a two-pillar catalogue without the legal and
sovereignty modules, with committee grades, through the engine and every command; the HDH
replays unchanged; weight gaps warned about."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml

from scoring.engine import evaluate_path
from scoring.errors import QuestionnaireError, ScenarioError
from scoring.io import parse_questionnaire
from scoring.io.catalogue import load_catalogue
from scoring.report.excel import summary_workbook
from scoring.report.questionnaire_template import template_workbook
from scoring.report.ranking import rank_json
from scoring.robustness.scenario import sensitivity
from scoring.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parents[1]
TENDER2 = ROOT / "tests" / "fixtures" / "tender2"
SCENARIO = TENDER2 / "scenario.yaml"

# The hashes of the bundled scenarios before issue 19 (main at c792a8c): a scenario that names
# no catalogue keeps its hash (``Scenario.canonical`` drops the default ``catalogue: hdh``).
HASHES = {
    "cf-2019-no-vehicle.yaml": "6688f26685d9a4cc16d879258b44da5102b677fda8b32739c509fd94dfc8b0f5",
    "cf-2019-offers-2026-rules.yaml":
        "4da46d05cf9179717dc537e241ac6d623bd3a679a2a40e52e748ed59ce1fd591",
    "cf-2026-offers-2019-weights.yaml":
        "8a4e6b35fb432be680c12d9e28de69a34d37a9e5598abebc6303caa94f6c1fc9",
    "hdh-2019-exclude.yaml": "c99b7dd34c1ce9dda9008a9a465bf79b409d5f01dd0d54044b439263539ad5b9",
    "hdh-2019.yaml": "670f42b2ddea10c256d98c6e374b220e09567bceb5b50f546fe106c3325cb37e",
    "hdh-2026-j0.yaml": "3ece25c7ea846393d87f8623fe42b5326bae4646da83e3523e6f055fd5c2b8fc",
    "hdh-2026.yaml": "111e13b33611584c423a8634df8434c8efe9cbef10afb890bcd6066eeae40d7e",
}


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "scoring", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


@pytest.mark.parametrize("name", sorted(HASHES))
def test_bundled_scenario_hashes_are_unchanged(name: str) -> None:
    sc, _ = load_scenario(ROOT / "data" / "scenarios" / name)
    assert sc.catalogue == "hdh"
    assert sc.hash == HASHES[name]


def test_naming_the_default_catalogue_keeps_the_hash() -> None:
    data = (ROOT / "data" / "scenarios" / "hdh-2026.yaml").read_text()
    from scoring.scenario.load import parse_scenario

    assert parse_scenario(data.replace("method: wsm\n", "method: wsm\ncatalogue: hdh\n")
                          .encode()).hash == HASHES["hdh-2026.yaml"]
    assert parse_scenario(data.replace("method: wsm\n", "method: wsm\ncatalogue: other\n")
                          .encode()).hash != HASHES["hdh-2026.yaml"]


def test_the_two_pillar_tender_evaluates_on_its_own_pillars() -> None:
    ev = evaluate_path(SCENARIO)
    assert ev.catalogue is not None and ev.catalogue.id == "tender2"
    assert ev.pillars == ("technical", "cost")
    assert {lf.pillar for lf in ev.leaves} == {"technical", "cost"}
    alpha = ev.result("alpha")
    assert set(alpha.pillars) == {"technical", "cost"}
    assert alpha.legal is None and alpha.seal_levels == ()
    # alpha: every technical leaf known; support 3/4 -> 75, reversibility level 2 -> 60
    # technical = 0.4 * (100 + 100) / 2 + 0.6 * (100 + 75 + 60) / 3 = 40 + 47 = 87
    assert alpha.pillars["technical"] == pytest.approx(87.0)
    # the catalogue's gate, referenced by id in the scenario, excludes gamma (no ISO 27001)
    gamma = ev.result("gamma")
    assert gamma.excluded_by == ("iso",)
    assert ev.scenario.gates[0].kind == "answer"
    assert json.dumps(rank_json(ev))  # the JSON contract serialises


def test_a_grade_enters_with_the_committees_reason_and_a_missing_one_is_unknown() -> None:
    ev = evaluate_path(SCENARIO)
    rows = {r["question"]: r for r in ev.contributions("alpha")}
    reason = rows["svc.support_plan"]["reason"]
    assert reason.startswith("level 3 (satisfying); committee consensus (evaluators "
                             "A. Martin, B. Durand; moderated by C. Petit, 2026-02-01): 24/7")
    beta = ev.result("beta")  # beta has no reversibility grade: unknown, an interval, not 0
    j = next(j for j, lf in enumerate(ev.leaves) if lf.question == "svc.reversibility_plan")
    assert ev.bounds is not None
    assert ev.bounds.lo[beta.index, j] == 0.0 and ev.bounds.hi[beta.index, j] == 100.0
    assert beta.total_range is not None and beta.total_range[0] < beta.total_range[1]


def test_the_grades_file_changes_the_result_hash(tmp_path: Path) -> None:
    shutil.copytree(TENDER2, tmp_path / "t")
    before = evaluate_path(tmp_path / "t" / "scenario.yaml").hash
    g = tmp_path / "t" / "grades.yaml"
    g.write_text(g.read_text().replace("value: 4,", "value: 2,"))
    ev = evaluate_path(tmp_path / "t" / "scenario.yaml")
    assert ev.hash != before
    assert ev.result("beta").total < evaluate_path(SCENARIO).result("beta").total


@pytest.mark.parametrize(("old", "new", "phrase"), [
    ("value: 3, justification", "value: 7, justification", "expected a level of the grid"),
    ("svc.support_plan: {value: 4", "tech.regions: {value: 4", "is not a grade question"),
    ("evaluators: [A. Martin, B. Durand], date: 2026-02-01}\n  beta",
     "evaluators: [], date: 2026-02-01}\n  beta", "a list of the evaluators' names"),
    ("justification: \"Dedicated team, tested escalation.\"", "justification: \"\"",
     "the committee's reason is required"),
    ("  beta:", "  delta:", "not an offer of the scenario"),
])
def test_bad_grades_are_located(tmp_path: Path, old: str, new: str, phrase: str) -> None:
    shutil.copytree(TENDER2, tmp_path / "t")
    g = tmp_path / "t" / "grades.yaml"
    text = g.read_text()
    assert old in text
    g.write_text(text.replace(old, new, 1))
    with pytest.raises(ScenarioError) as ei:
        evaluate_path(tmp_path / "t" / "scenario.yaml")
    lines = [p.line() for p in ei.value.problems]
    assert any(phrase in ln and "grades" in ln for ln in lines), lines


def test_a_bidder_cannot_answer_a_grade() -> None:
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    data = (TENDER2 / "offers" / "alpha.yaml").read_text().replace(
        "answers:\n", "answers:\n  svc.support_plan: {value: 4, source: S1, confidence: "
        "confirmed}\n")
    with pytest.raises(QuestionnaireError) as ei:
        parse_questionnaire(data.encode(), "alpha.yaml", cat)
    assert any("svc.support_plan" in p.line() and "scored by the committee" in p.line()
               for p in ei.value.problems)


def test_the_template_lists_grades_as_scored_by_the_committee() -> None:
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook("2026", cat)))
    assert "technical" in wb.sheetnames and "legal" not in wb.sheetnames
    rows = {r[0].value: [c.value for c in r] for r in wb["technical"].iter_rows(min_row=2)
            if r[0].value}
    grade = rows["svc.support_plan"]
    assert any(isinstance(v, str) and v.startswith("scored by the committee") for v in grade)
    # no answer, confidence or source cell is filled or offered for it
    assert all(v is None for v in grade[6:]), grade


def test_weight_gaps_are_warned_located(tmp_path: Path) -> None:
    shutil.copytree(TENDER2, tmp_path / "t")
    s = tmp_path / "t" / "scenario.yaml"
    s.write_text(s.read_text().replace("criteria: {hosting: 40, support: 60}",
                                       "criteria: {hosting: 40}").replace("  - id: iso\n",
                                                                          "  []\n")
                 .replace("gates:\n  []", "gates: []"))
    ev = evaluate_path(s)
    lines = [w.line() for w in ev.weight_warnings]
    assert any("weights.technical.criteria.support: criterion 'support' of the catalogue has "
               "no weight: it counts 0" in ln for ln in lines), lines
    assert any("defines gates (iso); this scenario applies none of them" in ln for ln in lines)
    proc = run("rank", s)
    assert proc.returncode == 0
    assert "weights.technical.criteria.support" in proc.stderr
    proc = run("validate", tmp_path / "t" / "offers", "--scenario", s)
    assert proc.returncode == 0, proc.stderr
    assert "weights.technical.criteria.support" in proc.stderr


def test_the_hdh_scenarios_have_no_weight_gap() -> None:
    for p in sorted((ROOT / "data" / "scenarios").glob("*.yaml")):
        assert evaluate_path(p).weight_warnings == (), p


def test_a_gate_reference_the_catalogue_lacks_is_located(tmp_path: Path) -> None:
    shutil.copytree(TENDER2, tmp_path / "t")
    s = tmp_path / "t" / "scenario.yaml"
    s.write_text(s.read_text().replace("  - id: iso\n", "  - id: hds\n"))
    with pytest.raises(ScenarioError) as ei:
        evaluate_path(s)
    assert any("gates.hds" in p.line() and "no gate 'hds' in the catalogue tender2" in p.line()
               for p in ei.value.problems)


def test_a_module_gate_on_a_catalogue_without_the_module_is_refused(tmp_path: Path) -> None:
    shutil.copytree(TENDER2, tmp_path / "t")
    s = tmp_path / "t" / "scenario.yaml"
    s.write_text(s.read_text().replace("  - id: iso\n", "  - {id: seal, kind: min_seal, "
                                       "level: 2}\n"))
    with pytest.raises(ScenarioError) as ei:
        evaluate_path(s)
    assert any("needs the sovereignty module" in p.line() for p in ei.value.problems)


def test_weights_on_an_undeclared_pillar_are_refused(tmp_path: Path) -> None:
    shutil.copytree(TENDER2, tmp_path / "t")
    s = tmp_path / "t" / "scenario.yaml"
    s.write_text(s.read_text().replace("  cost: {weight: 30}", "  cost: {weight: 30}\n"
                                       "  legal: {weight: 10}"))
    with pytest.raises(ScenarioError) as ei:
        evaluate_path(s)
    assert any("weights.legal: unknown pillar (the catalogue tender2 declares: technical, "
               "cost)" in p.line() for p in ei.value.problems)


def test_the_commands_run_on_the_two_pillar_tender(tmp_path: Path) -> None:
    rank = run("rank", SCENARIO)
    assert rank.returncode == 0, rank.stderr
    head = next(ln for ln in rank.stdout.splitlines() if ln.startswith("rank "))
    assert "technical" in head and "cost" in head
    assert "legal" not in head and "sovereignty" not in head and "SEAL" not in head
    data = json.loads(run("rank", SCENARIO, "--json").stdout)
    assert set(data["results"][0]["pillars"]) == {"technical", "cost"}
    ex = run("explain", SCENARIO, "alpha")
    assert ex.returncode == 0 and "Legal exposure" not in ex.stdout
    assert "Sovereignty" not in ex.stdout and "Cost (ASSUMPTION T2-W)" in ex.stdout
    exj = json.loads(run("explain", SCENARIO, "alpha", "--json").stdout)
    assert exj["legal"] is None and exj["seal"] is None and exj["cost"]["annual"] > 0
    sens = run("sensitivity", SCENARIO, "--samples", "500")
    assert sens.returncode == 0, sens.stderr
    assert "technical" in sens.stdout
    out = tmp_path / "s.xlsx"
    exp = run("export", SCENARIO, "-o", out, "--samples", "200")
    assert exp.returncode == 0, exp.stderr
    wb = openpyxl.load_workbook(out)
    assert wb["Legal"]["A1"].value.startswith("The catalogue tender2 does not use the legal")


def test_sensitivity_and_summary_in_process() -> None:
    ev = evaluate_path(SCENARIO)
    rep = sensitivity(ev, samples=300)
    assert rep.dm.criteria == ("technical", "cost")
    assert rep.stability is not None and {s.criterion for s in rep.stability} == {
        "technical", "cost"}
    assert summary_workbook(ev, sensitivity=rep)[:2] == b"PK"


def test_questions_and_validate_take_a_catalogue() -> None:
    q = run("questions", "--catalogue", TENDER2 / "catalogue.yaml")
    assert q.returncode == 0 and "grade (committee)" in q.stdout
    v = run("validate", TENDER2 / "offers", "--catalogue", TENDER2 / "catalogue.yaml")
    assert v.returncode == 0, v.stderr
    bad = run("validate", TENDER2 / "offers")  # against the hdh catalogue: unknown ids
    assert bad.returncode == 2 and "unknown question id" in bad.stderr


def test_catalogue_validate_exit_codes(tmp_path: Path) -> None:
    ok = run("catalogue", "validate", TENDER2 / "catalogue.yaml", "--show")
    assert ok.returncode == 0 and "support: Support and reversibility" in ok.stdout
    doc = yaml.safe_load((TENDER2 / "catalogue.yaml").read_text())
    doc["questions"][3]["grid"] = {0: "absent"}
    doc["questions"][1]["pillar"] = "quality"
    bad = tmp_path / "catalogue.yaml"
    bad.write_text(yaml.safe_dump(doc))
    proc = run("catalogue", "validate", bad)
    assert proc.returncode == 2
    assert "svc.support_plan: grid: a grade needs at least 2 levels" in proc.stderr
    assert "tech.regions.pillar: unknown pillar 'quality'" in proc.stderr


def test_a_child_in_another_folder_keeps_its_parents_catalogue_and_grades(
        tmp_path: Path) -> None:
    """``extends``: a catalogue or grades file named by path resolves against the file that
    names it, like the offers' paths."""
    child = tmp_path / "variant" / "child.yaml"
    child.parent.mkdir()
    import os

    child.write_text(f"extends: {os.path.relpath(SCENARIO, child.parent)}\nid: child\n")
    ev = evaluate_path(child)
    assert ev.catalogue is not None and ev.catalogue.id == "tender2"
    parent = evaluate_path(SCENARIO)
    assert ev.result("alpha").total == parent.result("alpha").total
