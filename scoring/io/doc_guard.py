"""Checks on a bid document's name and bytes BEFORE any library opens them.

Why: a bidder is an adversary who may want to attack the committee's computers (a PDF that runs
JavaScript or launches a program, a Word file with macros, a zip bomb, a name that hides its
real extension behind a right-to-left override). Only three formats are accepted, each
recognised by its content, never by its name alone:

- PDF (ISO 32000-1 §7.5.2: the file starts with ``%PDF-``), refused when it holds active or
  hidden content: ``/JavaScript`` or ``/JS`` (§12.6.4.16), ``/Launch`` (§12.6.4.5),
  ``/EmbeddedFile`` (§7.11.4), also when spelled with ``#xx`` escapes (§7.3.5) or hidden in a
  compressed stream (each ``FlateDecode`` stream is inflated up to a bound and searched), and an
  encrypted PDF (``/Encrypt``, §7.6), whose content cannot be checked;
- DOCX and XLSX (ECMA-376 Part 2, Open Packaging Conventions: a zip whose
  ``[Content_Types].xml`` declares the main part's content type), after the zip checks shared
  with workbooks (``excel_guard.archive_problems``: entry count, declared sizes, ratio, paths),
  and refused with encrypted entries, nested archives, macros (``vbaProject.bin`` or a
  macro-enabled content type) or XML entity declarations.

The extension must name the format the content is. Every problem is reported at once, in
plain words; the caller locates them (file, bidder).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass

from .excel_guard import OLE_MAGIC, ZIP_MAGIC, archive_problems, xml_entity_problems
from .text import is_control, is_default_ignorable

MAX_DOC_BYTES = 20 * 1024 * 1024  # one document
MAX_NAME = 120  # characters of a document's file name
MAX_PARTS = 1_000  # zip entries of one DOCX / XLSX
MAX_EXPANDED = 100 * 1024 * 1024  # declared uncompressed size of one DOCX / XLSX
MAX_INFLATE = 100 * 1024 * 1024  # bytes inflated in total while searching a PDF's streams
PDF_MAGIC = b"%PDF-"

_CT = "application/vnd.openxmlformats-officedocument."
KINDS = {  # extension -> (what it is, the main part's content type)
    "pdf": ("a PDF document", ""),
    "docx": ("a Word document (DOCX)", _CT + "wordprocessingml.document.main+xml"),
    "xlsx": ("an Excel workbook (XLSX)", _CT + "spreadsheetml.sheet.main+xml"),
}
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": _CT + "wordprocessingml.document",
               "xlsx": _CT + "spreadsheetml.sheet"}
_MACRO_TYPES = ("application/vnd.ms-word.document.macroEnabled.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
                "application/vnd.ms-excel.template.macroEnabled.main+xml")
_ACTIVE = {b"/JavaScript": "JavaScript", b"/JS": "JavaScript", b"/Launch": "a Launch action "
           "(it can start a program)", b"/EmbeddedFile": "an embedded file",
           b"/Encrypt": "encryption (its content cannot be checked)"}
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}]+")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Checked:
    """A document that may be stored: its cleaned name and its format (an extension)."""

    name: str
    kind: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.kind]


def clean_filename(name: str) -> tuple[str, list[str]]:
    """The name as stored (NFKC, surrounding spaces removed) and what is wrong with it.

    Refused: control, bidi or invisible characters (a right-to-left override turns
    ``invoice\\u202efdp.exe`` into what reads as ``invoiceexe.pdf``: Boucher & Anderson 2021),
    path separators and ``..`` (a name is never a path), an empty or over-long name."""
    value = unicodedata.normalize("NFKC", name).strip()
    out: list[str] = []
    if not value:
        return value, ["the file name is empty"]
    if len(value) > MAX_NAME:
        out.append(f"the file name has {len(value)} characters; the limit is {MAX_NAME}")
    bad = sorted({f"U+{ord(c):04X}" for c in value
                  if is_control(c) or c in _BIDI or is_default_ignorable(c)})
    if bad:
        out.append(f"the file name contains control, right-to-left or invisible characters "
                   f"({', '.join(bad)})")
    if "/" in value or "\\" in value or value in (".", "..") or value.startswith("."):
        out.append("the file name contains a path (a separator or a leading dot): give the "
                   "file's own name")
    return value, out


def extension(name: str) -> str:
    return name.rsplit(".", 1)[1].lower() if "." in name else ""


def content_kind(data: bytes) -> str | None:
    """``pdf``, ``zip`` (a DOCX or XLSX is one), ``ole`` (legacy or encrypted Office), or None."""
    if data.startswith(PDF_MAGIC):
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    return None


def _names(chunk: bytes) -> set[bytes]:
    """PDF names in ``chunk`` with ``#xx`` escapes decoded (``/J#61vaScript`` is
    ``/JavaScript``, ISO 32000-1 §7.3.5)."""
    return {_HEX.sub(lambda m: bytes([int(m.group(1), 16)]), n) for n in _NAME.findall(chunk)}


def pdf_problems(data: bytes) -> list[str]:
    """Active or hidden content in a PDF, searched in the file and in its inflated streams."""
    found: set[bytes] = set(_names(data))
    budget = MAX_INFLATE
    for m in _STREAM.finditer(data):
        if budget <= 0:
            return ["the PDF's compressed streams expand beyond "
                    f"{MAX_INFLATE:,} bytes (a decompression bomb?): refused"]
        end = data.find(b"endstream", m.end())
        raw = data[m.end(): end if end >= 0 else len(data)]
        z = zlib.decompressobj()
        try:
            plain = z.decompress(raw, budget + 1)
        except zlib.error:
            continue  # not a Flate stream (an image, a font): nothing to search in it
        budget -= len(plain)
        found |= _names(plain)
    what = sorted({label for key, label in _ACTIVE.items() if key in found})
    return [f"the PDF contains {w}: refused (save it again as a plain PDF, e.g. with "
            "\"Print to PDF\")" for w in what]


def ooxml_problems(data: bytes, ext: str) -> list[str]:
    """A DOCX or XLSX package's problems; the central directory first (nothing is inflated
    before its declared size is known to be bounded)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError):
        return ["the file is truncated or damaged (its zip structure cannot be read)"]
    out = archive_problems(infos, "the document", MAX_PARTS, MAX_EXPANDED)
    if out:
        return out
    enc = [i.filename for i in infos if i.flag_bits & 0x1]
    if enc:
        return [f"the document has encrypted parts ({enc[0][:80]!r}): its content cannot be "
                "checked; remove the password and send it again"]
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        return ["this zip is not a Word or Excel document (no [Content_Types].xml)"]
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        out.append("the document contains macros (vbaProject.bin): save it without macros "
                   "(.docx or .xlsx)")
    nested = [i.filename for i in infos if i.filename.lower().endswith(
        (".zip", ".docx", ".xlsx", ".docm", ".xlsm", ".pptx", ".jar", ".7z", ".rar"))
              or _starts_with_zip(zf, i)]
    if nested:
        out.append(f"the document holds another archive ({nested[0][:80]!r}): embedded files "
                   "are refused (attach each document on its own)")
    out += xml_entity_problems(zf, infos, "a Word or Excel document")
    if out:
        return out
    types = zf.read("[Content_Types].xml").decode("utf-8", "replace")
    if any(t in types for t in _MACRO_TYPES):
        return ["the document is macro-enabled (.docm / .xlsm): save it without macros"]
    want = KINDS[ext][1]
    if want not in types:
        other = next((e for e, (_w, ct) in KINDS.items() if ct and ct in types), None)
        return [f"the file is named .{ext} but its content is "
                + (KINDS[other][0] if other else "not a Word or Excel document")]
    return out


def _starts_with_zip(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if info.file_size < 4 or info.is_dir():
        return False
    try:
        with zf.open(info) as fh:
            return fh.read(4) == ZIP_MAGIC
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
            RuntimeError, zlib.error):
        return False


def document_problems(name: str, data: bytes, max_bytes: int = MAX_DOC_BYTES
                      ) -> tuple[Checked, list[str]]:
    """Everything wrong with one document (empty list: it may be stored as ``Checked``). The
    size first, then the name, then the content: magic bytes, extension, format checks."""
    clean, out = clean_filename(name)
    ext = extension(clean)
    checked = Checked(clean, ext)
    if not data:
        return checked, [*out, "the file is empty (0 bytes)"]
    if len(data) > max_bytes:
        return checked, [*out, f"the file is {len(data):,} bytes; the limit is {max_bytes:,}"]
    if ext not in KINDS:
        return checked, [*out, f"only PDF, DOCX and XLSX documents are accepted (this file "
                               f"is named .{ext or '(no extension)'})"]
    kind = content_kind(data)
    if kind == "ole":
        return checked, [*out, "the file is a legacy (.doc / .xls) or password-protected "
                               "Office file: save it as .docx / .xlsx without a password"]
    if kind is None:
        return checked, [*out, f"the file is named .{ext} but its content is neither a PDF nor "
                               "a Word or Excel document"]
    if (kind == "pdf") != (ext == "pdf"):
        return checked, [*out, f"the file is named .{ext} but its content is "
                               + (KINDS["pdf"][0] if kind == "pdf" else "a zip package")]
    out += pdf_problems(data) if kind == "pdf" else ooxml_problems(data, ext)
    return checked, out
