"""Safe cells for every workbook Hostwise writes (xlsxwriter).

Why: text from outside (vendor names, answers, source titles, notes) lands in cells a committee
opens in Excel. A string starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel when the cell is edited or the file is re-imported as CSV (OWASP,
"CSV Injection"), so such text is written as a string with the quote prefix, never through
``write()``'s guessing; control characters (they make the file unreadable to Excel) are removed,
and text is cut at Excel's cell limit of 32 767 characters (Excel specifications and limits).

Only xlsxwriter's public API is used (``write_string``, ``write_number``, ``write_formula`` with
its cached value, formats created once per workbook): an xlsxwriter release cannot silently
change what these cells mean. Measured alternatives (issue 16): ``constant_memory`` is slower
for the summary (3.6 s against 2.8 s CPU at 500 x 300: a temporary file per sheet and a row
flush per row) and ``write_row`` dispatches on each value's type (no faster than
``write_number``), so the speed comes from doing less per cell in ``put_rows``/``put_numbers``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..i18n import _

MAX_CELL = 32_767
MAX_URL = 2_079  # Excel's limit on a hyperlink target
LINK_CAP = 65_000  # Excel keeps at most 65 530 hyperlinks a sheet; later addresses are text
RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_URL = re.compile(r"https?://[^\s\"<>]+", re.IGNORECASE)
_NAME_BAD = re.compile(r"[^A-Za-z0-9_.]")

WORKBOOK_OPTIONS = {
    # never let xlsxwriter turn outside text into a formula, a number or a link
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": True,
}


def sheet_name(sheet_id: str) -> str:
    """A sheet's name in the run's language (``Weights`` -> ``Pondérations``): the workbook is
    written in the committee's language, its formulas follow the names (issue 19)."""
    return _(sheet_id)


def sheet_ref(sheet_id: str) -> str:
    """The sheet as a formula names it: bare when it is a plain word (``Weights``), quoted
    otherwise (``'Pondérations'``, ``'Critères éliminatoires'``; a quote doubled)."""
    name = sheet_name(sheet_id)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "'" + name.replace("'", "''") + "'"


def clean_text(value: object) -> str:
    """Outside text made safe for a cell: controls removed (a leading tab or CR is kept so that
    the quote prefix shows it was there), at most ``MAX_CELL`` characters."""
    s = value if isinstance(value, str) else str(value)
    if not s.isprintable():  # fast path: most text has no control character at all
        s = _CONTROL.sub("", s)
    if len(s) > MAX_CELL:
        s = s[: MAX_CELL - 1] + "…"
    return s


def risky(text: str) -> bool:
    """Whether Excel would read ``text`` as the start of a formula."""
    return text.startswith(RISKY_START)


def col(c: int) -> str:
    return xl_col_to_name(c)


def cell(r: int, c: int, absolute: bool = False) -> str:
    return xl_rowcol_to_cell(r, c, row_abs=absolute, col_abs=absolute)


def rng(r0: int, c0: int, r1: int, c1: int, absolute: bool = False) -> str:
    return f"{cell(r0, c0, absolute)}:{cell(r1, c1, absolute)}"


def excel_name(prefix: str, key: str, used: set[str]) -> str:
    """A defined name for ``key`` (letters, digits, ``_`` and ``.`` only; unique, case-blind)."""
    base = prefix + _NAME_BAD.sub("_", key)
    name, n = base, 2
    while name.lower() in used:
        name = f"{base}_{n}"
        n += 1
    used.add(name.lower())
    return name


@dataclass
class Formats:
    """The workbook's formats, created once (xlsxwriter formats belong to one workbook)."""

    wb: Workbook
    cache: dict[str, Format] = field(default_factory=dict)
    links: int = 0  # Excel keeps at most 65 530 hyperlinks per sheet

    SPECS: ClassVar[dict[str, dict[str, Any]]] = {
        "title": {"bold": True, "font_size": 14},
        "bold": {"bold": True},
        "head": {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True,
                 "valign": "top"},
        "text": {"valign": "top"},
        "wrap": {"text_wrap": True, "valign": "top"},
        "quoted": {"quote_prefix": True, "valign": "top"},
        "quoted_wrap": {"quote_prefix": True, "text_wrap": True, "valign": "top"},
        "score": {"num_format": "0.00"},
        "score_bold": {"num_format": "0.00", "bold": True},
        "weight": {"num_format": "0.0000"},
        "input": {"num_format": "General", "bg_color": "#FFF2CC", "border": 1, "locked": False},
        "pct": {"num_format": "0.0%"},
        "money": {"num_format": "#,##0"},
        "money2": {"num_format": "#,##0.0000"},
        "date": {"num_format": "yyyy-mm-dd"},
        "int": {"num_format": "0"},
        "note": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
        "link": {"font_color": "blue", "underline": 1},
        "pass": {"font_color": "#006100", "bg_color": "#C6EFCE"},
        "fail": {"font_color": "#9C0006", "bg_color": "#FFC7CE"},
    }

    def __getitem__(self, key: str) -> Format:
        f = self.cache.get(key)
        if f is None:
            f = self.cache[key] = self.wb.add_format(self.SPECS[key])
        return f


def put_text(ws: Worksheet, r: int, c: int, value: object, fmts: Formats,
             style: str = "text") -> None:
    """Write outside text as a string, never as a formula (quote prefix when it looks like
    one)."""
    if value is None:
        return
    s = clean_text(value)
    if risky(s):
        ws.write_string(r, c, s, fmts["quoted_wrap" if style == "wrap" else "quoted"])
    else:
        ws.write_string(r, c, s, fmts[style])


def put_value(ws: Worksheet, r: int, c: int, value: Any, fmts: Formats,
              style: str | None = None) -> None:
    """Write a number, bool, date or text; None and NaN leave the cell blank."""
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(r, c, value, fmts[style] if style else None)
    elif isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return
        ws.write_number(r, c, value, fmts[style] if style else None)
    else:
        put_text(ws, r, c, value, fmts, style or "text")


def is_link(url: str) -> bool:
    """Whether ``url`` (cleaned) is written as a hyperlink: a plain http(s) address only."""
    return bool(_URL.fullmatch(url)) and len(url) <= MAX_URL


def put_link(ws: Worksheet, r: int, c: int, url: str | None, fmts: Formats) -> None:
    """A hyperlink only for a plain http(s) address; anything else (file:, javascript:, a
    UNC path, an over-long address) is written as text."""
    if not url:
        return
    s = clean_text(url).strip()
    if is_link(s) and fmts.links < LINK_CAP:
        fmts.links += 1
        ws.write_url(r, c, s, fmts["link"], string=s[:255])
    else:
        put_text(ws, r, c, s, fmts)


def header(ws: Worksheet, r: int, names: list[str], fmts: Formats, c0: int = 0) -> None:
    for j, n in enumerate(names):
        ws.write_string(r, c0 + j, n, fmts["head"])


def formula(ws: Worksheet, r: int, c: int, text: str, value: Any, fmt: Format | None = None
            ) -> None:
    """A formula with its cached result: previews, protected view, pandas and openpyxl's
    ``data_only`` read the number, and Excel/LibreOffice recompute it."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        value = ""
    ws.write_formula(r, c, text, fmt, value)


def put_rows(ws: Worksheet, r0: int, rows: Sequence[Sequence[Any]],
             styles: Sequence[str | None], fmts: Formats, c0: int = 0) -> None:
    """A table body, written as ``put_value``/``put_link`` would write each cell (the same
    formats, the same quote prefix, blanks for None, NaN and ""), in one pass.

    Why: the summary's big sheets hold ~300 000 cells; the formats of each column are looked up
    once per table, and plain strings and numbers (nearly every cell) go straight to
    ``write_string``/``write_number`` instead of through ``put_value``'s dispatch. Column ``c``
    takes ``styles[c]`` (None: plain text, unformatted numbers).
    """
    if not rows:
        return
    width = max(len(row) for row in rows)
    st = [styles[c] if c < len(styles) else None for c in range(width)]
    tfmt = [fmts[s or "text"] if s != "link" else None for s in st]
    qfmt = [fmts["quoted_wrap" if s == "wrap" else "quoted"] for s in st]
    nfmt = [fmts[s] if s and s != "link" else None for s in st]
    link = [s == "link" for s in st]
    write_string, write_number = ws.write_string, ws.write_number
    half = MAX_CELL // 2
    for n, row in enumerate(rows):
        r = r0 + n
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            kind = type(v)
            if link[c]:
                put_link(ws, r, c0 + c, v, fmts)
            elif kind is str:
                if not v.isprintable() or len(v) > half:
                    put_text(ws, r, c0 + c, v, fmts, st[c] or "text")
                else:
                    write_string(r, c0 + c, v, qfmt[c] if v.startswith(RISKY_START) else tfmt[c])
            elif kind is float or kind is int:
                if v - v == 0:  # finite (NaN and infinities: blank, unknown)
                    write_number(r, c0 + c, v, nfmt[c])
            else:
                put_value(ws, r, c0 + c, v, fmts, st[c])


def put_numbers(ws: Worksheet, r: int, c0: int, values: Sequence[float], fmt: Format | None
                ) -> None:
    """A row of numbers from ``c0``; NaN and infinities leave the cell blank (unknown)."""
    write_number = ws.write_number
    for k, x in enumerate(values):
        if x - x == 0:  # finite: inf - inf and NaN - NaN are NaN
            write_number(r, c0 + k, x, fmt)
