"""The frontier's sweep (one model, points answered from one another, issue 16) gives every
point exactly what a cold solve of that point alone gives: status, cost and value.

The cold solve is ``solve`` on the problem with the floor written on every lot and the budget
in the rules (binding rules not searched: the frontier reports none). Both break ties by the
secondary criterion; among awards equal in both cost and value the one reported may differ
(``solve`` goes on to its lexicographic stage), so the award itself is compared where the cold
solve finds the optimum unique (no tie)."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from scoring.allocation import AllocationProblem, Bid, Lot, Rules, frontier, solve


def _instance(seed: int) -> AllocationProblem:
    rnd = random.Random(seed)
    offers = [f"o{j}" for j in range(rnd.randint(2, 6))]
    seal = {o: rnd.choice([0, 1, 2, 2, 3, 3, 4]) for o in offers}
    legal = {o: rnd.choice([20.0, 50.0, 80.0, 100.0]) for o in offers}
    lots = tuple(Lot(f"l{i}", min_seal=3 if rnd.random() < 0.2 else None)
                 for i in range(rnd.randint(1, 5)))
    coarse = rnd.random() < 0.5  # ties are common with coarse numbers
    bids = [Bid(o, lot.id, float(rnd.choice([10, 20, 30]) if coarse else rnd.randint(5, 60)),
                float(rnd.choice([50, 70, 90]) if coarse else rnd.randint(0, 100)),
                seal=seal[o], legal_utility=legal[o])
            for lot in lots for o in offers if rnd.random() < 0.85]
    cheapest = sum(min((b.cost for b in bids if b.lot == lot.id), default=0) for lot in lots)
    rules = Rules(budget=cheapest * rnd.choice([1.1, 1.5, 3.0]) if rnd.random() < 0.7 else None,
                  max_lots_per_vendor=rnd.choice([None, 2, 3]),
                  separations=((lots[0].id, lots[1].id),) if len(lots) > 1 and
                  rnd.random() < 0.3 else (),
                  objective=rnd.choice(["max_value", "min_cost"]))
    return AllocationProblem(lots, tuple(bids), rules)


def _cold(p: AllocationProblem, kind: str, floor: float | None, budget: float | None
          ) -> tuple[str, float | None, float | None, dict[str, str] | None]:
    def raised(lot: Lot) -> Lot:
        if floor is None:
            return lot
        if kind == "seal":
            return replace(lot, min_seal=floor if lot.min_seal is None else
                           max(lot.min_seal, floor))
        return replace(lot, min_legal=floor if lot.min_legal is None else
                       max(lot.min_legal, floor))

    q = replace(p, lots=tuple(raised(lot) for lot in p.lots),
                rules=replace(p.rules, budget=budget))
    r = solve(q, find_binding=False)
    return r.status, r.cost, r.value, None if r.ties or r.shares else dict(r.assignment)


@pytest.mark.parametrize("seed", range(40))
def test_frontier_points_equal_cold_solves(seed: int) -> None:
    p = _instance(seed)
    kind = "seal" if seed % 3 else "legal"
    floors = [None, 4, 0, 2, 1, 3] if kind == "seal" else [90.0, 0.0, 60.0, 30.0]
    base = p.rules.budget
    budgets = [None] if base is None else [base, base * 0.8, base * 1.3]
    points = frontier(p, floors=floors, budgets=budgets, kind=kind)  # type: ignore[arg-type]
    assert [(pt.budget, pt.floor) for pt in points] == [(b, f) for b in budgets
                                                        for f in floors]
    for pt in points:
        status, cost, value, assignment = _cold(p, kind, pt.floor, pt.budget)
        where = (seed, pt.floor, pt.budget)
        assert (pt.status == "optimal") == (status == "optimal"), (where, pt, status)
        if status != "optimal":
            assert pt.cost is None and pt.value is None, where
            continue
        assert pt.cost == pytest.approx(cost, rel=1e-6, abs=1e-6), where
        assert pt.value == pytest.approx(value, rel=1e-6, abs=1e-6), where
        if assignment is not None:  # the optimum is unique: the same award
            assert dict(pt.assignment) == assignment, where
