"""The questionnaire workbook's layout, shared by its writer (``report.questionnaire_template``)
and its reader (``io.excel``): sheet names, column headers derived from the YAML reader's own
field lists, and how each answer type is described to a bidder. One layout, so a template written
by one version reads back with the same version.

Why a layout per language (issue 19): a bidder fills the template in the tender's language, so
its sheet names, headers and Offer rows are the words of that language (the English field names
are the message ids of ``hostwise.po``, as any visible string). The cells' *values* stay the
format's (``confirmed``, ``TRUE``, option ids, ISO dates): they are data, compared and hashed.
The template records its language on the Meta sheet and the reader builds the same layout from
it, mapping each translated header back to its field, so a French and an English template filled
alike import to the same YAML. The Meta sheet keeps its technical name in every language: the
reader must find it before it knows the language, and it is hidden (nobody reads it). It also
records the sheet names and header words the template was written with, which the reader
prefers to today's ``hostwise.po`` (a French entry reworded later leaves issued templates
readable).
Version 1 (English only, no language on Meta) still reads as English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..i18n import DEFAULT, LANGUAGES, N_, _, use_language
from ..models import Catalogue, Offer, Question

TEMPLATE_KIND = "hostwise-questionnaire"
TEMPLATE_VERSION = 2  # 2: sheet names and headers in the template's language (Meta!B4)
READABLE_VERSIONS = (1, 2)
META = "Meta"
OFFER = N_("Offer")
PRICES = N_("Prices")
SOURCES = N_("Sources")
INSTRUCTIONS = N_("Instructions")
QUESTION_INFO = ["id", "criterion", "question", "requirement", "type", "allowed"]
PRICE_EXTRA = ["unit", "help"]  # shown to the bidder, never read
OFFER_HEAD = ["field", "value", "help"]
SOURCE_ROWS = 200
DATE_FIELDS = {"since", "until", "date", "as_of", "compiled_on"}
SHEET_MAX = 31  # Excel's limit on a sheet name
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f]")

#: The words a bidder reads for each column header and Offer row (English ids, translated with
#: ``_`` in the template's language). A field the loader gains later and this table lacks is
#: shown under its own name (``tests/test_template_french.py`` fails until it is added).
WORDS: dict[str, str] = {
    "id": N_("id"), "criterion": N_("criterion"), "question": N_("question"),
    "requirement": N_("requirement"), "type": N_("type"), "allowed": N_("allowed"),
    "answer": N_("answer"), "confidence": N_("confidence"), "source": N_("source"),
    "note": N_("note"), "since": N_("since"), "until": N_("until"), "version": N_("version"),
    "scope": N_("scope"), "other_product": N_("other_product"), "item": N_("item"),
    "price": N_("price"), "currency": N_("currency"), "date": N_("date"),
    "title": N_("title"), "url": N_("url"), "unit": N_("unit"), "help": N_("help"),
    "field": N_("field"), "value": N_("value"),
    "vendor.id": N_("vendor.id"), "vendor.name": N_("vendor.name"),
    "vendor.group": N_("vendor.group"), "offer.id": N_("offer.id"),
    "offer.name": N_("offer.name"), "offer.product_line": N_("offer.product_line"),
    "era": N_("era"), "as_of": N_("as_of"), "compiled_on": N_("compiled_on"),
    "currencies": N_("currencies"),
}


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
    """The pillars that have a sheet (those with questions), in catalogue order."""
    return [p for p in cat.pillars if any(q.pillar == p for q in cat.questions)]


@dataclass(frozen=True)
class Layout:
    """Sheet names and header words of one template language.

    ``sheet`` maps the English sheet id (``Offer``) to its name, ``pillars`` a pillar id to
    its sheet, ``words`` a field (``answer``, ``vendor.id``) to its header; ``field_of`` reads
    a header back."""

    lang: str
    sheet: dict[str, str]
    pillars: dict[str, str]
    words: dict[str, str]
    fields: dict[str, str]  # header -> field

    def word(self, name: str) -> str:
        """The header of the field ``name`` (itself when the table has no word for it)."""
        return self.words.get(name, name)

    def field_of(self, header: str) -> str | None:
        """The field a header stands for in this language; None for any other word (an
        English header in a French template is unknown: the template is used unchanged)."""
        return self.fields.get(header)


def sheet_title(text: str) -> str:
    """``text`` as an Excel sheet name: no ``[]:*?/\\``, no leading/trailing quote, at most 31
    characters, cut at a word and before a comma or a parenthesis (``Capacités techniques,
    certifications...`` -> ``Capacités techniques``)."""
    t = _SHEET_BAD.sub(" ", text)
    t = re.split(r"[,(;]", t)[0]
    t = " ".join(t.split()).strip("'")
    if len(t) > SHEET_MAX:
        cut = t[:SHEET_MAX + 1].rsplit(" ", 1)[0]
        t = cut if cut and len(cut) <= SHEET_MAX else t[:SHEET_MAX]
    return t.strip(" '")


def _pillar_names(cat: Catalogue, lang: str, fixed: list[str]) -> dict[str, str]:
    """Pillar id -> sheet: its label in ``lang`` where the catalogue's sidecar has one or the
    catalogue is written in ``lang`` (its ``lang``: a committee's copy written from the
    sidecar), made a valid sheet name, else the id (the English template's form since version
    1). Names are compared as Excel compares them (case-insensitively); a clash falls back to
    the id."""
    from .catalogue_text import label

    used = {s.lower() for s in fixed}
    out: dict[str, str] = {}
    for p in pillar_sheets(cat):
        name = p
        if lang != DEFAULT:
            shown = label(cat, "pillar", p, lang=lang)
            if cat.lang == lang or shown != label(cat, "pillar", p, lang=DEFAULT):
                name = sheet_title(shown) or p
        if name.lower() in used:
            name = p
        base, n = name, 2
        while name.lower() in used:
            name, n = f"{base[:SHEET_MAX - 4]} ({n})", n + 1
        used.add(name.lower())
        out[p] = name
    return out


def layout(lang: str, cat: Catalogue, pillars: Mapping[str, str] | None = None,
           recorded: Mapping[str, Mapping[str, str]] | None = None) -> Layout:
    """The layout of a template in ``lang``. ``pillars`` and ``recorded`` (``{"sheet": ...,
    "word": ...}``, read from a template's Meta sheet) name the sheets and headers as that
    template did, whatever the catalogue's sidecar or ``hostwise.po`` say now: a French entry
    improved after a bidder received the template does not make the bidder's file unreadable.
    A recorded table is used only when complete and without repeats."""
    code = lang if lang in LANGUAGES else DEFAULT
    with use_language(code):
        sheet = {s: _(s) for s in (OFFER, PRICES, SOURCES, INSTRUCTIONS)}
        words = {k: _(v) for k, v in WORDS.items()}
    rec = recorded or {}
    sheet = _complete(rec.get("sheet"), sheet)
    words = _complete(rec.get("word"), words)
    sheet[META] = META
    names = dict(pillars) if pillars is not None else _pillar_names(cat, code,
                                                                     list(sheet.values()))
    return Layout(code, sheet, names, words, {v: k for k, v in words.items()})


def _complete(given: Mapping[str, str] | None, default: dict[str, str]) -> dict[str, str]:
    """``given`` when it names every key of ``default`` with distinct, non-empty words of at
    most 31 characters (a sheet name's limit; headers are shorter), else ``default``."""
    if not given:
        return default
    picked = {k: given.get(k) for k in default}
    values = [v for v in picked.values() if isinstance(v, str) and 0 < len(v.strip()) <= SHEET_MAX]
    if len(values) != len(default) or len({v.strip() for v in values}) != len(values):
        return default
    return {k: str(v).strip() for k, v in picked.items()}


def allowed_text(q: Question) -> str:
    """What an answer cell accepts, in the run's language (the values to type stay the
    format's: ``true``, option ids, ISO dates)."""
    if q.type == "bool":
        return _("true or false")
    if q.type == "enum":
        return " | ".join(q.options or {})
    if q.type == "level":
        return _("SEAL level 0-4 (whole number; justify it in note)")
    if q.type == "grade":
        return _("scored by the committee, not by the bidder:") + " " + "; ".join(
            f"{k}={g.descriptor}" for k, g in sorted((q.grid or {}).items()))
    if q.type == "percent":
        return _("number 0-100 (no % sign)")
    if q.type == "number":
        return _("number {low} to {high} {unit}").format(
            low=f"{q.min:g}", high=f"{q.max:g}", unit=q.unit or "").rstrip()
    if q.type == "date":
        return _("date YYYY, YYYY-MM or YYYY-MM-DD (as text)")
    if q.type == "country":
        return _("ISO 3166 two-letter code (FR, US, NO...)")
    return _("text")
