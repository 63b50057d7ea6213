"""Editing a criteria workbook as a buyer would in a spreadsheet (tests only): open the bytes
with openpyxl, change cells, save. One copy for the workbook reader's tests, the authoring
service's and the Tender page's."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl


def edited(data: bytes, edit: Callable[[Any], object] | None = None) -> bytes:
    """The workbook ``data`` opened, changed by ``edit`` (given the openpyxl workbook) and
    saved again (also when ``edit`` is None: the bytes a spreadsheet writes back)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    if edit is not None:
        edit(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def cell(wb: Any, qid: str, column: str) -> Any:
    """The cell of the "Criteria" sheet in question ``qid``'s row and the column headed
    ``column``."""
    ws = wb["Criteria"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        if row[head.index("question id")].value == qid:
            return row[head.index(column)]
    raise KeyError(qid)
