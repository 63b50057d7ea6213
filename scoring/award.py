"""From a scenario with lots to an explicit ``AllocationProblem`` (the edge between the scoring
engine and the pure optimiser in ``scoring.allocation``).

Per lot, the scenario's engine is run with the lot's demand as the workload, the lot's gates and
(optionally) the lot's own weights, so that:
- a bid's **cost** is the lot's annual cost from the offer's price sheet (an offer missing a price
  the lot needs cannot bid: "not costable for this lot", never priced at zero);
- a bid's **value** is the offer's 0-100 total for that lot (the cost note competes among the
  offers eligible for the lot);
- a bid is **eligible** when it passes the lot's gates and is costable; its reasons say why not;
- the bid carries the offer's overall SEAL level and legal utility for the lot floors.
Migration costs (one-off) are spread over the contract term, like the workload's one-offs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .allocation import AllocationProblem, AllocationResult, Bid, FrontierPoint, Lot, Rules
from .catalogue import load_catalogue
from .engine import Evaluation, evaluate, resolve_offers, result_hash
from .errors import Problem, ScenarioError
from .legal import load_timeline
from .scenario import LotSpec, Scenario, load_scenario


@dataclass(frozen=True)
class AwardContext:
    """The problem plus what a reader needs to trust it (hash, labels, per-lot evaluations)."""

    scenario: Scenario
    hash: str
    problem: AllocationProblem
    lot_evaluations: dict[str, Evaluation]
    seal_note: str
    assumption_labels: tuple[str, ...]


def _lot_scenario(sc: Scenario, lot: LotSpec) -> Scenario:
    gate_ids = {g.id for g in sc.gates}
    if lot.gates is not None:
        unknown = [g for g in lot.gates if g not in gate_ids]
        if unknown:
            raise ScenarioError([Problem("", "", f"lots.{lot.id}.gates",
                                         f"unknown gate id(s): {', '.join(unknown)}")])
    gates = [g for g in sc.gates if lot.gates is None or g.id in lot.gates]
    workload = sc.workload.model_copy(update={"annual": dict(lot.demand), "one_off": {}})
    return sc.model_copy(update={"gates": gates, "workload": workload,
                                 "weights": lot.weights or sc.weights})


def build_award(path: str | Path) -> AwardContext:
    """Load a scenario with lots and build its allocation problem."""
    sc, base = load_scenario(path)
    if not sc.lots:
        raise ScenarioError([Problem(str(path), "", "lots", "this scenario defines no lots: "
                                     "add lots and allocation rules to optimise an award")])
    cat = load_catalogue()
    tl = load_timeline()
    offers, files = resolve_offers(sc, base, cat)
    ids = {o.offer_id for o in offers}
    problems = []
    for lot in sc.lots:
        if lot.incumbent and lot.incumbent not in ids:
            problems.append(Problem(str(path), "", f"lots.{lot.id}.incumbent",
                                    f"no offer {lot.incumbent!r} in this scenario"))
        for item in lot.demand:
            if item not in cat.price_items:
                problems.append(Problem(str(path), "", f"lots.{lot.id}.demand.{item}",
                                        "unknown price item"))
    lot_ids = {lot.id for lot in sc.lots}
    for a, b in sc.allocation.separations:
        for x in (a, b):
            if x not in lot_ids:
                problems.append(Problem(str(path), "", "allocation.separations",
                                        f"no lot {x!r}"))
    if problems:
        raise ScenarioError(problems)
    bids: list[Bid] = []
    evs: dict[str, Evaluation] = {}
    incomplete = False
    for lot in sc.lots:
        ev = evaluate(_lot_scenario(sc, lot), offers, cat=cat, timeline=tl,
                      scenario_file=str(path), input_files=files)
        evs[lot.id] = ev
        for r in ev.results:
            reasons = [f"{g.label}: {g.reason}" for g in r.gates if not g.passed]
            if not r.cost.costable:
                reasons.append("not costable for this lot: missing " + ", ".join(r.cost.missing))
            incomplete |= not r.seal_complete
            bids.append(Bid(offer=r.offer.offer_id, lot=lot.id,
                            cost=float(r.cost.annual_cost or 0.0),
                            value=float(r.total or 0.0),
                            eligible=r.eligible and r.cost.costable,
                            reasons=tuple(reasons), seal=r.seal_overall,
                            legal_exposure=r.legal.utility))
    years = max(sc.workload.contract_years, 1.0)
    lots = tuple(Lot(id=lot.id, name=lot.name, splittable=lot.splittable,
                     min_share=lot.min_share, min_seal=lot.min_seal, min_legal=lot.min_legal,
                     min_value=lot.min_value, incumbent=lot.incumbent,
                     migration_cost=lot.migration_cost / years, weight=lot.weight)
                 for lot in sc.lots)
    al = sc.allocation
    groups = {o.offer_id: o.group for o in offers} if al.group_by_parent else {}
    rules = Rules(budget=al.budget, max_lots_per_vendor=al.max_lots_per_vendor,
                  max_spend_share_per_vendor=al.max_spend_share_per_vendor,
                  min_vendors=al.min_vendors, max_vendors=al.max_vendors,
                  separations=tuple(tuple(s) for s in al.separations),  # type: ignore[misc]
                  groups=groups, objective=al.objective)
    note = ("SEAL levels are the lowest *known* objective: where objectives are unknown the "
            "level is a ceiling, so a floor is met on the evidence available, not proven"
            if incomplete else "SEAL levels complete for every bid")
    labels = tuple(dict.fromkeys(x.removeprefix("ASSUMPTION ") for x in
                                 [sc.workload.label, *(a.id for a in sc.assumptions)]))
    problem = AllocationProblem(lots, tuple(bids), rules)
    return AwardContext(sc, result_hash(sc, sc.method, cat, tl, offers), problem, evs, note,
                        labels)


def result_json(ctx: AwardContext, res: AllocationResult) -> dict[str, Any]:
    """The stable ``hostwise allocate --json`` contract."""
    return {
        "scenario": ctx.scenario.id,
        "hash": ctx.hash,
        "status": res.status,
        "objective": res.objective,
        "assignment": dict(res.assignment),
        "cost": res.cost,
        "value": res.value,
        "binding": list(res.binding),
        "relaxations": list(res.relaxations),
        "ties": res.ties,
    }


def frontier_json(ctx: AwardContext, points: list[FrontierPoint]) -> dict[str, Any]:
    return {
        "scenario": ctx.scenario.id,
        "hash": ctx.hash,
        "note": ctx.seal_note,
        "assumptions": list(ctx.assumption_labels),
        "points": [p.to_dict() for p in points],
    }
