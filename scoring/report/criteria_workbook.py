"""A catalogue written as the buyer's criteria workbook ("grille d'analyse"), and the weight
column checked against a scenario (docs/catalogue.md, "The criteria workbook").

The layout is the reader's (``scoring.io.criteria_workbook``): one row per pillar, criterion
and question, in tree order, so that catalogue -> workbook -> catalogue gives the same
catalogue. Every text cell goes through ``put_text`` (a value that Excel would read as a
formula is written with a quote prefix: OWASP CSV injection). Sheet names, headers, keys and
yes/no are written in the run's language (``scoring.io.criteria_layout``, issue 19); the reader
reads either language.
"""

from __future__ import annotations

import io
import math
from typing import Any

import xlsxwriter

from ..errors import CatalogueError, Problem
from ..i18n import _, language
from ..io.criteria_layout import (
    COLUMNS,
    GATE_COLUMNS,
    KEY_COLUMNS,
    PRICE_COLUMNS,
    SETTING_KEYS,
    CriteriaLayout,
    criteria_layout,
)
from ..io.criteria_workbook import CERT_KEYS
from ..models import MODULES, Catalogue, Question
from ..scenario.model import CriterionWeight, PillarWeight
from .excel_cells import WORKBOOK_OPTIONS, Formats, header, put_text, put_value


def _pairs(items: dict[Any, Any], where: str) -> str:
    for k, v in items.items():
        if any(ch in f"{k}{v}" for ch in ";="):
            raise CatalogueError([Problem(where, "", str(k), _(
                "a ';' or '=' in a grid or option cannot be written to the workbook's one-cell "
                "form"))])
    return "; ".join(f"{k}={'' if v is None else _num(v)}" for k, v in items.items())


def _num(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _grid_text(q: Question) -> str:
    """``0=absent; 1=partial`` or, with the grid's own utilities, ``0=absent=0; 1=partial=40``."""
    grid = q.grid or {}
    text = _pairs({k: g.descriptor for k, g in grid.items()}, q.id)
    if all(g.utility is None for g in grid.values()):
        return text
    return "; ".join(f"{k}={g.descriptor}={_num(g.utility)}" for k, g in grid.items())


def _question_row(q: Question, lay: CriteriaLayout) -> dict[str, Any]:
    row: dict[str, Any] = {"pillar": q.pillar, "criterion": q.criterion, "question id": q.id,
                           "question text": q.help, "type": q.type,
                           "requirement": q.requirement, "unit": q.unit, "min": q.min,
                           "max": q.max, "applies from": q.applies_from,
                           "applies until": q.applies_until, "applies source": q.applies_source}
    if q.grid:
        row["grid"] = _grid_text(q)
    if q.options:
        row["options"] = _pairs(dict(q.options), q.id)
    if q.scale is not None:
        row["scale worst"], row["scale best"] = q.scale.worst, q.scale.best
    if q.required:
        row["required"] = lay.yes
    if q.dated:
        row["dated"] = lay.yes
    if q.details:
        row["details"] = ", ".join(q.details)
    return row


def _rows(cat: Catalogue, weights: dict[str, PillarWeight] | None, lay: CriteriaLayout
          ) -> list[dict[str, Any]]:
    w = weights or {}
    rows: list[dict[str, Any]] = []
    for p, pd in cat.pillars.items():
        pw = w.get(p)
        rows.append({"pillar": p, "question text": pd.label,
                     "type": "module" if p in MODULES else None,
                     "weight": pw.weight if pw else None})
        if p in MODULES:
            rows += [_question_row(q, lay) for q in cat.questions if q.pillar == p]
            continue
        for c, label in pd.criteria.items():
            cw = (pw.criteria or {}).get(c) if pw else None
            cwv = cw.weight if isinstance(cw, CriterionWeight) else cw
            rows.append({"pillar": p, "criterion": c, "question text": label, "weight": cwv})
            qw = cw.questions if isinstance(cw, CriterionWeight) and cw.questions else {}
            for q in cat.questions:
                if q.pillar == p and q.criterion == c:
                    rows.append({**_question_row(q, lay), "weight": qw.get(q.id)})
    return rows


def criteria_workbook(cat: Catalogue, weights: dict[str, PillarWeight] | None = None) -> bytes:
    """The catalogue as a criteria workbook (.xlsx bytes); ``weights`` (a scenario's) fills
    the weight column."""
    lay = criteria_layout(language())
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {**WORKBOOK_OPTIONS, "in_memory": True})
    f = Formats(wb)
    ws = wb.add_worksheet(lay.sheet["criteria"])
    header(ws, 0, [lay.word(c) for c in COLUMNS], f)
    for r, row in enumerate(_rows(cat, weights, lay), start=1):
        for c, name in enumerate(COLUMNS):
            v = row.get(name)
            if isinstance(v, float) and math.isfinite(v) and v.is_integer():
                v = int(v)
            put_value(ws, r, c, v, f)
    ws.freeze_panes(1, 0)
    ws.set_column(3, 3, 60)
    s = wb.add_worksheet(lay.sheet["settings"])
    header(s, 0, [lay.word(c) for c in KEY_COLUMNS], f)
    values = {"version": 2, "id": cat.id, "title": cat.title, "lang": cat.lang,
              "modules": ", ".join(cat.modules)}
    for r, k in enumerate((k for k in SETTING_KEYS if values[k] is not None), start=1):
        put_text(s, r, 0, lay.word(k), f)
        put_value(s, r, 1, values[k], f)
    pi = wb.add_worksheet(lay.sheet["price_items"])
    header(pi, 0, [lay.word(c) for c in PRICE_COLUMNS], f)
    for r, (k, item) in enumerate(cat.price_items.items(), start=1):
        for c, v in enumerate((k, item.unit, item.help)):
            put_text(pi, r, c, v, f)
    if cat.certifications is not None:
        ce = wb.add_worksheet(lay.sheet["certifications"])
        header(ce, 0, [lay.word(c) for c in KEY_COLUMNS], f)
        for r, k in enumerate(CERT_KEYS, start=1):
            put_text(ce, r, 0, k, f)
            put_value(ce, r, 1, getattr(cat.certifications, k), f)
    if cat.gates:
        g = wb.add_worksheet(lay.sheet["gates"])
        header(g, 0, [lay.word(c) for c in GATE_COLUMNS], f)
        for r, gate in enumerate(cat.gates, start=1):
            d = gate.model_dump(mode="json")
            for c, name in enumerate(GATE_COLUMNS):
                v = d.get(name)
                if name == "allowed" and v is not None:
                    import json

                    v = json.dumps(v)
                put_value(g, r, c, v, f)
    wb.close()
    return buf.getvalue()


def _shares(d: dict[str, float]) -> dict[str, float]:
    s = sum(d.values())
    return {k: (v / s if s > 0 else 0.0) for k, v in d.items()}


def _flat(weights: dict[str, Any]) -> dict[str, float]:
    """Weights as shares, level by level: ``weights.p``, ``weights.p.criteria.c``,
    ``weights.p.criteria.c.questions.q`` (what a committee's weights mean, whatever scale
    they are written on: 60/40 and 0.6/0.4 are the same rule)."""
    out: dict[str, float] = {}
    pillars = {p: float(_w(v)) for p, v in weights.items()}
    for p, sh in _shares(pillars).items():
        out[f"weights.{p}"] = sh
        crit = _get(weights[p], "criteria") or {}
        for c, csh in _shares({c: float(_w(v)) for c, v in crit.items()}).items():
            out[f"weights.{p}.criteria.{c}"] = csh
            qs = _get(crit[c], "questions") or {}
            for q, qsh in _shares({q: float(v) for q, v in qs.items()}).items():
                out[f"weights.{p}.criteria.{c}.questions.{q}"] = qsh
    return out


def _get(v: Any, k: str) -> Any:
    return v.get(k) if isinstance(v, dict) else getattr(v, k, None)


def _w(v: Any) -> float:
    if isinstance(v, int | float):
        return float(v)
    return float(_get(v, "weight") or 0.0)


def weight_differences(read: dict[str, Any], where: dict[str, str],
                       scenario: dict[str, PillarWeight], file: str, scenario_file: str
                       ) -> list[Problem]:
    """Each weight of the workbook whose share differs from the scenario's (or that one side
    lacks), located at the workbook's cell and the scenario's key."""
    a, b = _flat(read), _flat(dict(scenario))
    out: list[Problem] = []
    for k in sorted(set(a) | set(b)):
        x, y = a.get(k), b.get(k)
        if x is not None and y is not None and abs(x - y) <= 1e-9:
            continue
        shown = (_("workbook {share}").format(share=f"{x:.4g}") if x is not None
                 else _("not in the workbook")) + ", " + (
            _("scenario {share}").format(share=f"{y:.4g}") if y is not None
            else _("not in {file}").format(file=scenario_file))
        out.append(Problem(file, "", f"{where.get(k, k)} ({k})", _(
            "weight share differs: {shown}").format(shown=shown)))
    return out
