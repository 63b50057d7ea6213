"""The price of sovereignty: the optimal award at each sovereignty floor, for each budget.

ONE model is built; each point only changes column upper bounds (bids below the floor -> 0) and
the budget row's right-hand side. Each point is solved for the objective, then for the
secondary criterion (tie-break stage 2), so cost and value are both meaningful.

Each point starts from its neighbours through monotonicity, never through a solver warm start
(``model``: a start given to HiGHS 1.16 on an edited model was once reported optimal while a
better award existed). A higher floor, or a smaller budget, only shrinks the set of awards; so
an award found at a higher floor, or at a smaller budget, is feasible at this point and its
objective bounds this point's optimum from above. Within a budget the floors are therefore
solved from the highest down (issue 16): the most constrained point, the smallest model, runs
plainly, and every lower floor is asked with the best award known so far as cut-off, through
the LP proofs of ``bounds`` (``AwardModel.ask``: LP bound, reduced-cost fixing); across budgets
the same floor's objective at a smaller budget is a cut-off too (issue 8). Two floors that
leave the same bids open give the same point (one solve). Stage 2 is asked the same way, with
the point's own award as cut-off. A cut-off just above (1e-6 relative) a feasible award's
objective removes no award at or below it, so each point's objective is the plain run's; only
among awards equal in BOTH cost and value (to 1e-9) may the one reported differ from what a
plain run returns, as the frontier states no order among those (``solve`` does). Points are
returned in the caller's order whatever the solving order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from ..i18n import N_
from ..messages import Msg
from .checks import coverage_issues
from .model import AwardModel, Deadline, tol
from .problem import AllocationProblem, FloorKind
from .results import FrontierPoint
from .solve import DEFAULT_TIME_LIMIT
from .stages import refine

_NO_AWARD: str = Msg(N_("no award meets all rules at this floor and budget"))


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
    # highest floor first; equal floors keep the caller's order
    order = sorted(range(len(floor_list)), key=lambda j: -_key(floor_list[j]))
    points: list[FrontierPoint] = []
    found: list[_Found] = []
    for budget in budget_list:
        model.set_budget(budget)
        bkey = _budget_key(budget)
        row: dict[int, FrontierPoint] = {}
        for j in order:
            floor = floor_list[j]
            base = FrontierPoint(kind, floor, budget, "unknown")
            issue = issues[floor]
            if issue:
                row[j] = replace(base, status="infeasible", message=issue)
                continue
            model.set_sweep(kind, floor)
            fits = [f for f in found if f.fits(model, budget)]
            fkey = _key(floor)
            wider = next((f for f in fits if f.floor <= fkey and f.budget >= bkey), None)
            if wider is not None:  # optimal on a superset of this point's awards, and here
                row[j] = replace(wider.point, floor=floor, budget=budget)
                continue
            known = min((f.objective for f in fits), default=None)
            point, x = _solve_point(model, base, known)
            if x is not None and point.status == "optimal":
                found.append(_Found(fkey, bkey, x, float(model.primary @ x), point))
            row[j] = point
        points.extend(row[j] for j in range(len(floor_list)))
    return _mark_dominated(points)


@dataclass(frozen=True)
class _Found:
    """An optimal point of the sweep and its award (``x``), kept to bound or answer others."""

    floor: float  # floor key
    budget: float  # budget key
    x: np.ndarray
    objective: float  # primary objective of ``x`` (minimisation form)
    point: FrontierPoint

    def fits(self, model: AwardModel, budget: float | None) -> bool:
        """Is the award feasible in the model's current state? Only the sweep floor and the
        budget change along the frontier: every winning bid must be open and the cost (with
        migration) within the budget."""
        won = self.x[model.y_col] > 0.5
        if not bool(model.open_mask()[won].all()):
            return False
        return budget is None or (self.point.cost is not None and self.point.cost <= budget)


def _solve_point(
    model: AwardModel, base: FrontierPoint, known: float | None
) -> tuple[FrontierPoint, np.ndarray | None]:
    """The point in the model's current state. ``known``: the objective of an award feasible
    here (found at a higher floor or a smaller budget), asked as cut-off; None: a plain run."""
    if model.deadline.expired():
        msg = "time budget of the call exhausted before this point"
        return replace(base, status="unknown", message=msg), None
    out = None
    if known is not None:  # an award at most this good exists: ask only for better ones
        out = model.ask(model.primary, cutoff=known + tol(known))
        if out.x is None and out.status == "infeasible":  # numerically lost: run plainly
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
