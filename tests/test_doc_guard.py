"""Hostile bid documents are refused before any library opens them (``scoring.io.doc_guard``):
one test per attack, each file made here, and the plain documents of each format accepted."""

from __future__ import annotations

import io
import zipfile
import zlib

import docx
import openpyxl
import pytest

from scoring.io import doc_guard
from scoring.io.doc_guard import clean_filename, document_problems

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def a_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("Mémoire technique")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def a_xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "prix"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def repack(data: bytes, add: dict[str, bytes] | None = None,
           edit: dict[str, bytes] | None = None) -> bytes:
    """A copy of an OOXML package with parts added or replaced."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i in src.infolist():
            z.writestr(i.filename, (edit or {}).get(i.filename, src.read(i)))
        for name, body in (add or {}).items():
            z.writestr(name, body)
    return buf.getvalue()


def problems(name: str, data: bytes) -> str:
    return " | ".join(document_problems(name, data)[1])


def with_stream(body: bytes) -> bytes:
    s = zlib.compress(body)
    return PDF + b"3 0 obj<</Length %d/Filter/FlateDecode>>stream\n" % len(s) + s + \
        b"\nendstream\nendobj\n"


@pytest.mark.parametrize(("name", "make"), [("offre.pdf", lambda: PDF),
                                            ("mémoire.docx", a_docx), ("prix.xlsx", a_xlsx),
                                            ("Offre (v2).PDF", lambda: with_stream(b"BT ET"))])
def test_plain_documents_are_accepted(name: str, make: object) -> None:
    checked, out = document_problems(name, make())  # type: ignore[operator]
    assert out == [] and checked.kind == name.rsplit(".", 1)[1].lower()


def test_the_size_is_checked_first() -> None:
    _c, out = document_problems("a.pdf", PDF + b"\0" * 200, max_bytes=100)
    assert out == [f"the file is {len(PDF) + 200:,} bytes; the limit is 100"]
    assert "empty (0 bytes)" in problems("a.pdf", b"")


def test_the_type_is_read_from_the_content() -> None:
    assert "named .pdf but its content is a zip package" in problems("a.pdf", a_docx())
    assert "named .docx but its content is a PDF" in problems("a.docx", PDF)
    assert "named .xlsx but its content is a Word document" in problems("a.xlsx", a_docx())
    assert "named .docx but its content is an Excel workbook" in problems("a.docx", a_xlsx())
    assert "neither a PDF nor" in problems("a.pdf", b"MZ\x90\x00 an executable")
    assert "only PDF, DOCX and XLSX" in problems("setup.exe", PDF)
    assert "only PDF, DOCX and XLSX" in problems("README", PDF)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100
    assert "legacy (.doc / .xls) or password-protected" in problems("a.docx", ole)


@pytest.mark.parametrize("hidden", [b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>",
                                    b"/AA<</O<</S/J#61vaScript/JS 5 0 R>>>>",
                                    b"/OpenAction<</S/JS>>"])
def test_a_pdf_with_javascript_is_refused(hidden: bytes) -> None:
    assert "contains JavaScript" in problems("a.pdf", PDF.replace(b"/Pages 2 0 R", hidden))


def test_a_pdf_with_a_launch_action_is_refused() -> None:
    out = problems("a.pdf", PDF.replace(b"/Pages 2 0 R", b"/OpenAction<</S/Launch/F(cmd)>>"))
    assert "Launch action" in out


def test_a_pdf_with_an_embedded_file_is_refused() -> None:
    pdf = PDF + b"4 0 obj<</Type/EmbeddedFile/Length 3>>stream\nabc\nendstream\nendobj\n"
    assert "an embedded file" in problems("a.pdf", pdf)


def test_active_content_hidden_in_a_compressed_stream_is_found() -> None:
    assert "contains JavaScript" in problems("a.pdf", with_stream(b"<</S/JavaScript/JS(x)>>"))
    assert "Launch action" in problems("a.pdf", with_stream(b"<</S/#4Caunch>>"))


def test_an_encrypted_pdf_is_refused() -> None:
    pdf = PDF.replace(b"/Root 1 0 R", b"/Root 1 0 R/Encrypt 9 0 R")
    assert "encryption (its content cannot be checked)" in problems("a.pdf", pdf)


def test_a_pdf_decompression_bomb_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_guard, "MAX_INFLATE", 1_000_000)
    bomb = with_stream(b"\0" * 3_000_000) + with_stream(b"\0" * 10)
    assert "decompression bomb" in problems("a.pdf", bomb)


def test_a_docx_with_macros_is_refused() -> None:
    out = problems("a.docx", repack(a_docx(), {"word/vbaProject.bin": b"\0" * 64}))
    assert "contains macros (vbaProject.bin)" in out


def test_a_macro_enabled_content_type_is_refused() -> None:
    data = a_docx()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    assert "macro-enabled" in problems("a.docx", repack(data, edit={"[Content_Types].xml":
                                                                    types}))


def test_a_zip_bomb_is_refused_without_inflating_it() -> None:
    data = repack(a_xlsx(), {"xl/media/zeros.bin": b"\0" * (30 * 1024 * 1024)})
    assert "a zip bomb?" in problems("a.xlsx", data)


def test_too_many_parts_are_refused() -> None:
    data = repack(a_docx(), {f"word/media/p{i}.txt": b"x" for i in range(1_001)})
    assert "the limit is 1,000" in problems("a.docx", data)


def test_a_path_traversal_entry_is_refused() -> None:
    data = repack(a_docx(), {"../../etc/cron.d/evil": b"* * * * * root sh"})
    assert "unsafe path ('../../etc/cron.d/evil')" in problems("a.docx", data)


def test_a_nested_archive_is_refused() -> None:
    inner = a_xlsx()
    assert "holds another archive ('word/embeddings/x.xlsx')" in problems(
        "a.docx", repack(a_docx(), {"word/embeddings/x.xlsx": inner}))
    assert "holds another archive ('word/media/image1.png')" in problems(
        "a.docx", repack(a_docx(), {"word/media/image1.png": inner}))


def test_an_encrypted_zip_entry_is_refused() -> None:
    data = bytearray(repack(a_docx(), {"word/secret.xml": b"<x/>"}))
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("word/secret.xml")
    # set the "encrypted" flag (bit 0) in the local header and the central directory entry
    data[info.header_offset + 6] |= 1
    name = b"word/secret.xml"
    cd = bytes(data).rfind(b"PK\x01\x02")
    while bytes(data[cd + 46:cd + 46 + len(name)]) != name:
        cd = bytes(data).rfind(b"PK\x01\x02", 0, cd)
    data[cd + 8] |= 1
    assert "encrypted parts ('word/secret.xml')" in problems("a.docx", bytes(data))


def test_xml_entities_are_refused() -> None:
    evil = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<x>&b;</x>")
    assert "declares XML entities" in problems("a.docx", repack(a_docx(), {"word/x.xml": evil}))


def test_a_truncated_package_is_refused() -> None:
    assert "truncated or damaged" in problems("a.docx", a_docx()[:300])


@pytest.mark.parametrize(("name", "why"), [
    ("invoice\u202efdp.docx", "U+202E"),
    ("a\x1b[31m.pdf", "U+001B"),
    ("zero\u200bwidth.pdf", "U+200B"),
    ("../../etc/passwd.pdf", "contains a path"),
    ("C:\\Users\\x.pdf", "contains a path"),
    (".hidden.pdf", "contains a path"),
    ("   ", "the file name is empty"),
    ("x" * 200 + ".pdf", "the limit is 120"),
])
def test_hostile_file_names_are_refused(name: str, why: str) -> None:
    assert why in problems(name, PDF)


def test_names_are_nfkc_normalised() -> None:
    assert clean_filename("ｏｆｆｒｅ.pdf") == ("offre.pdf", [])
    assert clean_filename("  Mémoire technique.pdf ") == ("Mémoire technique.pdf", [])


def test_the_total_expanded_size_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doc_guard, "MAX_EXPANDED", 100_000)
    data = repack(a_docx(), {f"word/media/p{i}.txt": bytes(range(256)) * 100 for i in range(5)})
    assert "the document would expand to" in problems("a.docx", data)
    assert "the limit is 100,000" in problems("a.docx", data)
