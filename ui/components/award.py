"""The award problem of the working scenario, its solution and its price-of-sovereignty sweep.

The app holds an edited scenario in memory (``ui.state``) and maybe uploaded offers: the core's
``scoring.award.award_problem`` builds the problem from them, exactly as ``hostwise allocate``
does from a file.
"""

from __future__ import annotations

from typing import Any

from scoring.allocation import AllocationResult, Bid, FrontierPoint, frontier, solve
from scoring.award import AwardContext, award_problem
from scoring.engine import Evaluation
from ui.state import memo

LEGAL_FLOORS: tuple[float, ...] = (0, 20, 40, 60, 80, 100)  # ``hostwise frontier --kind legal``


def _build(ev: Evaluation) -> AwardContext:
    """The core's allocation problem of the evaluated working scenario (its offers, uploads
    included)."""
    return award_problem(ev.scenario, ev.offers, file=ev.scenario_file,
                         input_files=dict(ev.inputs))


def award_context(ev: Evaluation) -> AwardContext:
    """The allocation problem of an evaluated scenario (memoised by its content hash)."""
    return memo(("award", ev.hash), lambda: _build(ev))


def award(ev: Evaluation, ctx: AwardContext) -> AllocationResult:
    return memo(("solve", ev.hash), lambda: solve(ctx.problem))


def frontier_points(ev: Evaluation, ctx: AwardContext, kind: str) -> list[FrontierPoint]:
    """The sweep ``hostwise frontier --kind KIND`` runs: the scenario's SEAL floors, or legal
    floors 0-100 by 20."""
    spec = ctx.scenario.allocation.frontier
    floors: list[float | None] = list(spec.floors) if kind == "seal" else list(LEGAL_FLOORS)
    k: Any = kind
    return memo(("frontier", ev.hash, kind),
                lambda: frontier(ctx.problem, floors, spec.budgets, kind=k))


def bid_table(ctx: AwardContext) -> dict[tuple[str, str], Bid]:
    return {(b.lot, b.offer): b for b in ctx.problem.bids}
