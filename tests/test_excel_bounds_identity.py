"""Issue 18 §8: one far cell cannot hang the import (bounded before reading, refused with the
sheet and the limit); text cells refuse controls such as U+0085 (NEL) before the YAML is
written; identity cells must be in canonical form and ids in a character class; the era cell
must be the era the template was made for."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from scoring.cli.main import main
from scoring.errors import QuestionnaireError
from scoring.io.excel import MAX_ROWS, parse_workbook
from scoring.io.yamlsafe import load_yaml
from scoring.report.questionnaire_template import template_workbook

ROOT = Path(__file__).resolve().parent.parent
SCALEWAY = ROOT / "data" / "vendors" / "2026" / "scaleway.yaml"


def _filled() -> bytes:
    doc = load_yaml(SCALEWAY.read_bytes(), 1 << 20)
    return template_workbook(str(doc.get("era")), doc=doc)


def _edit(data: bytes, fn: Callable[[openpyxl.Workbook], Any]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _offer_cell(wb: openpyxl.Workbook, key: str) -> Any:
    ws = wb["Offer"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == key)
    return ws.cell(row=row, column=2)


def _problems(data: bytes) -> list[str]:
    t0 = time.perf_counter()
    with pytest.raises(QuestionnaireError) as info:
        parse_workbook(data, "offer.xlsx")
    assert time.perf_counter() - t0 < 10
    return [f"{p.question}: {p.message}" for p in info.value.problems]


def test_the_filled_template_imports() -> None:
    assert parse_workbook(_filled(), "offer.xlsx").vendor_id == "scaleway"


def test_one_far_cell_is_refused_fast_with_the_sheet_and_the_limit(tmp_path: Path,
                                                                   capsys: Any) -> None:
    data = _edit(_filled(), lambda wb: wb["Prices"].__setitem__("I1048576", 1))
    assert len(data) < 100_000
    found = _problems(data)
    assert any(f"the sheet Prices has cells down to row 1,048,576; the limit is {MAX_ROWS:,}"
               in p for p in found), found
    wide = _edit(_filled(), lambda wb: wb["Sources"].__setitem__("XFD2", "x"))
    assert any("the sheet Sources has cells up to column XFD" in p for p in _problems(wide))
    path = tmp_path / "far.xlsx"
    path.write_bytes(data)
    t0 = time.perf_counter()
    assert main(["import", str(path)]) == 2
    assert time.perf_counter() - t0 < 10
    assert "Prices!" in capsys.readouterr().err


def test_a_nel_in_a_vendor_name_is_refused_at_its_cell() -> None:
    data = _edit(_filled(), lambda wb: setattr(_offer_cell(wb, "vendor.name"), "value",
                                               "Scaleway\u0085offer: evil"))
    found = _problems(data)
    assert any(p.startswith("Offer!B") and "control characters" in p and "x85" in p
               for p in found), found


def test_a_full_width_id_is_refused_not_folded() -> None:
    data = _edit(_filled(), lambda wb: setattr(_offer_cell(wb, "vendor.id"), "value",
                                               "ｓｃａｌｅｗａｙ"))
    assert any("vendor.id is not written in its canonical form: write 'scaleway'" in p
               for p in _problems(data))


@pytest.mark.parametrize("bad", ["../../etc/passwd", "a/b", "scaleway 2026", ".hidden"])
def test_an_offer_id_outside_the_character_class_is_refused(bad: str) -> None:
    data = _edit(_filled(), lambda wb: setattr(_offer_cell(wb, "offer.id"), "value", bad))
    assert any("offer.id may hold only letters" in p for p in _problems(data))


def test_the_era_cell_must_be_the_templates_era() -> None:
    data = _edit(_filled(), lambda wb: setattr(_offer_cell(wb, "era"), "value", "2019"))
    assert any("made for era 2026 but the era cell says 2019" in p for p in _problems(data))
