"""The buyer's criteria workbook ("grille d'analyse") read into a catalogue (docs/catalogue.md,
"The criteria workbook").

Why: buyers write their award criteria in a spreadsheet, one row per criterion. Reading that
sheet, rather than asking them to write YAML, keeps the tender's published grid and the
catalogue one document. The workbook is outside input: its size and zip structure are checked
before opening (``excel_guard``), only the cells the file holds are read, within stated bounds,
a formula cell is refused (its cached value may differ from what Excel shows), and every problem
is located ``Sheet!A1`` and reported at once. The document read is then validated as any
catalogue (``parse_catalogue``). The workbook may be in English or in French, whatever the run's
language (``criteria_layout``); its problems are said in the run's language.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import CatalogueError, Problem
from ..i18n import LANGUAGES, _
from .criteria_layout import (
    COLUMNS,
    GATE_COLUMNS,
    PRICE_COLUMNS,
    SETTING_KEYS,
    CriteriaLayout,
    criteria_layout,
    yes_no,
)
from .excel_guard import container_problems
from .text import TextRules, text_problems

CERT_KEYS = ("hds_v1_valid_until", "hds_source", "secnumcloud_validity_years",
             "secnumcloud_v32_published", "secnumcloud_source")
MAX_ROWS = 2_000
MAX_COLUMNS = 30
MAX_BYTES = 10 * 1024 * 1024
_CELL = TextRules()
_ITEM = re.compile(r"\s*(-?[0-9]+|[^=;]+?)\s*=\s*([^=;]*?)\s*(?:=\s*([^=;]*?)\s*)?$")


@dataclass
class CriteriaRead:
    """A criteria workbook read: the catalogue document, the weights written in the weight
    column (a scenario ``weights:`` block, plain data), and where each weight came from."""

    doc: dict[str, Any] = field(default_factory=dict)
    weights: dict[str, Any] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)  # weights path -> Sheet!A1
    problems: list[Problem] = field(default_factory=list)


def _ref(ws: Any, r: int, c: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{ws.title}!{get_column_letter(c)}{r}"


def _grid(ws: Any, name: str) -> tuple[dict[tuple[int, int], Any], list[Problem]]:
    """The cells the sheet holds (never a cell it does not), within the bounds; a formula or
    an error value is a problem."""
    out: dict[tuple[int, int], Any] = {}
    probs: list[Problem] = []
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        return out, [Problem(name, "", ws.title, _(
            "the sheet has cells beyond row {rows} or column {columns}: delete the cells "
            "outside the table").format(rows=f"{MAX_ROWS:,}", columns=MAX_COLUMNS))]
    for (r, c), cell in ws._cells.items():  # openpyxl's own map of the cells the file holds
        v = cell.value
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if cell.data_type in ("f", "e"):
            probs.append(Problem(name, "", _ref(ws, r, c), _(
                "a formula or an error value: type the value itself")))
            continue
        if isinstance(v, str):
            probs += [Problem(name, "", _ref(ws, r, c), m) for m in text_problems(v, _CELL)]
            v = v.strip()
        out[(r, c)] = v
    return out, probs


def _open(data: bytes, name: str) -> Any:
    if len(data) > MAX_BYTES:
        raise CatalogueError([Problem(name, "", "file", _(
            "the file is larger than {most} bytes").format(most=f"{MAX_BYTES:,}"))])
    problems = container_problems(data)
    if problems:
        raise CatalogueError([Problem(name, "", "file", m) for m in problems])
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), data_only=False, keep_vba=False,
                                      keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds on a malformed package
        raise CatalogueError([Problem(name, "", "file", _(
            "the workbook could not be read ({error}): save it again as .xlsx").format(
                error=type(exc).__name__))]) from None


def parse_pairs(text: str, numeric_keys: bool) -> tuple[dict[Any, Any], str | None]:
    """``0=absent; 1=partial=40`` (a grid) or ``none=0; standard=`` (options) into a mapping;
    the third part of a grid item is the level's utility."""
    out: dict[Any, Any] = {}
    for part in (p for p in text.split(";") if p.strip()):
        m = _ITEM.fullmatch(part)
        if m is None:
            return {}, _("{part!r}: write key=value items separated by ';'").format(
                part=part.strip())
        k, v, u = m.groups()
        if (int(k) if numeric_keys and re.fullmatch(r"-?[0-9]+", k) else k) in out:
            return {}, _("{key!r} is given twice").format(key=k)
        if numeric_keys:
            if not re.fullmatch(r"-?[0-9]+", k):
                return {}, _("grid level {key!r} is not an integer").format(key=k)
            key: Any = int(k)
            if u is not None:
                try:
                    out[key] = {"descriptor": v, "utility": _num(u)}
                except ValueError:
                    return {}, _("utility {value!r} of level {key} is not a number").format(
                        value=u, key=k)
            else:
                out[key] = v
        else:
            try:
                key, val = k, (None if v == "" else _num(v))
            except ValueError:
                return {}, _("option {key!r}: utility {value!r} is not a number (leave it "
                             "empty for none)").format(key=k, value=v)
            out[key] = val
    return out, None


def _num(text: str) -> float | int:
    f = float(text)
    return int(f) if f.is_integer() and "." not in text else f


def _header(cells: dict[tuple[int, int], Any], ws: Any, want: tuple[str, ...], name: str,
            lay: CriteriaLayout) -> tuple[dict[str, int], list[Problem]]:
    """Field -> column of the header row, each header read in either language; the first
    column named in ``want`` is required, an unknown or repeated header is a problem."""
    head: dict[str, int] = {}
    probs: list[Problem] = []
    for (r, c), v in sorted(cells.items()):
        if r != 1:
            continue
        f = lay.field_of(str(v), want)
        if f not in want:
            probs.append(Problem(name, "", _ref(ws, r, c), _(
                "unknown column {name!r} (known: {names})").format(
                    name=str(v), names=", ".join(lay.word(w) for w in want))))
        elif f in head:
            probs.append(Problem(name, "", _ref(ws, r, c), _(
                "the column {name!r} appears twice").format(name=str(v))))
        else:
            head[f] = c
    probs += [Problem(name, "", f"{ws.title}!1", _("missing column {name!r}").format(
        name=lay.word(h))) for h in want[:1] if h not in head]
    return head, probs


def _rows(cells: dict[tuple[int, int], Any]) -> list[int]:
    return sorted({r for r, _c in cells if r > 1})


def _boolean(v: Any) -> bool | None:
    """yes/no, true/false in any language (``oui``/``non``), or a spreadsheet boolean."""
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        return yes_no().get(v.strip().lower())
    return None


def _question(rd: CriteriaRead, ws: Any, r: int, row: dict[str, Any], col: dict[str, int],
              name: str, lay: CriteriaLayout) -> dict[str, Any]:
    q: dict[str, Any] = {"id": str(row["question id"]), "pillar": str(row["pillar"]),
                         "criterion": str(row.get("criterion", "")),
                         "type": str(row.get("type", "")), "help": str(row.get("question text",
                                                                                 "")),
                         "requirement": str(row.get("requirement", ""))}
    for key, f in (("unit", "unit"), ("applies source", "applies_source")):
        if key in row:
            q[f] = str(row[key])
    for key, f in (("min", "min"), ("max", "max")):
        if key in row:
            q[f] = row[key]
    if "scale worst" in row or "scale best" in row:
        q["scale"] = {"worst": row.get("scale worst"), "best": row.get("scale best")}
    for key in ("required", "dated"):
        if key in row:
            b = _boolean(row[key])
            if b is None:
                rd.problems.append(Problem(name, "", _ref(ws, r, col[key]), _(
                    "{yes} or {no}").format(yes=lay.yes, no=lay.no)))
            q[key] = b
    if "details" in row:
        q["details"] = [d.strip() for d in str(row["details"]).split(",") if d.strip()]
    for key, f in (("applies from", "applies_from"), ("applies until", "applies_until")):
        if key in row:
            v = row[key]
            q[f] = v.date() if isinstance(v, dt.datetime) else v
    for key, numeric, f in (("grid", True, "grid"), ("options", False, "options")):
        if key in row:
            parsed, why = parse_pairs(str(row[key]), numeric)
            if why:
                rd.problems.append(Problem(name, "", _ref(ws, r, col[key]), why))
            q[f] = parsed
    return q


def _criteria_sheet(rd: CriteriaRead, ws: Any, modules: list[str], name: str,
                    lay: CriteriaLayout) -> None:
    cells, probs = _grid(ws, name)
    rd.problems += probs
    col, probs = _header(cells, ws, COLUMNS, name, lay)
    rd.problems += probs
    pillars: dict[str, dict[str, Any]] = {}
    questions: list[dict[str, Any]] = []
    for r in _rows(cells):
        row = {h: cells[(r, c)] for h, c in col.items() if (r, c) in cells}
        p, c, qid = row.get("pillar"), row.get("criterion"), row.get("question id")
        if p is None:
            rd.problems.append(Problem(name, "", _ref(ws, r, col.get("pillar", 1)),
                                       _("every row names its pillar")))
            continue
        p = str(p)
        w = row.get("weight")
        wloc = _ref(ws, r, col["weight"]) if "weight" in col else ""
        if w is not None and (isinstance(w, bool) or not isinstance(w, int | float)):
            rd.problems.append(Problem(name, "", wloc, _("weight {value!r}: a number").format(
                value=w)))
            w = None
        if c is None and qid is None:  # a pillar row
            if p in pillars:
                rd.problems.append(Problem(name, "", _ref(ws, r, col["pillar"]),
                                           _("pillar {id} is declared twice").format(id=p)))
            kind = row.get("type")
            if kind not in (None, "module") or (kind == "module") != (p in modules):
                rd.problems.append(Problem(name, "", _ref(ws, r, col.get("type", 1)), _(
                    "type {kind!r}: 'module' exactly for the module pillars listed on the "
                    "{sheet} sheet").format(kind=kind, sheet=lay.sheet["settings"])))
            pillars[p] = {"label": str(row.get("question text", p))}
            if p not in modules:
                pillars[p]["criteria"] = {}
            if w is not None:
                rd.weights[p] = {"weight": w}
                rd.where[f"weights.{p}"] = wloc
            continue
        if p not in pillars:
            rd.problems.append(Problem(name, "", _ref(ws, r, col["pillar"]), _(
                "pillar {id} is used before its pillar row").format(id=p)))
            continue
        if qid is None:  # a criterion row
            crit = pillars[p].setdefault("criteria", {})
            crit[str(c)] = str(row.get("question text", c))
            if w is not None:
                pw = rd.weights.setdefault(p, {})
                pw.setdefault("criteria", {})[str(c)] = {"weight": w}
                rd.where[f"weights.{p}.criteria.{c}"] = wloc
            continue
        questions.append(_question(rd, ws, r, row, col, name, lay))
        if w is not None:
            cw = rd.weights.setdefault(p, {}).setdefault("criteria", {}).setdefault(str(c), {})
            cw.setdefault("questions", {})[str(qid)] = w
            rd.where[f"weights.{p}.criteria.{c}.questions.{qid}"] = wloc
    rd.doc["pillars"] = pillars
    rd.doc["questions"] = questions
    _weights_complete(rd, name, ws.title)


def _weights_complete(rd: CriteriaRead, name: str, sheet: str) -> None:
    """A weight column filled level by level: a weighted criterion's pillar has a weight, a
    weighted question's criterion has one (a half-filled level would be read as zeros)."""
    for p, pw in rd.weights.items():
        if "weight" not in pw:
            rd.problems.append(Problem(name, "", f"{sheet}.{p}", _(
                "criteria of this pillar are weighted but the pillar row has no weight")))
        for c, cw in (pw.get("criteria") or {}).items():
            if "weight" not in cw:
                rd.problems.append(Problem(name, "", f"{sheet}.{p}.{c}", _(
                    "questions of this criterion are weighted but its row has no weight")))

def _key_values(rd: CriteriaRead, ws: Any, name: str, lay: CriteriaLayout | None = None
                ) -> dict[str, Any]:
    """Column A's keys (read back through ``lay``'s words when given) -> column B's values."""
    cells, probs = _grid(ws, name)
    rd.problems += probs
    out: dict[str, Any] = {}
    for (r, c), v in sorted(cells.items()):
        if c == 1 and r > 1:
            val = cells.get((r, 2))
            key = lay.field_of(str(v), SETTING_KEYS) if lay is not None else str(v)
            out[key] = val.date() if isinstance(val, dt.datetime) else val
    return out


def _table(rd: CriteriaRead, ws: Any, want: tuple[str, ...], name: str, lay: CriteriaLayout
           ) -> list[dict[str, Any]]:
    cells, probs = _grid(ws, name)
    rd.problems += probs
    col, probs = _header(cells, ws, want, name, lay)
    rd.problems += probs
    out = []
    for r in _rows(cells):
        row = {h: cells[(r, c)] for h, c in col.items() if (r, c) in cells}
        out.append({k: (v.date() if isinstance(v, dt.datetime) else v) for k, v in row.items()})
    return out


def _workbook_layout(wb: Any, name: str) -> CriteriaLayout:
    """The language whose criteria and settings sheets the workbook has; none is refused,
    naming the sheets of each language."""
    for code in LANGUAGES:
        lay = criteria_layout(code)
        if lay.sheet["criteria"] in wb.sheetnames and lay.sheet["settings"] in wb.sheetnames:
            return lay
    expected = " | ".join(
        _("{criteria} and {settings}").format(criteria=lay.sheet["criteria"],
                                              settings=lay.sheet["settings"])
        for lay in (criteria_layout(code) for code in LANGUAGES))
    raise CatalogueError([Problem(name, "", "file", _(
        "a criteria workbook has the sheets {expected} (write one with `hostwise catalogue "
        "workbook`); this one has {found}").format(expected=expected,
                                                   found=", ".join(wb.sheetnames)))])


def read_criteria_workbook(data: bytes, name: str) -> CriteriaRead:
    """The workbook as a catalogue document and a weights block; raises ``CatalogueError``
    with every located problem of the workbook's shape (the catalogue's own rules are checked
    by ``parse_catalogue`` on the document)."""
    wb = _open(data, name)
    rd = CriteriaRead()
    lay = _workbook_layout(wb, name)
    sheets = lay.sheet
    settings = _key_values(rd, wb[sheets["settings"]], name, lay)
    modules = [m.strip() for m in str(settings.get("modules") or "").split(",") if m.strip()]
    rd.doc = {"version": settings.get("version", 2), "id": str(settings.get("id", "")),
              "title": str(settings.get("title", "")), "modules": modules}
    if settings.get("lang") not in (None, ""):  # a copy written in another language
        rd.doc = {**rd.doc, "lang": str(settings["lang"]).strip()}
    _criteria_sheet(rd, wb[sheets["criteria"]], modules, name, lay)
    if sheets["price_items"] in wb.sheetnames:
        items = _table(rd, wb[sheets["price_items"]], PRICE_COLUMNS, name, lay)
        rd.doc["price_items"] = {str(i.get("item")): {"unit": str(i.get("unit", "")),
                                                      "help": str(i.get("help", ""))}
                                 for i in items}
    if sheets["certifications"] in wb.sheetnames:
        rd.doc["certifications"] = _key_values(rd, wb[sheets["certifications"]], name)
    if sheets["gates"] in wb.sheetnames:
        gates = _table(rd, wb[sheets["gates"]], GATE_COLUMNS, name, lay)
        for g in gates:
            if isinstance(g.get("allowed"), str):
                from .yamlsafe import YamlReadError, load_yaml

                try:
                    g["allowed"] = load_yaml(g["allowed"].encode())
                except YamlReadError:
                    rd.problems.append(Problem(name, "", f"{sheets['gates']}.{g.get('id')}."
                                               "allowed", _("a YAML list such as [true]")))
        rd.doc["gates"] = gates
    if rd.problems:
        raise CatalogueError(rd.problems)
    return rd
