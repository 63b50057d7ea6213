"""Checks on an uploaded workbook's bytes BEFORE any spreadsheet library parses them.

Why: an .xlsx is a zip of XML files. A hostile or broken upload (bad-inputs.md §18-22) must end
in one plain sentence, never a traceback, a hang or a memory blow-up, so the container is read
by hand first: the magic bytes (legacy .xls and password-protected .xlsx are both OLE compound
files, [MS-CFB]; an encrypted OOXML package holds an ``EncryptionInfo`` stream, [MS-OFFCRYPTO]
§2.3.4.1), the zip's central directory (member count, declared sizes, compression ratio, paths
escaping the archive: the classic zip-bomb and zip-slip checks), macros (``vbaProject.bin``),
external links, and XML document type declarations (entity expansion, "billion laughs"), which
an .xlsx never needs. Only then does openpyxl (with defusedxml installed) open it.
"""

from __future__ import annotations

import io
import zipfile

from ..i18n import _

MAX_BYTES = 10 * 1024 * 1024  # the upload itself
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 50 * 1024 * 1024  # declared, uncompressed
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")


def _kind(data: bytes) -> str:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return _("a PDF document")
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return _("an image")
    if head.startswith(b"PK"):
        return _("a damaged zip archive")
    sample = data[:4096]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return _("binary data of an unknown kind")
    if "," in text or ";" in text or "\t" in text:
        return _("text (it looks like CSV: open it in Excel and save it as .xlsx)")
    return _("plain text")


def container_problems(data: bytes) -> list[str]:
    """Plain-words reasons to refuse ``data`` before parsing it (empty list: it may be opened).

    Every check reads only the central directory and, for XML members, at most the declared
    (and bounded) size, so the work is bounded whatever the file claims."""
    if not data:
        return [_("the file is empty (0 bytes)")]
    if len(data) > MAX_BYTES:
        return [_("the file is {size} bytes; the limit is {most}").format(
            size=f"{len(data):,}", most=f"{MAX_BYTES:,}")]
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            return [_("the workbook is password-protected (encrypted): remove the password in "
                      "Excel (File > Info > Protect Workbook) and upload it again")]
        return [_("this is a legacy Excel 97-2003 file (.xls), not .xlsx: open it in Excel "
                  "and save it as an Excel Workbook (.xlsx)")]
    if not data.startswith(ZIP_MAGIC):
        return [_("this is not an Excel workbook (.xlsx) but {kind}").format(kind=_kind(data))]
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError, NotImplementedError):
        return [_("the workbook is truncated or damaged (its zip structure cannot be read): "
                  "save it again from Excel, or upload the complete file")]
    return _member_problems(zf, infos)


def archive_problems(infos: list[zipfile.ZipInfo], noun: str = "the workbook",
                     max_members: int = MAX_MEMBERS, max_total: int = MAX_TOTAL_BYTES
                     ) -> list[str]:
    """The zip-bomb and zip-slip checks on a central directory alone (nothing decompressed):
    member count, paths escaping the archive, declared sizes and compression ratios. Shared by
    every OOXML upload (workbooks here, bid documents in ``doc_guard``)."""
    out: list[str] = []
    if len(infos) > max_members:
        return [f"{noun} holds {len(infos):,} parts; the limit is {max_members:,}"]
    total = 0
    for i in infos:
        n = i.filename
        if n.startswith(("/", "\\")) or ".." in n.replace("\\", "/").split("/") or ":" in n:
            out.append(f"{noun} holds a part with an unsafe path ({n[:80]!r})")
        total += i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > MAX_MEMBER_BYTES or (i.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            out.append(f"the part {n[:80]!r} would expand to {i.file_size:,} bytes from "
                       f"{i.compress_size:,} (a zip bomb?): refused without opening it")
    if total > max_total:
        out.append(f"{noun} would expand to {total:,} bytes; the limit is {max_total:,}")
    return out


def _member_problems(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> list[str]:
    out = archive_problems(infos)
    if out:
        return out
    names = {i.filename for i in infos}
    missing = [r for r in REQUIRED if r not in names]
    if missing:
        return [_("this zip is not an Excel workbook (missing {parts})").format(
            parts=", ".join(missing))]
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        out.append(_("the workbook contains macros (vbaProject.bin, an .xlsm): save it as a "
                     "plain Excel Workbook (.xlsx) without macros"))
    if any(n.lower().startswith("xl/externallinks/") for n in names):
        out.append(_("the workbook links to other files (external links): break the links "
                     "(Data > Edit Links > Break Link) and paste values"))
    return out + xml_entity_problems(zf, infos, "an Excel workbook")


def xml_entity_problems(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], what: str
                        ) -> list[str]:
    """XML parts declaring a DTD or entities (which no OOXML package needs): refused. Reads
    each XML part up to its declared size, which ``archive_problems`` bounded first."""
    out: list[str] = []
    for i in infos:
        if i.filename.lower().endswith((".xml", ".rels", ".vml")):
            try:
                with zf.open(i) as fh:
                    head = fh.read(i.file_size + 1)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
                    RuntimeError):
                out.append(f"the part {i.filename[:80]!r} is damaged (its data cannot be read)")
                continue
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                out.append(f"the part {i.filename[:80]!r} declares XML entities, which "
                           f"{what} never does (an entity-expansion attack?): refused")
    return out
