"""How one offer's total was built, for the method the evaluation used.

Weighted sum: answer -> utility -> weight -> contribution; the contributions add up to the
total. TOPSIS (Hwang & Yoon 1981): the total is the closeness ``S- / (S+ + S-)`` to an ideal
built from the best answer to each question among the eligible offers; the explanation gives
each question's share of the squared distances to the ideal and to the anti-ideal, and the
weighted-sum total and rank beside it, with the reason the two orders can differ. An explanation
is always of the method selected: showing a weighted-sum rank under a TOPSIS table would explain
a number the committee is not looking at.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Evaluation, OfferResult
from ..errors import HostwiseError
from ..methods.registry import METHODS
from ..methods.topsis import topsis
from ..ranking import ranks
from .text import Lines, fmt, table


def find_offer(ev: Evaluation, offer: str) -> OfferResult:
    """The result of ``offer``; a plain error naming the scenario's offers otherwise."""
    try:
        return ev.result(offer)
    except KeyError:
        known = ", ".join(x.offer.offer_id for x in ev.results)
        raise HostwiseError(f"no offer {offer!r} in scenario {ev.scenario.id} (offers: {known})"
                            ) from None


def wsm_totals(ev: Evaluation) -> np.ndarray:
    """Weighted-sum totals of every offer (rows in id order), whatever the method."""
    return np.asarray((np.nan_to_num(ev.utilities) * ev.effective_weights).sum(axis=1))


def _eligible_rows(ev: Evaluation) -> list[int]:
    return sorted(r.index for r in ev.results if r.eligible)


def _wsm_view(ev: Evaluation, r: OfferResult) -> dict[str, Any]:
    tot = wsm_totals(ev)
    rows = _eligible_rows(ev)
    rank = None
    if r.index in rows:
        rank = int(ranks(tot[rows])[rows.index(r.index)])
    return {"total": float(tot[r.index]), "rank": rank}


def _topsis_detail(ev: Evaluation, r: OfferResult) -> dict[str, Any]:
    """Per-question distances to the ideal and anti-ideal (the engine's TOPSIS, recomputed on
    the same matrix: eligible offers, unknown answers as 0, leaves of zero weight left out)."""
    rows = _eligible_rows(ev)
    wsm = _wsm_view(ev, r)
    if r.index not in rows:
        return {"scored": False, "reason": "excluded by a gate: TOPSIS ranks eligible offers "
                "only (its ideal is built from them)", "wsm": wsm}
    w = np.array([lf.weight for lf in ev.leaves])
    keep = np.flatnonzero(w > 0)
    mat = np.nan_to_num(ev.utilities[np.ix_(np.asarray(rows, dtype=np.intp), keep)])
    res = topsis(mat, w[keep], np.ones(len(keep), dtype=bool))
    i = rows.index(r.index)
    v = res.normalised[i] * res.weights
    # Squares of differences below 1e-20 are floating-point noise of equal values: shown as 0.
    dp, dm = ((d := (v - ref) ** 2) * (d > 1e-20) for ref in (res.ideal, res.anti_ideal))
    leaves: list[dict[str, Any]] = []
    for k, j in enumerate(keep):
        lf = ev.leaves[j]
        u = ev.utilities[r.index, j]
        leaves.append({
            "pillar": lf.pillar, "question": lf.question,
            "utility": None if np.isnan(u) else float(u), "weight": float(res.weights[k]),
            "weighted_normalised": float(v[k]), "ideal": float(res.ideal[k]),
            "anti_ideal": float(res.anti_ideal[k]), "d_plus_sq": float(dp[k]),
            "d_minus_sq": float(dm[k]),
        })
    leaves.sort(key=lambda x: -(x["d_plus_sq"] + x["d_minus_sq"]))
    return {
        "scored": True, "s_plus": float(res.s_plus[i]), "s_minus": float(res.s_minus[i]),
        "closeness": float(res.closeness[i]), "leaves": leaves, "wsm": wsm,
        "why_orders_differ": (
            "TOPSIS compares offers question by question against the best and worst answers "
            "among the eligible offers, and squares the gaps: a few large gaps weigh more than "
            "many small ones, and a question on which the eligible offers differ widely weighs "
            "more than its weight alone says. The weighted sum adds weighted utilities; an offer "
            "equal or higher on every pillar can still rank lower under TOPSIS when its gaps "
            "are concentrated on a few questions. An unknown answer counts as 0 in TOPSIS, "
            "whatever the scenario's missing-answer policy (the method has no renormalisation)."),
    }


def explain_data(ev: Evaluation, offer: str) -> dict[str, Any]:
    """The ``hostwise explain --json`` contract: one offer's decomposition under ev.method."""
    r = find_offer(ev, offer)
    m = METHODS[ev.method]
    out: dict[str, Any] = {
        "scenario": ev.scenario.id, "hash": ev.hash, "offer": r.offer.offer_id,
        "vendor": r.offer.vendor_name, "evaluation_date": ev.evaluation_date.isoformat(),
        "method": ev.method, "method_label": m.label,
        "assumptions": list(ev.scenario.assumption_ids),
        "eligible": r.eligible, "rank": r.rank, "total": r.total, "coverage": r.coverage,
        "pillars": r.pillars,
        "gates": [{"gate": g.label, "passed": g.passed, "reason": g.reason} for g in r.gates],
        "rows": ev.contributions(r.offer.offer_id),
        "legal": {"utility": r.legal.utility, "us_control": r.legal.us_control,
                  "sec196_immune": r.legal.sec196.immune,
                  "findings": [{"label": f.label, "points": f.points, "reason": f.reason,
                                "kind": f.kind} for f in r.legal.findings]},
        "cost": {"annual": r.cost.annual_cost, "missing": list(r.cost.missing),
                 "lines": [{"item": li.item, "quantity": li.quantity,
                            "unit_price": li.unit_price, "currency": li.currency,
                            "amount_eur": li.amount, "price_date": li.price_date_text,
                            "confidence": li.confidence} for li in r.cost.lines],
                 "workload": ev.scenario.workload.label},
        "seal": {"overall": r.seal_overall, "complete": r.seal_complete,
                 "objectives": [{"objective": x.objective, "level": x.level,
                                 "origin": x.origin, "reason": x.reason}
                                for x in r.seal_levels]},
        "warnings": list(r.warnings),
    }
    if ev.method == "topsis":
        out["topsis"] = _topsis_detail(ev, r)
    elif not m.linear:
        out["method_note"] = (f"{m.label} has no per-question decomposition here; the rows "
                              "show the weighted-sum view of the same utilities")
    return out


def explain_text(d: dict[str, Any]) -> str:
    """The explanation for people: gates, the method's decomposition, legal, cost, SEAL."""
    out = Lines()
    status = f"rank {d['rank']}" if d["eligible"] else "EXCLUDED"
    out.add(f"{d['vendor']} ({d['offer']}) in {d['scenario']} on {d['evaluation_date']}: {status}, "
          f"total {fmt(d['total'], 2)} (answered weight {d['coverage']:.0%})\n")
    out.add("Gates:")
    for g in d["gates"]:
        out.add(f"  [{'pass' if g['passed'] else 'FAIL'}] {g['gate']}: {g['reason']}")
    tp = d.get("topsis")
    if tp is not None:
        _topsis_text(out, d, tp)
        out.add("\nWeighted-sum view of the same answers (for comparison, not the ranking "
                "shown):")
    else:
        out.add("\nHow the total was built (answer -> utility -> weight -> contribution):")
    rows = [[x["pillar"], x["question"], x["answer"][:24], x["confidence"],
             fmt(x["utility"]), f"{x['effective_weight']:.4f}", fmt(x["contribution"], 2),
             x["reason"][:70]] for x in d["rows"]]
    out.add(table(rows, ["pillar", "question", "answer", "confidence", "utility", "weight",
                        "contrib.", "reason"]))
    if tp is None:
        out.add(f"\nTotal = sum of contributions = {fmt(d['total'], 2)}")
    else:
        out.add(f"\nWeighted-sum total {fmt(tp['wsm']['total'], 2)}, rank "
                f"{tp['wsm']['rank'] or '-'} under the weighted sum")
    out.add(f"\nLegal exposure on {d['evaluation_date']}: utility {d['legal']['utility']:.0f}/100")
    for f in d["legal"]["findings"]:
        out.add(f"  {f['points']:+6.0f}  {f['label']}: {f['reason']}")
    c = d["cost"]
    out.add(f"\nCost ({c['workload']}):", "not costable, missing " + ", ".join(c["missing"])
          if c["annual"] is None else f"EUR {c['annual']:,.0f} per year")
    for li in c["lines"]:
        out.add(f"  {li['item']}: {li['quantity']:,.0f} x {li['unit_price']} {li['currency']} "
              f"= EUR {li['amount_eur']:,.0f} (price of {li['price_date']}, {li['confidence']})")
    out.add("\nSovereignty (EU CSF):", "overall SEAL",
          "-" if d["seal"]["overall"] is None else d["seal"]["overall"],
          "" if d["seal"]["complete"] else "(ceiling: some objectives unknown)")
    for o in d["seal"]["objectives"]:
        out.add(f"  {o['objective']}: {'-' if o['level'] is None else o['level']} "
              f"({o['origin']}) {o['reason']}")
    if d["warnings"]:
        out.add("\nEvidence warnings:")
        for w in d["warnings"]:
            out.add(f"  - {w}")
    return out.text()


def _topsis_text(out: Lines, d: dict[str, Any], tp: dict[str, Any]) -> None:
    if not tp["scored"]:
        out.add(f"\nTOPSIS: not scored ({tp['reason']}).")
        return
    out.add(f"\nHow the TOPSIS total was built: closeness = S- / (S+ + S-) = "
            f"{tp['s_minus']:.4f} / ({tp['s_plus']:.4f} + {tp['s_minus']:.4f}) = "
            f"{tp['closeness']:.4f} -> {fmt(d['total'], 2)}")
    out.add("Questions by their share of the squared distances (largest first):")
    rows = [[x["pillar"], x["question"], fmt(x["utility"]), f"{x['weight']:.4f}",
             f"{x['d_plus_sq']:.2e}", f"{x['d_minus_sq']:.2e}"] for x in tp["leaves"]]
    out.add(table(rows, ["pillar", "question", "utility", "weight", "to ideal^2",
                         "to anti-ideal^2"]))
    out.add(f"\nWeighted sum for comparison: total {fmt(tp['wsm']['total'], 2)}, rank "
            f"{tp['wsm']['rank'] or '-'} (TOPSIS rank {d['rank'] or '-'}).")
    out.add(tp["why_orders_differ"])
