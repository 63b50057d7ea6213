"""A small document model rendered as Markdown, as DOCX (stdlib only) and as PDF (LibreOffice).

Why our own DOCX writer: the report needs headings, paragraphs, bullet lists and tables, which a
minimal WordprocessingML package (ECMA-376 Part 1: ``[Content_Types].xml``, ``_rels/.rels``,
``word/document.xml``) expresses in a hundred lines, with no new dependency and byte-identical
output for identical input (fixed zip timestamps). The PDF is LibreOffice's conversion of that
DOCX (``soffice --headless --convert-to pdf``), when LibreOffice Writer is installed.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .errors import CommitteeError


@dataclass(frozen=True)
class Block:
    kind: str  # h1 | h2 | p | ul | table
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


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
          '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" '
          'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/'
          'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
         'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _run(text: str, bold: bool = False, size: int = 0) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _para(text: str, bold: bool = False, size: int = 0) -> str:
    return f"<w:p>{_run(text, bold, size)}</w:p>"


def _table(b: Block) -> str:
    border = "".join(f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                     for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    rows = [tuple(b.headers), *b.rows]
    body = "".join("<w:tr>" + "".join(f"<w:tc>{_para(c, bold=(i == 0), size=18)}</w:tc>"
                                      for c in r) + "</w:tr>" for i, r in enumerate(rows))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{border}'
            f"</w:tblBorders></w:tblPr>{body}</w:tbl><w:p/>")


def docx(blocks: list[Block]) -> bytes:
    parts = []
    for b in blocks:
        if b.kind in ("h1", "h2"):
            parts.append(_para(b.text, bold=True, size=36 if b.kind == "h1" else 28))
        elif b.kind == "p":
            parts += [_para(line) for line in b.text.split("\n")]
        elif b.kind == "ul":
            parts += [_para(f"• {i}") for i in b.items]
        elif b.kind == "table":
            parts.append(_table(b))
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_W}><w:body>'
           + "".join(parts) + "</w:body></w:document>")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", _TYPES), ("_rels/.rels", _RELS),
                           ("word/document.xml", doc)):
            z.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data)
    return buf.getvalue()


def docx_text(data: bytes) -> str:
    """The text of a DOCX (what a reader of the filed document sees), for checks."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
    return "\n".join(re.sub(r"<[^>]+>", "", p) for p in re.findall(r"<w:p>.*?</w:p>", xml))


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf(docx_bytes: bytes, timeout_s: float = 120.0) -> bytes:
    """Convert the DOCX with LibreOffice (a throw-away profile, so it runs beside an open
    LibreOffice and as root). Raises ``CommitteeError`` when it cannot."""
    exe = soffice()
    if exe is None:
        raise CommitteeError("PDF needs LibreOffice (soffice); the DOCX report is available")
    with tempfile.TemporaryDirectory() as d:
        src = Path(d) / "award-report.docx"
        src.write_bytes(docx_bytes)
        cmd = [exe, f"-env:UserInstallation=file://{d}/profile", "--headless",
               "--convert-to", "pdf", "--outdir", d, str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
        except (OSError, subprocess.SubprocessError) as exc:
            raise CommitteeError(f"LibreOffice could not convert the report: {exc}") from None
        out = Path(d) / "award-report.pdf"
        if not out.exists():
            raise CommitteeError("LibreOffice could not convert the report (is LibreOffice "
                                 "Writer installed? Debian: libreoffice-writer-nogui)")
        return out.read_bytes()
