"""The live part of the summary workbook: the scores recomputed by formulas (sheet Scores) from
the weight tree in named cells (sheet Weights, ``excel_weights``), with the two charts.

The formulas reproduce ``scoring.engine.tree.aggregate`` (Keeney & Raiffa's additive model,
weights normalised level by level) for the weighted sum:
  - criterion score  = Σ_q w_q·u_q / D_c   (D_c = Σ w_q, or under ``exclude`` Σ of the known)
  - pillar score     = Σ_c w_c·C_c / D_p   (D_p likewise over the criteria)
  - total (``worst``, ``uncertain``) = SUMPRODUCT(global leaf weights, utilities);
    total (``exclude``) = Σ_p W_p·P_p / Σ_p W_p over the pillars with a known score.
The rank follows THE ranking rule (``scoring.ranking``), live over the weight cells: the
eligible totals sorted descending (``LARGE``), a new tie group wherever the gap to the previous
total exceeds ``TIE_TOLERANCE`` (grouping by gaps, not rounding: 50.0000000004999 and
50.0000000005001 tie, as in the engine), and tied offers share their rank: one plus the offers
in better groups (``scoring.ranking.shared_ranks``). Hidden helper columns hold the sorted
totals and group indices, each with its cached value. Gates are not recomputed: a weight edit
that would move an offer across a ``min_pillar`` gate is not reflected (said on the sheet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..engine import Evaluation
from ..engine.policy import has_intervals, renormalises
from ..i18n import N_, _
from ..ranking import TIE_TOLERANCE
from .excel_cells import (
    Formats,
    cell,
    formula,
    header,
    put_numbers,
    put_text,
    put_value,
    rng,
    sheet_name,
)
from .excel_weights import Names

HEAD_ROW = 4  # Scores: header row; the weight rows follow, then one row per offer
TOL = repr(TIE_TOLERANCE).upper()  # "1E-09": the engine's tie tolerance, as a formula literal
assert float(TOL) == TIE_TOLERANCE
FIRST_COLS = [N_("Rank"), N_("Offer"), N_("Vendor"), N_("Eligible"), N_("Total")]


@dataclass
class Layout:
    """Column positions of the Scores sheet (0-based)."""

    pillars: list[str]
    crits: list[tuple[str, str]]  # grouped by pillar
    perm: list[int]  # utility column k shows leaf perm[k] (leaves grouped by criterion)
    c_pillar: int  # first pillar score column
    c_cov: int
    c_range: int  # total range lo, hi, rank range
    c_contrib: int  # first pillar contribution column
    c_util: int  # first utility column
    c_crit: int  # first criterion score column
    c_order: int  # hidden helpers of the rank (``_total_and_rank``): offer order (listing),
    c_key: int  # rank key (eligible: the total; else -1), keys sorted descending (row k: the
    c_sorted: int  # k-th largest), tie group of the k-th largest, tie group of the offer
    c_group: int
    c_mine: int
    r_global: int  # row of global leaf weights
    r_local: int  # leaf weights within the criterion (exclude) or the pillar (worst)
    r_first: int  # first offer row
    r_last: int


def _layout(ev: Evaluation) -> Layout:
    pillars: list[str] = list(dict.fromkeys(lf.pillar for lf in ev.leaves))  # catalogue order
    crits = sorted(dict.fromkeys((lf.pillar, lf.criterion) for lf in ev.leaves),
                   key=lambda k: pillars.index(k[0]))  # stable: first appearance per pillar
    perm = sorted(range(len(ev.leaves)), key=lambda j: (
        crits.index((ev.leaves[j].pillar, ev.leaves[j].criterion)), j))
    n_crit = len(crits) if renormalises(ev.policy) else 0  # helper columns only when needed
    c_pillar = len(FIRST_COLS)
    c_cov = c_pillar + len(pillars)
    c_range = c_cov + 1
    c_contrib = c_range + 3
    c_util = c_contrib + len(pillars) + 1
    c_crit = c_util + len(ev.leaves) + 1
    c_order = c_crit + n_crit + 1
    r_global = HEAD_ROW + 1
    return Layout(pillars, crits, perm, c_pillar, c_cov, c_range, c_contrib, c_util, c_crit,
                  c_order, c_order + 1, c_order + 2, c_order + 3, c_order + 4,
                  r_global, r_global + 1, r_global + 3,
                  r_global + 2 + len(ev.results))


def _py_model(ev: Evaluation, lay: Layout) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The criterion and pillar scores as the formulas compute them (the cached values)."""
    u = ev.scored_utilities
    known = ~np.isnan(u)
    u0 = np.where(known, u, 0.0)
    excl = renormalises(ev.policy)
    wq = np.array([lf.w_question for lf in ev.leaves])
    crit = np.full((u.shape[0], len(lay.crits)), np.nan)
    for k, key in enumerate(lay.crits):
        js = [j for j, lf in enumerate(ev.leaves) if (lf.pillar, lf.criterion) == key]
        den = (known[:, js] * wq[js]).sum(1) if excl else np.full(u.shape[0], wq[js].sum())
        with np.errstate(all="ignore"):
            v = (u0[:, js] * wq[js]).sum(1) / den
        v[(~known[:, js]).all(1) | (den == 0)] = np.nan
        crit[:, k] = v
    pil: dict[str, np.ndarray] = {}
    for p in lay.pillars:
        ks = [k for k, key in enumerate(lay.crits) if key[0] == p]
        wc = np.array([next(lf.w_criterion for lf in ev.leaves
                            if (lf.pillar, lf.criterion) == lay.crits[k]) for k in ks])
        ck = ~np.isnan(crit[:, ks])
        den = (ck * wc).sum(1) if excl else np.full(u.shape[0], wc.sum())
        with np.errstate(all="ignore"):
            v = (np.nan_to_num(crit[:, ks]) * wc).sum(1) / den
        v[(~ck).all(1) | (den == 0)] = np.nan
        pil[p] = v
    return crit, pil


def write_scores(ws: Worksheet, ev: Evaluation, names: Names, f: Formats) -> Layout:
    """Sheet Scores: utilities as values, everything else as formulas with cached values."""
    lay = _layout(ev)
    linear = ev.bound_method.linear
    excl = renormalises(ev.policy)
    _scores_head(ws, ev, lay, linear, f)
    leaves = [ev.leaves[j] for j in lay.perm]
    u = ev.scored_utilities[:, lay.perm]
    nl = len(leaves)
    # weight rows over the utility columns and the pillar columns
    ws.write_string(lay.r_global, lay.c_util - 1, _("global weight"), f["bold"])
    ws.write_string(lay.r_local, lay.c_util - 1,
                    _("within criterion") if excl else _("within pillar"), f["bold"])
    for k, (j, lf) in enumerate(zip(lay.perm, leaves, strict=True)):
        formula(ws, lay.r_global, lay.c_util + k, f"={names.leaf_global[j]}", lf.weight,
                f["weight"])
        if excl:
            formula(ws, lay.r_local, lay.c_util + k, f"={names.leaf_local[j]}", lf.w_question,
                    f["weight"])
        else:
            formula(ws, lay.r_local, lay.c_util + k,
                    f"={names.crit_share[(lf.pillar, lf.criterion)]}*{names.leaf_local[j]}",
                    lf.w_criterion * lf.w_question, f["weight"])
    ws.write_string(lay.r_global, lay.c_pillar - 1, _("pillar weight"), f["bold"])
    for k, p in enumerate(lay.pillars):
        wp = next(lf.w_pillar for lf in leaves if lf.pillar == p)
        formula(ws, lay.r_global, lay.c_pillar + k, f"={names.pillar_share[p]}", wp, f["weight"])
    if excl:
        for k, key in enumerate(lay.crits):
            wc = next(lf.w_criterion for lf in leaves if (lf.pillar, lf.criterion) == key)
            formula(ws, lay.r_global, lay.c_crit + k, f"={names.crit_share[key]}", wc,
                    f["weight"])
    crit, pil = _py_model(ev, lay)
    span: dict[Any, tuple[int, int]] = {}  # criterion or pillar -> first, last column
    for k, lf in enumerate(leaves):
        for key in ((lf.pillar, lf.criterion), lf.pillar):  # type: ignore[assignment]
            span[key] = (span.get(key, (k, k))[0], k)
    cspan = {p: (min(x for x, c in enumerate(lay.crits) if c[0] == p),
                 max(x for x, c in enumerate(lay.crits) if c[0] == p)) for p in lay.pillars}
    glob = rng(lay.r_global, lay.c_util, lay.r_global, lay.c_util + nl - 1, True)
    pw_row = rng(lay.r_global, lay.c_pillar, lay.r_global, lay.c_pillar + len(lay.pillars) - 1,
                 True)
    order = {o.offer_id: i for i, o in enumerate(ev.offers)}
    groups = _tie_groups(ev)
    score = f["score"]
    for n, res in enumerate(ev.results):
        r = lay.r_first + n
        i = res.index
        elig_cell = cell(r, 3)
        put_text(ws, r, 1, res.offer.offer_id, f)
        put_text(ws, r, 2, res.offer.vendor_name, f)
        # three states: only "yes" is ranked; "undetermined" (unknown answers or dates, policy
        # uncertain) is neither ranked nor excluded
        ws.write_string(r, 3, {"pass": _("yes"), "fail": _("no"),
                               "undetermined": _("undetermined")}[
            res.eligibility], f["pass"] if res.eligible else f["fail"])
        put_numbers(ws, r, lay.c_util, u[i].tolist(), score)  # NaN: blank (unknown)
        if excl:
            for k, key in enumerate(lay.crits):
                a, b = span[key]
                urng = rng(r, lay.c_util + a, r, lay.c_util + b)
                qrng = rng(lay.r_local, lay.c_util + a, lay.r_local, lay.c_util + b, True)
                den = f"SUMPRODUCT(ISNUMBER({urng})*{qrng})"
                formula(ws, r, lay.c_crit + k,
                        f'=IF(OR(COUNT({urng})=0,{den}=0),"",SUMPRODUCT({qrng},{urng})/{den})',
                        None if np.isnan(crit[i, k]) else float(crit[i, k]), score)
        for k, p in enumerate(lay.pillars):
            if not linear:
                put_value(ws, r, lay.c_pillar + k, res.pillars.get(p), f, "score")
                continue
            if excl:
                a, b = cspan[p]
                vals = rng(r, lay.c_crit + a, r, lay.c_crit + b)
                wrng = rng(lay.r_global, lay.c_crit + a, lay.r_global, lay.c_crit + b, True)
                den = f"SUMPRODUCT(ISNUMBER({vals})*{wrng})"
            else:
                a, b = span[p]
                vals = rng(r, lay.c_util + a, r, lay.c_util + b)
                wrng = rng(lay.r_local, lay.c_util + a, lay.r_local, lay.c_util + b, True)
                den = f"SUM({wrng})"
            formula(ws, r, lay.c_pillar + k,
                    f'=IF(OR(COUNT({vals})=0,{den}=0),"",SUMPRODUCT({wrng},{vals})/{den})',
                    None if np.isnan(pil[p][i]) else float(pil[p][i]), score)
        if linear:
            _total_and_rank(ws, r, lay, res, excl, _contributions(ev, lay, pil, i),
                            (glob, pw_row, elig_cell), groups, n, f)
        else:
            put_value(ws, r, 4, res.total, f, "score_bold")
            put_value(ws, r, 0, res.rank, f, "int")
        ws.write_number(r, lay.c_order, order[res.offer.offer_id])
        ws.write_number(r, lay.c_cov, res.coverage, f["pct"])
        if res.total_range is not None:
            ws.write_number(r, lay.c_range, res.total_range[0], score)
            ws.write_number(r, lay.c_range + 1, res.total_range[1], score)
        if res.rank_range is not None:
            ws.write_string(r, lay.c_range + 2, res.rank_range_label)
    _finish_scores(ws, ev, lay, f)
    return lay


def _scores_head(ws: Worksheet, ev: Evaluation, lay: Layout, linear: bool, f: Formats) -> None:
    ws.write_string(0, 0, _("{sheet}: utilities (values) and the live weighted sum").format(
        sheet=sheet_name("Scores")), f["title"])
    note = _("Totals, pillar scores and ranks are formulas over the {weights} sheet: edit a "
             "weight and they recompute. Rank rule: higher total first; totals within 1e-9 of "
             "their neighbour in that order tie and share their rank (1, 1, 3), listed in "
             "offer-id order (hidden helper columns after the utilities). Gates are not "
             "recomputed.").format(weights=sheet_name("Weights"))
    if not linear:
        note = _("The method {method} is not a weighted sum: totals and ranks are the engine's "
                 "values, not formulas.").format(method=ev.method)
    if has_intervals(ev.policy):
        note += " " + _("Policy uncertain: an unknown answer is scored at the middle of its "
                        "interval; the total range is computed at the scenario's weights.")
        if any(r.range_exact is False for r in ev.results):
            note += " " + _("Under {method} the total range is an outer bound: every total "
                            "the unknowns can give lies inside, its ends may not be "
                            "reached.").format(method=ev.method)
    ws.merge_range(1, 0, 1, min(12, lay.c_util), "", f["wrap"])
    put_text(ws, 1, 0, note, f, "wrap")  # over the merged range: never written as a formula
    ws.set_row(1, 45)
    n_crit = lay.c_order - lay.c_crit - 1
    heads = [_(c) for c in FIRST_COLS] + [
        _("{pillar} score").format(pillar=_(p)) for p in lay.pillars] + [
        _("Coverage"), _("Total low"), _("Total high"), _("Rank range")] + [
        _("{pillar} contribution").format(pillar=_(p)) for p in lay.pillars] + [""] + [
        ev.leaves[j].question for j in lay.perm] + [""] + [
        f"{p}/{c}" for p, c in lay.crits][:n_crit] + [
        "", _("order (listing)"), _("rank key"), _("keys sorted"), _("tie group (sorted)"),
        _("tie group")]
    header(ws, HEAD_ROW, heads, f)
    ws.write_string(HEAD_ROW - 1, lay.c_util, _("Utilities 0-100 (blank = unknown)"), f["bold"])
    if n_crit:
        ws.write_string(HEAD_ROW - 1, lay.c_crit, _("Criterion scores"), f["bold"])
    ws.write_string(HEAD_ROW - 1, lay.c_contrib, _("Contribution of each pillar to the total"),
                    f["bold"])


def _tie_groups(ev: Evaluation) -> tuple[list[float], list[float], list[int], list[int]]:
    """The cached values of the rank helpers, row by row of the Scores sheet: (rank key, keys
    sorted descending, tie group of the k-th key, tie group of the row's offer).

    The same arithmetic as the formulas and as ``scoring.ranking.ranking``: a group starts where
    the gap to the previous sorted key exceeds ``TIE_TOLERANCE``. An ineligible offer's key is
    -1, below every total (0-100), so it never joins an eligible offer's group.
    """
    keys = [float(r.total) if r.eligible and r.total is not None else -1.0
            for r in ev.results]
    srt = sorted(keys, reverse=True)
    grp = [0] * len(srt)
    for k in range(1, len(srt)):
        grp[k] = grp[k - 1] + (1 if srt[k - 1] - srt[k] > TIE_TOLERANCE else 0)
    first: dict[float, int] = {}
    for k, v in enumerate(srt):
        first.setdefault(v, k)
    return keys, srt, grp, [grp[first[v]] for v in keys]


def _total_and_rank(ws: Worksheet, r: int, lay: Layout, res: Any, excl: bool,
                    contrib: list[float], refs: tuple[str, str, str],
                    groups: tuple[list[float], list[float], list[int], list[int]], n: int,
                    f: Formats) -> None:
    """Contributions, total, and the rank by THE ranking rule over the hidden helpers (offer
    row ``n``; row ``n`` of the sorted helpers holds the (n+1)-th largest key):
      key_i  = total if eligible else -1
      S_n    = LARGE(keys, n+1)                        (keys sorted descending)
      G_0 = 0, G_n = G_(n-1) + (S_(n-1) - S_n > tol)   (tie group of the n-th sorted key)
      g_i    = INDEX(G, MATCH(key_i, S, 0))            (the offer's tie group)
      rank_i = MATCH(g_i, G, 0)                        (first place of the group)
    i.e. ``scoring.ranking.shared_ranks`` over the eligible offers: tied offers share their
    rank (one plus the offers in better groups). Only Excel 2007 functions.
    """
    glob, pw_row, elig_cell = refs
    keys, srt, grp, mine = groups
    prow = rng(r, lay.c_pillar, r, lay.c_pillar + len(lay.pillars) - 1)
    pden = f"SUMPRODUCT(ISNUMBER({prow})*{pw_row})" if excl else f"SUM({pw_row})"
    for k in range(len(lay.pillars)):
        pc = cell(r, lay.c_pillar + k)
        wcell = cell(lay.r_global, lay.c_pillar + k, True)
        formula(ws, r, lay.c_contrib + k,
                f"=IF(AND(ISNUMBER({pc}),{pden}>0),{wcell}*{pc}/{pden},0)", contrib[k],
                f["score"])
    urow = rng(r, lay.c_util, r, lay.c_util + len(lay.perm) - 1)
    crow = rng(r, lay.c_contrib, r, lay.c_contrib + len(lay.pillars) - 1)
    formula(ws, r, 4, f"=SUM({crow})" if excl else f"=SUMPRODUCT({glob},{urow})", res.total,
            f["score_bold"])

    def whole(c: int) -> str:
        return rng(lay.r_first, c, lay.r_last, c, True)

    s_col, g_col = whole(lay.c_sorted), whole(lay.c_group)
    yes = _("yes")  # the word the Eligible column holds, in the workbook's language
    formula(ws, r, lay.c_key, f'=IF({elig_cell}="{yes}",{cell(r, 4)},-1)', keys[n])
    formula(ws, r, lay.c_sorted, f"=LARGE({whole(lay.c_key)},{n + 1})", srt[n])
    if n == 0:
        ws.write_number(r, lay.c_group, 0)
    else:
        formula(ws, r, lay.c_group, f"={cell(r - 1, lay.c_group)}+IF("
                f"{cell(r - 1, lay.c_sorted)}-{cell(r, lay.c_sorted)}>{TOL},1,0)", grp[n])
    me_g = cell(r, lay.c_mine)
    formula(ws, r, lay.c_mine, f"=INDEX({g_col},MATCH({cell(r, lay.c_key)},{s_col},0))",
            mine[n])
    formula(ws, r, 0, f'=IF({elig_cell}="{yes}",MATCH({me_g},{g_col},0),"")', res.shared_rank,
            f["int"])


def _contributions(ev: Evaluation, lay: Layout, pil: dict[str, np.ndarray], i: int
                   ) -> list[float]:
    wp = [next(lf.w_pillar for lf in ev.leaves if lf.pillar == p) for p in lay.pillars]
    vals = [pil[p][i] for p in lay.pillars]
    if renormalises(ev.policy):
        den = sum(w for w, v in zip(wp, vals, strict=True) if not np.isnan(v))
    else:
        den = sum(wp)
    return [0.0 if np.isnan(v) or den <= 0 else float(w * v / den)
            for w, v in zip(wp, vals, strict=True)]


def _finish_scores(ws: Worksheet, ev: Evaluation, lay: Layout, f: Formats) -> None:
    ws.freeze_panes(lay.r_first, 2)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 2, 20)
    ws.set_column(3, 3, 8)
    ws.set_column(4, lay.c_util - 1, 11)
    ws.set_column(lay.c_util, lay.c_order - 1, 9)
    ws.set_column(lay.c_order, lay.c_mine, 9, None, {"hidden": True})
    ws.set_row(HEAD_ROW, 60)
    if ev.results and ev.leaves:
        ws.conditional_format(lay.r_first, lay.c_util, lay.r_last,
                              lay.c_util + len(ev.leaves) - 1,
                              {"type": "3_color_scale", "min_type": "num", "min_value": 0,
                               "mid_type": "num", "mid_value": 50, "max_type": "num",
                               "max_value": 100, "min_color": "#F8696B",
                               "mid_color": "#FFEB84", "max_color": "#63BE7B"})
        ws.autofilter(HEAD_ROW, 0, lay.r_last, lay.c_range + 2)


def add_charts(wb: Workbook, ws: Worksheet, ev: Evaluation, lay: Layout) -> None:
    """Sheet Charts (``ws``): a bar chart of the totals and the stacked pillar contributions,
    both over the live cells of Scores (they follow a weight edit)."""
    n_elig = sum(1 for r in ev.results if r.eligible) or len(ev.results)
    last = min(lay.r_first + max(n_elig, 1) - 1, lay.r_first + 59)  # at most 60 bars
    scores = sheet_name("Scores")
    cats = [scores, lay.r_first, 1, last, 1]
    bar = wb.add_chart({"type": "bar"})
    bar.add_series({"name": _("Total"), "categories": cats,
                    "values": [scores, lay.r_first, 4, last, 4],
                    "data_labels": {"value": True, "num_format": "0.0"}})
    bar.set_title({"name": _("Total score of the eligible offers (0-100)")})
    bar.set_y_axis({"reverse": True})
    bar.set_x_axis({"min": 0, "max": 100})
    bar.set_legend({"none": True})
    height = max(300, 22 * (last - lay.r_first + 1) + 120)
    bar.set_size({"width": 720, "height": height})
    ws.insert_chart(1, 1, bar)
    stack = wb.add_chart({"type": "bar", "subtype": "stacked"})
    for k, p in enumerate(lay.pillars):
        c = lay.c_contrib + k
        stack.add_series({"name": _(p), "categories": cats,
                          "values": [scores, lay.r_first, c, last, c]})
    stack.set_title({"name": _("Where each total comes from (pillar contributions)")})
    stack.set_y_axis({"reverse": True})
    stack.set_x_axis({"min": 0, "max": 100})
    stack.set_size({"width": 720, "height": height})
    ws.insert_chart(1 + height // 20 + 2, 1, stack)
    ws.write_string(0, 0, _("{sheet} (the eligible offers, in rank order at the scenario's "
                            "weights)").format(sheet=sheet_name("Charts")))
    ws.set_landscape()
    ws.fit_to_pages(1, 0)  # printed or converted to PDF, a chart is never cut across pages
