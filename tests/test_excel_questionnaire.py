"""The questionnaire template and its import (issue 12; bad-inputs.md §18-26).

Round trip: every bundled YAML offer -> filled template -> import -> the same offer. Import
validates like YAML (same messages), located as Sheet!Cell, all problems at once. Hostile
workbooks are generated here; each must end in a located, plain-words QuestionnaireError, fast.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring.cli.main import main
from scoring.errors import Problem, QuestionnaireError
from scoring.io.excel import parse_workbook, read_workbook, workbook_to_yaml
from scoring.io.excel_layout import TEMPLATE_VERSION
from scoring.io.questionnaire import parse_questionnaire
from scoring.io.yamlsafe import load_yaml
from scoring.report.questionnaire_template import template_workbook
from scoring.report.questionnaire_template import template_workbook as filled_template

ROOT = Path(__file__).resolve().parent.parent
VENDORS = sorted((ROOT / "data" / "vendors").glob("*/*.yaml"))
NAME = "offer.xlsx"


def _loadable(path: Path) -> bool:
    try:
        parse_questionnaire(path.read_bytes(), str(path))
    except QuestionnaireError:
        return False
    return True


BUNDLED = [p for p in VENDORS if _loadable(p)]


def _filled(path: Path) -> bytes:
    doc = load_yaml(path.read_bytes(), 1 << 20)
    return filled_template(str(doc.get("era")), doc=doc)


def problems(data: bytes) -> list[Problem]:
    t0 = time.perf_counter()
    with pytest.raises(QuestionnaireError) as info:
        parse_workbook(data, NAME)
    assert time.perf_counter() - t0 < 20, "a hostile workbook must not hang the import"
    out = list(info.value.problems)
    assert out and all(p.file == NAME and p.message.strip() for p in out)
    return out


def _edit(data: bytes, fn: Callable[[openpyxl.Workbook], Any]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def scaleway() -> bytes:
    assert BUNDLED, "no bundled offer loads: the round trip cannot be tested"
    return _filled(next((p for p in BUNDLED if p.stem == "scaleway"), BUNDLED[0]))


def _row(wb: openpyxl.Workbook, sheet: str, qid: str) -> int:
    ws = wb[sheet]
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == qid)


# ----------------------------------------------------------------- round trip


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_round_trip_every_bundled_offer(path: Path) -> None:
    want = parse_questionnaire(path.read_bytes(), str(path))
    got = parse_workbook(_filled(path), str(path))
    assert got.answers == want.answers
    assert got.prices == want.prices
    assert got.sources == want.sources
    assert got.model_dump(exclude={"sha256", "file"}) == want.model_dump(
        exclude={"sha256", "file"})


def test_import_writes_equivalent_yaml(scaleway: bytes, tmp_path: Path) -> None:
    src = tmp_path / "in.xlsx"
    src.write_bytes(scaleway)
    out = tmp_path / "out.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 0
    again = parse_questionnaire(out.read_bytes(), "out.yaml")
    assert again.answers == parse_workbook(scaleway, NAME).answers


def test_template_from_catalogue(tmp_path: Path) -> None:
    from scoring.io.catalogue import load_catalogue

    out = tmp_path / "t.xlsx"
    assert main(["template", "--era", "2026", "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    cat = load_catalogue()
    ids = [wb[q.pillar].cell(_row(wb, q.pillar, q.id), 1).value for q in cat.questions]
    assert ids == [q.id for q in cat.questions]
    assert wb["Meta"].sheet_state == "hidden" and wb["Meta"]["B1"].value == TEMPLATE_VERSION
    assert wb["technical"].protection.sheet  # ids locked
    dv = wb["technical"].data_validations.dataValidation
    assert any(d.type == "list" and "TRUE" in (d.formula1 or "") for d in dv)
    assert any(d.type == "decimal" for d in dv)
    # a blank template is refused with every required answer located at its cell
    probs = problems(template_workbook("2026"))
    where = {p.question for p in probs}
    assert any(w.startswith("legal!G") and "legal.hq_country" in w for w in where)


# ----------------------------------------------------------------- located like YAML


def test_same_message_as_yaml_located_at_the_cell(scaleway: bytes) -> None:
    def bad(wb: openpyxl.Workbook) -> None:
        r = _row(wb, "technical", "tech.regions_france")
        wb["technical"].cell(r, 7).value = "1 234,50"  # French decimal comma, as text
        wb["technical"].cell(r, 8).value = "confirmed"  # (the bundled answer may be unknown)
        r2 = _row(wb, "technical", "tech.managed_kubernetes")
        wb["technical"].cell(r2, 7).value = "yes"  # pasted over the TRUE/FALSE drop-down
        wb["technical"].cell(r2, 8).value = "sure"  # confidence outside the list

    probs = problems(_edit(scaleway, bad))
    text = {p.question: p.message for p in probs}
    reg = next(k for k in text if "tech.regions_france" in k)
    assert reg.startswith("technical!G")
    assert "expected a number" in text[reg] and "1 234,50" in text[reg]
    k8s = [k for k in text if "tech.managed_kubernetes" in k]
    assert k8s and any(k.startswith("technical!H") for k in k8s)  # the confidence cell
    assert len(probs) >= 2  # all problems at once


def test_serial_date_formula_error_value_hidden_row(scaleway: bytes) -> None:
    def bad(wb: openpyxl.Workbook) -> None:
        ws = wb["technical"]
        r = _row(wb, "technical", "cert.hds")
        ws.cell(r, 11).value = 45000  # since: a date serial
        r2 = _row(wb, "technical", "tech.gpu_h100")
        ws.cell(r2, 7).value = "=1=1"  # a formula (openpyxl writes it without cached value)
        r3 = _row(wb, "technical", "tech.managed_spark")
        ws.cell(r3, 7).value = "#REF!"
        ws.cell(r3, 7).data_type = "e"
        r4 = _row(wb, "technical", "tech.managed_postgresql")
        ws.row_dimensions[r4].hidden = True

    probs = problems(_edit(scaleway, bad))
    msgs = " | ".join(f"{p.question}: {p.message}" for p in probs)
    assert "serial number (45000)" in msgs
    assert "holds a formula" in msgs
    assert "#REF!" in msgs
    assert "row is hidden" in msgs


def test_month_turned_into_a_day_by_excel(scaleway: bytes) -> None:
    import datetime as dt

    def bad(wb: openpyxl.Workbook) -> None:
        ws = wb["technical"]
        c = ws.cell(_row(wb, "technical", "cert.hds"), 11)
        c.value = dt.datetime(2025, 1, 1)
        c.number_format = "mmm-yy"

    assert any("turned a month" in p.message for p in problems(_edit(scaleway, bad)))


def test_template_mismatch(scaleway: bytes) -> None:
    def bad(wb: openpyxl.Workbook) -> None:
        wb["Meta"]["B1"].value = 0  # an older template
        wb["technical"].cell(1, 8).value = "answer"  # duplicate header
        wb["Prices"].title = "Tarifs"  # renamed sheet
        wb.create_sheet("Hidden").sheet_state = "hidden"

    probs = problems(_edit(scaleway, bad))
    msgs = " | ".join(f"{p.question}: {p.message}" for p in probs)
    assert "Meta!B1" in msgs and "template version 0" in msgs
    assert "'Prices' is missing or renamed" in msgs
    assert "Hidden!A1: the sheet is hidden" in msgs


def test_duplicate_header_and_merged_cells(scaleway: bytes) -> None:
    def bad(wb: openpyxl.Workbook) -> None:
        wb["technical"].cell(1, 8).value = "answer"
        wb["legal"].merge_cells("G2:H2")

    msgs = " | ".join(f"{p.question}: {p.message}" for p in problems(_edit(scaleway, bad)))
    assert "technical!H1: the column 'answer' appears twice" in msgs
    assert "legal!G2:H2: merged cells" in msgs


def test_nothing_written_when_invalid(tmp_path: Path) -> None:
    src = tmp_path / "blank.xlsx"
    src.write_bytes(template_workbook())
    out = tmp_path / "out.yaml"
    assert main(["import", str(src), "-o", str(out)]) == 2
    assert not out.exists()


def test_formula_injection_kept_as_text(scaleway: bytes) -> None:
    def inject(wb: openpyxl.Workbook) -> None:
        ws = wb["technical"]
        ws.cell(_row(wb, "technical", "tech.managed_kubernetes"), 9 + 1).value = (
            "@SUM(1+1)*cmd|' /C calc'!A0")  # the note column, as a string cell

    data = _edit(scaleway, inject)
    offer = parse_workbook(data, NAME)
    assert offer.answers["tech.managed_kubernetes"].note == "@SUM(1+1)*cmd|' /C calc'!A0"
    assert "@SUM" in workbook_to_yaml(read_workbook(data, NAME).doc)


# ----------------------------------------------------------------- hostile containers


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for n, b in members.items():
            zf.writestr(n, b)
    return buf.getvalue()


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(("make", "words"), [
    (lambda t: b"", "empty"),
    (lambda t: b"offer,answer\nscaleway,true\n", "CSV"),
    (lambda t: b"%PDF-1.7\n" + b"x" * 100, "PDF"),
    (lambda t: OLE + b"\x00" * 1024, "legacy Excel 97-2003"),
    (lambda t: OLE + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64, "password"),
    (lambda t: t[: len(t) // 2], "truncated or damaged"),
    (lambda t: _zip({"a.txt": b"x"}), "not an Excel workbook"),
    (lambda t: _zip({**_members(t), "xl/sharedStrings.xml": b"0" * (60 << 20)}), "zip bomb"),
    (lambda t: _zip({**_members(t), "xl/vbaProject.bin": b"x"}), "macros"),
    (lambda t: _zip({**_members(t), "xl/externalLinks/externalLink1.xml": b"<x/>"}),
     "external links"),
    (lambda t: _zip({**_members(t), "../evil.xml": b"<x/>"}), "unsafe path"),
    (lambda t: _zip({**_members(t), "xl/sharedStrings.xml":
                     b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                     b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst>&b;</sst>'}),
     "entities"),
], ids=["empty", "csv", "pdf", "xls", "encrypted", "truncated", "zip-not-xlsx", "zip-bomb",
        "macros", "external-links", "zip-slip", "entity-bomb"])
def test_hostile_container(scaleway: bytes, make: Callable[[bytes], bytes], words: str) -> None:
    probs = problems(make(scaleway))
    assert probs[0].question == "file"
    assert words.lower() in " ".join(p.message for p in probs).lower()
