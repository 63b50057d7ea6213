"""The one scoring path used by the CLI, the app and the exports, in named stages:

1. ``facts_of``    legal exposure, annual cost and SEAL levels of each offer on the date;
2. ``_utilities``  every scored leaf's 0-100 utility with its reason (NaN = unknown);
3. ``_gates``      pass/fail before award (Directive 2014/24 art. 56-58), with reasons; under
                   ``uncertain`` a gate on an unknown answer or date is undetermined: the offer
                   stays in the ranking, marked, its rank range reaching "excluded";
4. ``_cost_note``  the price note among the eligible, costable offers (the competing bids);
5. ``_method_totals``  totals by the scenario's bound method's ``score`` (the registry is the
   only road, the weighted sum included), on the matrix the missing-answer policy completed;
6. ``ranks.rank_stage``: THE ranking rule (``ranking.py``) among the offers that pass (tied
   offers share their rank), then one ``OfferResult`` per offer.

Missing answers follow the scenario's policy: ``worst`` (utility 0, the default for tenders: a
bidder gets no credit for what it did not demonstrate) or ``exclude`` (weights renormalised over
the answered questions, level by level, shown per offer as ``coverage``).

A scenario file's offers are loaded, then handed here, by ``load`` (``evaluate_path``,
``evaluate_scenario``); stage 1 lives in ``facts``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

from ..errors import InputError, Problem, ScenarioError
from ..hashing import sha256_text
from ..i18n import N_
from ..messages import Msg, joined, word
from ..methods.registry import METHODS, Method
from ..models import Catalogue, Offer
from ..rules.certifications import add_years, evidence_warnings
from ..rules.cost import price_notes
from ..rules.gates import GateResult, check_gate
from ..rules.legal import LegalExposure, LegalTimeline, load_timeline
from ..rules.sovereignty import overall_seal
from ..scenario.catalogue import resolve_gates, scenario_catalogue
from ..scenario.model import Scenario
from ..scenario.rules import catalogue_problems, weight_warnings
from ..scenario.texts import quoted
from .facts import Facts, Memo, check_costable, facts_of
from .policy import (
    aggregate,
    has_intervals,
    method_inputs,
    pillar_scores,
    point_policy,
    renormalises,
    three_valued_gates,
)
from .ranks import rank_stage
from .result import Evaluation, OfferResult, scored_rows
from .tree import COST_LEAF, LEGAL_LEAF, Leaf, build_leaves, not_applicable
from .uncertainty import Bounds, utility_bounds
from .utilities import answer_utility

FloatArray = np.ndarray


def result_hash(sc: Scenario, method: str, cat: Catalogue, tl: LegalTimeline,
                offers: Sequence[Offer], canonical: str | None = None) -> str:
    """SHA-256 over content only (never file paths): the same inputs give the same hash on any
    machine. Offers are taken in id order."""
    return sha256_text("|".join([
        canonical or sc.canonical(), method, "timeline=" + tl.sha256, "catalogue=" + cat.sha256,
        "offers=" + ",".join(o.sha256 for o in sorted(offers, key=lambda o: o.offer_id)),
    ]))
def _check(sc: Scenario, cat: Catalogue, method: str, file: str) -> None:
    problems = catalogue_problems(sc, cat, file)
    if method not in METHODS:
        problems.append(Problem(file, "", "method", f"unknown method {method!r} (known: "
                                f"{', '.join(METHODS)})"))
    for g in sc.gates:
        if g.kind == "min_pillar" and g.pillar == "cost":
            problems.append(Problem(file, "", f"gates.{g.id}", "a minimum on the cost note "
                                    "depends on the competing offers; use a budget rule instead"))
    if problems:
        raise ScenarioError(problems)


def _utilities(sc: Scenario, offers: Sequence[Offer], leaves: Sequence[Leaf], cat: Catalogue,
               facts: Facts, memo: Memo | None = None) -> tuple[FloatArray, list[list[str]]]:
    """Offers × leaves utilities (NaN = unknown) and the reason of each; the cost leaf is
    filled by ``_cost_note`` once the competing set is known."""
    qmap = {q.id: q for q in cat.questions}
    util = np.full((len(offers), len(leaves)), np.nan)
    why = [[""] * len(leaves) for _ in offers]
    for i, o in enumerate(offers):
        known = memo.get("utilities", o) if memo else None
        if known is not None:
            util[i], why[i] = known[0], list(known[1])
            continue
        lv = {x.objective: x for x in facts.seals[o.offer_id]}
        legal = facts.legal[o.offer_id]
        for j, lf in enumerate(leaves):
            if lf.question == LEGAL_LEAF and legal is not None:
                util[i, j] = legal.utility
                why[i][j] = joined("; ", [Msg(N_("{label} {points:+g}"), label=f.label,
                                              points=f.points)
                                          for f in legal.findings if f.points]) or Msg(
                    N_("no non-EU law reaches the offer"))
            elif lf.pillar == "sovereignty":
                x = lv[lf.criterion]
                if x.level is not None:
                    util[i, j] = 25.0 * x.level
                why[i][j] = Msg(N_("{origin}: {reason}"), origin=word(x.origin),
                                reason=x.reason)
            elif lf.question != COST_LEAF:
                u, w = answer_utility(qmap[lf.question], o, sc.evaluation_date,
                                      cat.certifications)
                if u is not None:
                    util[i, j] = u
                why[i][j] = w
        if memo:
            memo.put("utilities", o, (util[i].copy(), tuple(why[i])))
    return util, why


def _pillars_of(matrix: dict[str, FloatArray], i: int, pillars: Sequence[str]
                ) -> dict[str, float | None]:
    """One offer's score on every pillar of the catalogue (None: not weighted, or unknown)."""
    return {p: (None if p not in matrix or np.isnan(matrix[p][i]) else float(matrix[p][i]))
            for p in pillars}


def _gates(sc: Scenario, offers: Sequence[Offer], leaves: Sequence[Leaf], util: FloatArray,
           policy: str, facts: Facts, cat: Catalogue, coverage: FloatArray,
           memo: Memo | None = None) -> dict[str, list[GateResult]]:
    """Gates that do not depend on the cost note (a cost-note minimum is refused in ``_check``),
    and the scenario's minimum coverage (share of the weight answered)."""
    needs_pillars = any(g.kind == "min_pillar" for g in sc.gates)
    pm = pillar_scores(util, aggregate(util, leaves, policy)[1], leaves, policy) if (
        needs_pillars) else {}
    out: dict[str, list[GateResult]] = {}
    for i, o in enumerate(offers):
        known = memo.get("gates", o) if memo else None
        if known is not None:  # gates read only the offer's own answers, pillars and coverage
            out[o.offer_id] = known
            continue
        seals = facts.seals[o.offer_id]
        cost = facts.cost[o.offer_id]
        out[o.offer_id] = [
            check_gate(g, o, sc.evaluation_date, rules=cat.certifications,
                       pillars=_pillars_of(pm, i, cat.pillar_ids),
                       seal_levels={x.objective: x.level for x in seals},
                       seal_overall=overall_seal(seals)[0], costable=cost.costable,
                       missing_cost=cost.missing,
                       seal_questions={x.objective: x.question for x in seals},
                       three_valued=three_valued_gates(sc.missing_policy))
            for g in sc.gates
        ]
        if sc.min_coverage is not None:
            ok = coverage[i] >= sc.min_coverage - 1e-12
            out[o.offer_id].append(GateResult(
                o.offer_id, "min_coverage", Msg(N_("Minimum answered weight")), bool(ok),
                Msg(N_("{answered:.0%} of the weight answered, {required:.0%} required")
                    if ok else N_("{answered:.0%} of the weight answered, {required:.0%} "
                                  "required (too few facts to rank the offer)"),
                    answered=coverage[i], required=sc.min_coverage)))
        if memo:
            memo.put("gates", o, out[o.offer_id])
    return out


def _coverage(util: FloatArray, leaves: Sequence[Leaf], offers: Sequence[Offer],
              facts: Facts) -> FloatArray:
    """Share of the weight answered per offer (the cost leaf counts as answered when the offer
    can be costed: its note is known before the competing set is)."""
    known = ~np.isnan(util)
    for j, lf in enumerate(leaves):
        if lf.question == COST_LEAF:
            known[:, j] = [facts.cost[o.offer_id].costable for o in offers]
    wg = np.array([lf.weight for lf in leaves])
    return np.asarray(known @ wg / max(float(wg.sum()), 1e-300))


def _bounds(sc: Scenario, leaves: Sequence[Leaf], offers: Sequence[Offer], util: FloatArray,
            facts: Facts, eligible: dict[str, bool] | None = None) -> Bounds:
    """Utility intervals under ``uncertain``; the legal leaf from its worst and best cases;
    with ``eligible`` (once the cost notes are known), late-read prices widened (``_drifted``)."""
    overrides: dict[int, tuple[FloatArray, FloatArray]] = {}
    if facts.legal_best is not None:
        for j, lf in enumerate(leaves):
            if lf.question == LEGAL_LEAF:
                overrides[j] = (np.array([_utility(facts.legal[o.offer_id]) for o in offers]),
                                np.array([_utility(facts.legal_best.get(o.offer_id))
                                          for o in offers]))
    b = utility_bounds(util, sc.uncertain_prior, overrides)
    return b if eligible is None else _drifted(sc, leaves, offers, facts, eligible, b)


def _utility(e: LegalExposure | None) -> float:
    return float("nan") if e is None else e.utility


def _drifted(sc: Scenario, leaves: Sequence[Leaf], offers: Sequence[Offer], facts: Facts,
             eligible: dict[str, bool], b: Bounds) -> Bounds:
    """The cost notes of offers priced from lists read after the evaluation date, widened by
    the scenario's labelled ``price_drift``: the note at ``cost × (1 + d)`` and at
    ``cost × (1 − d)``, ``d = per_year × years late``, against the same competing set as
    ``_cost_note`` (a price the committee could not have read on the date is a range, not a
    fact)."""
    jc = next((j for j, lf in enumerate(leaves) if lf.question == COST_LEAF), None)
    drift = sc.price_drift
    if jc is None or drift is None:
        return b
    ref = [c.annual_cost for o in offers if eligible[o.offer_id]
           and (c := facts.cost[o.offer_id]).annual_cost is not None]
    lo, hi = b.lo.copy(), b.hi.copy()
    for i, o in enumerate(offers):
        c = facts.cost[o.offer_id]
        if c.annual_cost is None or not c.price_after_evaluation_date or not ref:
            continue
        d = min(1.0, float(drift.per_year) * c.late_days / 365.25)
        worse, better = (price_notes([c.annual_cost * f], sc.price_formula.kind, 100.0,
                                     sc.price_formula.n, reference=ref)[0]
                         for f in (1 + d, 1 - d))
        lo[i, jc], hi[i, jc] = min(lo[i, jc], worse), max(hi[i, jc], better)
    return Bounds(lo, hi)


def _cost_note(sc: Scenario, offers: Sequence[Offer], leaves: Sequence[Leaf], util: FloatArray,
               why: list[list[str]], facts: Facts, eligible: dict[str, bool]) -> None:
    """Fill the cost leaf: the price note against the eligible, costable offers."""
    jc = next((j for j, lf in enumerate(leaves) if lf.question == COST_LEAF), None)
    if jc is None:
        return
    ref = [c.annual_cost for o in offers if eligible[o.offer_id]
           and (c := facts.cost[o.offer_id]).annual_cost is not None]
    for i, o in enumerate(offers):
        c = facts.cost[o.offer_id]
        if c.annual_cost is not None and ref:
            note = price_notes([c.annual_cost], sc.price_formula.kind, 100.0,
                               sc.price_formula.n, reference=ref)[0]
            util[i, jc] = note
            why[i][jc] = Msg(N_("€{cost:,.0f}/year ({workload}); {formula} note vs lowest "
                                "€{lowest:,.0f}"), cost=c.annual_cost,
                             workload=quoted(sc.id, "workload.label", sc.workload.label),
                             formula=word(sc.price_formula.kind),
                             lowest=min(ref))
        elif c.costable:
            why[i][jc] = Msg(N_("no eligible costable offer to note against"))
        else:
            why[i][jc] = Msg(N_("not costable: missing {items}"), items=joined(", ", c.missing))


def bind_method(sc: Scenario, method: str, leaves: Sequence[Leaf], file: str) -> Method:
    """The scenario's method with its parameters resolved against the scored leaves (a
    parameter naming no leaf is a located error)."""
    m = METHODS[method]
    try:
        params = m.parse_params(sc.method_params.get(m.params_key)) if m.params_key else None
        return m.bind(params, [(lf.question, lf.criterion, lf.pillar) for lf in leaves])
    except InputError as exc:
        raise ScenarioError([Problem(file, "", m.params_key or "method", str(exc))]) from None


def _method_totals(m: Method, scored: FloatArray, eff: FloatArray, leaves: Sequence[Leaf],
                   policy: str, eligible: Sequence[bool]) -> FloatArray:
    """Every total by the bound method's own ``score``, on the matrix the missing-answer policy
    made complete (``method_inputs``); NaN for the offers the method does not score (the
    excluded ones, when a score depends on the other offers present).

    Next: the method's ``score`` (``scoring.methods.registry``; the weighted sum is
    ``scoring.methods.wsm.wsm_score``), then ``scoring.ranking.ranks``.
    """
    out = np.full(scored.shape[0], np.nan)
    rows = scored_rows(m, eligible)
    if rows:
        u, w = method_inputs(m.linear, scored[rows], eff[rows], leaves, policy)
        out[rows] = m.score(u, w)
    return out


def _evidence_notes(sc: Scenario, coverage: float, costed: bool) -> list[str]:
    """What the total rests on: few answered facts (exclude policy), a labelled workload."""
    out: list[str] = []
    if renormalises(sc.missing_policy) and coverage < 0.5:
        out.append(Msg(N_("only {coverage:.0%} of the weight is answered: the total rests on "
                          "few facts"), coverage=coverage))
    if costed:
        out.append(Msg(N_("cost depends on {workload}"),
                       workload=quoted(sc.id, "workload.label", sc.workload.label)))
    return out


def _warnings(o: Offer, on: dt.date, term_end: dt.date, cat: Catalogue, memo: Memo | None
              ) -> list[str]:
    known = memo.get("warnings", o) if memo else None
    if known is None:
        known = ([] if cat.certifications is None else
                 evidence_warnings(o, on, term_end, cat.certifications))
        if memo:
            memo.put("warnings", o, known)
    return list(known)


def evaluate(
    sc: Scenario,
    offers: Sequence[Offer],
    *,
    cat: Catalogue | None = None,
    timeline: LegalTimeline | None = None,
    method: str | None = None,
    scenario_file: str = "<scenario>",
    input_files: dict[str, str] | None = None,
    memo: Memo | None = None,
) -> Evaluation:
    """Score every offer of a scenario: gates, the catalogue's pillars, totals, ranks, reasons.

    ``cat`` is the scenario's catalogue; without it the catalogue the scenario names is loaded
    (a bundled id; a path needs ``evaluate_scenario``, which knows the scenario's folder).
    ``memo`` (the clarification list's re-scoring) reuses the per-offer work of unchanged
    offers; results are identical with or without it."""
    cat = cat or scenario_catalogue(sc)
    sc = resolve_gates(sc, cat, scenario_file)
    tl = timeline or load_timeline()
    method = method or sc.method
    _check(sc, cat, method, scenario_file)
    on = sc.evaluation_date
    if memo is not None and "leaves" in memo.scenario:
        leaves = memo.scenario["leaves"]
    else:
        leaves = build_leaves(sc, cat, scenario_file)
        if memo is not None:
            memo.scenario["leaves"] = leaves
    offers = sorted(offers, key=lambda o: o.offer_id)
    ids = [o.offer_id for o in offers]

    facts = facts_of(sc, offers, cat, tl, memo)
    check_costable(sc, leaves, facts, scenario_file)
    util, why = _utilities(sc, offers, leaves, cat, facts, memo)
    uncertain = has_intervals(sc.missing_policy)
    policy = point_policy(sc.missing_policy)
    coverage = _coverage(util, leaves, offers, facts)
    scored = _bounds(sc, leaves, offers, util, facts).point if uncertain else util
    gate_res = _gates(sc, offers, leaves, scored, policy, facts, cat, coverage, memo)
    eligible = {k: all(g.passed for g in v) for k, v in gate_res.items()}
    status = {k: "pass" if eligible[k] else "fail" if any(g.failed for g in v)
              else "undetermined" for k, v in gate_res.items()}
    _cost_note(sc, offers, leaves, util, why, facts, eligible)
    bounds = _bounds(sc, leaves, offers, util, facts, eligible) if uncertain else None
    scored = bounds.point if bounds is not None else util

    eff = aggregate(scored, leaves, policy)[1]
    scorer = bind_method(sc, method, leaves, scenario_file)
    totals = _method_totals(scorer, scored, eff, leaves, policy, [eligible[k] for k in ids])

    rk = rank_stage(ids, status, totals, leaves, bounds, scorer)
    term_end = add_years(on, max(1, math.ceil(sc.workload.contract_years)))
    has_cost = any(lf.question == COST_LEAF for lf in leaves)

    pm = pillar_scores(scored, eff, leaves, policy)
    results: list[OfferResult] = []
    for i, o in enumerate(offers):
        k = o.offer_id
        t = None if np.isnan(totals[i]) else float(totals[i])
        ov, complete = overall_seal(facts.seals[k])
        warn = _warnings(o, on, term_end, cat, memo) + list(facts.cost[k].warnings)
        warn += _evidence_notes(sc, float(coverage[i]), facts.cost[k].costable and has_cost)
        results.append(OfferResult(
            offer=o, eligible=eligible[k],
            excluded_by=tuple(g.gate for g in gate_res[k] if g.failed),
            pillars=_pillars_of(pm, i, cat.pillar_ids), total=t,
            rank=rk.rank.get(k), coverage=float(coverage[i]), cost=facts.cost[k],
            legal=facts.legal[k], seal_levels=tuple(facts.seals[k]), seal_overall=ov,
            seal_complete=complete, gates=tuple(gate_res[k]),
            warnings=tuple(dict.fromkeys(warn)), tied_with=rk.tied_with.get(k, ()), index=i,
            total_range=rk.total_range.get(k), rank_range=rk.rank_range.get(k),
            shared_rank=rk.shared.get(k), rank_if_admitted=rk.if_admitted.get(k),
            range_exact=rk.range_exact if k in rk.total_range else None,
        ))
    order = {"pass": 0, "undetermined": 1, "fail": 2}
    def place(r: OfferResult) -> tuple[int, int, float, str]:
        """Passing offers by position, then the undetermined by total (their rank if admitted
        alone), then the excluded by id."""
        if r.eligibility == "undetermined":
            return (1, r.rank_if_admitted or 0, -(r.total if r.total is not None else -1e300),
                    r.offer.offer_id)
        return (order[r.eligibility], r.rank or 0, 0.0, r.offer.offer_id)
    results.sort(key=place)
    inputs = dict(sorted((input_files or {}).items()))
    inputs["timeline"] = tl.sha256
    inputs["catalogue"] = cat.sha256
    util.setflags(write=False)
    eff = np.array(eff)
    eff.setflags(write=False)
    return Evaluation(
        scenario=sc, scenario_file=scenario_file,
        hash=result_hash(sc, method, cat, tl, offers,
                         None if memo is None else memo.scenario.setdefault("canonical",
                                                                            sc.canonical())),
        method=method, leaves=tuple(leaves), results=tuple(results), offers=tuple(offers),
        utilities=util, effective_weights=eff, reasons=tuple(tuple(r) for r in why),
        inputs=inputs, bounds=bounds, not_applicable=not_applicable(cat, on), scorer=scorer,
        legal_label=tl.weighting.label if tl.weighting is not None else None,
        catalogue=cat, weight_warnings=tuple(weight_warnings(sc, cat, scenario_file)),
    )
