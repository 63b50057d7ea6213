"""The core's own sentences (reasons, flags, warnings, findings): English for hashes, JSON and
golden files, the reader's language where a person reads them.

Why a ``str`` subclass: a reason is compared, joined, hashed (``scoring.hashing``) and written to
JSON and golden files as English text, and must stay so whatever the language of the run (same
inputs, same results). ``Msg`` *is* that English text, so every existing use keeps working, and
it also remembers its template and parameters, so a display layer can say it again in French:
``render(text)`` is the one function pages, reports and the CLI call where they show a reason.

Why also a registry keyed by the English text: pydantic coerces a ``str`` subclass to a plain
``str`` (checked in ``tests/test_messages.py``) and f-strings, ``str()`` and slicing do too, so a
reason that went through a model arrives at the display as plain English. Every ``Msg`` built
records itself under its English text (bounded, oldest dropped first); ``render`` finds it there.
A text the registry does not know (built in another process, or never a ``Msg``) falls back to
its catalogue entry, else is shown as it is: never a wrong translation, at worst English.

Parameters are formatted for the reader: dates (``datetime.date`` or an ISO ``YYYY-MM-DD`` /
``YYYY-MM`` text from ``models.show_date``) long-form (``6 octobre 2026``), numbers with the
language's decimal mark and grouping, ``unknown`` translated, nested ``Msg`` rendered in turn.
Template strings are marked with ``N_`` so ``pybabel extract`` puts them in ``hostwise.po``.
"""

from __future__ import annotations

import datetime as dt
import re
import string
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from .i18n import DEFAULT, N_, _, format_date, language

_LIMIT = 200_000  # English texts remembered per process (a few MB at most)
_seen: dict[str, Msg] = {}
_lock = threading.Lock()
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-\d{2}")


class Msg(str):
    """An English sentence built from ``template.format(**params)`` that can be said again in
    another language (``render``). Equal to, hashed and serialised as its English text."""

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Msg:
        return cls._make(template.format(**params), template, params)

    @classmethod
    def _make(cls, text: str, template: str, params: Mapping[str, Any]) -> Msg:
        self = super().__new__(cls, text)
        self.template = template
        self.params = dict(params)
        _remember(self)
        return self

    def __reduce__(self) -> tuple[Any, ...]:  # pickling / copy (st.cache) without re-formatting
        return (_rebuild, (str(self), self.template, dict(self.params)))


def _rebuild(text: str, template: str, params: dict[str, Any]) -> Msg:
    return Msg._make(text, template, params)


def _remember(m: Msg) -> None:
    key = str(m)
    with _lock:
        if key not in _seen and len(_seen) >= _LIMIT:
            _seen.pop(next(iter(_seen)))
        _seen[key] = m


#: Separators of ``joined`` said in the reader's typography (French: ``\u00a0; ``).
SEPARATORS = (N_("; "), N_(": "))


class _Joined(Msg):
    """Parts joined by a separator; rendered part by part, with the separator's own entry."""

    sep: str
    parts: tuple[str, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        return (joined, (self.sep, self.parts))


def joined(sep: str, parts: Iterable[str]) -> str:
    """``sep.join(parts)`` whose parts are each rendered in the reader's language (a list of
    reasons joined into one cell): the same English text as ``str.join``."""
    items = tuple(parts)
    names = {f"p{i}": p for i, p in enumerate(items)}
    template = sep.replace("{", "{{").replace("}", "}}").join("{" + k + "}" for k in names)
    out = _Joined._make(sep.join(items), template, names)
    assert isinstance(out, _Joined)
    out.sep, out.parts = sep, items
    return out


class _Said(Msg):
    """A text of the data (a scenario's assumption label) with its translations given: shown
    in the reader's language where one is given, else as written."""

    texts: Mapping[str, str]

    def __reduce__(self) -> tuple[Any, ...]:
        return (said, (str(self), dict(self.texts)))


def said(english: str, texts: Mapping[str, str]) -> str:
    """``english`` (a data text quoted in a core sentence), which ``render`` shows in the
    reader's language from ``texts`` (language → text): the scenario's own translation, for a
    parameter the catalogue cannot know. The same English text everywhere else."""
    out = _Said._make(english, english.replace("{", "{{").replace("}", "}}"), {})
    assert isinstance(out, _Said)
    out.texts = dict(texts)
    return out


def known(text: str) -> Msg | None:
    """The message remembered under an English text, if any."""
    return text if isinstance(text, Msg) else _seen.get(str(text))


class _Reader(string.Formatter):
    """Formats a translated template's parameters for the current language."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, bool):
            return format(value, format_spec)
        if isinstance(value, dt.datetime):
            return format_date(value.date())
        if isinstance(value, dt.date):
            return format_date(value)
        if isinstance(value, int | float):
            return _number(format(value, format_spec))
        if isinstance(value, str):
            return format(_param(value), format_spec)
        return format(value, format_spec)


def _number(english: str) -> str:
    """``1,234.5`` / ``45%`` written by Python, in the current language's marks."""
    if language() != "fr":
        return english
    out = english.replace(",", "\u202f").replace(".", ",")
    return out.replace("%", "\u00a0%") if out.endswith("%") else out


def _param(value: str) -> str:
    if isinstance(value, Msg) or value in _seen:
        return render(value)
    if _ISO_DAY.fullmatch(value):
        return format_date(dt.date.fromisoformat(value))
    if _ISO_MONTH.fullmatch(value):
        from babel.dates import format_date as babel_date

        from .i18n import locale_code
        y, m = value.split("-")
        return str(babel_date(dt.date(int(y), int(m), 1), format="MMMM yyyy",
                              locale=locale_code()))
    if value == "unknown":
        return _("unknown")
    return value


def render(text: object) -> str:
    """``text`` for a person in the current language: a ``Msg`` (or the English text of one,
    through the registry) as its translated template with its parameters formatted for the
    locale; any other text as its catalogue entry, else as it is. English comes back unchanged."""
    s = text if isinstance(text, str) else str(text)
    if language() == DEFAULT:
        return str(s)
    m = known(s)
    if m is None:
        return _(str(s))
    if isinstance(m, _Joined):
        return _(m.sep).join(render(p) for p in m.parts)
    if isinstance(m, _Said):
        return m.texts.get(language(), str(m))
    try:
        return _Reader().vformat(_(m.template), (), m.params)
    except (KeyError, IndexError, ValueError):  # a bad translation never hides the reason
        return _Reader().vformat(m.template, (), m.params)


def word(text: str) -> Msg:
    """A word of the core's own vocabulary used inside a sentence (``estimated``, ``qualified``):
    English as it is, its catalogue entry where a person reads it."""
    return Msg._make(text, text.replace("{", "{{").replace("}", "}}"), {})
