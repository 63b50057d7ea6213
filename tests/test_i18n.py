"""The language layer (scoring/i18n.py): French and English words, CLDR formats, and one
session's language never leaking into another's."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from scoring import i18n
from scoring.i18n import _, format_date, format_money, format_number, ngettext, use_language

NNBSP = "\u202f"  # CLDR French groups thousands with a narrow no-break space


@pytest.mark.parametrize("raw,code", [("fr", "fr"), ("fr_FR.UTF-8", "fr"), ("fr-CA", "fr"),
                                      ("EN", "en"), ("de", None), ("", None), (None, None)])
def test_normalise(raw: str | None, code: str | None) -> None:
    assert i18n.normalise(raw) == code


def test_env_language(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTWISE_LANG", "fr_FR.UTF-8")
    assert i18n.env_language() == "fr"
    monkeypatch.setenv("HOSTWISE_LANG", "klingon")
    assert i18n.env_language() == "en"


def test_words_and_plurals() -> None:
    with use_language("fr"):
        assert _("Language") == "Langue"
        assert ngettext("{n} offer", "{n} offers", 0) == "{n} offre"  # French: 0 is singular
        assert ngettext("{n} offer", "{n} offers", 2) == "{n} offres"
        assert _("a string nobody translated") == "a string nobody translated"
    with use_language("en"):
        assert _("Language") == "Language"
        assert ngettext("{n} offer", "{n} offers", 0) == "{n} offers"


def test_locale_formats() -> None:
    with use_language("fr"):
        assert format_money(1234.56) == f"1{NNBSP}234,56\xa0€"
        assert format_number(1234.5, 2) == f"1{NNBSP}234,50"
        assert format_date(dt.date(2026, 4, 23)) == "23 avril 2026"
        assert format_date(dt.date(2026, 4, 23), "short") == "23/04/2026"
    with use_language("en"):
        assert format_money(1234.56) == "€1,234.56"
        assert format_number(1234.5, 0) == "1,235"  # half away from zero
        assert format_number(-0.001, 2) == "0.00"
        assert format_money(1234.5, digits=0) == "€1,235"
        assert format_date(dt.date(2026, 4, 23)) == "23 April 2026"


def test_language_is_per_thread() -> None:
    """Two browser sessions run in two threads: each keeps its own language."""
    seen: dict[str, str] = {}
    go = threading.Barrier(2)

    def run(lang: str) -> None:
        i18n.set_language(lang)
        go.wait()
        seen[lang] = _("Language")

    threads = [threading.Thread(target=run, args=(x,)) for x in ("fr", "en")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"fr": "Langue", "en": "Language"}
