"""How one offer's total was built, for the method the evaluation used — rendered generically.

Every method explains itself through the registry (``scoring.methods.registry``): its
``explain`` gives per-question pieces of the offer's score, and its metadata says which pieces to
show (``Method.columns``), which per-offer figures they add up to (``Method.figures``: S+ and S-
for TOPSIS, φ for PROMETHEE, S and R for VIKOR), the method's own figure behind the 0-100 score
(``Method.scale``), why its order can differ from the weighted sum (``Method.note``) and
sentences about the whole set (``Method.remarks``). Nothing here knows a method by name: a new
method in the registry is explained here, in the CLI and in the app without other changes.

The pieces are computed on exactly what the engine scored (``Evaluation.method_inputs``: the
same rows, the policy-completed matrix, the same weights), never recomputed another way. For a
method linear in the weights the pieces are the contributions (weight × utility) of the answers
table. For the others the answers table is still shown, as the weighted-sum view of the same
answers, with the weighted-sum total and rank beside the method's: an explanation is always of
the method selected, and the comparison is labelled as one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from ..engine import Evaluation, OfferResult
from ..engine.policy import method_inputs, point_policy
from ..engine.result import scored_rows
from ..errors import HostwiseError
from ..i18n import N_, _, decimal_mark, format_date, format_number
from ..messages import render
from ..methods.registry import REFERENCE_METHOD, Method, get_method
from ..ranking import ranks
from .numbers import percent
from .text import Lines, fmt, table


def find_offer(ev: Evaluation, offer: str) -> OfferResult:
    """The result of ``offer``; a plain error naming the scenario's offers otherwise."""
    try:
        return ev.result(offer)
    except KeyError:
        known = ", ".join(x.offer.offer_id for x in ev.results)
        raise HostwiseError(f"no offer {offer!r} in scenario {ev.scenario.id} (offers: {known})"
                            ) from None


def _eligible(ev: Evaluation) -> list[bool]:
    out = [False] * len(ev.offers)
    for r in ev.results:
        out[r.index] = r.eligible
    return out


def reference_view(ev: Evaluation, r: OfferResult) -> dict[str, Any]:
    """The reference method's (weighted sum's) total and rank of an offer on the same answers,
    scored through the registry like the method itself."""
    ref = get_method(REFERENCE_METHOD)
    elig = _eligible(ev)
    rows = scored_rows(ref, elig)
    u, w = method_inputs(ref.linear, ev.scored_utilities[rows], ev.effective_weights[rows],
                         ev.leaves, point_policy(ev.policy))
    tot = dict(zip(rows, ref.score(u, w).tolist(), strict=True))
    ranked = [i for i in rows if elig[i]]
    rank = None
    if r.index in ranked:
        rank = int(ranks(np.array([tot[i] for i in ranked]))[ranked.index(r.index)])
    return {"method": ref.name, "label": ref.label, "total": tot.get(r.index), "rank": rank}


def _columns(m: Method) -> list[dict[str, Any]]:
    return [{"key": c.key, "label": c.label, "digits": c.digits, "sci": c.sci}
            for c in m.columns]


def method_detail(ev: Evaluation, r: OfferResult) -> dict[str, Any]:
    """The method's own decomposition of one offer's score (the ``method_detail`` of
    ``hostwise explain --json``), from ``Method.explain`` and the method's metadata."""
    m = ev.bound_method
    out: dict[str, Any] = {
        "method": m.name, "label": m.label, "summary": m.summary, "reference": m.reference,
        "linear": m.linear, "note": m.note, "columns": _columns(m),
        "scale": {"symbol": m.scale.symbol, "name": m.scale.name, "digits": m.scale.digits},
    }
    if not m.linear:
        out["reference_view"] = reference_view(ev, r)
    rows, u, w = ev.method_inputs()
    if r.index not in rows or m.explain is None:
        out.update(scored=False, reason=(
            f"excluded by a gate: {m.label} scores the eligible offers only (an offer's score "
            "depends on the other offers present)" if m.explain is not None else
            f"{m.label} declares no decomposition"))
        return out
    pieces = m.explain(u, w)
    i = rows.index(r.index)
    wn = w / w.sum() if w.sum() > 0 else w
    leaves: list[dict[str, Any]] = []
    for j, lf in enumerate(ev.leaves):
        if w[j] <= 0:
            continue
        util = ev.scored_utilities[r.index, j]  # what was scored (uncertain: the middle)
        leaves.append({
            "pillar": lf.pillar, "question": lf.question,
            "utility": None if np.isnan(util) else float(util), "weight": float(wn[j]),
            **{c.key: float(pieces[c.key][i, j]) for c in m.columns if c.key in pieces},
        })
    if m.sort_keys:
        keys = m.sort_keys
        leaves.sort(key=lambda x: -sum(abs(x[k]) for k in keys))
    names = [ev.offers[k].offer_id for k in rows]
    out.update(
        scored=True,
        figures=[{"label": f.label, "value": f.of(pieces, i), "digits": f.digits}
                 for f in m.figures],
        figure=None if r.total is None else m.scale.figure(r.total),
        leaves=leaves,
        remarks=m.remarks(u, w, names) if m.remarks is not None else [],
    )
    return out


def _legal(r: OfferResult) -> dict[str, Any] | None:
    if r.legal is None:
        return None
    return {"utility": r.legal.utility, "us_control": r.legal.us_control,
            "sec196_immune": r.legal.sec196.immune,
            "findings": [{"label": f.label, "points": f.points, "reason": f.reason,
                          "kind": f.kind} for f in r.legal.findings]}


def _cost(ev: Evaluation, r: OfferResult) -> dict[str, Any]:
    return {"annual": r.cost.annual_cost, "missing": list(r.cost.missing),
            "lines": [{"item": li.item, "quantity": li.quantity,
                       "unit_price": li.unit_price, "currency": li.currency,
                       "amount_eur": li.amount, "price_date": li.price_date_text,
                       "confidence": li.confidence} for li in r.cost.lines],
            "workload": ev.scenario.workload.label,
            "price_after_evaluation_date": r.cost.price_after_evaluation_date,
            "days_after_evaluation_date": r.cost.late_days}


def _seal(r: OfferResult) -> dict[str, Any]:
    return {"overall": r.seal_overall, "complete": r.seal_complete,
            "objectives": [{"objective": x.objective, "level": x.level,
                            "origin": x.origin, "reason": x.reason} for x in r.seal_levels]}


def explain_data(ev: Evaluation, offer: str) -> dict[str, Any]:
    """The ``hostwise explain --json`` contract: one offer's decomposition under ev.method.
    ``legal``, ``cost`` and ``seal`` are null when the catalogue does not use that module."""
    r = find_offer(ev, offer)

    def uses(module: str) -> bool:
        return ev.catalogue is None or ev.catalogue.uses(module)

    m = ev.bound_method
    out: dict[str, Any] = {
        "scenario": ev.scenario.id, "hash": ev.hash, "offer": r.offer.offer_id,
        "vendor": r.offer.vendor_name, "evaluation_date": ev.evaluation_date.isoformat(),
        "method": ev.method, "method_label": m.label,
        "assumptions": list(ev.assumption_ids),
        "eligible": r.eligible, "rank": r.rank, "total": r.total, "coverage": r.coverage,
        "pillars": r.pillars,
        "gates": [{"gate": g.label, "passed": g.passed, "reason": g.reason} for g in r.gates],
        "rows": ev.contributions(r.offer.offer_id),
        "legal": _legal(r) if uses("legal") else None,
        "cost": _cost(ev, r) if uses("cost") else None,
        "seal": _seal(r) if uses("sovereignty") else None,
        "warnings": list(r.warnings),
    }
    out["method_detail"] = method_detail(ev, r)
    # The JSON contract only grows: the keys that held a method's own view before
    # ``method_detail`` existed (``topsis`` for TOPSIS, ``method_note`` for every non-linear
    # method) stay, now filled from it.
    if not m.linear:
        out[m.name] = out["method_detail"]
        out["method_note"] = m.note
    return out


# Words of the engine that the explanation shows (a module row's confidence, a SEAL
# objective's origin), marked here for the catalogue; the JSON keeps them in English.
_ENGINE_WORDS = (N_("computed"), N_("derived"), N_("answer"), N_("unknown"))
_ANSWERS = {"True": N_("yes"), "False": N_("no"), "unknown": N_("unknown")}


def _answer(text: str) -> str:
    """An answer as people read it: yes / no / unknown in the run's language, the rest (an
    option, a number, a country) as the questionnaire writes it."""
    return _(_ANSWERS[text]) if text in _ANSWERS else text


def _price_date(text: str | None) -> str:
    """A price's date for people (``28 octobre 2026``); empty when it is not known."""
    try:
        return format_date(dt.date.fromisoformat(str(text)))
    except ValueError:
        return ""


def explain_text(d: dict[str, Any]) -> str:
    """The explanation for people: gates, the method's decomposition, legal, cost, SEAL
    (words in the run's language; answers, reasons from the data and ids as written)."""
    out = Lines()
    day = format_date(dt.date.fromisoformat(d["evaluation_date"]))
    status = _("rank {rank}").format(rank=d["rank"]) if d["eligible"] else _("EXCLUDED")
    out.add(_("{vendor} ({offer}) in {scenario} on {date}: {status}, total {total} (answered "
              "weight {coverage})").format(
        vendor=d["vendor"], offer=d["offer"], scenario=d["scenario"], date=day, status=status,
        total=fmt(d["total"], 2), coverage=percent(d["coverage"])) + "\n")
    out.add(_("Gates:"))
    for g in d["gates"]:
        out.add(f"  [{_('pass') if g['passed'] else _('FAIL')}] "
                + _("{gate}: {reason}").format(gate=render(g["gate"]),
                                               reason=render(g["reason"])))
    md = d["method_detail"]
    if not md["linear"]:
        method_text(out, d, md)
        out.add("\n" + _("Weighted-sum view of the same answers (for comparison, not the "
                         "ranking shown):"))
    else:
        out.add("\n" + _("How the total was built under {method} (answer -> utility -> weight "
                         "-> contribution):").format(method=_(md["label"])))
    rows = [[_(x["pillar"]), x["question"], _answer(x["answer"])[:24], _(x["confidence"]),
             fmt(x["utility"]), decimal_mark(f"{x['effective_weight']:.4f}"),
             fmt(x["contribution"], 2), render(x["reason"])[:70]] for x in d["rows"]]
    out.add(table(rows, [_("pillar"), _("question"), _("answer"), _("confidence"), _("utility"),
                         _("weight"), _("contrib."), _("reason")]))
    if md["linear"]:
        out.add("\n" + _("Total = sum of contributions = {total}").format(
            total=fmt(d["total"], 2)))
    else:
        rv = md["reference_view"]
        out.add("\n" + _("{view} total {total}, rank {rank} under the {view_lower}").format(
            view=_(rv["label"]), total=fmt(rv["total"], 2), rank=rv["rank"] or "-",
            view_lower=_(rv["label"]).lower()))
    _module_text(out, d)
    if d["warnings"]:
        out.add("\n" + _("Evidence warnings:"))
        for w in d["warnings"]:
            out.add(f"  - {render(w)}")
    return out.text()


def _module_text(out: Lines, d: dict[str, Any]) -> None:
    """The computed modules' sections (legal, cost, SEAL), each only when the catalogue uses
    the module."""
    day = format_date(dt.date.fromisoformat(d["evaluation_date"]))
    if d["legal"] is not None:
        out.add("\n" + _("Legal exposure on {date}: utility {utility}/100").format(
            date=day, utility=f"{d['legal']['utility']:.0f}")
                + (" " + _("(points: ASSUMPTION LEGAL-PTS, Hostwise's weighting, not a legal "
                           "fact)") if "LEGAL-PTS" in d["assumptions"] else ""))
        for f in d["legal"]["findings"]:
            out.add(f"  {decimal_mark(format(f['points'], '+6.0f'))}  "
                    + _("{finding}: {reason}").format(finding=render(f["label"]),
                                                      reason=render(f["reason"])))
    c = d["cost"]
    if c is not None:
        if c.get("price_after_evaluation_date"):
            out.add("\n" + _("WARNING: a price used here was read {days} days after the "
                             "evaluation date (the committee could not have read it then).")
                    .format(days=c["days_after_evaluation_date"]))
        out.add("\n" + _("Cost ({workload}):").format(workload=c["workload"]),
                _("not costable, missing {items}").format(
                    items=", ".join(render(m) for m in c["missing"]))
                if c["annual"] is None else
                _("EUR {amount} per year").format(amount=format_number(c["annual"], 0)))
        for li in c["lines"]:
            day = _price_date(li["price_date"])
            out.add("  " + (_("{item}: {quantity} x {unit_price} {currency} = EUR {amount} "
                              "(price of {date}, {confidence})") if day else
                            _("{item}: {quantity} x {unit_price} {currency} = EUR {amount} "
                              "(price date unknown, {confidence})")).format(
                item=li["item"], quantity=format_number(li["quantity"], 0),
                unit_price=decimal_mark(str(li["unit_price"])), currency=li["currency"],
                amount=format_number(li["amount_eur"], 0), date=day,
                confidence=_(li["confidence"])))
    seal = d["seal"]
    if seal is not None:
        level = "-" if seal["overall"] is None else seal["overall"]
        out.add("\n" + (_("Sovereignty (EU CSF): overall SEAL {level}") if seal["complete"] else
                        _("Sovereignty (EU CSF): overall SEAL {level} (ceiling: some "
                          "objectives unknown)")).format(level=level))
        for o in seal["objectives"]:
            out.add(f"  {o['objective']}: {'-' if o['level'] is None else o['level']} "
                    f"({_(o['origin'])}) {render(o['reason'])}")


def _piece(x: float, digits: int, sci: bool) -> str:
    return decimal_mark(f"{x:.{digits}e}" if sci else f"{x:.{digits}f}")


def figures_line(md: dict[str, Any], total: float | None) -> str:
    """"S+ = 0.1234, S- = 0.2345; C = 0.6552 -> total 65.52" from the method's figures."""
    parts = [f["label"] + " = " + decimal_mark(format(f["value"], "." + str(f["digits"]) + "f"))
             for f in md.get("figures", [])]
    sc = md["scale"]
    own = "" if md.get("figure") is None else _("{symbol} = {figure} -> total {total}").format(
        symbol=sc["symbol"], figure=decimal_mark(format(md["figure"], f".{sc['digits']}f")),
        total=fmt(total, 2))
    return "; ".join(x for x in (", ".join(parts), own) if x)


def method_text(out: Lines, d: dict[str, Any], md: dict[str, Any]) -> None:
    """The method's section of the explanation, from its declared columns and figures."""
    if not md["scored"]:
        out.add("\n" + _("{method}: not scored ({reason}).").format(method=_(md["label"]),
                                                                    reason=md["reason"]))
        return
    out.add("\n" + _("How the {method} total was built: {figures}").format(
        method=_(md["label"]), figures=figures_line(md, d["total"])))
    out.add(_(md["summary"]))
    cols = md["columns"]
    if cols:
        out.add(_("Questions by their part in the score (largest first):"))
        rows = [[_(x["pillar"]), x["question"], fmt(x["utility"]),
                 decimal_mark(f"{x['weight']:.4f}"),
                 *(_piece(x[c["key"]], c["digits"], c["sci"]) for c in cols)]
                for x in md["leaves"]]
        out.add(table(rows, [_("pillar"), _("question"), _("utility"), _("weight"),
                             *(c["label"] for c in cols)]))
    for line in md["remarks"]:
        out.add(line)
    rv = md["reference_view"]
    out.add("\n" + _("{view} for comparison: total {total}, rank {rank} ({method} rank "
                     "{method_rank}).").format(view=_(rv["label"]), total=fmt(rv["total"], 2),
                                               rank=rv["rank"] or "-", method=_(md["label"]),
                                               method_rank=d["rank"] or "-"))
    if md["note"]:
        out.add(md["note"])
