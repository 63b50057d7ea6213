"""Which layout a filled questionnaire workbook is in (issue 19): read from its Meta sheet.

Why a module of its own: the reader (``io.excel``) reads cells; this decides, before any cell
is read, which words the sheets and headers are in. Version 1 templates are English with a
sheet per pillar id; version 2 records its language, its pillar sheets' names and the sheet
names and header words it was written with (``excel_layout.layout``). Every problem goes to
``bad(where, message)`` so that the reader says them all at once, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..i18n import LANGUAGES, _
from ..models import Catalogue
from .excel_layout import (
    META,
    OFFER,
    PRICES,
    READABLE_VERSIONS,
    SHEET_MAX,
    SOURCES,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    Layout,
    layout,
    pillar_sheets,
)

Bad = Callable[[str, str], None]  # (Sheet!Cell, message)


def template_layout(meta: Any, cat: Catalogue, bad: Bad) -> Layout:
    """The template's layout from its Meta sheet: version 1 is English with a sheet per
    pillar id; version 2 names its language (B4) and its pillar sheets (rows ``sheet``).
    A version or language it cannot read is a problem; the sheets are still checked (in the
    language named, else English) so that every problem is said at once."""
    version = meta["B1"].value
    if meta["A1"].value != TEMPLATE_KIND or version not in READABLE_VERSIONS:
        bad(f"{META}!B1", _("template version {found!r}; this Hostwise reads version "
                               "{version}: copy the answers into a new `hostwise template`"
                               ).format(found=version, version=TEMPLATE_VERSION))
    if version == 1:
        return layout("en", cat)
    rows = [tuple(c.value for c in row[:3]) for row in
            meta.iter_rows(min_row=1, max_row=min(meta.max_row, 400), max_col=3)]
    lang = next((r[1] for r in rows if r[0] == "language"), None)
    if lang not in LANGUAGES:
        if version in READABLE_VERSIONS:
            bad(f"{META}!B4", _("template language {found!r}: expected one of {known}; "
                                   "start from a new `hostwise template`").format(
                found=lang, known=", ".join(LANGUAGES)))
        return layout("en", cat)
    def table(kind: str) -> dict[str, str]:
        return {str(r[1]): r[2] for r in rows if r[0] == kind and isinstance(r[2], str)}

    named = {k: v for k, v in table("sheet").items() if 0 < len(v) <= SHEET_MAX}
    recorded = {"sheet": table("page"), "word": table("word")}
    wanted = pillar_sheets(cat)
    if all(p in named for p in wanted) and len({named[p].lower() for p in wanted}) == len(
            wanted):
        return layout(str(lang), cat, {p: named[p] for p in wanted}, recorded)
    return layout(str(lang), cat, None, recorded)  # the catalogue changed: sheets named now


def needed_sheets(lay: Layout) -> list[str]:
    return [lay.sheet[OFFER], *lay.pillars.values(), lay.sheet[PRICES], lay.sheet[SOURCES]]


def missing_sheets(sheetnames: list[str], lay: Layout, cat: Catalogue, bad: Bad) -> None:
    """Every sheet of the layout the workbook lacks; when the sheets are those of another
    language's template, say so (the Meta sheet and the sheets disagree)."""
    missing = [s for s in needed_sheets(lay) if s not in sheetnames]
    for s in missing:
        bad(f"{s}!A1", _("the sheet {name!r} is missing or renamed: use the template "
                            "unchanged").format(name=s))
    if not missing:
        return
    for other in (layout(code, cat) for code in LANGUAGES if code != lay.lang):
        if all(s in sheetnames for s in needed_sheets(other)):
            bad(f"{META}!B4", _("the sheets are named in {found} but the template says "
                                   "{declared}: start from a new `hostwise template`").format(
                found=LANGUAGES[other.lang], declared=LANGUAGES[lay.lang]))
