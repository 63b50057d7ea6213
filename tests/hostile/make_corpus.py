"""Generate the hostile-bidder corpus (issue 9) into a folder: nothing binary is committed.

Each case is a small bid folder (or a path) built from the 2019 Azure questionnaire (its frozen copy
in tests/fixtures, so the bundled data can evolve), with
the command-line exit code it must give and where its refusal must point. Run by the fixture of
tests/test_hostile.py into ``tmp_path``; by hand: ``python tests/hostile/make_corpus.py DIR``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AZURE = (ROOT / "tests" / "fixtures" / "questionnaire-azure-2019.yaml").read_bytes()
VENDOR_LINE = "vendor: {id: microsoft, name: Microsoft, group: microsoft}"
OFFER_ID = "offer: {id: azure,"


def edit(data: bytes, old: str, new: str) -> bytes:
    assert data.count(old.encode()) == 1, old
    return data.replace(old.encode(), new.encode("utf-8"))


def offer_id(new: str, data: bytes = AZURE) -> bytes:
    """The fixture with another offer id (a YAML double-quoted string: escapes allowed)."""
    return edit(data, OFFER_ID, f'offer: {{id: "{new}",')


def vendor(new_id: str, data: bytes = AZURE) -> bytes:
    return edit(data, VENDOR_LINE, f'vendor: {{id: "{new_id}", name: Microsoft, '
                "group: microsoft}")


@dataclass(frozen=True)
class Case:
    """``build(folder)`` writes the case and returns the paths given to ``hostwise validate``;
    the refusal must name a file ending with ``file``, the field ``question`` and every phrase;
    ``absent`` must appear nowhere in the output (raw control bytes, quoted foreign content)."""

    id: str
    build: Callable[[Path], list[Path]]
    exit: int
    file: str = ""
    question: str = ""
    phrases: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


def bid(files: dict[str, bytes], era: str = "2019") -> Callable[[Path], list[Path]]:
    def build(root: Path) -> list[Path]:
        folder = root / era
        folder.mkdir(parents=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        return [folder]
    return build


def with_entry(make: Callable[[Path], None]) -> Callable[[Path], list[Path]]:
    """A valid bid folder plus one special entry made by ``make(folder)``."""
    def build(root: Path) -> list[Path]:
        folder = root / "2019"
        folder.mkdir(parents=True)
        (folder / "azure.yaml").write_bytes(AZURE)
        make(folder)
        return [folder]
    return build


def named(name: str, data: bytes) -> Callable[[Path], list[Path]]:
    def build(root: Path) -> list[Path]:
        root.mkdir(parents=True)
        (root / name).write_bytes(data)
        return [root / name]
    return build


ESC = "\x1b"
SECRET = b"root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"

CASES: list[Case] = [
    # ------------------------------------------------------------- spoofed ids (a second offer)
    # a full-width id is refused as not canonical (issue 18: no longer folded into another
    # offer's id), a whole id in another script by the id character class (A-Z, digits, . _ -)
    Case("fullwidth-offer-id", bid({"a.yaml": AZURE, "b.yaml": offer_id("ａｚｕｒｅ")}), 2,
         "b.yaml", "offer.id", ("canonical form", "'azure'")),
    Case("fullwidth-upper-offer-id", bid({"a.yaml": AZURE, "b.yaml": offer_id("ＡＺＵＲＥ")}), 2,
         "b.yaml", "offer.id", ("canonical form", "'AZURE'")),
    Case("cyrillic-whole-id", bid({"a.yaml": offer_id("cope"), "b.yaml": offer_id("соре")}), 2,
         "b.yaml", "offer.id", ("may hold only letters A-Z",)),
    Case("greek-whole-id", bid({"a.yaml": offer_id("AKT"), "b.yaml": offer_id("ΑΚΤ")}), 2,
         "b.yaml", "offer.id", ("may hold only letters A-Z",)),
    Case("digit-for-letter-id", bid({"a.yaml": offer_id("cloud"), "b.yaml": offer_id("c1oud")}),
         2, "b.yaml", "offer.id", ("looks like",)),
    Case("cyrillic-letter-in-id", bid({"a.yaml": AZURE, "b.yaml": offer_id("\u0430zure")}), 2,
         "b.yaml", "offer.id", ("Cyrillic", "look-alike")),
    Case("soft-hyphen-in-id", bid({"a.yaml": AZURE, "b.yaml": offer_id("az\\u00adure")}), 2,
         "b.yaml", "offer.id", ("invisible", "U+00AD")),
    Case("word-joiner-in-id", bid({"a.yaml": AZURE, "b.yaml": offer_id("azure\\u2060")}), 2,
         "b.yaml", "offer.id", ("invisible", "U+2060")),
    Case("variation-selector-in-vendor", bid({"a.yaml": vendor("microsoft\\ufe0f")}), 2,
         "a.yaml", "vendor.id", ("invisible", "U+FE0F")),
    Case("cyrillic-vendor-id", bid({"a.yaml": AZURE,
                                    "b.yaml": vendor("тiсrоsоft", offer_id("azure-2"))}), 2,
         "b.yaml", "vendor.id", ("Cyrillic",)),
    Case("era-trailing-space", bid({"a.yaml": edit(AZURE, 'era: "2019"', 'era: "2019 "')}), 2,
         "a.yaml", "era", ("expected a year",)),
    Case("era-fullwidth-digits", bid({"a.yaml": edit(AZURE, 'era: "2019"', 'era: "２０１９"')}),
         2, "a.yaml", "era", ("expected a year",)),
    Case("era-not-its-folder", bid({"a.yaml": AZURE, "b.yaml": offer_id("azure-x", edit(
        AZURE, 'era: "2019"', 'era: "2026"'))}), 2, "b.yaml", "era",
         ("does not match the folder '2019'",)),
    # ------------------------------------------------------------- terminal injection
    Case("esc-in-vendor-id", bid({"a.yaml": vendor("micro\\e[2Jsoft")}), 2, "a.yaml",
         "vendor.id", ("control characters", "\\x1b"), absent=(ESC,)),
    Case("csi-c1-in-vendor-name", bid({"a.yaml": edit(AZURE, VENDOR_LINE, 'vendor: {id: microsoft'
                                       ', name: "Micro\\u009b31msoft", group: microsoft}')}),
         2, "a.yaml", "vendor.name", ("control characters", "\\x9b"), absent=("\x9b",)),
    Case("nel-in-yaml-key", bid({"a.yaml": AZURE + b'"bad\\Nkey\\e]0;owned\\a": 1\n'}), 2,
         "a.yaml", "bad\\x85key\\x1b]0;owned\\x07", ("unknown field",),
         absent=("\x85", ESC, "\x07")),
    Case("esc-in-file-name", bid({"evil\x1b[2J.yaml": b""}), 2, "evil\\x1b[2J.yaml", "file",
         ("file is empty",), absent=(ESC,)),
    Case("bidi-in-file-name", bid({"pay\u202egpj.yaml": b""}), 2, "pay\\u202egpj.yaml", "file",
         ("file is empty",), absent=("\u202e",)),
    # ------------------------------------------------------------- bids silently dropped
    Case("upper-case-YAML-is-read", bid({"a.yaml": AZURE, "B.YAML": offer_id("azure-b", edit(
        AZURE, "cert.iso27001: {value: true", "cert.iso27001: {value: oui"))}), 2, "B.YAML",
         "cert.iso27001", ("expected true or false",)),
    Case("upper-case-YAML-loads", bid({"a.yaml": AZURE, "B.YML": offer_id("azure-b")}), 0),
    Case("file-without-extension", bid({"a.yaml": AZURE, "azure-b": offer_id("azure-b")}), 2,
         "azure-b", "file", ("not a questionnaire",)),
    Case("other-extension", bid({"a.yaml": AZURE, "azure-b.yaml.txt": offer_id("b")}), 2,
         "azure-b.yaml.txt", "file", ("not a questionnaire",)),
    Case("fifo-in-folder", with_entry(lambda f: os.mkfifo(f / "bid.yaml")), 2, "bid.yaml",
         "file", ("named pipe (FIFO)", "not a regular file")),
    Case("fifo-without-extension", with_entry(lambda f: os.mkfifo(f / "bid")), 2, "bid",
         "file", ("named pipe (FIFO)",)),
    Case("symlink-loop", with_entry(lambda f: (f / "loop.yaml").symlink_to("loop.yaml")), 2,
         "loop.yaml", "file", ("loops",)),
    Case("dangling-symlink", with_entry(lambda f: (f / "gone.yaml").symlink_to("nowhere.yaml")),
         2, "gone.yaml", "file", ("points nowhere",)),
    Case("sub-folder", with_entry(lambda f: (f / "more").mkdir()), 2, "more", "file",
         ("a folder", "not a questionnaire")),
    # ------------------------------------------------------------- leaving the folder
    Case("symlink-to-passwd", with_entry(lambda f: (f / "passwd.yaml").symlink_to("/etc/passwd")),
         2, "passwd.yaml", "file", ("outside the bid folder", "not followed"),
         absent=("root:", "/bin/")),
    Case("symlink-to-dev-zero", with_entry(lambda f: (f / "z.yaml").symlink_to("/dev/zero")), 2,
         "z.yaml", "file", ("outside the bid folder",)),
    Case("symlink-to-parent-file", lambda root: _link_up(root), 2, "up.yaml", "file",
         ("outside the bid folder",), absent=("root:",)),
    Case("named-non-questionnaire", named("secret.yaml", SECRET), 2, "secret.yaml", "file",
         ("does not look like a questionnaire", "not shown"), absent=("root:", "/bin/")),
    Case("named-device", lambda root: [Path("/dev/null")], 2, "/dev/null", "file",
         ("character device", "not a regular file")),
    # ------------------------------------------------------------- sizes and encodings
    Case("utf32-with-bom", bid({"a.yaml": AZURE.decode().encode("utf-32")}), 2, "a.yaml",
         "file", ("UTF-32",)),
    Case("utf32-without-bom", bid({"a.yaml": AZURE.decode().encode("utf-32-le")}), 2, "a.yaml",
         "file", ("NUL byte", "UTF-32")),
    Case("utf16-without-bom", bid({"a.yaml": AZURE.decode().encode("utf-16-le")}), 2, "a.yaml",
         "file", ("NUL byte", "UTF-16")),
    Case("over-size", bid({"a.yaml": b"#" * (1_048_576 + 1)}), 2, "a.yaml", "file",
         ("the limit is 1,048,576 bytes",)),
    Case("crlf-copy-is-the-same-file", bid({"a.yaml": AZURE,
                                            "b.yaml": AZURE.replace(b"\n", b"\r\n")}), 2,
         "b.yaml", "file", ("same SHA-256",)),
]


def _link_up(root: Path) -> list[Path]:
    folder = root / "2019"
    folder.mkdir(parents=True)
    (root / "secret.txt").write_bytes(SECRET)
    (folder / "azure.yaml").write_bytes(AZURE)
    (folder / "up.yaml").symlink_to(Path("..") / "secret.txt")
    return [folder]


def build_all(root: Path) -> dict[str, list[Path]]:
    """Write every case under ``root/<case id>``; return the paths to validate per case."""
    return {c.id: c.build(root / c.id) for c in CASES}


if __name__ == "__main__":  # pragma: no cover
    out = build_all(Path(sys.argv[1]))
    print(f"{len(out)} hostile cases written under {sys.argv[1]}")
