"""A small document model rendered as Markdown, as DOCX (python-docx) and as PDF (LibreOffice).

Why python-docx: the award report is filed as a real Word document (styles a clerk can change,
headings in the navigation pane, tables that reflow), written with a maintained library's public
API rather than hand-made WordprocessingML. Identical input gives byte-identical output: the
core properties' dates are fixed and the package is re-zipped with fixed part dates, so a report
can be made again later and compared with the filed one. The PDF is LibreOffice's conversion of
that DOCX (``soffice --headless --convert-to pdf``), when LibreOffice Writer is installed.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from ..i18n import _
from .errors import CommitteeError


@dataclass(frozen=True)
class Block:
    kind: str  # h1 | h2 | h3 | p | ul | table
    text: str = ""
    items: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            out += [f"# {b.text}", ""]
        elif b.kind == "h2":
            out += [f"## {b.text}", ""]
        elif b.kind == "h3":
            out += [f"### {b.text}", ""]
        elif b.kind == "p":
            out += [b.text, ""]
        elif b.kind == "ul":
            out += [f"- {i}" for i in b.items] + [""]
        elif b.kind == "table":
            out.append("| " + " | ".join(map(_md_cell, b.headers)) + " |")
            out.append("|" + "---|" * len(b.headers))
            out += ["| " + " | ".join(map(_md_cell, r)) + " |" for r in b.rows]
            out.append("")
    return "\n".join(out)


FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # core properties' dates
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date, for every part
_LANG = {"en": "en-GB", "fr": "fr-FR"}


def _cell(cell: Any, text: str, bold: bool) -> None:
    run = cell.paragraphs[0].add_run(text)
    run.bold = bold
    run.font.size = Pt(8)


def _table(doc: Any, b: Block) -> None:
    table = doc.add_table(rows=1 + len(b.rows), cols=len(b.headers))
    table.style = "Table Grid"
    for i, row in enumerate((tuple(b.headers), *b.rows)):
        cells = table.rows[i].cells
        for j, text in enumerate(row):
            _cell(cells[j], str(text), bold=(i == 0))
    doc.add_paragraph()


def _fixed_zip(data: bytes) -> bytes:
    """The package again, every part with one fixed date: ``zipfile`` stamps parts with the
    time of writing, so two identical reports would differ byte for byte."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            out = zipfile.ZipInfo(info.filename, ZIP_TIME)
            out.compress_type = zipfile.ZIP_DEFLATED
            out.external_attr = 0o644 << 16
            z.writestr(out, src.read(info))
    return buf.getvalue()


def docx(blocks: list[Block], language: str = "en", title: str = "") -> bytes:
    """The blocks as a Word document (python-docx, public API): headings as Heading 1/2,
    bullets as List Bullet, tables as Table Grid on an A4 landscape page. Identical blocks give
    identical bytes (fixed core-property dates and zip dates), so a filed report can be
    re-made and compared."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    doc.styles["Normal"].font.size = Pt(10)
    for b in blocks:
        if b.kind in ("h1", "h2", "h3"):
            doc.add_heading(b.text, level=int(b.kind[1]) - 1)  # h1: the Title style
        elif b.kind == "p":
            for line in b.text.split("\n"):
                doc.add_paragraph(line)
        elif b.kind == "ul":
            for item in b.items:
                doc.add_paragraph(item, style="List Bullet")
        elif b.kind == "table":
            _table(doc, b)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "Hostwise"
    cp.title = title or next((b.text for b in blocks if b.kind == "h1"), "")
    cp.language = _LANG.get(language, language)
    cp.created = cp.modified = cp.last_printed = FIXED_TIME
    cp.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return _fixed_zip(buf.getvalue())


def docx_text(data: bytes) -> str:
    """The text of a DOCX (what a reader of the filed document sees), paragraphs and table
    cells in reading order, for checks."""
    doc = Document(io.BytesIO(data))
    out: list[str] = []
    for part in doc.iter_inner_content():
        if isinstance(part, Paragraph):
            out.append(part.text)
        else:
            out += [" | ".join(c.text for c in row.cells) for row in part.rows]
    return "\n".join(out)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf(docx_bytes: bytes, timeout_s: float = 120.0) -> bytes:
    """Convert the DOCX with LibreOffice (a throw-away profile, so it runs beside an open
    LibreOffice and as root). Raises ``CommitteeError`` when it cannot."""
    exe = soffice()
    if exe is None:
        raise CommitteeError(_("PDF needs LibreOffice (soffice); the DOCX report is available"))
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "award-report.docx"
        src.write_bytes(docx_bytes)
        cmd = [exe, f"-env:UserInstallation=file://{d}/profile", "--headless",
               "--convert-to", "pdf", "--outdir", d, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise CommitteeError(_("LibreOffice could not convert the report: {error}").format(
                                     error=exc)) from None
        out = Path(d) / "award-report.pdf"
        if not out.exists():
            raise CommitteeError(_("LibreOffice could not convert the report (is LibreOffice "
                                   "Writer installed? Debian: libreoffice-writer-nogui)"))
        return out.read_bytes()
