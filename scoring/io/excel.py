"""The questionnaire as a workbook (issue 12): the template out, a filled template in.

Why the import goes through YAML: the workbook is read into the very document a YAML
questionnaire is (same keys, same shapes), written as YAML and handed to
``questionnaire.parse_questionnaire``. The validation is therefore the YAML one (same models,
same messages, all problems at once) and follows every change of the format; this module only
adds what a spreadsheet can get wrong (bad-inputs.md §18-26: the container, formulas, error
values, serial dates, hidden or merged cells, a renamed column) and places each problem at its
cell, ``Sheet!Cell (field)``. Nothing is half-imported: any problem rejects the whole file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem, QuestionnaireError
from ..i18n import _
from ..models import Catalogue, Offer
from .excel_guard import container_problems
from .excel_layout import (
    DATE_FIELDS,
    META,
    OFFER,
    PRICE_EXTRA,
    PRICES,
    QUESTION_INFO,
    SOURCES,
    Layout,
    columns,
    pillar_sheets,
)
from .excel_meta import missing_sheets, template_layout
from .identity import ID_FIELDS, NAME_FIELDS, identity_problem
from .text import TextRules, text_problems

__all__ = ["parse_workbook", "read_workbook", "workbook_to_yaml"]

_PRICE_PATH = re.compile(r"prices\[(\d+)\](?:\.(\w+))?")
# Bounds of every sheet, checked on the cells that exist before any is read: the reader walks
# rows and columns, and one value at Prices!I1048576 would otherwise make it visit a million
# rows (minutes, gigabytes). The template's largest sheet (Sources) has about 200 rows.
MAX_ROWS = 2_000
MAX_COLUMNS = 50
# Identity fields as written in the cell: their canonical (NFKC) form only, so that a
# full-width ``ｓｃａｌｅｗａｙ`` is not quietly folded into an existing id, and ids from a
# small character class (they name files and folders: ``../../etc/passwd`` is no offer id).
_IDENTITY = ID_FIELDS
_NAMES = NAME_FIELDS
_CELL_TEXT = TextRules()  # any text cell: no control (U+0085 NEL included) or bidi character
# LibreOffice writes a TRUE or FALSE cell as the constant formula ``=TRUE()``/``=FALSE()``
# when it saves an .xlsx (found re-saving a template with LibreOffice 7): a constant, not a
# computation whose cached value could differ from what is shown, so it is read as the boolean.
_CONSTANTS = {"=TRUE()": True, "=FALSE()": False}
_TEXTUAL = {"source", "note", "version", "scope", "other_product", "currency", "item",
            "confidence", "title", "url", "id"}


@dataclass
class Read:
    """A workbook read into a questionnaire document, with where each piece came from."""

    doc: dict[str, Any] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # field path -> "Sheet!A1"
    problems: list[tuple[str, str]] = field(default_factory=list)  # (Sheet!A1, message)
    flagged: set[str] = field(default_factory=set)

    def bad(self, loc: str, msg: str) -> None:
        self.problems.append((loc, msg))
        self.flagged.add(loc.split(" ")[0])


def _ref(ws: Any, r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{ws.title}!{get_column_letter(c)}{r}"


def _open(data: bytes, name: str) -> Any:
    problems = container_problems(data)
    if problems:
        raise QuestionnaireError([Problem(name, "", "file", m) for m in problems])
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_vba=False,
                                      keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        raise QuestionnaireError([Problem(name, "", "file", _(
            "the workbook could not be read ({error}): save it again from Excel as .xlsx"
        ).format(error=type(exc).__name__))]) from None


def _cell(rd: Read, ws: Any, r: int, c: int, kind: str) -> Any:
    """One cell's value for a field of ``kind`` (``text``, ``date``, ``number``, ``list``, or
    ``q:<type>`` for an answer), None when blank or refused (the refusal is recorded)."""
    cl = ws.cell(row=r, column=c)
    v = cl.value
    loc = _ref(ws, r, c)
    if v is None:
        return None
    if cl.data_type == "f" and isinstance(v, str) and v.replace(" ", "").upper() in _CONSTANTS:
        v = _CONSTANTS[v.replace(" ", "").upper()]  # LibreOffice saves a boolean so
    elif cl.data_type == "f":
        rd.bad(loc, _("the cell holds a formula: type the value itself (copy, then paste as "
                      "values)"))
        return None
    if cl.data_type == "e":
        rd.bad(loc, _("the cell holds the error value {value}: type the value itself").format(
            value=v))
        return None
    if isinstance(v, str) and not v.strip():
        return None
    if isinstance(v, str):
        problems = text_problems(v, _CELL_TEXT)
        if problems:  # said here, at the cell: the YAML written would carry it further
            rd.bad(loc, "; ".join(problems))
            return None
    if ws.row_dimensions[r].hidden:
        rd.bad(loc, _("the row is hidden but holds data: unhide it so that every answer is "
                      "seen"))
        return None
    qtype = kind[2:] if kind.startswith("q:") else None
    if kind == "date" or qtype == "date":
        return _date(rd, loc, cl, v)
    if isinstance(v, dt.datetime | dt.time):
        rd.bad(loc, _("the cell holds a date or time but this field is not a date: type it as "
                      "text"))
        return None
    if qtype == "bool" and isinstance(v, str) and v.strip().lower() in ("true", "false"):
        return v.strip().lower() == "true"
    if qtype == "level" and isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, int | float) and not isinstance(v, bool) and (
            kind in ("text", "list") or qtype in ("text", "country", "enum")):
        return str(int(v)) if float(v).is_integer() else str(v)
    if kind == "list" and isinstance(v, str):
        return [x.strip() for x in v.split(",") if x.strip()]
    return v


def _date(rd: Read, loc: str, cl: Any, v: Any) -> Any:
    if isinstance(v, dt.datetime | dt.date):
        fmt = str(cl.number_format or "").lower()
        if isinstance(v, dt.datetime) and v.time() != dt.time(0):
            rd.bad(loc, _("the date carries a time of day: type the date as text YYYY-MM-DD"))
            return None
        if "d" not in fmt.replace("[red]", ""):
            rd.bad(loc, _("the cell holds a full date shown as {format}: Excel turned a month "
                          "or a year into a day; type it as text (YYYY-MM or YYYY)").format(
                format=repr(cl.number_format)))
            return None
        d = v.date() if isinstance(v, dt.datetime) else v
        return d.isoformat()
    if isinstance(v, int) and not isinstance(v, bool) and 1000 <= v <= 9999:
        return str(v)  # a year typed as a number
    if isinstance(v, int | float) and not isinstance(v, bool):
        rd.bad(loc, _("the date is a spreadsheet serial number ({number}): format the cell as "
                      "a date, or type the date as text YYYY-MM-DD").format(number=f"{v:g}"))
        return None
    return v


def _headers(rd: Read, ws: Any, expected: list[str], lay: Layout,
             extra: tuple[str, ...] = ()) -> dict[str, int]:
    """Field -> column (1-based), each header read in the template's language (``lay``);
    missing, duplicate and unknown headers are problems, named as the bidder sees them.
    Reordered columns are read by name."""
    seen: dict[str, int] = {}
    for c in range(1, ws.max_column + 1):
        h = ws.cell(row=1, column=c).value
        if h is None or (isinstance(h, str) and not h.strip()):
            continue
        h = str(h).strip()
        f = lay.field_of(h) or f"?{h}"  # an unknown header matches no field
        loc = _ref(ws, 1, c)
        if f in seen:
            rd.bad(loc, _("the column {name!r} appears twice (also column {other}): keep "
                          "one").format(name=h, other=seen[f]))
        elif f not in expected and f not in extra:
            rd.bad(loc, _("unknown column {name!r} (expected: {names})").format(
                name=h, names=", ".join(lay.word(e) for e in expected)))
        else:
            seen[f] = c
    for e in expected:
        if e not in seen:
            rd.bad(f"{ws.title}!1", _("the column {name!r} is missing: use the template "
                                      "unchanged").format(name=lay.word(e)))
    return seen


def read_workbook(data: bytes, name: str, cat: Catalogue | None = None) -> Read:
    """The workbook as a questionnaire document (no validation of the values yet), read in
    the layout of the template's language."""
    from .catalogue import load_catalogue

    cat = cat or load_catalogue()
    wb = _open(data, name)
    rd = Read()
    cols = columns()
    if META not in wb.sheetnames:
        rd.bad("file", _("this is not a Hostwise questionnaire template (no version sheet): "
                         "start from `hostwise template`"))
        return rd
    meta = wb[META]
    lay = template_layout(meta, cat, rd.bad)
    for ws in wb.worksheets:
        if ws.title != META and ws.sheet_state != "visible":
            rd.bad(f"{ws.title}!A1", _("the sheet is hidden: unhide it (answers must be "
                                       "visible) or delete it"))
    missing_sheets(wb.sheetnames, lay, cat, rd.bad)
    for ws in wb.worksheets:
        _bounds(rd, ws)
    if rd.problems:
        return rd
    for ws in wb.worksheets:
        for mr in ws.merged_cells.ranges:
            rd.bad(f"{ws.title}!{mr.coord}", _("merged cells: unmerge them (one value per "
                                               "cell)"))
    rd.doc = {"schema": 1}
    _read_offer(rd, wb[lay.sheet[OFFER]], cols.identity, lay)
    rd.doc["sources"] = _read_sources(rd, wb[lay.sheet[SOURCES]], cols.source, lay)
    rd.doc["answers"] = {}
    qtype = {q.id: q.type for q in cat.questions}
    for p in pillar_sheets(cat):
        _read_answers(rd, wb[lay.pillars[p]], cols.answer, qtype, lay)
    rd.doc["prices"] = _read_prices(rd, wb[lay.sheet[PRICES]], cols.price, lay)
    _check_era(rd, meta, lay)
    return rd


def _bounds(rd: Read, ws: Any) -> None:
    """Refuse a sheet whose cells reach beyond the bounds (before any cell is read: the
    dimensions come from the cells the file holds)."""
    from openpyxl.utils import get_column_letter

    if ws.max_row > MAX_ROWS:
        rd.bad(f"{ws.title}!A{ws.max_row}", _(
            "the sheet {sheet} has cells down to row {row}; the limit is {most} rows: delete "
            "the cells below the table").format(sheet=ws.title, row=f"{ws.max_row:,}",
                                                most=f"{MAX_ROWS:,}"))
    if ws.max_column > MAX_COLUMNS:
        rd.bad(f"{ws.title}!{get_column_letter(ws.max_column)}1", _(
            "the sheet {sheet} has cells up to column {letter} ({column}); the limit is "
            "{most} columns: delete the cells right of the table").format(
                sheet=ws.title, letter=get_column_letter(ws.max_column),
                column=f"{ws.max_column:,}", most=MAX_COLUMNS))


def _check_era(rd: Read, meta: Any, lay: Layout) -> None:
    """A template made for one era (``hostwise template --era 2026``, noted in the Meta sheet)
    answers for that era: an era cell saying another year would file the answers under the
    wrong tender round."""
    made_for = meta["B3"].value if meta["A3"].value == "era" else None
    era = rd.doc.get("era")
    if made_for and era is not None and str(era).strip() != str(made_for).strip():
        rd.bad(rd.where.get("era", f"{lay.sheet[OFFER]}!B1"), _(
            "this template was made for era {made_for} but the era cell says {era}: answer "
            "the {era} questionnaire in a `hostwise template --era {era}`, or write "
            "{made_for}").format(made_for=made_for, era=era))


def _read_offer(rd: Read, ws: Any, keys: list[str], lay: Layout) -> None:
    rows: dict[str, int] = {}
    shown: dict[str, str] = {}
    for r in range(2, ws.max_row + 1):
        k = ws.cell(row=r, column=1).value
        if isinstance(k, str) and k.strip():
            f = lay.field_of(k.strip()) or f"?{k.strip()}"
            if f in rows:
                rd.bad(_ref(ws, r, 1), _("the field {name!r} appears twice").format(
                    name=k.strip()))
            rows[f] = r
            shown[f] = k.strip()
    for key in keys:
        found = rows.get(key)
        if found is None:
            rd.bad(f"{ws.title}!A1", _("the row {name!r} is missing: use the template "
                                       "unchanged").format(name=lay.word(key)))
            continue
        kind = "date" if key in DATE_FIELDS else "list" if key == "currencies" else "text"
        v = _cell(rd, ws, found, 2, kind)
        rd.where[key] = _ref(ws, found, 2)
        if isinstance(v, str) and (key in _IDENTITY or key in _NAMES) and not _identity_ok(
                rd, _ref(ws, found, 2), key, v):
            continue
        if "." in key:
            rd.where.setdefault(key.split(".")[0], _ref(ws, found, 2))
        if key == "currencies":
            rd.doc[key] = v or []
            continue
        if v is None:
            continue
        if "." in key:
            block, sub = key.split(".", 1)
            rd.doc.setdefault(block, {})[sub] = v
        else:
            rd.doc[key] = v
    for k in rows:
        if k not in keys:
            rd.bad(_ref(ws, rows[k], 1), _("unknown field {name!r}").format(name=shown[k]))


def _identity_ok(rd: Read, loc: str, key: str, v: str) -> bool:
    """An id or a name exactly as it will be stored (no folding behind the bidder's back): the
    rule shared with the YAML path (``identity.identity_problem``)."""
    problem = identity_problem(key, v)
    if problem is not None:
        rd.bad(loc, problem)
        return False
    return True


def _read_sources(rd: Read, ws: Any, heads: list[str], lay: Layout) -> dict[str, Any]:
    pos = _headers(rd, ws, heads, lay)
    out: dict[str, Any] = {}
    if "id" not in pos:
        return out
    for r in range(2, ws.max_row + 1):
        vals = {h: _cell(rd, ws, r, c, "date" if h == "date" else "text")
                for h, c in pos.items()}
        sid = vals.pop("id")
        if sid is None:
            if any(v is not None for v in vals.values()):
                rd.bad(_ref(ws, r, pos["id"]), _("a source without an id: give it one (S1, "
                                                 "S2...)"))
            continue
        if sid in out:
            rd.bad(_ref(ws, r, pos["id"]), _("source id {id!r} is defined twice").format(
                id=sid))
            continue
        out[sid] = {k: v for k, v in vals.items() if v is not None}
        rd.where[f"sources.{sid}"] = _ref(ws, r, pos["id"])
        for h, c in pos.items():
            rd.where[f"sources.{sid}.{h}"] = _ref(ws, r, c)
    return out


def _read_answers(rd: Read, ws: Any, heads: list[str], qtype: Mapping[str, str], lay: Layout
                  ) -> None:
    pos = _headers(rd, ws, QUESTION_INFO + heads, lay)
    if "id" not in pos:
        return
    answers = rd.doc["answers"]
    for r in range(2, ws.max_row + 1):
        qid = ws.cell(row=r, column=pos["id"]).value
        if qid is None:
            continue
        qid = str(qid).strip()
        t = qtype.get(qid, "text")
        a: dict[str, Any] = {}
        for h in heads:
            if h not in pos:
                continue
            key = "value" if h == "answer" else h
            kind = f"q:{t}" if key == "value" else "date" if key in DATE_FIELDS else "text"
            v = _cell(rd, ws, r, pos[h], kind)
            rd.where[f"{qid}.{key}"] = _ref(ws, r, pos[h])
            if v is not None:
                a[key] = _split_sources(v) if key == "source" else v
        rd.where[qid] = _ref(ws, r, pos.get("answer", pos["id"]))
        if qid in answers:
            rd.bad(_ref(ws, r, pos["id"]), _("question {id} appears twice").format(id=qid))
            continue
        if not a:
            continue
        answers[qid] = "unknown" if a == {"confidence": "unknown"} else a


def _split_sources(v: Any) -> Any:
    if isinstance(v, str) and "," in v:
        return [s.strip() for s in v.split(",") if s.strip()]
    return v


def _read_prices(rd: Read, ws: Any, heads: list[str], lay: Layout) -> list[dict[str, Any]]:
    pos = _headers(rd, ws, heads, lay, tuple(PRICE_EXTRA))
    out: list[dict[str, Any]] = []
    for r in range(2, ws.max_row + 1):
        p: dict[str, Any] = {}
        for h, c in pos.items():
            if h in PRICE_EXTRA:
                continue
            kind = "date" if h in DATE_FIELDS else "number" if h == "price" else "text"
            v = _cell(rd, ws, r, c, kind)
            if v is not None:
                p[h] = _split_sources(v) if h == "source" else v
        if set(p) - {"item"}:
            n = len(out)
            for h, c in pos.items():
                rd.where[f"prices[{n}].{h}"] = _ref(ws, r, c)
            rd.where[f"prices[{n}]"] = _ref(ws, r, pos.get("item", 1))
            out.append(p)
    return out


def _locate(rd: Read, path: str, message: str) -> str:
    """Sheet!Cell of a validator problem (field path or question id, refined by the field the
    message names)."""
    if path in rd.where:
        if path in rd.doc.get("answers", {}):
            for k in ("confidence", "source", "since", "until", "version", "scope", "note",
                      "other_product"):
                if message.startswith((k, f"detail {k!r}", f"unknown field {k!r}")) or (
                        k == "source" and "source" in message and "cite" in message):
                    return rd.where.get(f"{path}.{k}", rd.where[path])
        return rd.where[path]
    base = path.split(" ")[0]
    for cand in (base, base.rsplit(".", 1)[0]):
        if cand in rd.where:
            return rd.where[cand]
    return "file"


def _to_problems(rd: Read, name: str, vendor: str) -> list[Problem]:
    return [Problem(name, vendor, loc, msg) for loc, msg in rd.problems]


def parse_workbook(data: bytes, name: str, cat: Catalogue | None = None) -> Offer:
    """A filled template -> a validated ``Offer``, or ``QuestionnaireError`` with every problem
    located as ``Sheet!Cell (field)``. ``sha256`` is the workbook's own (the audit trail keeps
    the uploaded bytes' hash)."""
    from .questionnaire import parse_questionnaire

    rd = read_workbook(data, name, cat)
    vendor = str((rd.doc.get("vendor") or {}).get("id") or "")
    if not rd.doc:  # the structure is wrong: nothing more can be read
        raise QuestionnaireError(_to_problems(rd, name, vendor))
    text = workbook_to_yaml(rd.doc)
    problems = _to_problems(rd, name, vendor)
    try:
        offer = parse_questionnaire(text.encode(), name, cat)
    except QuestionnaireError as exc:
        for p in exc.problems:
            loc = _locate(rd, p.question, p.message)
            if loc in rd.flagged:
                continue  # already said at this cell (a formula, an error value...)
            where = p.question if loc in (p.question, "file") else f"{loc} ({p.question})"
            problems.append(Problem(name, p.vendor or vendor, where, p.message))
        raise QuestionnaireError(problems) from None
    if problems:
        raise QuestionnaireError(problems)
    return offer.model_copy(update={"file": name,
                                    "sha256": hashlib.sha256(data).hexdigest()})


def workbook_to_yaml(offer: Offer | dict[str, Any]) -> str:
    """The YAML questionnaire of a document read from a workbook (or of an ``Offer``: its
    fields, dates as written)."""
    import yaml

    doc = offer if isinstance(offer, dict) else offer_doc(offer)
    head = "# Imported from an Excel questionnaire by `hostwise import`\n"
    return head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def offer_doc(o: Offer) -> dict[str, Any]:
    """An ``Offer`` back as a questionnaire document (the YAML the loader reads)."""
    def txt(m: Any, f: str) -> Any:
        t = getattr(m, f"{f}_text", None)
        d = getattr(m, f, None)
        return t if t else (d.isoformat() if isinstance(d, dt.date) else d)

    def clean(d: dict[str, Any], drop: Callable[[Any], bool] = lambda v: v is None
              ) -> dict[str, Any]:
        return {k: v for k, v in d.items() if not drop(v)}

    offer = {"id": o.offer_id, "name": o.offer_name}
    pl = getattr(o, "product_line", None)
    if pl and pl != o.offer_name:
        offer["product_line"] = pl
    doc: dict[str, Any] = {
        "schema": 1, "vendor": {"id": o.vendor_id, "name": o.vendor_name, "group": o.group},
        "offer": offer, "era": o.era, "as_of": txt(o, "as_of"),
        "compiled_on": txt(o, "compiled_on"), "currencies": list(o.currencies),
        "sources": {sid: clean({"title": s.title, "url": s.url,
                                "date": txt(s, "date") or "undated", "note": s.note})
                    for sid, s in o.sources.items()},
        "answers": {},
        "prices": [clean({"item": p.item, "price": p.price, "currency": p.currency,
                          "date": txt(p, "date"), "source": list(p.sources),
                          "confidence": p.confidence, "note": p.note,
                          "other_product": getattr(p, "other_product", None)})
                   for p in o.prices],
    }
    for qid, a in o.answers.items():
        if a.confidence == "unknown" and a.note is None:
            doc["answers"][qid] = "unknown"
            continue
        v = a.value.isoformat() if isinstance(a.value, dt.date) else a.value
        doc["answers"][qid] = clean({
            "value": v, "confidence": a.confidence,
            "source": list(a.sources) or None, "since": txt(a, "since"),
            "until": txt(a, "until"), "version": a.version, "scope": a.scope, "note": a.note,
            "other_product": getattr(a, "other_product", None)})
    return clean(doc)
