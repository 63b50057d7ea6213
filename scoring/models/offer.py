"""An offer as evidence: each answer with its sources, confidence and dates, the price lines,
the cited publications, and a set of offers loaded together with their files' hashes. Frozen
(``scoring.models``): a "what if" is a new object, never a change in place."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from pydantic import Field, model_validator

from .base import Confidence, Frozen
from .dates import (
    DATE_TEXT,
    OFFER_TEXTS,
    SINCE_UNTIL_TEXTS,
    PartialDate,
    check_texts,
    with_texts,
)


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
        return with_texts(data, DATE_TEXT)

    @model_validator(mode="after")
    def _texts_agree(self) -> Source:
        check_texts(self, DATE_TEXT)
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
        return with_texts(data, SINCE_UNTIL_TEXTS)

    @model_validator(mode="after")
    def _texts_agree(self) -> Answer:
        check_texts(self, SINCE_UNTIL_TEXTS)
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
        return with_texts(data, DATE_TEXT)

    @model_validator(mode="after")
    def _texts_agree(self) -> Price:
        check_texts(self, DATE_TEXT)
        return self


@functools.lru_cache(maxsize=4096)
def _unknown(qid: str) -> Answer:
    """The unknown answer to ``qid`` (frozen, so one object serves every offer)."""
    return Answer(question=qid, confidence="unknown")


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
        data = with_texts(data, OFFER_TEXTS)
        if isinstance(data, dict) and not data.get("product_line"):
            data["product_line"] = data.get("offer_name", "")
        return data

    @model_validator(mode="after")
    def _texts_agree(self) -> Offer:
        check_texts(self, OFFER_TEXTS)
        return self

    @property
    def key(self) -> str:
        """Unique key across eras: ``era/offer_id``."""
        return f"{self.era}/{self.offer_id}"

    def answer(self, qid: str) -> Answer:
        """The answer to ``qid``; an absent optional answer reads as unknown."""
        return self.answers.get(qid) or _unknown(qid)

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
