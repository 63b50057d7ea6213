"""Stage 1 of the scoring path (``pipeline``): the computed modules' facts about each offer on
the evaluation date (legal exposure under the scenario's reading of unknown answers, annual
cost, SEAL levels), and ``Memo``, the per-offer work kept when a scenario is scored again with
one offer changed (the clarification list, the admission what-ifs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import Problem, ScenarioError
from ..models import Catalogue, Offer
from ..rules.cost import CostResult, annual_cost
from ..rules.legal import LegalExposure, LegalTimeline, exposure
from ..rules.sovereignty import ObjectiveLevel, objective_levels
from ..scenario.model import Scenario
from .policy import has_intervals, legal_readings
from .tree import COST_LEAF, Leaf


@dataclass(frozen=True)
class Facts:
    # None: no legal module; under ``uncertain``: the worst case (unknown = exposed)
    legal: dict[str, LegalExposure | None]
    cost: dict[str, CostResult]
    seals: dict[str, list[ObjectiveLevel]]
    legal_best: dict[str, LegalExposure] | None = None  # ``uncertain``: unknown = not exposed


class Memo:
    """Per-offer work of one scenario kept for re-scoring it with one offer changed (the
    clarification list): only the offers given here are remembered, held by reference, so an
    identity can never be reused by another object."""

    def __init__(self, offers: Sequence[Offer]) -> None:
        self._keep = {id(o): o for o in offers}
        self._data: dict[tuple[str, int], Any] = {}
        self.scenario: dict[str, Any] = {}  # scenario-level work (leaves, canonical form)

    def get(self, kind: str, o: Offer) -> Any:
        return self._data.get((kind, id(o))) if self._keep.get(id(o)) is o else None

    def put(self, kind: str, o: Offer, value: Any) -> None:
        if self._keep.get(id(o)) is o:
            self._data[(kind, id(o))] = value


def offer_facts(sc: Scenario, o: Offer, cat: Catalogue, tl: LegalTimeline
                 ) -> tuple[LegalExposure | None, LegalExposure | None, CostResult,
                            list[ObjectiveLevel]]:
    """The computed modules' facts about one offer; a module the catalogue does not use
    computes nothing (no legal exposure, no SEAL levels, no cost: ``annual_cost`` None)."""
    on = sc.evaluation_date
    rates = {k: r.value for k, r in sc.rates.items()}
    legal = best = None
    if cat.uses("legal"):
        reading, best_reading = legal_readings(sc.missing_policy)
        best = (None if best_reading is None else
                exposure(o, tl, on, best_reading, sc.legal_model, rules=cat.rules))
        legal = exposure(o, tl, on, reading, sc.legal_model, rules=cat.rules)
    cost = (annual_cost(o, sc.workload.annual, sc.workload.one_off, sc.workload.contract_years,
                        sc.currency, rates, on) if cat.uses("cost")
            else CostResult(o.offer_id, None))
    seals = (objective_levels(o, on, cat.rules, sc.sovereignty.derive_from_facts)
             if cat.uses("sovereignty") else [])
    return legal, best, cost, seals


def facts_of(sc: Scenario, offers: Sequence[Offer], cat: Catalogue, tl: LegalTimeline,
           memo: Memo | None = None) -> Facts:
    parts = []
    for o in offers:
        part = memo.get("facts", o) if memo else None
        if part is None:
            part = offer_facts(sc, o, cat, tl)
            if memo:
                memo.put("facts", o, part)
        parts.append(part)
    ids = [o.offer_id for o in offers]
    best = [p[1] for p in parts]
    return Facts(
        legal=dict(zip(ids, (p[0] for p in parts), strict=True)),
        legal_best=(None if not has_intervals(sc.missing_policy) else
                    {k: b for k, b in zip(ids, best, strict=True) if b is not None}),
        cost=dict(zip(ids, (p[2] for p in parts), strict=True)),
        seals=dict(zip(ids, (p[3] for p in parts), strict=True)),
    )


def check_costable(sc: Scenario, leaves: Sequence[Leaf], facts: Facts, file: str) -> None:
    """A weighted cost pillar that no offer can be costed on for want of a rate is a scenario
    mistake (a currency typo, a missing rate): scoring on would declare a leader on the other
    pillars alone."""
    if not facts.cost or not any(lf.question == COST_LEAF and lf.weight > 0 for lf in leaves):
        return
    if any(c.costable for c in facts.cost.values()):
        return
    reasons = sorted({m for c in facts.cost.values() for m in c.missing if "no rate" in m})
    if not reasons:  # prices missing: each offer says so ("not costable: missing ...")
        return
    raise ScenarioError([Problem(file, "", "currency / workload", "no offer can be costed in "
                                 f"{sc.currency} ({'; '.join(reasons[:4])}): check the currency "
                                 "and the rates, or give the cost pillar weight 0")])
