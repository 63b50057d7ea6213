"""Text that comes from outside: what a field may contain, and how to show it safely.

Two jobs, kept together because they read the same character classes:
- ``text_problems``: plain-words problems with one text value (controls, invisible or bidi
  characters, mixed scripts, length), per field kind (``TextRules``: ids are stricter than notes);
- ``printable``: the one escaping function every message passes through before it reaches a
  terminal or a log, so a vendor id, a YAML key or a file name can never carry an ESC sequence,
  a C1 control (U+009B is a one-character CSI in many terminals, U+0085 a line break) or a bidi
  override into the reader's screen (Trojan Source, Boucher & Anderson 2021, CVE-2021-42574).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..errors import Problem
from ..text import printable, printable_lines

__all__ = ["TextRules", "printable", "printable_lines", "safe_problem", "text_problems"]

MAX_TEXT = 32_767  # Excel's cell limit: longer text could not be exported faithfully

# Bidi controls and zero-width characters (Unicode TR9 explicit formatting; ZW* joiners).
_BIDI_ZW = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                     "\u2066\u2067\u2068\u2069\ufeff")

# Default_Ignorable_Code_Point ranges (DerivedCoreProperties.txt, Unicode 15.1.0): invisible in
# any font (soft hyphen, word joiner, variation selectors, tag characters...).
_DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)


def is_default_ignorable(c: str) -> bool:
    """True for a Default_Ignorable_Code_Point."""
    o = ord(c)
    if o < 0xAD:
        return False
    return any(lo <= o <= hi for lo, hi in _DEFAULT_IGNORABLE)


# Anything text_problems may object to (controls, bidi/zero-width, default-ignorables): one
# regular-expression search decides the common case in C.
_SUSPECT = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f" + "".join(
    f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _DEFAULT_IGNORABLE) + "]")  # \t, \n allowed


@dataclass
class TextRules:
    """What a text field may contain. Identity fields (ids, names) are stricter than notes."""

    allow_newlines: bool = True
    check_scripts: bool = False  # identity fields: also refuse default-ignorables
    max_len: int = MAX_TEXT
    extra: list[str] = field(default_factory=list)


def is_control(c: str) -> bool:
    """C0, DEL and C1 controls (Unicode general category Cc)."""
    o = ord(c)
    return o < 0x20 or 0x7F <= o <= 0x9F


def text_problems(value: str, rules: TextRules) -> list[str]:
    """Return plain-words problems with one text value (empty list when it is fine)."""
    out: list[str] = []
    if len(value) > rules.max_len:
        out.append(f"text is {len(value):,} characters long; the limit is {rules.max_len:,}")
    if rules.allow_newlines and not rules.check_scripts and not _SUSPECT.search(value):
        return out
    if value.isascii() and value.isprintable():
        return out
    bad = sorted({c for c in value
                  if is_control(c) and not (rules.allow_newlines and c in "\n\t")})
    if bad:
        codes = ", ".join(_code(c) for c in bad)
        out.append(f"contains control characters ({codes}); remove them")
    hidden = sorted({c for c in value if c in _BIDI_ZW})
    if hidden:
        codes = ", ".join(f"U+{ord(c):04X}" for c in hidden)
        out.append(f"contains invisible or right-to-left override characters ({codes})")
    if rules.check_scripts:
        unseen = sorted({c for c in value if is_default_ignorable(c) and c not in _BIDI_ZW})
        if unseen:
            codes = ", ".join(f"U+{ord(c):04X}" for c in unseen)
            out.append(f"contains invisible characters ({codes}): an identity must be visible "
                       "as written")
        scripts = scripts_of(value)
        if len(scripts) > 1:
            out.append(
                "mixes letters of different scripts ("
                + ", ".join(sorted(scripts))
                + "): look-alike characters?"
            )
    return out


def _code(c: str) -> str:
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"U+{ord(c):04X}"


def scripts_of(value: str) -> set[str]:
    """The scripts of the letters in ``value`` (by Unicode character name)."""
    found: set[str] = set()
    for c in value:
        if not c.isalpha():
            continue
        name = unicodedata.name(c, "")
        if name.startswith("FULLWIDTH LATIN"):
            found.add("Latin")
            continue
        for script in ("LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "CJK", "HANGUL"):
            if name.startswith(script):
                found.add(script.title())
                break
    return found


def safe_problem(file: object, vendor: object, question: object, message: object) -> Problem:
    """A ``Problem`` whose every field went through ``printable``: file names, vendor ids, YAML
    keys and quoted values come from outside, and a problem is shown on terminals, in logs and
    in the app. ``printable`` is idempotent, so a renderer may escape again safely."""
    return Problem(printable(file, 1000), printable(vendor, 200), printable(question, 300),
                   printable(message, 4000))


class Collector:
    """Accumulates problems for one file, remembering the vendor once it is known."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.vendor = ""
        self.items: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(safe_problem(self.file, self.vendor, where, message))
