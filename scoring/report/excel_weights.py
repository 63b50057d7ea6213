"""Sheet Weights of the summary workbook: the weight tree as the scenario writes it (pillar,
criterion and question weights as yellow input cells named ``w_*``), the shares normalised
level by level (Keeney & Raiffa's additive model, as ``scoring.engine.tree.aggregate``) and
each leaf's global weight, all by formulas, so a committee member can change a weight in Excel
and see the Scores sheet (``excel_model``) follow. If re-normalising the written weights does
not give the engine's, the engine's are written: the workbook never disagrees with the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..engine import Evaluation
from ..engine.tree import Leaf
from ..i18n import _
from ..rules.sovereignty import DEFAULT_WEIGHTS
from ..scenario.model import CriterionWeight
from .excel_cells import (
    Formats,
    cell,
    excel_name,
    formula,
    header,
    put_text,
    rng,
    sheet_name,
    sheet_ref,
)


@dataclass(frozen=True)
class Tree:
    """The weight tree as written in the scenario (raw) and its names in the workbook."""

    pillars: list[str]
    criteria: list[tuple[str, str]]  # (pillar, criterion)
    raw_pillar: dict[str, float]
    raw_criterion: dict[tuple[str, str], float]
    raw_question: list[float]  # per leaf


def weight_tree(ev: Evaluation) -> Tree:
    """The scenario's weights as written; if re-normalising them does not give the engine's
    leaf weights (a rule this module does not know), the engine's normalised weights are
    written instead, so the workbook never disagrees with the engine."""
    sc, leaves = ev.scenario, ev.leaves
    pillars = list(dict.fromkeys(lf.pillar for lf in leaves))
    crits = list(dict.fromkeys((lf.pillar, lf.criterion) for lf in leaves))
    rp = {p: float(sc.weights[p].weight) for p in pillars}
    rc: dict[tuple[str, str], float] = {}
    rq: list[float] = []
    for lf in leaves:
        spec = sc.weights[lf.pillar].criteria or {}
        cw = spec.get(lf.criterion)
        if lf.pillar == "sovereignty":
            given = dict(sc.sovereignty.weights or DEFAULT_WEIGHTS)
            rc[(lf.pillar, lf.criterion)] = float(given.get(lf.criterion, 0.0))
        elif lf.pillar in ("cost", "legal") or cw is None:
            rc[(lf.pillar, lf.criterion)] = 1.0
        else:
            rc[(lf.pillar, lf.criterion)] = float(
                cw.weight if isinstance(cw, CriterionWeight) else cw)
        qspec = cw.questions if isinstance(cw, CriterionWeight) and cw.questions else None
        rq.append(float(qspec.get(lf.question, 0.0)) if qspec else 1.0)
    tree = Tree(pillars, crits, rp, rc, rq)
    if not np.allclose(normalised(tree, leaves), [lf.weight for lf in leaves], atol=1e-12):
        tree = Tree(pillars, crits, {p: next(lf.w_pillar for lf in leaves if lf.pillar == p)
                                     for p in pillars},
                    {k: next(lf.w_criterion for lf in leaves if (lf.pillar, lf.criterion) == k)
                     for k in crits}, [lf.w_question for lf in leaves])
    return tree


def normalised(t: Tree, leaves: tuple[Leaf, ...]) -> np.ndarray:
    sp = sum(t.raw_pillar.values())
    out = []
    for lf, q in zip(leaves, t.raw_question, strict=True):
        sc_ = sum(v for k, v in t.raw_criterion.items() if k[0] == lf.pillar)
        sq = sum(x for lf2, x in zip(leaves, t.raw_question, strict=True)
                 if (lf2.pillar, lf2.criterion) == (lf.pillar, lf.criterion))
        w = (t.raw_pillar[lf.pillar] / sp if sp else 0.0) * (
            t.raw_criterion[(lf.pillar, lf.criterion)] / sc_ if sc_ else 0.0) * (
            q / sq if sq else 0.0)
        out.append(w)
    return np.array(out)


@dataclass
class Names:
    pillar_input: dict[str, str]
    pillar_share: dict[str, str]
    crit_share: dict[tuple[str, str], str]
    leaf_local: list[str]  # weight within its criterion
    leaf_global: list[str]


def write_weights(wb: Workbook, ws: Worksheet, ev: Evaluation, f: Formats) -> Names:
    """Sheet Weights: raw weights as inputs (yellow, named ``w_*``), shares and global leaf
    weights as formulas (named ``s_*``, ``c_*``, ``q_*``, ``g_*``)."""
    t = weight_tree(ev)
    leaves = ev.leaves
    used: set[str] = set()
    weights = sheet_ref("Weights")
    ws.write_string(0, 0, _("{sheet}: the criteria tree (edit the yellow cells)").format(
        sheet=sheet_name("Weights")), f["title"])
    put_text(ws, 1, 0, _("Each level is normalised within its parent, as the engine does. Totals "
                         "and ranks on the {scores} sheet recompute from these cells.").format(
        scores=sheet_name("Scores")), f, "note")
    header(ws, 3, [_("Level"), _("Pillar"), _("Criterion"), _("Question"),
                   _("Weight as written"), _("Share of parent"), _("Global weight"), _("Name")],
           f)
    r = 4
    pil_rows: dict[str, int] = {}
    names = Names({}, {}, {}, [], [])
    sp = sum(t.raw_pillar.values())
    first_p = r
    last_p = r + len(t.pillars) - 1
    for p in t.pillars:
        pil_rows[p] = r
        n_in = excel_name("w_", p, used)
        n_sh = excel_name("s_", p, used)
        ws.write_string(r, 0, _("pillar"), f["bold"])
        ws.write_string(r, 1, _(p), f["bold"])
        ws.write_number(r, 4, t.raw_pillar[p], f["input"])
        formula(ws, r, 5, f"=IF(SUM({rng(first_p, 4, last_p, 4, True)})=0,0,"
                f"{cell(r, 4)}/SUM({rng(first_p, 4, last_p, 4, True)}))",
                t.raw_pillar[p] / sp if sp else 0.0, f["weight"])
        wb.define_name(n_in, f"={weights}!{cell(r, 4, True)}")
        wb.define_name(n_sh, f"={weights}!{cell(r, 5, True)}")
        ws.write_string(r, 7, n_in)
        names.pillar_input[p], names.pillar_share[p] = n_in, n_sh
        r += 1
    r += 1
    for p in t.pillars:
        crits = [k for k in t.criteria if k[0] == p]
        c0, c1 = r, r + len(crits) - 1
        sc_ = sum(t.raw_criterion[k] for k in crits)
        for k in crits:
            n_c = excel_name("c_", f"{p}.{k[1]}", used)
            n_in = excel_name("w_", f"{p}.{k[1]}", used)
            ws.write_string(r, 0, _("criterion"))
            ws.write_string(r, 1, _(p))
            put_text(ws, r, 2, k[1], f)
            ws.write_number(r, 4, t.raw_criterion[k], f["input"])
            formula(ws, r, 5, f"=IF(SUM({rng(c0, 4, c1, 4, True)})=0,0,"
                    f"{cell(r, 4)}/SUM({rng(c0, 4, c1, 4, True)}))",
                    t.raw_criterion[k] / sc_ if sc_ else 0.0, f["weight"])
            wb.define_name(n_in, f"={weights}!{cell(r, 4, True)}")
            wb.define_name(n_c, f"={weights}!{cell(r, 5, True)}")
            ws.write_string(r, 7, n_in)
            names.crit_share[k] = n_c
            r += 1
    r += 1
    by_crit: dict[tuple[str, str], list[int]] = {}
    for j, lf in enumerate(leaves):
        by_crit.setdefault((lf.pillar, lf.criterion), []).append(j)
    leaf_row: dict[int, int] = {}
    for k, js in by_crit.items():
        q0, q1 = r, r + len(js) - 1
        sq = sum(t.raw_question[j] for j in js)
        for j in js:
            lf = leaves[j]
            leaf_row[j] = r
            n_q = excel_name("q_", lf.question, used)
            n_g = excel_name("g_", lf.question, used)
            ws.write_string(r, 0, _("question"))
            ws.write_string(r, 1, _(lf.pillar))
            put_text(ws, r, 2, lf.criterion, f)
            put_text(ws, r, 3, lf.question, f)
            ws.write_number(r, 4, t.raw_question[j], f["input"])
            formula(ws, r, 5, f"=IF(SUM({rng(q0, 4, q1, 4, True)})=0,0,"
                    f"{cell(r, 4)}/SUM({rng(q0, 4, q1, 4, True)}))",
                    t.raw_question[j] / sq if sq else 0.0, f["weight"])
            formula(ws, r, 6, f"={names.pillar_share[lf.pillar]}*{names.crit_share[k]}*"
                    f"{cell(r, 5)}", lf.weight, f["weight"])
            wb.define_name(n_q, f"={weights}!{cell(r, 5, True)}")
            wb.define_name(n_g, f"={weights}!{cell(r, 6, True)}")
            ws.write_string(r, 7, n_g)
            r += 1
    names.leaf_local = [f"{weights}!{cell(leaf_row[j], 5, True)}" for j in range(len(leaves))]
    names.leaf_global = [f"{weights}!{cell(leaf_row[j], 6, True)}" for j in range(len(leaves))]
    ws.set_column(0, 0, 10)
    ws.set_column(1, 3, 22)
    ws.set_column(4, 6, 14)
    ws.set_column(7, 7, 30)
    ws.freeze_panes(4, 0)
    return names
