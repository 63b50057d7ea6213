"""Explicit data models shared by every part of Hostwise (pydantic v2, frozen, extra="forbid").

Why frozen: a loaded offer is evidence. Nothing downstream (scoring, allocation, the app) may
change it in place; a "what if" is a new object. Why ``extra="forbid"``: a misspelt field in a
questionnaire must be an error, not silently ignored data.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict

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

    model_config = ConfigDict(frozen=True, extra="forbid")


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
    """Dated rules of the certification schemes, as data (read by ``scoring.certifications``).

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


class Source(Frozen):
    id: str
    title: str
    url: str | None = None
    date: dt.date | None = None  # None = the source says it is undated
    note: str | None = None


class Answer(Frozen):
    """An answer with its evidence. ``confidence == "unknown"`` means value is None."""

    question: str
    value: Any = None
    confidence: Confidence
    sources: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    version: str | None = None
    scope: str | None = None
    note: str | None = None

    @property
    def known(self) -> bool:
        return self.confidence != "unknown" and self.value is not None


class Price(Frozen):
    item: str
    price: float
    currency: str
    date: dt.date
    sources: tuple[str, ...]
    confidence: Confidence
    note: str | None = None


class Offer(Frozen):
    """One vendor's offer in one era, as loaded from a questionnaire file."""

    vendor_id: str
    vendor_name: str
    group: str
    offer_id: str
    offer_name: str
    era: str
    as_of: dt.date
    compiled_on: dt.date | None = None
    currencies: tuple[str, ...]
    sources: dict[str, Source]
    answers: dict[str, Answer]
    prices: tuple[Price, ...] = ()
    file: str = ""
    sha256: str = ""

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
        for p in self.prices:
            if p.item == item:
                return p
        return None


class LoadedSet(Frozen):
    """Offers loaded atomically from one or more paths, with the files' hashes for the audit."""

    offers: tuple[Offer, ...]
    files: dict[str, str] = Field(default_factory=dict)  # path -> sha256
