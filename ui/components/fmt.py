"""Numbers as a committee reads them: 2 decimals for scores, thousands separators and € for
money, a dash (never ``None`` or ``nan``) for a value that does not exist.

Scores go through ``scoring.report.numbers.points``, the rule the CLI's text uses too, so the
page and ``hostwise rank`` print the same digits for the same total.

Why strings: a dataframe cell holding ``None`` shows the word "None", and a float shows every
digit it has (``315687.3026``); the issue asks for neither. Tables that also need numeric sorting
keep the number in the core's JSON (Export page); here the value is for reading.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scoring.report.numbers import points as _points

DASH = "—"


def missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def score(x: float | None, digits: int = 2) -> str:
    """A score 0-100 with ``digits`` decimals (default 2), by the CLI's rounding rule
    (``scoring.report.numbers``: the JSON's 6 decimals, then half away from zero)."""
    return _points(x, digits, DASH)


def money(x: float | None, currency: str = "EUR") -> str:
    """``€315,687`` (no decimals: the workloads are assumptions, cents would be false
    precision); other currencies as their code."""
    if missing(x):
        return DASH
    sign = "€" if currency == "EUR" else f"{currency} "
    return f"{sign}{float(x):,.0f}"  # type: ignore[arg-type]


def pct(x: float | None) -> str:
    return DASH if missing(x) else f"{float(x):.0%}"  # type: ignore[arg-type]


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
    return DASH if missing(x) else f"{_points(x)} points"


def signed(x: float | None, digits: int = 2) -> str:
    """``+1.25`` / ``−1.25`` with a true minus sign (U+2212): a cell starting with ``-`` would
    be quoted by ``safe_frame`` as a possible spreadsheet formula. Same rounding rule as
    ``score``."""
    if missing(x):
        return DASH
    s = _points(x, digits)
    return ("+" + s if not s.startswith("-") else "\u2212" + s[1:])
