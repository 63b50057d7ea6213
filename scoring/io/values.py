"""Questionnaire values: the strict reading of one answer value against its question.

Nothing is guessed (bad-inputs.md §11-15): a date is ISO ``YYYY-MM-DD``, or where the format
allows a period, ``YYYY`` or ``YYYY-MM`` (issue 10: no day is invented), and nothing else; a
percentage is a plain number 0-100, a country is an ISO 3166 code in quotes ("NO" is Norway, the
boolean false gets a hint), and a refusal says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..countries import ISO_ALPHA2
from ..models import PartialDate, Question
from .text import printable

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_YEARISH = re.compile(r"[0-9]{4}(?:-[0-9]{2}){0,2}")

# Dates the engine can compute with: a contract term or a certificate's validity is added to a
# date (issue 9), so a year near ``datetime.MAXYEAR`` would overflow; no questionnaire needs a
# date before the first cloud offers or two centuries ahead.
MIN_YEAR = 1990
MAX_YEAR = 2199
PARTIAL_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


def _in_range(year: int, shown: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{shown}: year {year} is outside the years Hostwise computes with "
                         f"({MIN_YEAR} to {MAX_YEAR})")


def parse_date(value: Any) -> dt.date:
    """Strict ISO date (YYYY-MM-DD), year within MIN_YEAR..MAX_YEAR. Raises ValueError with a
    plain-words reason."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _in_range(value.year, value.isoformat())
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got {show(value)}")
    try:
        # fromisoformat alone (Python 3.11) would also take week dates such as 2019-W09-4
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        d = dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{printable(repr(value[:60]))} is not a valid date (expected YYYY-MM-DD)"
                         ) from None
    _in_range(d.year, value)
    return d


def parse_partial_date(value: Any) -> PartialDate:
    """A date of year, month or day precision: ``2021`` (the strict YAML reader gives an
    unquoted year as an int), ``2021-02`` or ``2021-02-18`` (text, quoted or not), year within
    MIN_YEAR..MAX_YEAR. Raises ValueError with a plain-words reason naming what was written."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        _in_range(value.year, value.isoformat())
        return PartialDate.of(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a date {PARTIAL_FORMS}, got {show(value)}")
    shown = printable(repr(value[:60]))
    if not _YEARISH.fullmatch(value):
        raise ValueError(f"{shown} is not a valid date (expected {PARTIAL_FORMS})")
    try:
        pd = PartialDate.parse(value)
    except ValueError as exc:
        raise ValueError(f"{shown} is not a valid date: {exc} (expected {PARTIAL_FORMS})"
                         ) from None
    _in_range(pd.year, value)
    return pd


def show(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {printable(repr(value[:60]))}"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def check_value(q: Question, value: Any) -> tuple[Any, str | None]:
    """Validate one answer value against its question; return (typed value, problem or None).

    Accepted forms are documented in docs/catalogue.md; nothing is guessed: "85%", "1 234,50",
    "N/A" or "yes" are refused with a message saying what to write instead (bad-inputs §11-14).
    """
    t = q.type
    if t == "bool":
        if isinstance(value, bool):
            return value, None
        return None, f"expected true or false, got {show(value)}"
    if t == "enum":
        opts = list((q.options or {}).keys())
        if isinstance(value, str) and value in opts:
            return value, None
        return None, f"{show(value)} is not one of: {', '.join(opts)}"
    if t in ("number", "percent"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            hint = " (write a plain number such as 85, without %, currency or spaces)"
            return None, f"expected a number, got {show(value)}{hint}"
        if not math.isfinite(value):
            return None, f"expected a finite number, got {value!r}"
        lo, hi = (0.0, 100.0) if t == "percent" else (q.min, q.max)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            unit = "%" if t == "percent" else f" {q.unit or ''}".rstrip()
            return None, f"{value!r}{unit} is outside the allowed range {lo:g} to {hi:g}"
        return float(value), None
    if t == "level":
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
            return None, f"expected a SEAL level, a whole number 0 to 4, got {show(value)}"
        return value, None
    if t == "grade":
        levels = sorted(q.grid or {})
        if isinstance(value, bool) or not isinstance(value, int) or value not in levels:
            return None, (f"expected a level of the grid ({', '.join(map(str, levels))}), got "
                          f"{show(value)}")
        return value, None
    if t == "date":
        try:
            return parse_date(value), None
        except ValueError as exc:
            return None, str(exc)
    if t == "country":
        if isinstance(value, str) and value in ISO_ALPHA2:
            return value, None
        if value is False:
            return None, 'got the boolean false: write "NO" in quotes for Norway'
        return None, f"expected an ISO 3166 two-letter country code in quotes, got {show(value)}"
    if t == "text":
        if isinstance(value, str):
            return value, None
        return None, f"expected text, got {show(value)}: put it in quotes"
    return None, f"unsupported answer type {t}"
