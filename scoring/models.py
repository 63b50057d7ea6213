"""Explicit data models shared by every part of Hostwise (pydantic v2, frozen, extra="forbid").

Why frozen: a loaded offer is evidence. Nothing downstream (scoring, allocation, the app) may
change it in place; a "what if" is a new object. Why ``extra="forbid"``: a misspelt field in a
questionnaire must be an error, not silently ignored data.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

Number = Annotated[float, Strict()]
"""A number written as a number: ``true`` or ``"1.5"`` is refused, not coerced to 1 or 1.5."""
Count = Annotated[int, Strict()]
"""A whole number written as one (``true`` is not 1)."""
Pillar = Literal["technical", "cost", "legal", "sovereignty"]
PILLARS: tuple[Pillar, ...] = ("technical", "cost", "legal", "sovereignty")
AnswerType = Literal["bool", "enum", "number", "percent", "level", "date", "country", "text"]
Confidence = Literal["confirmed", "recalled", "conflicting", "secondary", "unknown"]
CONFIDENCES: tuple[str, ...] = ("confirmed", "recalled", "conflicting", "secondary", "unknown")
Detail = Literal["since", "until", "version", "scope"]


class Frozen(BaseModel):
    """The one pydantic base of Hostwise: immutable, and strict about unknown fields."""

    # defer_build: a model's validator is built on first use, so a command that never reads a
    # committee record or a method's settings does not pay for building them at import.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Scale(Frozen):
    """Linear utility for numbers: ``worst`` maps to 0, ``best`` to 100, clipped in between."""

    worst: float
    best: float


class Question(Frozen):
    """One question of the catalogue (``data/questions.yaml``)."""

    id: str
    pillar: Pillar
    criterion: str
    type: AnswerType
    required: bool = False
    help: str
    requirement: str
    options: dict[str, float | None] | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    scale: Scale | None = None
    dated: bool = False
    details: tuple[Detail, ...] = ()
    applies_from: dt.date | None = None  # before it, the question could not be asked
    applies_until: dt.date | None = None  # from it, the question no longer applies
    applies_source: str | None = None  # the publication that dates the window

    def applies_on(self, on: dt.date) -> bool:
        """Whether the question can be asked at an evaluation date (its validity window)."""
        return (self.applies_from is None or on >= self.applies_from) and (
            self.applies_until is None or on < self.applies_until)

    @property
    def scored(self) -> bool:
        """True when an answer maps to a 0-100 utility through the catalogue's rule."""
        if self.type in ("bool", "level"):
            return True
        if self.type == "enum":
            return any(v is not None for v in (self.options or {}).values())
        if self.type in ("number", "percent"):
            return self.scale is not None
        return False


class PriceItem(Frozen):
    unit: str
    help: str


class CertificationRules(Frozen):
    """Dated rules of the certification schemes, as data (read by ``scoring.rules.certifications``).

    They are regulatory facts, not procurement choices, so they live in the catalogue beside the
    questions they govern; a scenario's HDS gate may still demand v2 earlier
    (``Gate.require_v2_after``).
    """

    hds_v1_valid_until: dt.date  # HDS v1 certificates stop counting on this date
    hds_source: str
    secnumcloud_validity_years: int = Field(ge=1, le=10)
    secnumcloud_v32_published: dt.date  # from then on a qualification assessed §19.6
    secnumcloud_source: str


class Catalogue(Frozen):
    version: int
    pillars: dict[str, str]
    certifications: CertificationRules
    questions: tuple[Question, ...]
    price_items: dict[str, PriceItem]
    sha256: str = ""

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)


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


_DATE_TEXT = (("date", "date_text"),)
_SINCE_UNTIL_TEXTS = (("since", "since_text"), ("until", "until_text"))
_OFFER_TEXTS = (("as_of", "as_of_text"), ("compiled_on", "compiled_on_text"))


def _with_texts(data: Any, pairs: tuple[tuple[str, str], ...]) -> Any:
    """Fill each absent ``*_text`` from its date (a model built in code, at day precision)."""
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for field, text in pairs:
        d = out.get(field)
        if out.get(text) is None and isinstance(d, dt.date | str):
            out[text] = d.isoformat() if isinstance(d, dt.date) else d
    return out


def _check_texts(model: BaseModel, pairs: tuple[tuple[str, str], ...]) -> None:
    """Each ``*_text`` is a partial date whose period holds the day kept for computing."""
    for field, text in pairs:
        d, t = getattr(model, field), getattr(model, text)
        if t is None or (d is not None and len(t) == 10 and t == d.isoformat()):
            continue  # no text, or the day itself (the common case, checked without parsing)
        period = PartialDate.parse(t)
        if d is None or not period.contains(d):
            raise ValueError(f"{field} {d} is not within {text} {t!r}")


class Source(Frozen):
    """A publication cited as evidence. ``date`` is the LAST day of ``date_text``'s period (the
    latest the publication can be from); ``None`` = the source says it is undated."""

    id: str
    title: str
    url: str | None = None
    date: dt.date | None = None  # None = the source says it is undated
    date_text: str | None = None  # as written: "2021", "2021-02" or "2021-02-18"
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill_texts(cls, data: Any) -> Any:
        return _with_texts(data, _DATE_TEXT)

    @model_validator(mode="after")
    def _texts_agree(self) -> Source:
        _check_texts(self, _DATE_TEXT)
        return self


class Answer(Frozen):
    """An answer with its evidence. ``confidence == "unknown"`` means value is None.

    Dates keep the source's precision in ``since_text`` / ``until_text``; the ``dt.date`` fields
    are the conservative day for computing (issue 10, concept 5): ``since`` is the LAST day of its
    period (no earlier than the file's ``as_of``, when the status is known to hold), so a status is
    never assumed before the evidence surely shows it; ``until`` is the FIRST day of its period, so
    a lapse is assumed as early as it may be. Display ``show_date(a.since, a.since_text)``.

    ``other_product`` names another product line of the same vendor the answer was taken from
    (issue 10, concept 2): kept for the record (``value`` stays), never scored (``known`` is
    False, so every engine path reads it as unknown).
    """

    question: str
    value: Any = None
    confidence: Confidence
    sources: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    since_text: str | None = None
    until_text: str | None = None
    version: str | None = None
    scope: str | None = None
    other_product: str | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill_texts(cls, data: Any) -> Any:
        return _with_texts(data, _SINCE_UNTIL_TEXTS)

    @model_validator(mode="after")
    def _texts_agree(self) -> Answer:
        _check_texts(self, _SINCE_UNTIL_TEXTS)
        return self

    @property
    def known(self) -> bool:
        """Scored evidence: a value, a confidence, and about this offer's own product line."""
        return (self.confidence != "unknown" and self.value is not None
                and self.other_product is None)

    @property
    def unsourced(self) -> bool:
        """A recalled value no publication states (issue 10): shown as such on screen."""
        return self.confidence == "recalled" and not self.sources

    @property
    def from_other_product(self) -> bool:
        """Taken from another product line of the vendor: shown, not scored."""
        return self.other_product is not None

    @property
    def since_period(self) -> PartialDate | None:
        """The start as stated (``first()`` is the earliest it may be, e.g. to date an expiry)."""
        return PartialDate.parse(self.since_text) if self.since_text else None

    @property
    def since_earliest(self) -> dt.date | None:
        """The earliest day the status may have begun (first day of ``since_text``): the
        cautious start for an expiry (start + validity) or for "granted after a date" claims,
        where the late ``since`` would overstate."""
        period = self.since_period
        return period.first() if period else self.since

    @property
    def until_period(self) -> PartialDate | None:
        return PartialDate.parse(self.until_text) if self.until_text else None


class Price(Frozen):
    """A price line. ``date`` is the FIRST day of ``date_text``'s period (a reading is assumed as
    old as it may be, so a staleness warning is never missed); ``None`` = read from an undated
    page: the reading date is unknown and is shown so, never replaced by a placeholder.
    ``other_product``: the price of another product line of the vendor, kept for the record and
    never used for costing (``Offer.price`` skips it)."""

    item: str
    price: float
    currency: str
    date: dt.date | None
    date_text: str | None = None
    sources: tuple[str, ...]
    confidence: Confidence
    other_product: str | None = None
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _fill_texts(cls, data: Any) -> Any:
        return _with_texts(data, _DATE_TEXT)

    @model_validator(mode="after")
    def _texts_agree(self) -> Price:
        _check_texts(self, _DATE_TEXT)
        return self


class Offer(Frozen):
    """One vendor's offer in one era, as loaded from a questionnaire file."""

    vendor_id: str
    vendor_name: str
    group: str
    offer_id: str
    offer_name: str
    product_line: str = ""  # the product line the questionnaire describes (default: offer_name)
    era: str
    as_of: dt.date  # the LAST day of as_of_text's period
    as_of_text: str | None = None  # as written: "2019", "2019-02" or "2019-02-28"
    compiled_on: dt.date | None = None  # the LAST day of compiled_on_text's period
    compiled_on_text: str | None = None
    currencies: tuple[str, ...]
    sources: dict[str, Source]
    answers: dict[str, Answer]
    prices: tuple[Price, ...] = ()
    file: str = ""
    sha256: str = ""

    @model_validator(mode="before")
    @classmethod
    def _fill(cls, data: Any) -> Any:
        data = _with_texts(data, _OFFER_TEXTS)
        if isinstance(data, dict) and not data.get("product_line"):
            data["product_line"] = data.get("offer_name", "")
        return data

    @model_validator(mode="after")
    def _texts_agree(self) -> Offer:
        _check_texts(self, _OFFER_TEXTS)
        return self

    @property
    def key(self) -> str:
        """Unique key across eras: ``era/offer_id``."""
        return f"{self.era}/{self.offer_id}"

    def answer(self, qid: str) -> Answer:
        """The answer to ``qid``; an absent optional answer reads as unknown."""
        return self.answers.get(qid) or Answer(question=qid, confidence="unknown")

    def value(self, qid: str) -> Any:
        a = self.answer(qid)
        return a.value if a.known else None

    def price(self, item: str) -> Price | None:
        """The price of ``item`` for this product line (another line's price is never used)."""
        for p in self.prices:
            if p.item == item and p.other_product is None:
                return p
        return None


class LoadedSet(Frozen):
    """Offers loaded atomically from one or more paths, with the files' hashes for the audit."""

    offers: tuple[Offer, ...]
    files: dict[str, str] = Field(default_factory=dict)  # path -> sha256
