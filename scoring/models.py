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

from .i18n import N_

Number = Annotated[float, Strict()]
"""A number written as a number: ``true`` or ``"1.5"`` is refused, not coerced to 1 or 1.5."""
Count = Annotated[int, Strict()]
"""A whole number written as one (``true`` is not 1)."""
PILLARS: tuple[str, ...] = (N_("technical"), N_("cost"), N_("legal"), N_("sovereignty"))
"""The pillars of the ``hdh`` catalogue (and of a version-1 catalogue): every other tender
declares its own (``Catalogue.pillar_ids``); nothing may assume these four."""
Module = Literal["legal", "sovereignty", "cost"]
MODULES: tuple[Module, ...] = ("legal", "sovereignty", "cost")
"""The computed modules; each owns the pillar of its name (docs/catalogue.md, "Module pillars")."""
SEAL_OBJECTIVES: tuple[tuple[str, str, str], ...] = (
    ("SOV-1", "sov.sov1_strategic", "Strategic sovereignty"),
    ("SOV-2", "sov.sov2_legal", "Legal & jurisdictional sovereignty"),
    ("SOV-3", "sov.sov3_data_ai", "Data & AI sovereignty"),
    ("SOV-4", "sov.sov4_operational", "Operational sovereignty"),
    ("SOV-5", "sov.sov5_supply_chain", "Supply-chain sovereignty"),
    ("SOV-6", "sov.sov6_technology", "Technology sovereignty"),
    ("SOV-7", "sov.sov7_security", "Security & compliance sovereignty"),
    ("SOV-8", "sov.sov8_sustainability", "Environmental sustainability"),
)
"""The objectives of the EU Cloud Sovereignty Framework v1.2.1 (objective, question, label):
the sovereignty module's criteria and the level questions it reads."""
MODULE_QUESTIONS: dict[str, dict[str, str]] = {
    # scoring/rules/legal.py (SecNumCloud 3.2 §19.6 tests and the control chain)
    "legal": {"legal.hq_country": "country", "legal.parent_country": "country",
              "legal.non_eu_share_individual": "percent",
              "legal.non_eu_share_collective": "percent", "legal.non_eu_veto_or_board": "bool",
              "legal.non_eu_third_party_access": "bool", "legal.data_location": "enum",
              "legal.non_eu_admin_access": "bool"},
    # scoring/rules/sovereignty.py: the SEAL levels, and the facts levels are derived from
    "sovereignty": {**{q: "level" for _, q, _ in SEAL_OBJECTIVES},
                    "legal.hq_country": "country", "legal.data_location": "enum",
                    "legal.non_eu_admin_access": "bool"},
    "cost": {},
}
"""The questions each computed module reads, with the type each must have: a catalogue that
uses the module must ask them (``scoring.io.catalogue_rules``)."""
AnswerType = Literal["bool", "enum", "number", "percent", "level", "date", "country", "text",
                     "grade"]
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


class GradeLevel(Frozen):
    """One level of a grade question's grid: what evaluators score against, and optionally the
    level's own 0-100 utility (docs/catalogue.md, "grade")."""

    descriptor: str
    utility: Number | None = None


def _grid(v: Any) -> Any:
    """A grid written ``{0: absent, ...}``: the short form of ``{0: {descriptor: absent}}``.
    Levels must be integers written as integers (``true`` or ``1.5`` are refused, not coerced)."""
    if not isinstance(v, dict):
        return v
    out: dict[Any, Any] = {}
    for k, d in v.items():
        level = k
        if isinstance(k, str) and re.fullmatch(r"-?[0-9]{1,6}", k.strip()):
            level = int(k)  # a JSON round trip (the committee store) writes keys as text
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValueError(f"grid level {k!r} is not an integer")
        out[level] = {"descriptor": d} if isinstance(d, str) else d
    return out


class Question(Frozen):
    """One question of the catalogue (``data/catalogues/<id>/catalogue.yaml``)."""

    id: str
    pillar: str
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
    grid: dict[int, GradeLevel] | None = None  # grade: level -> descriptor (and utility)
    dated: bool = False
    details: tuple[Detail, ...] = ()
    applies_from: dt.date | None = None  # before it, the question could not be asked
    applies_until: dt.date | None = None  # from it, the question no longer applies
    applies_source: str | None = None  # the publication that dates the window

    @model_validator(mode="before")
    @classmethod
    def _short_grid(cls, data: Any) -> Any:
        if isinstance(data, dict) and "grid" in data:
            data = {**data, "grid": _grid(data["grid"])}
        return data

    def grade_utility(self, level: int) -> float | None:
        """0-100 utility of a grid level: the grid's own utility when it gives them, else linear
        over the grid's range (lowest level 0, highest 100); None for a level not on the grid."""
        grid = self.grid or {}
        if level not in grid:
            return None
        g = grid[level]
        if g.utility is not None:
            return float(g.utility)
        lo, hi = min(grid), max(grid)
        return 100.0 * (level - lo) / (hi - lo) if hi > lo else None

    def applies_on(self, on: dt.date) -> bool:
        """Whether the question can be asked at an evaluation date (its validity window)."""
        return (self.applies_from is None or on >= self.applies_from) and (
            self.applies_until is None or on < self.applies_until)

    @property
    def scored(self) -> bool:
        """True when an answer maps to a 0-100 utility through the catalogue's rule."""
        if self.type in ("bool", "level"):
            return True
        if self.type == "grade":
            return len(self.grid or {}) >= 2
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


class Gate(Frozen):
    """A pass/fail rule applied before scoring (EU Directive 2014/24 art. 67; CJEU C-546/16
    Montte: minimum quality thresholds may eliminate tenders). Defined here, beside the
    catalogue that may offer gates by id; ``scoring.rules.gates`` checks them. A scenario gate
    without ``kind`` refers to the catalogue's gate of that id (docs/catalogue.md, "Gates")."""

    id: str
    kind: Literal["hds", "immunity", "min_seal", "min_pillar", "costable", "answer"] | None = None
    label: str | None = None
    mode: Literal["qualified", "qualified_or_in_process"] | None = None  # immunity
    objective: str | None = None  # min_seal: "SOV-2" or "overall"
    level: Count | None = None  # min_seal
    pillar: str | None = None  # min_pillar
    minimum: Number | None = None  # min_pillar / answer (number)
    question: str | None = None  # answer
    allowed: list[Any] | None = None  # answer (enum/bool/country values)
    require_v2_after: dt.date | None = None  # hds: version v2 needed from this date
    reason: str | None = None


class PillarDef(Frozen):
    """A pillar of the criteria tree: its label and its criteria (id -> label). A module
    pillar (cost, legal, sovereignty) has its criteria fixed by the module and writes none."""

    label: str
    criteria: dict[str, str] = Field(default_factory=dict)


class Catalogue(Frozen):
    """One tender's catalogue (docs/catalogue.md): the criteria tree, the questions, the
    modules it uses, its price items and gates. ``pillars`` is held in the version-2 form
    whatever the file's version (``scoring.io.catalogue`` fills a version-1 file's implied
    declarations)."""

    version: int
    id: str = ""
    title: str = ""
    modules: tuple[Module, ...] = ()
    pillars: dict[str, PillarDef]
    certifications: CertificationRules | None = None
    questions: tuple[Question, ...]
    price_items: dict[str, PriceItem] = Field(default_factory=dict)
    gates: tuple[Gate, ...] = ()
    sha256: str = ""

    def question(self, qid: str) -> Question:
        return self._by_id[qid]

    @functools.cached_property
    def _by_id(self) -> dict[str, Question]:
        """Question id -> question (a 400-question tender looks ids up per offer and leaf)."""
        return {q.id: q for q in self.questions}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @property
    def pillar_ids(self) -> tuple[str, ...]:
        """The pillars in the catalogue's order (the display order everywhere)."""
        return tuple(self.pillars)

    def uses(self, module: str) -> bool:
        return module in self.modules

    def criteria(self, pillar: str) -> dict[str, str]:
        """Criterion id -> label of an ordinary pillar (empty for a module pillar)."""
        p = self.pillars.get(pillar)
        return dict(p.criteria) if p is not None else {}

    def gate(self, gid: str) -> Gate | None:
        return next((g for g in self.gates if g.id == gid), None)

    @property
    def rules(self) -> CertificationRules:
        """The certification rules; only reached by a catalogue that declares them (the
        validation demands them wherever a module, question or gate reads them)."""
        if self.certifications is None:
            raise KeyError("certifications")
        return self.certifications




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
