"""Every visible string has a French translation (issue 19): the catalogue is checked against
what Babel extracts from the code, so a string wrapped in ``_()`` and never translated, a stale
entry, or a translation that lost a placeholder fails here.

The extraction is the one ``babel.cfg`` and the ``.po`` header describe (``pybabel extract -F
babel.cfg -k _ -k N_ -k ngettext:1,2``), run through Babel's own API. The AST check that every
Streamlit label is wrapped in ``_()`` is ``tests/ui/test_french.py``."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from scoring import i18n

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "scoring" / "locale" / "fr" / "LC_MESSAGES" / "hostwise.po"
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "ngettext": (1, 2)}


def _method_map() -> list[tuple[str, str]]:
    """``babel.cfg``'s sections, in order: ``[python: scoring/**.py]`` -> (pattern, method)."""
    out = []
    for line in (ROOT / "babel.cfg").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            method, pattern = (x.strip() for x in line[1:-1].split(":", 1))
            out.append((pattern, method))
    return out


def extracted() -> dict[Any, list[str]]:
    """msgid (a string, or (singular, plural)) -> the files that use it."""
    out: dict[Any, list[str]] = {}
    for file, _line, msg, _comments, _ctx in extract_from_dir(
            str(ROOT), method_map=_method_map(), keywords=KEYWORDS,
            comment_tags=(), strip_comment_tags=True):
        key = tuple(msg) if isinstance(msg, tuple | list) else msg
        if isinstance(key, tuple):
            key = tuple(k for k in key if k)  # ngettext: (singular, plural)
        out.setdefault(key, []).append(file)
    return out


def catalogue() -> dict[Any, Any]:
    with PO.open("rb") as fh:
        cat = read_po(fh, locale="fr_FR")
    return {(tuple(m.id) if isinstance(m.id, list | tuple) else m.id): m for m in cat if m.id}


def fields(text: str) -> set[str]:
    """The named placeholders of a ``str.format`` template (``{n}``, ``{path!r}``)."""
    return {f"{name}!{conv}" if conv else name
            for _lit, name, _spec, conv in string.Formatter().parse(text) if name is not None}


def test_the_extraction_finds_the_app_and_the_cli() -> None:
    found = extracted()
    files = {f for fs in found.values() for f in fs}
    assert any(f.startswith("ui/pages/") for f in files)
    assert "app.py" in files
    assert any(f.startswith("scoring/cli/") for f in files)
    assert len(found) > 400


def test_every_string_in_the_code_has_a_french_translation() -> None:
    po = catalogue()
    missing = [(k, files[0]) for k, files in extracted().items()
               if k not in po or po[k].fuzzy
               or not (all(po[k].string) if isinstance(k, tuple) else po[k].string)]
    assert not missing, ("untranslated (run the pybabel commands of docs/translation.md and "
                         f"translate): {missing[:20]}")


def test_no_obsolete_entry_in_the_catalogue() -> None:
    stale = sorted(str(k) for k in set(catalogue()) - set(extracted()))
    assert not stale, f"entries no code uses any more (pybabel update drops them): {stale[:20]}"


def test_placeholders_are_the_same_in_english_and_french() -> None:
    bad = []
    for key, m in catalogue().items():
        ids = key if isinstance(key, tuple) else (key,)
        strs = tuple(m.string) if isinstance(m.string, list | tuple) else (m.string,)
        want = set().union(*(fields(i) for i in ids))
        for s in strs:
            if s and fields(s) != want:
                bad.append((ids[0], sorted(want), sorted(fields(s))))
    assert not bad, bad[:10]


@pytest.mark.parametrize("text", ["No French for this one", "{n} items"])
def test_the_check_would_see_a_missing_translation(text: str) -> None:
    """The test above can fail: an unknown string stays English in French."""
    with i18n.use_language("fr"):
        assert i18n._(text) == text
    assert text not in catalogue()


def test_french_typography_and_no_english_left_in_french() -> None:
    """French puts a no-break space before ':' ';' '?' '!' and inside « »; a French msgstr
    equal to a long English msgid is a forgotten translation."""
    same = []
    for key, m in catalogue().items():
        for s in (m.string if isinstance(m.string, list | tuple) else (m.string,)):
            assert " :" not in s and " ;" not in s and " ?" not in s, (key, s)
        if isinstance(key, str) and m.string == key and len(key.split()) > 3:
            same.append(key)
    assert not same, same


def test_scores_keep_their_digits_and_take_the_language_decimal_mark() -> None:
    """One rounding rule, then the reader's mark: 77.825 is 77.83 in English, 77,83 in French
    (never 77,82: the mark is applied after rounding); percentages get the French space."""
    from scoring.report.numbers import percent, points

    with i18n.use_language("en"):
        assert (points(77.825), points(-0.001), percent(0.455)) == ("77.83", "0.00", "46%")
    with i18n.use_language("fr"):
        assert (points(77.825), points(-0.001), percent(0.455)) == ("77,83", "0,00",
                                                                    "46\u202f%")
        assert points(None) == "-"
