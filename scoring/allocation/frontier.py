"""The price of sovereignty: the optimal award at each sovereignty floor, for each budget.

ONE model is built; each point only changes column upper bounds (bids below the floor -> 0) and
the budget row's right-hand side. Each point is solved for the objective, then for the
secondary criterion (tie-break stage 2), so cost and value are both meaningful.

Each point starts from its neighbour, using monotonicity (no solver warm start, see ``model``):
a higher floor only shrinks the set of awards, so (i) when the previous point's award still
meets the new floor it is still optimal, for both criteria (nothing better can appear in a
smaller set), and is reused without a solve; (ii) a point after an infeasible one is
infeasible. Across budgets, a larger budget only grows the set, so the same floor's objective
at the previous (smaller) budget is a cut-off for the new run, asked with the LP proofs of
``bounds`` (``AwardModel.ask``). Stage 2 is asked the same way, with the point's own award as
cut-off (issue 8: 0.9 s of the 2 s sweep were these runs). Both give the optimum of the plain
run; only among awards equal in BOTH cost and value (to 1e-9) may the one reported differ from
what a plain run returns, as the frontier states no order among those (``solve`` does).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from .checks import coverage_issues
from .model import AwardModel, Deadline, tol
from .problem import AllocationProblem, FloorKind
from .results import FrontierPoint
from .solve import DEFAULT_TIME_LIMIT
from .stages import refine

_NO_AWARD = "no award meets all rules at this floor and budget"


def _key(floor: float | None) -> float:
    return -math.inf if floor is None else float(floor)


def _budget_key(budget: float | None) -> float:
    return math.inf if budget is None else float(budget)


def frontier(
    problem: AllocationProblem,
    floors: Sequence[float | None] = (0, 1, 2, 3, 4),
    budgets: Sequence[float | None] | None = None,
    *,
    kind: FloorKind = "seal",
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> list[FrontierPoint]:
    """The optimal award at each sovereignty floor applied to every lot (``kind="seal"``: SEAL
    levels; ``"legal"``: minimum legal utility), for each budget (default: the rules' budget).
    ``None`` in ``floors`` means "lots' own floors only". ``time_limit``: seconds for the whole
    sweep; points it does not reach are ``unknown`` and say so.

    All points are returned in sweep order (budgets outer, floors inner), infeasible ones with
    a reason; ``dominated`` marks points beaten by another (``pareto_set`` filters them).
    Monotone: a higher floor shrinks the feasible set, so it never costs less (``min_cost``)
    and never gives more value (``max_value``).
    """
    deadline = Deadline(time_limit)
    model = AwardModel(problem, deadline)
    budget_list = [problem.rules.budget] if budgets is None else list(budgets)
    floor_list = list(floors)
    issues = {f: next(iter(coverage_issues(problem, kind, f).values()), None) for f in floor_list}
    points: list[FrontierPoint] = []
    best: dict[float, tuple[float, float]] = {}  # floor key -> (budget key, objective)
    for budget in budget_list:
        model.set_budget(budget)
        prev: FrontierPoint | None = None
        x_prev: np.ndarray | None = None
        for floor in floor_list:
            base = FrontierPoint(kind, floor, budget, "unknown")
            issue = issues[floor]
            model.set_sweep(kind, floor)
            rising = prev is not None and _key(floor) >= _key(prev.floor)
            x: np.ndarray | None = None
            if issue:
                point = replace(base, status="infeasible", message=issue)
            elif rising and prev is not None and prev.status == "infeasible":
                point = replace(base, status="infeasible", message=_NO_AWARD)
            elif rising and prev is not None and x_prev is not None and _still_open(model, x_prev):
                point, x = replace(prev, floor=floor, budget=budget), x_prev
            else:
                point, x = _solve_point(model, base, best.get(_key(floor)), _budget_key(budget))
                if x is not None and point.status == "optimal":
                    best[_key(floor)] = (_budget_key(budget), float(model.primary @ x))
            points.append(point)
            prev, x_prev = point, (x if point.status == "optimal" else None)
    return _mark_dominated(points)


def _still_open(model: AwardModel, x: np.ndarray) -> bool:
    """Does every winning bid of ``x`` meet the current floors?"""
    won = x[model.y_col] > 0.5
    return bool(model.open_mask()[won].all())


def _solve_point(
    model: AwardModel,
    base: FrontierPoint,
    known: tuple[float, float] | None,
    budget_key: float,
) -> tuple[FrontierPoint, np.ndarray | None]:
    if model.deadline.expired():
        msg = "time budget of the call exhausted before this point"
        return replace(base, status="unknown", message=msg), None
    out = None
    if known is not None and budget_key >= known[0]:  # the smaller budget's award still fits
        out = model.ask(model.primary, cutoff=known[1] + tol(known[1]))
        if out.x is None and out.status == "infeasible":
            out = None
    if out is None:
        out = model.run(model.primary)
    if out.x is None:
        msg = out.message if out.status == "unknown" else _NO_AWARD
        return replace(base, status=out.status, message=msg), None
    x = out.x if out.status != "optimal" else refine(model, out.x, False, bounded=True)
    a = model.award(x)
    point = replace(
        base,
        status=out.status,
        cost=a.cost,
        value=a.value,
        assignment=a.assignment,
        shares=a.shares,
        message=out.message,
    )
    return point, x


def _mark_dominated(points: list[FrontierPoint]) -> list[FrontierPoint]:
    feasible = [p for p in points if p.cost is not None and p.value is not None]

    def beats(q: FrontierPoint, p: FrontierPoint) -> bool:
        assert q.cost is not None and q.value is not None
        assert p.cost is not None and p.value is not None
        ge = (
            _key(q.floor) >= _key(p.floor)
            and q.cost <= p.cost + tol(p.cost)
            and q.value >= p.value - tol(p.value)
        )
        gt = (
            _key(q.floor) > _key(p.floor)
            or q.cost < p.cost - tol(p.cost)
            or q.value > p.value + tol(p.value)
        )
        return ge and gt

    out = []
    for p in points:
        shown = p.cost is not None and p.value is not None
        dominated = shown and any(q is not p and beats(q, p) for q in feasible)
        out.append(replace(p, dominated=dominated))
    return out


__all__ = ["frontier"]
