"""The summary workbook as a reader meets it: sheets, cached numbers, charts, safe text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from scoring.cli.main import main
from scoring.engine import evaluate_path
from scoring.report.excel import SHEETS, summary_workbook
from scoring.report.excel_cells import FastSheet

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


def _parts(data: bytes) -> dict[str, bytes]:
    z = zipfile.ZipFile(io.BytesIO(data))
    return {n: z.read(n) for n in z.namelist()}


@pytest.mark.parametrize("policy", ["worst", "exclude"])
def test_fast_sheet_writes_the_stock_bytes(monkeypatch: pytest.MonkeyPatch, policy: str) -> None:
    """The speed path (``FastSheet``, ``put_rows``) writes exactly what xlsxwriter's own
    ``Worksheet`` and public writers write: every part of the package, byte for byte, including
    hostile text (quote prefix), unknown utilities (blanks) and hyperlinks."""
    from xlsxwriter.worksheet import Worksheet

    import scoring.report.excel as excel

    ev = evaluate_path(SCENARIO)
    first = ev.results[0]
    bad = first.offer.model_copy(update={"vendor_name": HOSTILE})
    ev = dataclasses.replace(
        ev, results=(dataclasses.replace(first, offer=bad), *ev.results[1:]),
        offers=tuple(bad if o.offer_id == bad.offer_id else o for o in ev.offers),
        scenario=ev.scenario.model_copy(update={"missing_policy": policy}))
    when = dt.datetime(2026, 1, 1)
    fast = _parts(summary_workbook(ev, sensitivity=False, generated_at=when))
    monkeypatch.setattr(excel, "SHEET_CLASS", Worksheet)
    stock = _parts(summary_workbook(ev, sensitivity=False, generated_at=when))
    assert fast.keys() == stock.keys()
    assert [n for n in fast if fast[n] != stock[n]] == []
    assert b"<hyperlink " in fast["xl/worksheets/sheet12.xml"]  # links were exercised


def test_future_functions_still_prefixed() -> None:
    """Only formulas made of Excel 2007 functions skip xlsxwriter's ``_xlfn.`` expansion."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("S", worksheet_class=FastSheet)
    assert ws._prepare_formula("=SUM(A1:A2)") == "SUM(A1:A2)"
    assert ws._prepare_formula("=XLOOKUP(1,A1:A2,B1:B2)").startswith("_xlfn.XLOOKUP(")
    assert "_xlfn." in ws._prepare_formula("=IF(A1,SWITCH(A1,1,2),0)")
    wb.close()


def test_links_over_excel_cap_become_text_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel drops a sheet's hyperlinks past 65 530: past the cap, addresses are plain text and
    the Sources note says how many (cap lowered here so the test stays small)."""
    from scoring.report import excel_cells

    monkeypatch.setattr(excel_cells, "LINK_CAP", 3)
    ev = evaluate_path(SCENARIO)
    wb = openpyxl.load_workbook(io.BytesIO(summary_workbook(ev, sensitivity=False)))
    ws = wb["Sources"]
    links = [c for row in ws.iter_rows(min_row=5) for c in row if c.hyperlink]
    addresses = [c for row in ws.iter_rows(min_row=5, min_col=7, max_col=7) for c in row
                 if isinstance(c.value, str) and c.value.startswith("http")]
    assert len(links) == 3 and len(addresses) > 3
    assert f"the {len(addresses) - 3} address(es) after the first 3 are plain text" in str(
        ws["A2"].value)
