"""Numbers as a committee reads them: 2 decimals for scores, thousands separators and € for
money, a dash (never ``None`` or ``nan``) for a value that does not exist.

Scores go through ``scoring.report.numbers.points``, the rule the CLI's text uses too, so the
page and ``hostwise rank`` print the same digits for the same total.

Why strings: a dataframe cell holding ``None`` shows the word "None", and a float shows every
digit it has (``315687.3026``); the issue asks for neither. Tables that also need numeric sorting
keep the number in the core's JSON (Export page); here the value is for reading.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from scoring.i18n import N_, _, decimal_mark, format_date, format_money
from scoring.messages import render
from scoring.report.numbers import percent
from scoring.report.numbers import points as _points

DASH = "—"


def missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def score(x: float | None, digits: int = 2) -> str:
    """A score 0-100 with ``digits`` decimals (default 2), by the CLI's rounding rule
    (``scoring.report.numbers``: the JSON's 6 decimals, then half away from zero)."""
    return _points(x, digits, DASH)


def money(x: float | None, currency: str = "EUR") -> str:
    """``€315,687`` / ``315 687 €`` (no decimals: the workloads are assumptions, cents would be
    false precision), in the CLDR format of the session's language (``scoring.i18n``)."""
    if missing(x):
        return DASH
    return format_money(float(x), currency, digits=0)  # type: ignore[arg-type]


def pct(x: float | None) -> str:
    return percent(x, 0, DASH)


def integer(x: int | None) -> str:
    return DASH if x is None else str(int(x))


def span(r: Sequence[float | None] | None, digits: int = 2) -> str:
    """A total range ``60.28 – 77.45``."""
    if r is None or any(missing(v) for v in r):
        return DASH
    lo, hi = r
    return f"{score(lo, digits)} – {score(hi, digits)}"


def rank_span(r: Sequence[int | None] | None) -> str:
    """A rank range: ``2`` when both ends agree, ``1–5`` otherwise."""
    if r is None or r[0] is None or r[1] is None:
        return DASH
    return str(r[0]) if r[0] == r[1] else f"{r[0]}–{r[1]}"


def short_hash(h: str) -> str:
    """The 12 first hex digits of a content hash: what the header, file names and tables show
    (the whole hash is in every JSON file)."""
    return h[:12]


def points(x: float | None) -> str:
    """A difference of totals, in points (``6.85 points``)."""
    return DASH if missing(x) else _("{n} points").format(n=_points(x))


def signed(x: float | None, digits: int = 2) -> str:
    """``+1.25`` / ``−1.25`` with a true minus sign (U+2212): a cell starting with ``-`` would
    be quoted by ``safe_frame`` as a possible spreadsheet formula. Same rounding rule as
    ``score``."""
    if missing(x):
        return DASH
    s = _points(x, digits)
    return ("+" + s if not s.startswith("-") else "\u2212" + s[1:])


def criterion(c: str) -> str:
    """A pillar (``technical``) or a criterion (``technical/hds``) with the pillar in the
    session's language; question ids are ids and stay as they are."""
    pillar, _sep, rest = c.partition("/")
    return f"{_(pillar)}/{rest}" if rest else _(pillar)


#: The clarification list's own words for what an item could be (``scoring.robustness.clarify``
#: writes them in English into the JSON contract); shown in the session's language.
CLARIFY_WORDS = {"a quote": N_("a quote"), "admitted": N_("admitted"),
                 "excluded": N_("excluded"), "eligibility undetermined":
                 N_("eligibility undetermined")}


def core_word(text: object) -> str:
    """A cell the core writes as one English word of its own (``True``, ``unknown``, ``true``:
    an answer or a scale's reason) in the session's language; any other text as it is."""
    s = str(text)
    words = {"true": _("yes"), "false": _("no"), "unknown": _("unknown")}
    return words.get(s.lower(), s)


def reason(text: object) -> str:
    """A reason, flag or warning of the core for reading: its own one-word cells as
    ``core_word`` says them, any sentence through ``scoring.messages.render`` (the English
    text, which stays the hash's and the JSON's, said in the session's language)."""
    s = str(text)
    if s.lower() in ("true", "false", "unknown"):
        return core_word(s)
    return render(text)


def answer_value(v: object) -> str:
    """An answer's value for reading: yes / no for booleans (in the session's language), a
    whole number without ``.0``, the clarification list's own words translated, anything else
    as written (vendor text stays as it is)."""
    if v is None:
        return _("unknown")
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, str) and v in CLARIFY_WORDS:
        return _(CLARIFY_WORDS[v])
    if isinstance(v, str) and v.startswith("a quote up to "):
        return _("a quote up to {amount}").format(amount=v.removeprefix("a quote up to "))
    return str(v)


def decimal(digits: str) -> str:
    """A number written by Python (``0.2500``) with the session's decimal mark."""
    return decimal_mark(digits)


def date(value: dt.date | str | None) -> str:
    """A date for people (``23 April 2026`` / ``23 avril 2026``); ISO stays for files."""
    if value is None:
        return DASH
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day)
