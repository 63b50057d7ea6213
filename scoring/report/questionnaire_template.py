"""The questionnaire template (issue 12): one workbook generated from a tender's catalogue.

Why generated: the catalogue (docs/catalogue.md) is the one definition of a question; the
template's rows, drop-downs and number ranges are derived from it, and its columns from the
loader's own field lists (``questionnaire.TOP_FIELDS``/``SOURCE_FIELDS``,
``answers.ANSWER_FIELDS``/``PRICE_FIELDS``), so a format change reaches the template without an
edit here. Drop-downs help the vendor; they are not trusted: Excel does not enforce validation
on paste, so the import re-validates every cell (``scoring.io.excel``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..i18n import LANGUAGES, _, language
from ..io.catalogue_text import label
from ..io.excel_layout import (
    DATE_FIELDS,
    INSTRUCTIONS,
    META,
    OFFER,
    OFFER_HEAD,
    PRICE_EXTRA,
    PRICES,
    QUESTION_INFO,
    SOURCE_ROWS,
    SOURCES,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    Columns,
    Layout,
    allowed_text,
    columns,
    layout,
    pillar_sheets,
)
from ..models import CONFIDENCES, Catalogue, Question
from .excel_cells import WORKBOOK_OPTIONS, Formats, put_text


def template_workbook(era: str | None = None, cat: Catalogue | None = None,
                      doc: Mapping[str, Any] | None = None) -> bytes:
    """The template as .xlsx bytes; ``doc`` (a questionnaire as the YAML reader gives it)
    fills it in (an existing offer exported for editing, and the round-trip tests).

    Written in the run's language (issue 19): sheet names, headers, Offer rows and notes in
    the bidder's words, the language and the pillar sheets' names recorded on the Meta sheet
    for the import (``scoring.io.excel_layout``)."""
    from ..io.catalogue import load_catalogue

    cat = cat or load_catalogue()  # the bundled hdh; ``hostwise catalogue template`` passes one
    cols = columns()
    lay = layout(language(), cat)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {**WORKBOOK_OPTIONS, "in_memory": True})
    f = Formats(wb)
    unlocked = wb.add_format({"locked": False, "valign": "top", "bg_color": "#FFF2CC",
                              "border": 1})
    unlocked_text = wb.add_format({"locked": False, "valign": "top", "bg_color": "#FFF2CC",
                                   "border": 1, "num_format": "@"})
    styles = {"in": unlocked, "in_text": unlocked_text}
    _instructions(wb.add_worksheet(lay.sheet[INSTRUCTIONS]), f, cat, era, lay)
    d = dict(doc or {})
    _offer_sheet(wb.add_worksheet(lay.sheet[OFFER]), f, styles, cols, d, era, lay)
    answers = d.get("answers") or {}
    for p in pillar_sheets(cat):
        _pillar_sheet(wb.add_worksheet(lay.pillars[p]), f, styles, cols,
                      [q for q in cat.questions if q.pillar == p], answers, cat, lay)
    _price_sheet(wb.add_worksheet(lay.sheet[PRICES]), f, styles, cols, cat,
                 d.get("prices") or [], lay)
    _source_sheet(wb.add_worksheet(lay.sheet[SOURCES]), f, styles, cols,
                  d.get("sources") or {}, lay)
    meta = wb.add_worksheet(META)
    rows: list[tuple[str, str | int, str]] = [
        (TEMPLATE_KIND, TEMPLATE_VERSION, ""), ("catalogue", cat.sha256, ""),
        ("era", era or "", ""), ("language", lay.lang, ""),
        *(("sheet", p, name) for p, name in lay.pillars.items()),
        *(("page", k, v) for k, v in lay.sheet.items() if k != META),
        *(("word", k, v) for k, v in lay.words.items())]
    for r, (key, value, extra) in enumerate(rows):
        meta.write_string(r, 0, key)
        if isinstance(value, int):
            meta.write_number(r, 1, value)
        else:
            meta.write_string(r, 1, value)
        if extra:
            meta.write_string(r, 2, extra)
    meta.hide()
    meta.protect()
    wb.worksheets_objs[0].activate()
    wb.close()
    return buf.getvalue()


def _instructions(ws: Worksheet, f: Formats, cat: Catalogue, era: str | None, lay: Layout
                  ) -> None:
    ws.write_string(0, 0, _("Hostwise questionnaire"), f["title"])
    head = _("Catalogue version {version}; template version {template}").format(
        version=cat.version, template=TEMPLATE_VERSION)
    lines = [
        head + (_("; era {era}").format(era=era) if era else "") + ".",
        _("1. Sheet {offer}: who you are, the era (year), the date the answers hold "
          "({as_of}), and the currencies of your prices.").format(
              offer=lay.sheet[OFFER], as_of=lay.word("as_of")),
        _("2. One sheet per pillar, one row per question. Fill the yellow cells: {answer}, "
          "{confidence}, {source} (ids from the {sources} sheet, comma-separated), "
          "{note}.").format(answer=lay.word("answer"), confidence=lay.word("confidence"),
                            source=lay.word("source"), sources=lay.sheet[SOURCES],
                            note=lay.word("note")),
        "   " + _("A question you cannot answer: {confidence} 'unknown' and the {answer} "
                  "left blank. A row left entirely blank is not answered (required questions "
                  "must be answered).").format(confidence=lay.word("confidence"),
                                               answer=lay.word("answer")),
        "   " + _("{confidence}: {values}. A known answer must cite a source.").format(
            confidence=lay.word("confidence"), values=", ".join(CONFIDENCES)),
        "   " + _("true/false: pick TRUE or FALSE (or type true / false). Numbers: plain "
                  "numbers (85, 99.95), never '85%', '1 234,50' or 'N/A'."),
        "   " + _("Dates: type them as text YYYY, YYYY-MM or YYYY-MM-DD (the cells are text "
                  "formatted; Excel must not turn 2021-02 into a day)."),
        _("3. Sheet {prices}: one row per price item you quote ({columns}). Leave the price "
          "blank for items you do not quote.").format(
              prices=lay.sheet[PRICES], columns=", ".join(
                  lay.word(c) for c in ("price", "currency", "date", "source", "confidence"))),
        _("4. Sheet {sources}: every publication you cite, with its id, title, date (or the "
          "word undated) and address.").format(sources=lay.sheet[SOURCES]),
        _("Sheet and column names are in the template's language ({language}): the import "
          "reads them in that language, and reads the values (confidence, TRUE/FALSE, "
          "option ids, dates) as written in these instructions.").format(
              language=LANGUAGES[lay.lang]),
        _("Do not rename sheets or columns, add formulas, or hide rows or sheets: the import "
          "refuses them and says where. Import with: {command}").format(
            command="hostwise import FILE.xlsx -o offer.yaml"),
    ]
    if any(q.type == "grade" for q in cat.questions):
        lines.insert(3, "   " + _("Rows marked 'scored by the committee' (grade questions) "
                                  "have no cell to fill: the evaluators grade your offer on "
                                  "the grid shown, from your technical memo."))
    if cat.version >= 2:
        lines.insert(0, _("Tender: {title} (catalogue {id}).").format(title=cat.title,
                                                                      id=cat.id))
        lines[-1] += f" --catalogue {cat.id}"  # the import reads it against this catalogue
    for n, line in enumerate(lines):
        put_text(ws, 2 + n, 0, line, f)
    ws.set_column(0, 0, 120)
    ws.protect()


def _offer_sheet(ws: Worksheet, f: Formats, st: dict[str, Any], cols: Columns,
                 doc: dict[str, Any], era: str | None, lay: Layout) -> None:
    for c, h in enumerate(OFFER_HEAD):
        ws.write_string(0, c, lay.word(h), f["head"])
    helps = {"vendor.id": _("short id, letters/digits/-"),
             "vendor.group": _("parent group id (optional)"),
             "era": _("year of the tender, e.g. 2026"),
             "as_of": _("the date the answers hold (YYYY-MM-DD)"),
             "compiled_on": _("when this file was compiled (optional)"),
             "currencies": _("ISO 4217 codes, comma-separated (EUR, USD)"),
             "offer.product_line": _("product line the answers describe (optional)")}
    for n, key in enumerate(cols.identity):
        r = 1 + n
        ws.write_string(r, 0, lay.word(key), f["bold"])
        put_text(ws, r, 2, helps.get(key, ""), f, "note")
        v = _get_path(doc, key)
        if key == "era" and v is None and era:
            v = era
        if key == "currencies" and isinstance(v, list):
            v = ", ".join(str(x) for x in v)
        _put_input(ws, r, 1, v, st, text=True)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 40)
    ws.set_column(2, 2, 50)
    ws.freeze_panes(1, 1)
    ws.protect("", {"format_columns": True})


def _get_path(doc: Mapping[str, Any], key: str) -> Any:
    cur: Any = doc
    for part in key.split("."):
        if not isinstance(cur, Mapping):
            return None
        cur = cur.get(part)
    return cur


def _put_input(ws: Worksheet, r: int, c: int, v: Any, st: dict[str, Any], text: bool = False
               ) -> None:
    """An input cell (unlocked, yellow); a value from ``doc`` written with its type."""
    fmt = st["in_text"] if text else st["in"]
    if v is None:
        ws.write_blank(r, c, None, fmt)
    elif isinstance(v, bool):
        ws.write_boolean(r, c, v, fmt)
    elif isinstance(v, int | float):
        ws.write_number(r, c, v, fmt)
    elif isinstance(v, list):
        ws.write_string(r, c, ", ".join(str(x) for x in v), fmt)
    else:
        ws.write_string(r, c, str(v), fmt)


def _validate_answer(ws: Worksheet, r: int, c: int, q: Question) -> None:
    opts: dict[str, Any] | None = None
    if q.type == "bool":
        opts = {"validate": "list", "source": ["TRUE", "FALSE"]}
    elif q.type == "enum" and len(",".join(q.options or {})) < 250:
        opts = {"validate": "list", "source": list(q.options or {})}
    elif q.type == "level":
        opts = {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 4}
    elif q.type in ("number", "percent"):
        lo, hi = (0.0, 100.0) if q.type == "percent" else (q.min, q.max)
        if lo is not None and hi is not None:
            opts = {"validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi}
    if opts:
        opts.update({"error_title": _("Not an allowed answer"), "error_message":
                     allowed_text(q)[:225], "ignore_blank": True})
        ws.data_validation(r, c, r, c, opts)


def _shown_allowed(cat: Catalogue, q: Question) -> str:
    """What a cell accepts, with the grid's descriptors and the options' names in the run's
    language (the catalogue's sidecar, ``scoring.io.catalogue_text``); the values to type stay
    the catalogue's ids."""
    if q.type == "grade":
        return _("scored by the committee, not by the bidder:") + " " + "; ".join(
            f"{k}={label(cat, 'grid', q.id, k)}" for k in sorted(q.grid or {}))
    if q.type == "enum":
        names = {o: label(cat, "option", q.id, o) for o in q.options or {}}
        return " | ".join(o if names[o] == o else f"{o} ({names[o]})" for o in names)
    return allowed_text(q)


def _pillar_sheet(ws: Worksheet, f: Formats, st: dict[str, Any], cols: Columns,
                  qs: list[Question], answers: Mapping[str, Any], cat: Catalogue, lay: Layout
                  ) -> None:
    heads = QUESTION_INFO + cols.answer
    for c, h in enumerate(heads):
        ws.write_string(0, c, lay.word(h), f["head"])
    base = len(QUESTION_INFO)
    conf_c = base + cols.answer.index("confidence")
    for n, q in enumerate(qs):
        r = 1 + n
        for c, v in enumerate([q.id, q.criterion, label(cat, "question", q.id), q.requirement,
                               q.type + (" " + _("(required)") if q.required else ""),
                               _shown_allowed(cat, q)]):
            put_text(ws, r, c, v, f, "wrap" if c in (2, 3, 5) else "text")
        if q.type == "grade":  # no cell to fill: the committee grades it (docs/catalogue.md)
            continue
        a = answers.get(q.id)
        if a == "unknown":
            a = {"confidence": "unknown"}
        a = a if isinstance(a, Mapping) else {}
        for k, name in enumerate(cols.answer):
            key = "value" if name == "answer" else name
            val = a.get(key)
            text = key in DATE_FIELDS or key in ("source", "note", "version", "scope") or (
                key == "value" and q.type in ("date", "country", "text"))
            _put_input(ws, r, base + k, val, st, text=text)
        _validate_answer(ws, r, base, q)
        ws.data_validation(r, conf_c, r, conf_c, {"validate": "list",
                                                  "source": list(CONFIDENCES)})
    widths = [24, 14, 50, 30, 10, 24] + [16] * len(cols.answer)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    if "note" in cols.answer:
        ws.set_column(base + cols.answer.index("note"), base + cols.answer.index("note"), 40)
    ws.freeze_panes(1, 1)
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True})


def _price_sheet(ws: Worksheet, f: Formats, st: dict[str, Any], cols: Columns, cat: Catalogue,
                 prices: list[Any], lay: Layout) -> None:
    heads = [*cols.price, *PRICE_EXTRA]
    for c, h in enumerate(heads):
        ws.write_string(0, c, lay.word(h), f["head"])
    given = [p for p in prices if isinstance(p, Mapping)]
    items = [p.get("item") for p in given]
    rows: list[Mapping[str, Any]] = [*given, *({"item": i} for i in cat.price_items
                                             if i not in items)]
    for n, p in enumerate(rows):
        r = 1 + n
        for c, field in enumerate(cols.price):
            _put_input(ws, r, c, p.get(field), st,
                       text=field not in ("price",))
        item = cat.price_items.get(str(p.get("item")))
        if item is not None:
            put_text(ws, r, len(cols.price), item.unit, f)
            put_text(ws, r, len(cols.price) + 1, label(cat, "price_item", str(p.get("item"))),
                     f, "note")
    n_rows = len(rows)
    ci = cols.price.index("confidence") if "confidence" in cols.price else None
    if cat.price_items:  # a catalogue without the cost module asks for no price
        ws.data_validation(1, 0, n_rows, 0, {"validate": "list",
                                             "source": list(cat.price_items)})
    if ci is not None:
        ws.data_validation(1, ci, n_rows, ci, {"validate": "list", "source":
                                               [c for c in CONFIDENCES if c != "unknown"]})
    pc = cols.price.index("price")
    ws.data_validation(1, pc, n_rows, pc, {"validate": "decimal", "criteria": ">=",
                                           "value": 0})
    ws.set_column(0, len(heads) - 1, 16)
    ws.set_column(len(heads) - 1, len(heads) - 1, 50)
    ws.freeze_panes(1, 1)
    ws.protect("", {"format_columns": True})


def _source_sheet(ws: Worksheet, f: Formats, st: dict[str, Any], cols: Columns,
                  sources: Mapping[str, Any], lay: Layout) -> None:
    for c, h in enumerate(cols.source):
        ws.write_string(0, c, lay.word(h), f["head"])
    items = list(sources.items())
    for n in range(max(SOURCE_ROWS, len(items) + 20)):
        sid, s = items[n] if n < len(items) else (None, {})
        s = s if isinstance(s, Mapping) else {}
        _put_input(ws, 1 + n, 0, sid, st, text=True)
        for c, field in enumerate(cols.source[1:], start=1):
            _put_input(ws, 1 + n, c, s.get(field), st, text=True)
    ws.set_column(0, 0, 8)
    ws.set_column(1, len(cols.source) - 1, 40)
    ws.freeze_panes(1, 1)
    ws.protect("", {"format_columns": True})
