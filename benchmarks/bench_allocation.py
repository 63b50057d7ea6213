"""Allocation speed: model build + solve for 6x10, 20x30, 50x100, 100x28 lots x offers, the full
``solve()`` (ties, tie-break, binding rules) on each, and a 20-point frontier (5 SEAL floors x 4
budgets) on 20x30. Prints figures; asserts nothing.

Goals (issue 8): full ``solve()`` <= 1.5 s on 50x100 and <= 3 s on 100x28; frontier <= 1.5 s.
Issue 16: the frontier <= 0.6x of its 20 points solved cold (a fresh model each: build, the
objective, stage 2), CPU time, after checking that both give the same status, cost and value.

Run from the repository root: ``python benchmarks/bench_allocation.py``.

Instances are random but seeded: every offer bids on ~90 % of the lots, with a budget (125 % of
the cheapest award), vendor caps (max lots and max 40 % of spend per vendor), three separations,
vendor groups (every fifth offer shares a parent with the next) and a SEAL-3 floor on every
seventh lot. "build" is the pulp model plus its one load into HiGHS; "solve" the first HiGHS run
(the optimum). ``solve()`` then also checks ties (no-good cut), breaks them, and finds the
binding rules (one re-solve per rule): that full call is printed too, stage by stage.
Medians of several runs; the first HiGHS call of the process is excluded (warm-up).

"before" is the full ``solve()`` / frontier of the code before issue 8's LP proofs
(``scoring/allocation/bounds.py``), measured on this 2-core machine under the same load as an
"after" run of the day (both versions interleaved in one process); the machine is shared, so
compare the ratio more than the milliseconds.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import cpu_ms
from scoring.allocation import AllocationProblem, Bid, Lot, Rules, frontier, solve
from scoring.allocation.frontier import _solve_point
from scoring.allocation.model import AwardModel, Deadline
from scoring.allocation.results import FrontierPoint

SIZES = (
    (6, 10, None, None),
    (20, 30, 150.0, None),
    (50, 100, 600.0, 1500.0),
    (100, 28, None, 3000.0),
)
FRONTIER_GOAL_MS = 1500.0
BEFORE_MS = {
    (6, 10): 153.0,
    (20, 30): 420.0,
    (50, 100): 7139.0,
    (100, 28): 5535.0,
    "frontier": 1488.0,
}
"""Full ``solve()`` and 20-point frontier before issue 8 (median of 3, same-load A/B run)."""


def instance(n_lots: int, n_offers: int, seed: int = 42) -> AllocationProblem:
    """A seeded random award problem with budget, vendor caps, separations and groups."""
    rnd = random.Random(seed)
    offers = [f"o{j:03d}" for j in range(n_offers)]
    seal = {o: rnd.choice([0, 1, 2, 2, 3, 3, 4]) for o in offers}
    lots = tuple(Lot(f"lot{i:03d}", min_seal=3 if i % 7 == 3 else None) for i in range(n_lots))
    bids = []
    for lot in lots:
        size = rnd.uniform(0.5, 3.0)
        for o in offers:
            if rnd.random() < 0.9:
                cost = round(size * rnd.uniform(50e3, 150e3), 2)
                bids.append(Bid(o, lot.id, cost, round(rnd.uniform(30, 95), 1), seal=seal[o]))
    cheapest = sum(min(b.cost for b in bids if b.lot == lot.id) for lot in lots)
    rules = Rules(
        budget=round(cheapest * 1.25, 2),
        max_lots_per_vendor=max(1, n_lots // 4),
        max_spend_share_per_vendor=0.4,
        separations=((lots[0].id, lots[1].id), (lots[2].id, lots[3].id), (lots[1].id, lots[4].id)),
        groups={offers[j + 1]: offers[j] for j in range(0, n_offers - 1, 5)},
    )
    return AllocationProblem(lots, tuple(bids), rules)


def cold_points(problem: AllocationProblem, floors: tuple[int, ...], budgets: list[float]
                ) -> list[FrontierPoint]:
    """Each frontier point solved cold: a fresh model, then what the sweep does for a point
    with nothing known (the objective, then stage 2)."""
    out = []
    for budget in budgets:
        for floor in floors:
            model = AwardModel(problem, Deadline(600.0))
            model.set_budget(budget)
            model.set_sweep("seal", floor)
            out.append(_solve_point(model, FrontierPoint("seal", floor, budget, "unknown"),
                                    None)[0])
    return out


def close(a: float | None, b: float | None) -> bool:
    """Equal to the solver's tolerance (1e-6 relative), or both absent."""
    if a is None or b is None:
        return a is b
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> None:
    solve(instance(6, 4))  # warm-up: HiGHS's thread pool starts on the first run
    print(
        f"{'lots x offers':>13} {'build ms':>9} {'solve ms':>9} {'build+solve':>12} "
        f"{'goal ms':>8}       {'full solve() ms (ties / tie-break / binding)':<56} "
        f"{'before ms':>9} result"
    )
    for n_lots, n_offers, goal, full_goal in [] if "--frontier" in sys.argv else SIZES:
        problem = instance(n_lots, n_offers)
        repeat = 5 if n_lots < 50 else 3
        bare = [solve(problem, check_ties=False, find_binding=False) for _ in range(repeat)]
        build = median_ms([r.timings["build"] for r in bare])
        first = median_ms([r.timings["solve"] for r in bare])
        walls = []
        for _ in range(repeat):
            t = time.perf_counter()
            full = solve(problem)
            walls.append(time.perf_counter() - t)
        stages = " / ".join(
            f"{full.timings.get(k, 0.0) * 1000:.0f}" for k in ("ties", "tie_break", "binding")
        )
        total = build + first
        verdict = "" if goal is None else ("ok" if total <= goal else "OVER")
        goal_txt = "-" if goal is None else f"{goal:.0f}"
        full_ms = median_ms(walls)
        full_verdict = (
            ""
            if full_goal is None
            else f" goal {full_goal:.0f} {'ok' if full_ms <= full_goal else 'OVER'}"
        )
        full_txt = f"{full_ms:.0f} ({stages}){full_verdict}"
        print(
            f"{n_lots:>6} x {n_offers:<4} {build:9.1f} {first:9.1f} {total:12.1f} {goal_txt:>8}"
            f" {verdict:>4}  {full_txt:<56} {BEFORE_MS[n_lots, n_offers]:9.0f} "
            f"{full.status}, ties={full.ties}, "
            f"{len(full.binding)} binding rules"
        )
    problem = instance(20, 30)
    budget = problem.rules.budget or 0.0
    budgets = [budget * f for f in (0.9, 1.0, 1.2, 1.6)]
    walls = []
    for _ in range(3):
        t = time.perf_counter()
        points = frontier(problem, floors=(0, 1, 2, 3, 4), budgets=budgets)
        walls.append(time.perf_counter() - t)
    ms = median_ms(walls)
    feasible = sum(p.cost is not None for p in points)
    pareto = sum(p.cost is not None and not p.dominated for p in points)
    verdict = "ok" if ms <= FRONTIER_GOAL_MS else "OVER"
    print(
        f"frontier 20 x 30, {len(points)} points ({feasible} feasible, {pareto} on the Pareto "
        f"set), one model: {ms:.0f} ms (goal {FRONTIER_GOAL_MS:.0f} ms) {verdict}; "
        f"before {BEFORE_MS['frontier']:.0f} ms"
    )
    floors = (0, 1, 2, 3, 4)
    cold = cold_points(problem, floors, budgets)
    same = len(cold) == len(points) and all(
        (a.status, a.budget, a.floor) == (b.status, b.budget, b.floor)
        and close(a.cost, b.cost) and close(a.value, b.value)
        for a, b in zip(points, cold, strict=False))
    if not same:
        raise SystemExit("the frontier and the cold solves disagree: no comparison")
    for _ in range(2):  # interleaved: both sides under the same load
        sweep = cpu_ms(lambda: frontier(problem, floors=floors, budgets=budgets), 3)
        alone = cpu_ms(lambda: cold_points(problem, floors, budgets), 3)
        print(f"  frontier {sweep:.0f} ms CPU against {len(cold)} cold solves {alone:.0f} ms CPU:"
              f" {sweep / alone:.2f}x (goal <= 0.6x)")


if __name__ == "__main__":
    main()
