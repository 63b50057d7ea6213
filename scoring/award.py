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

Bad input is located in the scenario file (bad-inputs rule): every problem of the lots and the
allocation rules is reported at once, as a ``ScenarioError`` whose problems name the file, the
lot and the field (``lots.<id>.min_share``), before any evaluation runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .allocation import AllocationInputError, AllocationProblem, Bid, Lot, Rules, input_problems
from .allocation import winning_quote as allocation_quote
from .engine import evaluate, resolve_offers, result_hash
from .errors import Problem, ScenarioError
from .i18n import N_
from .messages import Msg, joined
from .models import Catalogue, Offer
from .rules.cost import CostResult
from .rules.legal import load_timeline
from .scenario.catalogue import resolve_gates, scenario_catalogue
from .scenario.load import load_scenario
from .scenario.model import LotSpec, Scenario


@dataclass(frozen=True)
class AwardContext:
    """The problem plus what a reader needs to trust it (hash, SEAL note, assumption labels)."""

    scenario: Scenario
    hash: str
    problem: AllocationProblem
    seal_note: str
    assumption_labels: tuple[str, ...]
    # The catalogue's computed modules: a tender without ``sovereignty`` has no SEAL levels to
    # show or sweep, one without ``legal`` no legal exposure (docs/catalogue.md, "Modules").
    modules: tuple[str, ...] = ("legal", "sovereignty", "cost")


def _located(problems: Iterable[Problem], file: str) -> list[Problem]:
    """The optimiser's problems (lot / offer / field, no file) placed in the scenario file."""
    return [Problem(file, p.vendor, p.question, p.message) for p in problems]


def _lot_scenario(sc: Scenario, lot: LotSpec, file: str) -> Scenario:
    gate_ids = {g.id for g in sc.gates}
    if lot.gates is not None:
        unknown = [g for g in lot.gates if g not in gate_ids]
        if unknown:
            raise ScenarioError([Problem(file, "", f"lots.{lot.id}.gates",
                                         f"unknown gate id(s): {', '.join(unknown)}")])
    gates = [g for g in sc.gates if lot.gates is None or g.id in lot.gates]
    workload = sc.workload.model_copy(update={"annual": dict(lot.demand), "one_off": {}})
    return sc.model_copy(update={"gates": gates, "workload": workload,
                                 "weights": lot.weights or sc.weights})


def _lots_and_rules(sc: Scenario, groups: dict[str, str]) -> tuple[tuple[Lot, ...], Rules]:
    years = max(sc.workload.contract_years, 1.0)
    lots = tuple(Lot(id=lot.id, name=lot.name, splittable=lot.splittable,
                     min_share=lot.min_share, min_seal=lot.min_seal, min_legal=lot.min_legal,
                     min_value=lot.min_value, incumbent=lot.incumbent,
                     migration_cost=lot.migration_cost / years, weight=lot.weight)
                 for lot in sc.lots)
    al = sc.allocation
    seps = tuple((a, b) for a, b in al.separations)
    rules = Rules(budget=al.budget, max_lots_per_vendor=al.max_lots_per_vendor,
                  max_spend_share_per_vendor=al.max_spend_share_per_vendor,
                  min_vendors=al.min_vendors, max_vendors=al.max_vendors,
                  separations=seps, groups=groups, objective=al.objective)
    return lots, rules


def _scenario_problems(sc: Scenario, file: str, offer_ids: set[str],
                       cat: Catalogue) -> list[Problem]:
    problems = []
    if not cat.uses("cost"):
        problems.append(Problem(file, "", "lots", f"the catalogue {cat.id} has no cost module: "
                                "lots are priced from price sheets, which it does not ask for"))
    for lot in sc.lots:
        for floor, module in (("min_seal", "sovereignty"), ("min_legal", "legal")):
            if getattr(lot, floor) is not None and not cat.uses(module):
                problems.append(Problem(file, "", f"lots.{lot.id}.{floor}", f"the catalogue "
                                        f"{cat.id} has no {module} module to measure it"))
        if lot.incumbent and lot.incumbent not in offer_ids:
            problems.append(Problem(file, "", f"lots.{lot.id}.incumbent",
                                    f"no offer {lot.incumbent!r} in this scenario"))
        for item in lot.demand:
            if item not in cat.price_items:
                problems.append(Problem(file, "", f"lots.{lot.id}.demand.{item}",
                                        "unknown price item"))
    lot_ids = {lot.id for lot in sc.lots}
    for pair in sc.allocation.separations:
        for x in pair:
            if x not in lot_ids:
                problems.append(Problem(file, "", "allocation.separations", f"no lot {x!r}"))
    return problems


_NO_PRICE = " (no price)"


def _waiting_for_quote(passes_gates: bool, cost: CostResult) -> tuple[str, ...]:
    """The items an offer must still quote for a lot, when prices are all it lacks: it passes
    the lot's gates and every missing line is a missing *price* (a missing exchange rate is the
    buyer's to state, not a quote to ask for). Empty otherwise."""
    if not passes_gates or cost.costable or not cost.missing:
        return ()
    if not all(m.endswith(_NO_PRICE) for m in cost.missing):
        return ()
    return tuple(m.removesuffix(_NO_PRICE) for m in cost.missing)


def load_award_problem(path: str | Path) -> AwardContext:
    """Load a scenario with lots and build its allocation problem (no award is chosen here:
    ``scoring.allocation.solve`` does that)."""
    file = str(path)
    sc, base = load_scenario(path)
    _need_lots(sc, file)
    cat = scenario_catalogue(sc, base)
    sc = resolve_gates(sc, cat, file)
    offers, files = resolve_offers(sc, base, cat, file)
    return award_problem(sc, offers, file=file, input_files=files, cat=cat)


def _need_lots(sc: Scenario, file: str) -> None:
    if not sc.lots:
        raise ScenarioError([Problem(file, "", "lots", "this scenario defines no lots: "
                                     "add lots and allocation rules to optimise an award")])


def award_problem(sc: Scenario, offers: Sequence[Offer], *, file: str = "<scenario>",
                  input_files: dict[str, str] | None = None, cat: Catalogue | None = None
                  ) -> AwardContext:
    """The allocation problem of a scenario already parsed, over the given offers (the app's
    working scenario, with a session's uploads): per lot, the engine with the lot's demand,
    gates and weights; bids with costs, values, SEAL and legal utility; every problem located."""
    _need_lots(sc, file)
    cat = cat or scenario_catalogue(sc)
    sc = resolve_gates(sc, cat, file)
    tl = load_timeline()
    files = dict(input_files or {})
    groups = {o.offer_id: o.group for o in offers} if sc.allocation.group_by_parent else {}
    lots, rules = _lots_and_rules(sc, groups)
    problems = _scenario_problems(sc, file, {o.offer_id for o in offers}, cat)
    problems += [p for p in _located(input_problems(lots, (), rules), file)
                 if p.question != "allocation.separations"]  # already said above, in words
    if problems:
        raise ScenarioError(problems)
    bids: list[Bid] = []
    incomplete = False
    late: set[str] = set()
    for lot in sc.lots:
        ev = evaluate(_lot_scenario(sc, lot, file), offers, cat=cat, timeline=tl,
                      scenario_file=file, input_files=files)
        for r in ev.results:
            reasons: list[str] = [Msg(N_("{gate}: {reason}"), gate=g.label, reason=g.reason)
                                  for g in r.gates if not g.passed]
            if not r.cost.costable:
                reasons.append(Msg(N_("not costable for this lot: missing {items}"),
                                   items=joined(", ", r.cost.missing)))
            incomplete |= not r.seal_complete
            if r.cost.price_after_evaluation_date:
                late.add(r.offer.offer_id)
            unpriced = _waiting_for_quote(r.eligible, r.cost)
            cost = (r.cost.annual_cost if r.cost.costable
                    else sum(x.amount for x in r.cost.lines))
            bids.append(Bid(offer=r.offer.offer_id, lot=lot.id,
                            cost=float(cost or 0.0),
                            value=float(r.total or 0.0),
                            eligible=r.eligible and r.cost.costable,
                            reasons=tuple(reasons), seal=r.seal_overall,
                            legal_utility=0.0 if r.legal is None else r.legal.utility,
                            unpriced=unpriced))
    seal_note: str = ("" if not cat.uses("sovereignty") else Msg(
        N_("SEAL levels are the lowest *known* objective: where objectives are unknown the "
           "level is a ceiling, so a floor is met on the evidence available, not proven"))
        if incomplete else Msg(N_("SEAL levels complete for every bid")))
    legal_label = (() if tl.weighting is None or not cat.uses("legal")
                   else (tl.weighting.label.removeprefix("ASSUMPTION "),))
    labels = sc.assumption_ids + legal_label
    late_note = "" if not late else Msg(
        N_("prices read after the evaluation date {date}: {offers}"),
        date=sc.evaluation_date, offers=", ".join(sorted(late)))
    note = joined("; ", [x for x in (seal_note, late_note) if x])
    try:
        problem = AllocationProblem(lots, tuple(bids), rules)
    except AllocationInputError as exc:  # a bid the engine produced is malformed
        raise ScenarioError(_located(exc.problems, file)) from None
    return AwardContext(sc, result_hash(sc, sc.method, cat, tl, offers), problem, note, labels,
                        cat.modules)


def winning_quote(source: AwardContext | AllocationProblem, offer: str,
                  lot: str) -> float | None:
    """The highest annual price of ``offer``'s missing lines on ``lot`` at which the award would
    give it the lot (None: no price wins; ``math.inf``: any price does), for the award problem
    of a scenario or an explicit problem: what a clarification list asks a vendor to beat.
    Method, tolerance (EUR 1) and limits: ``scoring.allocation.quotes``."""
    problem = source.problem if isinstance(source, AwardContext) else source
    return allocation_quote(problem, offer, lot)


__all__ = ["AwardContext", "award_problem", "load_award_problem", "winning_quote"]
