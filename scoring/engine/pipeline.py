"""The one scoring path used by the CLI, the app and the exports: gates, four pillars, totals,
ranks and reasons, in named stages.

Aggregation is the hierarchical weighted sum of ``tree`` by default, or TOPSIS (Hwang & Yoon 1981,
vector normalisation) over the same leaf utilities and global weights.

Missing answers follow the scenario's policy: ``worst`` (utility 0, the default for tenders: a
bidder gets no credit for what it did not demonstrate) or ``exclude`` (weights renormalised over
the answered questions, level by level, shown per offer as ``coverage``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..catalogue import load_catalogue
from ..cost import annual_cost, price_notes
from ..errors import Problem, ScenarioError
from ..gates import HDS_V1_DEADLINE, GateResult, check_gate
from ..legal import LegalTimeline, _add_years, exposure, load_timeline
from ..models import PILLARS, Catalogue, Offer
from ..questionnaire import load_offers
from ..scenario import Scenario, load_scenario
from ..sovereignty import objective_levels, overall_seal
from .result import Evaluation, OfferResult
from .tree import COST_LEAF, LEGAL_LEAF, Leaf, aggregate, build_leaves
from .utilities import answer_utility


def result_hash(sc: Scenario, method: str, cat: Catalogue, tl: LegalTimeline,
                offers: Sequence[Offer]) -> str:
    """SHA-256 over content only (never file paths): the same inputs give the same hash on any
    machine. Offers are taken in key order."""
    return hashlib.sha256("|".join([
        sc.canonical(), method, "timeline=" + tl.sha256, "catalogue=" + cat.sha256,
        "offers=" + ",".join(o.sha256 for o in sorted(offers, key=lambda o: o.key)),
    ]).encode()).hexdigest()


def resolve_offers(sc: Scenario, base: Path, cat: Catalogue) -> tuple[list[Offer], dict[str, str]]:
    """Load the offers a scenario names (paths relative to the scenario file)."""
    paths = [(base / p).resolve() for p in sc.offers.paths]
    loaded = load_offers(paths, cat)
    offers = [o for o in loaded.offers
              if (sc.offers.include is None or o.offer_id in sc.offers.include)
              and o.offer_id not in sc.offers.exclude]
    if sc.offers.include:
        missing = set(sc.offers.include) - {o.offer_id for o in offers}
        if missing:
            raise ScenarioError([Problem("", "", "offers.include",
                                         f"no such offer: {', '.join(sorted(missing))}")])
    return offers, dict(loaded.files)


def evaluate_path(path: str | Path, method: str | None = None) -> Evaluation:
    """Load a scenario file and everything it names, then evaluate it."""
    sc, base = load_scenario(path)
    cat = load_catalogue()
    offers, files = resolve_offers(sc, base, cat)
    return evaluate(sc, offers, cat=cat, timeline=load_timeline(), method=method,
                    scenario_file=str(path), input_files=files)


def evaluate(
    sc: Scenario,
    offers: Sequence[Offer],
    *,
    cat: Catalogue | None = None,
    timeline: LegalTimeline | None = None,
    method: str | None = None,
    scenario_file: str = "<scenario>",
    input_files: dict[str, str] | None = None,
) -> Evaluation:
    """Score every offer of a scenario: gates, four pillars, totals, ranks, reasons."""
    cat = cat or load_catalogue()
    tl = timeline or load_timeline()
    method = method or sc.method
    if method not in ("wsm", "topsis"):
        raise ScenarioError([Problem(scenario_file, "", "method",
                                     f"unknown method {method!r} (wsm or topsis)")])
    for g in sc.gates:
        if g.kind == "min_pillar" and g.pillar == "cost":
            raise ScenarioError([Problem(scenario_file, "", f"gates.{g.id}",
                                         "a minimum on the cost note depends on the competing "
                                         "offers; use a budget rule instead")])
    on = sc.evaluation_date
    leaves = build_leaves(sc, cat, scenario_file)
    offers = sorted(offers, key=lambda o: o.key)
    qmap = {q.id: q for q in cat.questions}
    rates = {k: r.value for k, r in sc.rates.items()}
    term_end = _add_years(on, max(1, math.ceil(sc.workload.contract_years)))

    legal = {o.key: exposure(o, tl, on, sc.missing_policy, sc.legal_model) for o in offers}
    costs = {o.key: annual_cost(o, sc.workload.annual, sc.workload.one_off,
                                sc.workload.contract_years, sc.currency, rates, on)
             for o in offers}
    seals = {o.key: objective_levels(o, on, sc.sovereignty.derive_from_facts) for o in offers}

    # Utilities per leaf (cost filled once the eligible set is known).
    m, n = len(offers), len(leaves)
    util = np.full((m, n), np.nan)
    why: list[list[str]] = [[""] * n for _ in range(m)]
    for i, o in enumerate(offers):
        lv = {x.objective: x for x in seals[o.key]}
        for j, lf in enumerate(leaves):
            if lf.question == LEGAL_LEAF:
                util[i, j] = legal[o.key].utility
                why[i][j] = "; ".join(f"{f.label} {f.points:+g}" for f in legal[o.key].findings
                                      if f.points) or "no non-EU law reaches the offer"
            elif lf.pillar == "sovereignty":
                x = lv[lf.criterion]
                if x.level is not None:
                    util[i, j] = 25.0 * x.level
                why[i][j] = f"{x.origin}: {x.reason}"
            elif lf.question != COST_LEAF:
                u, w = answer_utility(qmap[lf.question], o, on)
                if u is not None:
                    util[i, j] = u
                why[i][j] = w

    def pillar_scores(i: int, eff: np.ndarray, u: np.ndarray) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for p in PILLARS:
            idx = [j for j, lf in enumerate(leaves) if lf.pillar == p]
            if not idx:
                out[p] = None
                continue
            k = ~np.isnan(u[i, idx])
            if not k.any():
                out[p] = None
                continue
            if sc.missing_policy == "worst":
                ws = np.array([leaves[j].w_criterion * leaves[j].w_question for j in idx])
                out[p] = float(np.nan_to_num(u[i, idx]) @ ws / ws.sum())
            else:
                ws = eff[i, idx]
                out[p] = float(np.nan_to_num(u[i, idx]) @ ws / ws.sum()) if ws.sum() else None
        return out

    # Gates that do not depend on the cost note.
    gate_res: dict[str, list[GateResult]] = {}
    _, eff0, _ = aggregate(util, leaves, sc.missing_policy)
    for i, o in enumerate(offers):
        ps = pillar_scores(i, eff0, util)
        ov, _ = overall_seal(seals[o.key])
        gate_res[o.key] = [
            check_gate(g, o, on, pillars=ps,
                       seal_levels={x.objective: x.level for x in seals[o.key]},
                       seal_overall=ov, costable=costs[o.key].costable,
                       missing_cost=costs[o.key].missing)
            for g in sc.gates
        ]
    eligible = {k: all(g.passed for g in v) for k, v in gate_res.items()}

    # Cost note against the eligible, costable offers (the competing bids).
    jc = next((j for j, lf in enumerate(leaves) if lf.question == COST_LEAF), None)
    if jc is not None:
        ref = [costs[o.key].annual_cost for o in offers
               if eligible[o.key] and costs[o.key].costable]
        ref = [c for c in ref if c and c > 0]
        for i, o in enumerate(offers):
            c = costs[o.key]
            if c.costable and c.annual_cost and ref:
                note = price_notes([c.annual_cost], sc.price_formula.kind, 100.0,
                                   sc.price_formula.n, reference=ref)[0]
                util[i, jc] = note
                why[i][jc] = (f"€{c.annual_cost:,.0f}/year ({sc.workload.label}); "
                              f"{sc.price_formula.kind} note vs lowest €{min(ref):,.0f}")
            elif c.costable:
                why[i][jc] = "no competing costable offer to note against"
            else:
                why[i][jc] = "not costable: missing " + ", ".join(c.missing)

    totals, eff, coverage = aggregate(util, leaves, sc.missing_policy)
    if method == "topsis":
        totals = _topsis_totals(util, leaves, [eligible[o.key] for o in offers])

    # Ranks among eligible offers: total descending, then offer key (deterministic tie-break).
    elig_idx = [i for i, o in enumerate(offers) if eligible[o.key] and not np.isnan(totals[i])]
    order = sorted(elig_idx, key=lambda i: (-round(float(totals[i]), 9), offers[i].key))
    rank = {offers[i].key: r + 1 for r, i in enumerate(order)}

    results: list[OfferResult] = []
    rows: list[dict[str, Any]] = []
    for i, o in enumerate(offers):
        t = None if np.isnan(totals[i]) else float(totals[i])
        ties = tuple(offers[k].offer_id for k in elig_idx
                     if k != i and eligible[o.key] and t is not None
                     and abs(float(totals[k]) - t) < 1e-9)
        ov, complete = overall_seal(seals[o.key])
        warn = list(_evidence_warnings(o, on, term_end)) + list(costs[o.key].warnings)
        if sc.missing_policy == "exclude" and coverage[i] < 0.5:
            warn.append(f"only {coverage[i]:.0%} of the weight is answered: the total rests on "
                        "few facts")
        if costs[o.key].costable and jc is not None:
            warn.append(f"cost depends on {sc.workload.label}")
        results.append(OfferResult(
            offer=o, eligible=eligible[o.key],
            excluded_by=tuple(g.gate for g in gate_res[o.key] if not g.passed),
            pillars=pillar_scores(i, eff, util), total=t, rank=rank.get(o.key),
            coverage=float(coverage[i]), cost=costs[o.key], legal=legal[o.key],
            seal_levels=tuple(seals[o.key]), seal_overall=ov, seal_complete=complete,
            gates=tuple(gate_res[o.key]), warnings=tuple(dict.fromkeys(warn)), tied_with=ties,
        ))
        for j, lf in enumerate(leaves):
            a = o.answer(lf.question) if lf.question in qmap else None
            u = None if np.isnan(util[i, j]) else float(util[i, j])
            rows.append({
                "offer": o.offer_id, "vendor": o.vendor_name, "pillar": lf.pillar,
                "criterion": lf.criterion, "question": lf.question,
                "answer": (str(a.value) if a is not None and a.known else
                           ("unknown" if a is not None else "")),
                "confidence": a.confidence if a is not None else "computed",
                "utility": u, "weight": lf.weight, "effective_weight": float(eff[i, j]),
                "contribution": (u or 0.0) * float(eff[i, j]), "reason": why[i][j],
            })
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.offer.key))
    inputs = dict(sorted((input_files or {}).items()))
    inputs["timeline"] = tl.sha256
    inputs["catalogue"] = cat.sha256
    h = result_hash(sc, method, cat, tl, offers)
    return Evaluation(sc, scenario_file, h, method, tuple(leaves), tuple(results), tuple(rows),
                      inputs)


def _topsis_totals(util: np.ndarray, leaves: Sequence[Leaf], eligible: list[bool]) -> np.ndarray:
    """TOPSIS closeness × 100 among eligible offers (unknown utilities count as 0)."""
    from ..methods.topsis import topsis

    out = np.full(util.shape[0], np.nan)
    idx = [i for i, e in enumerate(eligible) if e]
    if not idx:
        return out
    w = np.array([lf.weight for lf in leaves])
    keep = w > 0
    mat = np.nan_to_num(util[np.ix_(idx, np.flatnonzero(keep))])
    res = topsis(mat, w[keep], np.ones(int(keep.sum()), dtype=bool))
    out[idx] = np.asarray(res.closeness) * 100.0
    return out


def _evidence_warnings(o: Offer, on: dt.date, term_end: dt.date) -> list[str]:
    """Certifications that have expired or lapse within the contract term."""
    out: list[str] = []
    hds = o.answer("cert.hds")
    if hds.known and hds.value is True:
        if hds.version != "v2" and on < HDS_V1_DEADLINE <= term_end:
            ver = hds.version or "version not stated"
            out.append(f"HDS ({ver}) lapses on {HDS_V1_DEADLINE} unless renewed on v2, within "
                       "the contract term")
        if hds.until and on <= hds.until < term_end:
            out.append(f"HDS certificate ends {hds.until}, within the contract term")
    snc = o.answer("cert.secnumcloud")
    if snc.known and snc.value == "qualified" and snc.since:
        end = snc.until or _add_years(snc.since, 3)
        if end <= o.as_of and not snc.until:
            out.append(f"SecNumCloud first qualified {snc.since}; renewed by {o.as_of}, current "
                       "expiry date not stated")
        elif end <= on:
            out.append(f"SecNumCloud qualification of {snc.since} expired on {end}")
        elif end < term_end:
            out.append(f"SecNumCloud qualification expires {end}, within the contract term "
                       "(renewal needed)")
    if snc.known and snc.value == "in_process":
        out.append("SecNumCloud in process only: qualification not obtained on the evaluation "
                   "date")
    return out
