"""The criteria workbook's layout ("grille d'analyse") in each language: sheet names, column
headers, key names and the yes/no words, shared by its writer
(``report.criteria_workbook``) and its reader (``io.criteria_workbook``).

Why translated (issue 19): the buyer writes and reads the grid in the tender's language; a
French buyer's own grille says "pilier", "critère", "pondération", "grille". The English words
are the message ids of ``hostwise.po`` (``N_``), so the French layout is the catalogue's
translation and a test compares the workbook with it. The reader knows a workbook's language
from its criteria sheet's name and reads the column headers of either language (a buyer may
keep an English column in a French grille), case-insensitively; the *values* stay the
catalogue's (pillar, criterion and question ids, question types, ``module``).
The certification keys (``hds_v1_valid_until``...) are the catalogue's field names, kept as
they are: they name settings a buyer copies from docs/catalogue.md, not columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import DEFAULT, LANGUAGES, N_, _, use_language

#: Sheet id -> English name (the message id).
SHEETS = {"criteria": N_("Criteria"), "settings": N_("Catalogue"),
          "price_items": N_("Price items"), "certifications": N_("Certifications"),
          "gates": N_("Gates")}
COLUMNS = ("pillar", "criterion", "question id", "question text", "type", "weight", "grid",
           "options", "requirement", "unit", "min", "max", "scale worst", "scale best",
           "required", "dated", "details", "applies from", "applies until", "applies source")
GATE_COLUMNS = ("id", "kind", "label", "reason", "mode", "objective", "level", "pillar",
                "minimum", "question", "allowed", "require_v2_after")
PRICE_COLUMNS = ("item", "unit", "help")
KEY_COLUMNS = ("key", "value")
SETTING_KEYS = ("version", "id", "title", "lang", "modules")  # lang: written when not English

#: Field -> the English word shown (message id); every column, header and setting key.
WORDS: dict[str, str] = {
    "pillar": N_("pillar"), "criterion": N_("criterion"), "question id": N_("question id"),
    "question text": N_("question text"), "type": N_("type"), "weight": N_("weight"),
    "grid": N_("grid"), "options": N_("options"), "requirement": N_("requirement"),
    "unit": N_("unit"), "min": N_("min"), "max": N_("max"), "scale worst": N_("scale worst"),
    "scale best": N_("scale best"), "required": N_("required"), "dated": N_("dated"),
    "details": N_("details"), "applies from": N_("applies from"),
    "applies until": N_("applies until"), "applies source": N_("applies source"),
    "id": N_("id"), "kind": N_("kind"), "label": N_("label"), "reason": N_("reason"),
    "mode": N_("mode"), "objective": N_("objective"), "level": N_("level"),
    "minimum": N_("minimum"), "question": N_("question"), "allowed": N_("allowed"),
    "require_v2_after": N_("require_v2_after"), "item": N_("item"), "help": N_("help"),
    "key": N_("key"), "value": N_("value"), "version": N_("version"), "title": N_("title"),
    "modules": N_("modules"), "lang": N_("language of the texts"),
}


@dataclass(frozen=True)
class CriteriaLayout:
    """One language's words: ``sheet`` (sheet id -> name), ``words`` (field -> header),
    ``yes``/``no``; ``field_of`` reads a header of *any* language back (case-insensitively),
    among the fields of the sheet it is on (French says "libellé" for a question's text and
    for a gate's label)."""

    lang: str
    sheet: dict[str, str]
    words: dict[str, str]
    yes: str
    no: str
    every: tuple[dict[str, str], ...]  # each language's words, this one's first

    def word(self, name: str) -> str:
        """The header or key shown for ``name``."""
        return self.words.get(name, name)

    def field_of(self, header: str, among: tuple[str, ...] | None = None) -> str:
        """The field of ``among`` (default: any) that ``header`` names in some language,
        this layout's first; the header itself (lower case) when it names none."""
        h = header.strip().lower()
        for words in self.every:
            for f, w in words.items():
                if w.lower() == h and (among is None or f in among):
                    return f
        return h


def _words(lang: str) -> tuple[dict[str, str], dict[str, str], str, str]:
    with use_language(lang):
        return ({k: _(v) for k, v in SHEETS.items()}, {k: _(v) for k, v in WORDS.items()},
                _("yes"), _("no"))


def criteria_layout(lang: str) -> CriteriaLayout:
    """The layout of a criteria workbook in ``lang`` (English for an unknown code)."""
    code = lang if lang in LANGUAGES else DEFAULT
    sheet, words, yes, no = _words(code)
    every = (words, *(_words(c)[1] for c in LANGUAGES if c != code))
    return CriteriaLayout(code, sheet, words, yes, no, every)


def yes_no(lang: str | None = None) -> dict[str, bool]:
    """Every word read as a yes or a no, in every language (``oui``, ``true``, ``non``...)."""
    out = {"true": True, "false": False}
    for code in LANGUAGES if lang is None else (lang,):
        lay = criteria_layout(code)
        out[lay.yes.lower()] = True
        out[lay.no.lower()] = False
    return out
