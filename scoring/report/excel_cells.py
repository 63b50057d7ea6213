"""Safe cells for every workbook Hostwise writes (xlsxwriter).

Why: text from outside (vendor names, answers, source titles, notes) lands in cells a committee
opens in Excel. A string starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read as a formula by Excel when the cell is edited or the file is re-imported as CSV (OWASP,
"CSV Injection"), so such text is written as a string with the quote prefix, never through
``write()``'s guessing; control characters (they make the file unreadable to Excel) are removed,
and text is cut at Excel's cell limit of 32 767 characters (Excel specifications and limits).
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
from xlsxwriter.worksheet import CellNumberTuple, CellStringTuple, Worksheet

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


# Functions our formulas may use: all in Excel 2007, none needs xlsxwriter's ``_xlfn.`` prefix.
PLAIN_FUNCTIONS = frozenset({"SUM", "SUMPRODUCT", "IF", "ISNUMBER", "ROUND", "COUNT", "AND",
                             "OR"})
_FUNC = re.compile(r"([A-Za-z_][A-Za-z0-9_.]*)\(")


class FastSheet(Worksheet):
    """A worksheet writing the same XML as xlsxwriter's, faster where the summary spends it.

    Why: at 500 offers x 300 questions the sheet XML is ~300 000 cells, and xlsxwriter's generic
    per-cell writer (attribute lists, an escaping regex per attribute, a scan of every column of
    every row) costs ~4 us a cell; and each formula goes through ~30 regex substitutions for
    functions newer than Excel 2007. Here number and string cells that carry their own format
    are written from one template (their attributes never need escaping: a cell reference, an
    integer style index, a number, a shared-string index), every other cell goes to
    xlsxwriter's own writer, and a formula using only ``PLAIN_FUNCTIONS`` skips the
    substitutions. ``tests/test_excel_summary.py`` checks the XML is byte-identical to the
    stock ``Worksheet``'s, so an xlsxwriter upgrade that changes the format fails a test.
    """

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        if (not expand_future_functions and not self.use_future_functions
                and formula.startswith("=") and not formula.endswith("}")
                and PLAIN_FUNCTIONS.issuperset(_FUNC.findall(formula))):
            return formula[1:]
        return str(super()._prepare_formula(formula, expand_future_functions))

    def _sorted_rows(self) -> list[tuple[int, list[int]]]:
        """(row, its cell columns in order) for every row to write; sets ``row_spans`` (the
        first and last used column of each block of 16 rows, as xlsxwriter computes them)."""
        table, comments = self.table, self.comments
        lo, hi = self.dim_rowmin, self.dim_rowmax
        out: list[tuple[int, list[int]]] = []
        blocks: dict[int, tuple[int, int]] = {}
        for row in sorted(r for r in {*table, *comments, *self.row_info} if lo <= r <= hi):
            cols = sorted(table[row]) if row in table else []
            out.append((row, cols))
            a, b = (cols[0], cols[-1]) if cols else (self.xls_colmax, -1)
            if comments.get(row):
                a, b = min(a, *comments[row]), max(b, *comments[row])
            if b >= 0:
                k = row // 16
                old = blocks.get(k)
                blocks[k] = (a, b) if old is None else (min(old[0], a), max(old[1], b))
        self.row_spans = {k: f"{a + 1}:{b + 1}" for k, (a, b) in blocks.items()}
        return out

    def _write_rows(self) -> None:
        if self.constant_memory:  # pragma: no cover - the summary is written in memory
            super()._write_rows()
            return
        table, comments, row_info = self.table, self.comments, self.row_info
        rows = self._sorted_rows()
        names = [xl_col_to_name(c) for c in range(self.dim_colmax + 1)]
        plain = (self.default_row_height == self.original_row_height
                 and self.excel_version != 2010)  # a <row> without height or x14ac attributes
        xf: dict[Format, str] = {}
        write = self.fh.write
        for row, cols in rows:
            span = self.row_spans.get(row // 16)
            if not cols:  # formatting or comments only (an empty dict: nothing, as stock)
                if row in row_info or row in comments:
                    self._write_empty_row(row, span, row_info.get(row))
                continue
            ref = str(row + 1)
            if plain and row not in row_info:
                out = [f'<row r="{ref}" spans="{span}">' if span else f'<row r="{ref}">']
            else:
                self._write_row(row, span, row_info.get(row))
                out = []
            cells = table[row]
            for c in cols:
                x = cells[c]
                fmt = x.format
                kind = type(x)
                if fmt is not None and (kind is CellNumberTuple or kind is CellStringTuple):
                    s = xf.get(fmt)
                    if s is None:
                        s = xf[fmt] = str(fmt._get_xf_index())
                    if kind is CellNumberTuple:
                        out.append(f'<c r="{names[c]}{ref}" s="{s}"><v>{x.number:.16G}</v></c>')
                    else:
                        out.append(f'<c r="{names[c]}{ref}" s="{s}" t="s"><v>{x.string}</v></c>')
                else:
                    if out:
                        write("".join(out))
                        out = []
                    self._write_cell(row, c, x)
            out.append("</row>")
            write("".join(out))

    def cells_row(self, row: int) -> dict[int, Any] | None:
        """The row's cell store for ``put_rows`` (None: use the public writers)."""
        return None if self.constant_memory else self.table[row]

    def touch(self, r0: int, c0: int, r1: int, c1: int) -> None:
        """Record the extent of cells stored directly by ``put_rows``."""
        self._check_dimensions(r0, c0)
        self._check_dimensions(r1, c1)


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

    Why: the summary's big sheets hold ~300 000 cells; on a ``FastSheet`` the cells are stored
    directly (one extent update per table instead of a bounds check per cell), on any other
    worksheet through the public writers; ``tests/test_excel_summary.py`` checks both give the
    same bytes. Column ``c`` takes ``styles[c]`` (None: plain text, unformatted numbers).
    """
    if not rows:
        return
    width = max(len(row) for row in rows)
    st = [styles[c] if c < len(styles) else None for c in range(width)]
    tfmt = [fmts[s or "text"] if s != "link" else None for s in st]
    qfmt = [fmts["quoted_wrap" if s == "wrap" else "quoted"] for s in st]
    nfmt = [fmts[s] if s and s != "link" else None for s in st]
    fast = isinstance(ws, FastSheet) and not ws.constant_memory
    index = ws.str_table._get_shared_string_index if fast else None
    lo, hi, first, last = width, -1, -1, r0
    for n, row in enumerate(rows):
        r = r0 + n
        cells = ws.cells_row(r) if fast else None
        rlo = rhi = -1  # first and last column stored directly in this row
        for c, v in enumerate(row):
            if v is None or v == "":
                continue
            kind = type(v)
            if st[c] == "link":
                put_link(ws, r, c0 + c, v, fmts)
                continue
            if kind is str:
                if not v.isprintable() or len(v) > MAX_CELL // 2:
                    put_text(ws, r, c0 + c, v, fmts, st[c] or "text")
                    continue
                fmt = qfmt[c] if v.startswith(RISKY_START) else tfmt[c]
                if cells is not None and index is not None:
                    cells[c0 + c] = CellStringTuple(index(v), fmt)
                else:
                    ws.write_string(r, c0 + c, v, fmt)
            elif kind is float or kind is int:
                if kind is float and not math.isfinite(v):
                    continue
                if cells is not None:
                    cells[c0 + c] = CellNumberTuple(v, nfmt[c])
                else:
                    ws.write_number(r, c0 + c, v, nfmt[c])
            else:
                put_value(ws, r, c0 + c, v, fmts, st[c])
                continue
            if rlo < 0:
                rlo = c
            rhi = c
        if rlo >= 0:
            lo, hi, last = min(lo, rlo), max(hi, rhi), r
            if first < 0:
                first = r
    if fast and hi >= 0:
        ws.touch(first, c0 + lo, last, c0 + hi)


def put_numbers(ws: Worksheet, r: int, c0: int, values: Sequence[float], fmt: Format | None
                ) -> None:
    """A row of numbers from ``c0``; NaN and infinities leave the cell blank (unknown)."""
    cells = ws.cells_row(r) if isinstance(ws, FastSheet) else None
    first = last = -1
    for k, x in enumerate(values):
        if x == x and x not in (math.inf, -math.inf):
            if cells is not None:
                cells[c0 + k] = CellNumberTuple(x, fmt)
            else:
                ws.write_number(r, c0 + k, x, fmt)
            if first < 0:
                first = k
            last = k
    if cells is not None and first >= 0:
        ws.touch(r, c0 + first, r, c0 + last)
