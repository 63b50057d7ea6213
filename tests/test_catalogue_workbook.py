"""The buyer's criteria workbook (issue 19, part 5): catalogue -> workbook -> catalogue gives
the same catalogue; the weight column becomes a weights block or is checked against a
scenario; a hostile or malformed workbook is refused, located, never a traceback."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from scoring.errors import CatalogueError
from scoring.io.catalogue import load_catalogue, parse_catalogue
from scoring.io.criteria_workbook import parse_pairs, read_criteria_workbook
from scoring.models import Catalogue
from scoring.report.criteria_workbook import criteria_workbook
from scoring.scenario.load import load_scenario
from tests.workbooks import cell, edited

ROOT = Path(__file__).resolve().parents[1]
TENDER2 = ROOT / "tests" / "fixtures" / "tender2"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "scoring", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, timeout=300, check=False)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


def _reimport(cat: Catalogue, weights: Any = None) -> tuple[Catalogue, Any]:
    rd = read_criteria_workbook(criteria_workbook(cat, weights), "grille.xlsx")
    again = parse_catalogue(yaml.safe_dump(rd.doc, sort_keys=False).encode(), "grille.xlsx")
    return again, rd


def _same(a: Catalogue, b: Catalogue) -> None:
    skip = {"sha256", "version", "title"} if a.version != b.version else {"sha256"}
    assert a.model_dump(exclude=skip) == b.model_dump(exclude=skip)


def test_round_trip_of_the_test_tender() -> None:
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    again, rd = _reimport(cat)
    _same(cat, again)
    assert rd.weights == {}


def test_round_trip_of_the_hdh_catalogue_with_its_weights() -> None:
    cat = load_catalogue()
    sc, _ = load_scenario(ROOT / "data" / "scenarios" / "hdh-2026.yaml")
    again, rd = _reimport(cat, sc.weights)
    _same(cat, again)
    assert rd.weights["technical"]["weight"] == 40
    assert rd.weights["technical"]["criteria"]["platform"] == {"weight": 35}
    assert rd.weights["cost"] == {"weight": 25}


def test_the_grid_and_options_cells() -> None:
    assert parse_pairs("0=absent; 1=insufficient;2=partial", True) == (
        {0: "absent", 1: "insufficient", 2: "partial"}, None)
    assert parse_pairs("1=outline=0; 2=tested=100", True) == (
        {1: {"descriptor": "outline", "utility": 0}, 2: {"descriptor": "tested",
                                                         "utility": 100}}, None)
    assert parse_pairs("none=100; reduced=50; n_a=", False) == (
        {"none": 100, "reduced": 50, "n_a": None}, None)
    assert parse_pairs("a=absent", True)[1] == "grid level 'a' is not an integer"
    assert parse_pairs("0=absent; 0=none", True)[1] == "'0' is given twice"
    assert "key=value" in (parse_pairs("absent", True)[1] or "")


def _workbook(edit: Any) -> bytes:
    return edited(criteria_workbook(load_catalogue(TENDER2 / "catalogue.yaml")), edit)


BAD = [
    ("formula", lambda wb: setattr(cell(wb, "tech.regions", "min"), "value", "=1+1"),
     "Criteria!K", "a formula"),
    ("bad grid", lambda wb: setattr(cell(wb, "svc.support_plan", "grid"), "value",
                                    "zero=absent; 1=ok"), "Criteria!G",
     "grid level 'zero' is not an integer"),
    ("bad weight", lambda wb: setattr(cell(wb, "tech.regions", "weight"), "value", "lots"),
     "Criteria!F", "weight 'lots': a number"),
    ("unknown column", lambda wb: wb["Criteria"].cell(row=1, column=25, value="colour"),
     "Criteria!Y1", "unknown column 'colour'"),  # at its cell
    ("far cell", lambda wb: wb["Criteria"].cell(row=5000, column=1, value="x"), "Criteria",
     "beyond row 2,000"),
    ("bidi", lambda wb: setattr(cell(wb, "tech.regions", "question text"), "value",
                                "Regions\u202e"), "Criteria!D", "right-to-left"),
]


@pytest.mark.parametrize(("name", "edit", "where", "phrase"), BAD, ids=[b[0] for b in BAD])
def test_bad_workbooks_are_located(name: str, edit: Any, where: str, phrase: str) -> None:
    with pytest.raises(CatalogueError) as ei:
        read_criteria_workbook(_workbook(edit), "g.xlsx")
    lines = [p.line() for p in ei.value.problems]
    assert any(where in ln and phrase in ln for ln in lines), lines


def test_a_catalogue_rule_broken_in_the_workbook_is_located_by_item(tmp_path: Path) -> None:
    data = _workbook(lambda wb: setattr(cell(wb, "svc.support_plan", "grid"), "value",
                                        "0=absent"))
    (tmp_path / "g.xlsx").write_bytes(data)
    proc = run("catalogue", "import", tmp_path / "g.xlsx", "-o", tmp_path / "c.yaml")
    assert proc.returncode == 2
    assert "svc.support_plan: grid: a grade needs at least 2 levels" in proc.stderr
    assert not (tmp_path / "c.yaml").exists()  # nothing written from a bad workbook


def test_not_a_workbook_is_refused(tmp_path: Path) -> None:
    (tmp_path / "g.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    proc = run("catalogue", "import", tmp_path / "g.xlsx", "-o", tmp_path / "c.yaml")
    assert proc.returncode == 2 and "g.xlsx" in proc.stderr
    with pytest.raises(CatalogueError):
        read_criteria_workbook(b"hello", "g.xlsx")


def test_cli_round_trip_weights_block_and_check(tmp_path: Path) -> None:
    scen = ROOT / "data" / "scenarios" / "hdh-2026.yaml"
    g, c, w = tmp_path / "g.xlsx", tmp_path / "c.yaml", tmp_path / "w.yaml"
    assert run("catalogue", "workbook", "hdh", "-o", g, "--scenario", scen).returncode == 0
    proc = run("catalogue", "import", g, "-o", c, "--weights-out", w)
    assert proc.returncode == 0, proc.stderr
    _same(load_catalogue(), load_catalogue(c))
    block = yaml.safe_load(w.read_text())["weights"]
    sc, _ = load_scenario(scen)
    assert {p: v["weight"] for p, v in block.items()} == {p: v.weight
                                                          for p, v in sc.weights.items()}
    ok = run("catalogue", "import", g, "-o", c, "--check-scenario", scen)
    assert ok.returncode == 0, ok.stderr
    other = ROOT / "data" / "scenarios" / "hdh-2019.yaml"
    diff = run("catalogue", "import", g, "-o", c, "--check-scenario", other)
    assert diff.returncode == 2
    assert "Criteria!F" in diff.stderr and "(weights.technical): weight share differs" in \
        diff.stderr
    note = run("catalogue", "import", g, "-o", c)
    assert note.returncode == 0 and "--weights-out" in note.stderr  # never dropped silently


def test_cli_template_from_a_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    proc = run("catalogue", "template", TENDER2 / "catalogue.yaml", "-o", out)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert "technical" in wb.sheetnames
    assert wb["Instructions"]["A3"].value.startswith("Tender: Regional hosting tender")


def test_formulas_are_neutralised_on_write() -> None:
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    evil = cat.model_copy(update={"pillars": {**cat.pillars, "technical": cat.pillars[
        "technical"].model_copy(update={"label": "=HYPERLINK(\"http://x\")"})}})
    wb = openpyxl.load_workbook(io.BytesIO(criteria_workbook(evil)))
    cell = wb["Criteria"]["D2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert cell.quotePrefix  # Excel shows it as text, never evaluates it
