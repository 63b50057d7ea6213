"""Dates as precise as their source (issue 10, concept 5): ``PartialDate`` (a year, a month or a
day, no day invented), ``show_date`` (a date as the source gave it), and the rule that ties a
model's ``*_text`` (as written) to the conservative day it keeps for computing."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


@functools.total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date as precise as its source: a year (``2021``), a month (``2021-02``) or a day
    (``2021-02-18``). No day is invented (issue 10, concept 5): "~2021" in a source stays the
    year 2021, and each reader picks the end of the period that is conservative for its question
    (``first()`` or ``last()``).

    Comparisons: ``==`` is structural (``2021`` != ``2021-01-01``). ``<`` orders by (first day,
    last day), a total order consistent with ``==`` meant for sorting only; it does NOT say that
    one period lies before another: ask ``surely_before`` (every day of self is before every day
    of other) for that.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} does not exist")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"day {self.day} does not exist in {self.year:04d}-"
                                 f"{self.month:02d} (it has {last} days)")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (ASCII digits, zero-padded); ValueError else."""
        m = _PARTIAL.fullmatch(text)
        if m is None:
            raise ValueError("expected YYYY, YYYY-MM or YYYY-MM-DD")
        y, mo, d = m.groups()
        return cls(int(y), None if mo is None else int(mo), None if d is None else int(d))

    @classmethod
    def of(cls, d: dt.date) -> PartialDate:
        """The day ``d`` as a partial date of day precision."""
        return cls(d.year, d.month, d.day)

    @property
    def precision(self) -> Literal["year", "month", "day"]:
        return "year" if self.month is None else "month" if self.day is None else "day"

    def first(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last(self) -> dt.date:
        """The last day of the period."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def contains(self, d: dt.date) -> bool:
        return self.first() <= d <= self.last()

    def surely_before(self, other: PartialDate) -> bool:
        """Every day of this period is before every day of ``other``."""
        return self.last() < other.first()

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month is not None:
            out += f"-{self.month:02d}"
        if self.day is not None:
            out += f"-{self.day:02d}"
        return out

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return (self.first(), self.last()) < (other.first(), other.last())


def show_date(d: dt.date | None, text: str | None = None) -> str:
    """A date as the source gave it: ``text`` (``2021``, ``2021-02``...) when known, else the
    day, else ``unknown`` (a price read from an undated page). Every screen and reason string
    shows dates through this, never the conservative day chosen for computing."""
    if text:
        return text
    return d.isoformat() if d is not None else "unknown"


DATE_TEXT = (("date", "date_text"),)
SINCE_UNTIL_TEXTS = (("since", "since_text"), ("until", "until_text"))
OFFER_TEXTS = (("as_of", "as_of_text"), ("compiled_on", "compiled_on_text"))


def with_texts(data: Any, pairs: tuple[tuple[str, str], ...]) -> Any:
    """Fill each absent ``*_text`` from its date (a model built in code, at day precision)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for field, text in pairs:
        d = out.get(field)
        if out.get(text) is None and isinstance(d, dt.date | str):
            out[text] = d.isoformat() if isinstance(d, dt.date) else d
    return out


def check_texts(model: BaseModel, pairs: tuple[tuple[str, str], ...]) -> None:
    """Each ``*_text`` is a partial date whose period holds the day kept for computing."""
    for field, text in pairs:
        d, t = getattr(model, field), getattr(model, text)
        if t is None or (d is not None and len(t) == 10 and t == d.isoformat()):
            continue  # no text, or the day itself (the common case, checked without parsing)
        period = PartialDate.parse(t)
        if d is None or not period.contains(d):
            raise ValueError(f"{field} {d} is not within {text} {t!r}")
