"""The summary workbook as a reader meets it: sheets, cached numbers, charts, safe text."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import openpyxl

from scoring.cli import main
from scoring.engine import evaluate_path
from scoring.report.excel import SHEETS, summary_workbook

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "data" / "scenarios" / "hdh-2019.yaml"
HOSTILE = "=HYPERLINK(\"http://evil\",\"x\")\x07"


def test_sheets_charts_and_names(tmp_path: Path) -> None:
    out = tmp_path / "s.xlsx"
    assert main(["export", str(SCENARIO), "-o", str(out), "--samples", "200"]) == 0
    data = out.read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == list(SHEETS)
    assert {"w_technical", "w_cost", "w_legal", "w_sovereignty"} <= set(wb.defined_names)
    total = wb["Scores"]["E9"].value
    assert isinstance(total, str) and total.startswith("=")  # a live formula
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sum(n.startswith("xl/charts/chart") for n in names) == 2
    assert wb["Scores"].freeze_panes == "C9"
    assert wb["Scores"].conditional_formatting


def test_outside_text_never_a_formula() -> None:
    ev = evaluate_path(SCENARIO)
    first = ev.results[0]
    bad_offer = first.offer.model_copy(update={"vendor_name": HOSTILE,
                                               "offer_name": "+cmd|' /C calc'!A0"})
    results = (dataclasses.replace(first, offer=bad_offer), *ev.results[1:])
    offers = tuple(bad_offer if o.offer_id == bad_offer.offer_id else o for o in ev.offers)
    ev2 = dataclasses.replace(ev, results=results, offers=offers)
    data = summary_workbook(ev2, sensitivity=False)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cell = wb["Scores"]["C9"]
    assert cell.data_type == "s" and cell.value == HOSTILE.rstrip("\x07")  # control removed
    assert cell.quotePrefix
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet3.xml").decode()
    assert "HYPERLINK" not in sheet_xml  # in the shared strings, not a <f> formula


def test_cached_values_readable_without_a_spreadsheet_engine() -> None:
    ev = evaluate_path(SCENARIO)
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(ev, sensitivity=False)),
                                data_only=True)
    ws = wb["Scores"]
    got = {ws.cell(r, 2).value: ws.cell(r, 5).value for r in range(9, 9 + len(ev.results))}
    assert got == {r.offer.offer_id: r.total for r in ev.results}
    w = wb["Weights"]
    shares = [w.cell(r, 6).value for r in range(5, 9)]
    assert abs(sum(shares) - 1) < 1e-12
