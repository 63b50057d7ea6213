"""The language of every word Hostwise prints: gettext catalogues (via Babel) and locale formats.

Why gettext and not a dict per page: translators work on ``.po`` files with standard tools
(``pybabel extract/update``), every visible string is found by extraction (a test fails when one
has no French translation), and the English text stays in the code where a developer reads it.

The English source string is the message id; ``scoring/locale/fr/LC_MESSAGES/hostwise.po`` holds
French. The ``.po`` file is parsed (Babel's ``read_po``) on the first French lookup of a process,
so an English run never pays for it and no compiled ``.mo`` binary sits in the repository.

The language of a run is a context variable: the app sets it at the top of each script run (each
browser session runs in its own thread, so one user's French never leaks into another's English),
the CLI from ``HOSTWISE_LANG`` (``fr``, ``fr_FR.UTF-8`` and ``en`` are understood; anything else is
English). Numbers, money and dates use the CLDR formats of the language (Babel): ``1 234,56 €``,
``23 avril 2026`` in French; ``€1,234.56``, ``23 April 2026`` in English.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT = "en"
DOMAIN = "hostwise"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_LOCALES = {"en": "en_GB", "fr": "fr_FR"}  # CLDR locale of each language (day-month-year dates)

_current: ContextVar[str | None] = ContextVar("hostwise_language", default=None)


def normalise(value: str | None) -> str | None:
    """``fr``, ``fr-FR``, ``fr_FR.UTF-8`` → ``fr``; an unsupported or empty value → None."""
    if not value:
        return None
    code = value.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def env_language() -> str:
    """The language asked for by ``HOSTWISE_LANG`` (the CLI's and the app's default)."""
    return normalise(os.environ.get("HOSTWISE_LANG")) or DEFAULT


def language() -> str:
    """The language of the current run (context), else of the environment."""
    return _current.get() or env_language()


def set_language(lang: str | None) -> str:
    """Use ``lang`` for the rest of this context (a Streamlit script run, a CLI command);
    returns the language actually set (unsupported values fall back to the environment's)."""
    code = normalise(lang) or env_language()
    _current.set(code)
    return code


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Temporarily render in ``lang`` (a report in the committee's language, a test)."""
    token = _current.set(normalise(lang) or DEFAULT)
    try:
        yield _current.get() or DEFAULT
    finally:
        _current.reset(token)


@cache
def _catalogue(lang: str) -> dict[Any, Any]:
    """msgid (or (msgid, plural) ) → translation(s), read once per process from the ``.po``."""
    if lang == DEFAULT:
        return {}
    from babel.messages.pofile import read_po

    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.is_file():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=_LOCALES[lang], domain=DOMAIN)
    out: dict[Any, Any] = {}
    for m in cat:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, tuple | list):
            forms = tuple(m.string) if isinstance(m.string, tuple | list) else (m.string,)
            if all(forms):
                out[tuple(m.id)] = forms
        elif m.string:
            out[m.id] = m.string
    return out


def _(message: str) -> str:
    """``message`` (English, the message id) in the current language; itself if untranslated."""
    lang = language()
    if lang == DEFAULT:
        return message
    return str(_catalogue(lang).get(message, message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language (French: 0 and 1 take
    the singular, CLDR plural rules)."""
    lang = language()
    forms = _catalogue(lang).get((singular, plural)) if lang != DEFAULT else None
    if forms:
        from babel.plural import PluralRule

        rule = PluralRule({"one": "n in 0..1"}) if lang == "fr" else PluralRule({"one": "n is 1"})
        return str(forms[0] if rule(n) == "one" else forms[min(1, len(forms) - 1)])
    return singular if n == 1 else plural


def N_(message: str) -> str:  # gettext's conventional name for a deferred marker
    """Mark a string for extraction without translating it now (a module-level label that is
    translated where it is shown, with ``_``)."""
    return message


def locale_code() -> str:
    """The CLDR locale of the current language (``fr_FR``, ``en_GB``)."""
    return _LOCALES[language()]


def format_number(value: float | Decimal, digits: int = 2) -> str:
    """``1234.5`` → ``1 234,50`` (fr) or ``1,234.50`` (en), with exactly ``digits`` decimals,
    rounded half away from zero on the value's shortest decimal form (the rule of
    ``scoring.report.numbers.points``, which scores go through first)."""
    from babel.numbers import format_decimal

    d = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    d = d.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    if d == 0:
        d = abs(d)  # never "-0,00"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return str(format_decimal(d, format=pattern, locale=locale_code(),
                              decimal_quantization=False))


def format_money(value: float, currency: str = "EUR", digits: int = 2) -> str:
    """``1234.56`` EUR → ``1 234,56 €`` (fr) or ``€1,234.56`` (en)."""
    from babel.numbers import format_currency

    d = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    return str(format_currency(d, currency, locale=locale_code(), currency_digits=False,
                               format=None if digits == 2 else _money_pattern(digits),
                               decimal_quantization=False))


def _money_pattern(digits: int) -> str:
    frac = "." + "0" * digits if digits > 0 else ""
    return f"#,##0{frac}\xa0¤" if language() == "fr" else f"¤#,##0{frac}"


def format_date(value: dt.date, form: str = "long") -> str:
    """``2026-04-23`` → ``23 avril 2026`` (fr) or ``23 April 2026`` (en); ``form="short"`` gives
    ``23/04/2026``. ISO dates stay the form of files and hashes; this is for people."""
    from babel.dates import format_date as _fd

    return str(_fd(value, format=form if form != "short" else "dd/MM/yyyy",
                   locale=locale_code()))
