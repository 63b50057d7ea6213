"""The questionnaire workbook's layout, shared by its writer (``report.questionnaire_template``)
and its reader (``io.excel``): sheet names, column headers derived from the YAML reader's own
field lists, and how each answer type is described to a bidder. One layout, so a template written
by one version reads back with the same version."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Catalogue, Offer, Question

TEMPLATE_KIND = "hostwise-questionnaire"
TEMPLATE_VERSION = 1
META = "Meta"
OFFER = "Offer"
PRICES = "Prices"
SOURCES = "Sources"
INSTRUCTIONS = "Instructions"
QUESTION_INFO = ["id", "criterion", "question", "requirement", "type", "allowed"]
SOURCE_ROWS = 200
DATE_FIELDS = {"since", "until", "date", "as_of", "compiled_on"}


def _ordered(fields: set[str], first: list[str]) -> list[str]:
    return [f for f in first if f in fields] + sorted(fields - set(first))


@dataclass(frozen=True)
class Columns:
    """Column headers of each sheet, derived from the loader's field lists."""

    answer: list[str]  # after QUESTION_INFO; "answer" stands for the field ``value``
    price: list[str]  # "item" first
    source: list[str]  # "id" first
    identity: list[str]  # Offer sheet rows: "vendor.id", ..., "era", "as_of", ...


def columns() -> Columns:
    from .answers import ANSWER_FIELDS, PRICE_FIELDS
    from .questionnaire import SOURCE_FIELDS, TOP_FIELDS

    ans = _ordered(set(ANSWER_FIELDS), ["value", "confidence", "source", "note", "since",
                                        "until", "version", "scope", "other_product"])
    ident = ["vendor.id", "vendor.name", "vendor.group", "offer.id", "offer.name"]
    if "product_line" in Offer.model_fields:
        ident.append("offer.product_line")
    skip = {"schema", "vendor", "offer", "sources", "answers", "prices"}
    ident += _ordered(set(TOP_FIELDS) - skip, ["era", "as_of", "compiled_on", "currencies"])
    return Columns(
        answer=["answer" if f == "value" else f for f in ans],
        price=["item", *_ordered(set(PRICE_FIELDS) - {"item"},
                                 ["price", "currency", "date", "source", "confidence", "note",
                                  "other_product"])],
        source=["id", *_ordered(set(SOURCE_FIELDS), ["title", "url", "date", "note"])],
        identity=ident,
    )


def pillar_sheets(cat: Catalogue) -> list[str]:
    return [p for p in cat.pillars if any(q.pillar == p for q in cat.questions)]


def allowed_text(q: Question) -> str:
    if q.type == "bool":
        return "true or false"
    if q.type == "enum":
        return " | ".join(q.options or {})
    if q.type == "level":
        return "SEAL level 0-4 (whole number; justify it in note)"
    if q.type == "grade":
        return "scored by the committee, not by the bidder: " + "; ".join(
            f"{k}={g.descriptor}" for k, g in sorted((q.grid or {}).items()))
    if q.type == "percent":
        return "number 0-100 (no % sign)"
    if q.type == "number":
        return f"number {q.min:g} to {q.max:g} {q.unit or ''}".rstrip()
    if q.type == "date":
        return "date YYYY, YYYY-MM or YYYY-MM-DD (as text)"
    if q.type == "country":
        return "ISO 3166 two-letter code (FR, US, NO...)"
    return "text"


