"""Questionnaire values: the strict reading of one answer value against its question.

Nothing is guessed (bad-inputs.md §11-15): a date is ISO ``YYYY-MM-DD`` and nothing else, a
percentage is a plain number 0-100, a country is an ISO 3166 code in quotes ("NO" is Norway, the
boolean false gets a hint), and a refusal says what to write instead.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from ..countries import ISO_ALPHA2
from ..models import Question
from .text import printable

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: Any) -> dt.date:
    """Strict ISO date (YYYY-MM-DD). Raises ValueError with a plain-words reason."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected a date YYYY-MM-DD, got {show(value)}")
    try:
        # fromisoformat alone (Python 3.11) would also take week dates such as 2019-W09-4
        if not _ISO_DATE.fullmatch(value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{printable(repr(value[:60]))} is not a valid date (expected YYYY-MM-DD)"
                         ) from None


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

    Accepted forms are documented in data/questions.yaml; nothing is guessed: "85%", "1 234,50",
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
