"""The summary workbook as a reader meets it: sheets, cached numbers, charts, safe text."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from scoring.cli.main import main
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


def test_every_formula_carries_its_value() -> None:
    """Each formula is written with its computed value (``write_formula(..., value)``): a reader
    without a spreadsheet engine (previews, pandas, openpyxl ``data_only``) sees numbers; the
    only empty ones are the ranks of ineligible offers and scores with no known answer."""
    ev = evaluate_path(SCENARIO)
    data = summary_workbook(ev, sensitivity=False)
    live = openpyxl.load_workbook(io.BytesIO(data))
    cached = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    n = 0
    for ws in live.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    n += 1
                    v = cached[ws.title][c.coordinate].value
                    if v in (None, ""):
                        assert ws.title == "Scores", (ws.title, c.coordinate, c.value)
                        assert c.value.startswith('=IF('), (c.coordinate, c.value)
                    else:
                        assert isinstance(v, int | float), (ws.title, c.coordinate, v)
    assert n > 100
    ranks = {cached["Scores"].cell(r, 2).value: cached["Scores"].cell(r, 1).value
             for r in range(9, 9 + len(ev.results))}
    assert ranks == {r.offer.offer_id: r.shared_rank for r in ev.results}


def test_hostile_text_in_tables_is_quoted_text() -> None:
    """Outside text written in bulk (``put_rows``: the Sources table) is a quoted string too,
    never a formula, with control characters removed."""
    ev = evaluate_path(SCENARIO)
    o = ev.offers[0]
    sid = next(iter(o.sources))
    bad = o.model_copy(update={"sources": {**o.sources, sid: o.sources[sid].model_copy(
        update={"title": HOSTILE})}})
    ev2 = dataclasses.replace(ev, offers=(bad, *ev.offers[1:]))
    data = summary_workbook(ev2, sensitivity=False)
    ws = openpyxl.load_workbook(io.BytesIO(data))["Sources"]
    hits = [c for row in ws.iter_rows(min_row=5, min_col=5, max_col=5) for c in row
            if c.value == HOSTILE.rstrip("\x07")]
    assert hits and all(c.data_type == "s" and c.quotePrefix for c in hits)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet12.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" not in xml


def test_public_api_only() -> None:
    """The writers use xlsxwriter's public API: no private attribute or cell record of
    xlsxwriter is reached for (issue 16: the cell-record writer broke with any upgrade)."""
    import re

    for name in ("excel.py", "excel_cells.py", "excel_model.py", "excel_sheets.py",
                 "excel_weights.py"):
        text = (ROOT / "scoring" / "report" / name).read_text(encoding="utf-8")
        assert not re.search(r"Cell\w*Tuple|worksheets_objs|\b(ws|wb|self)\._[a-z]", text), name


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
