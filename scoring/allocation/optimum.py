"""``optimum``: the best award of an ``AllocationProblem`` under its rules (``solve`` adds the
causes of "no award" on top; ``quotes`` re-solves with this function, so it never recurses).

Objectives: ``max_value`` maximises sum_l weight_l * sum_b value_b * s_b (a lot fully given to an
offer adds its value); ``min_cost`` minimises cost + migration subject to the value floors.
HiGHS runs with ``mip_rel_gap`` 1e-9 so that "optimal" is optimal at the 1e-6 tie tolerance.
The stages after the optimum (ties, tie-break, binding rules) are in ``stages``; the reasons
when no award exists in ``explain``.

Time: ``time_limit`` is the wall-clock budget of the whole call (every solver run takes what is
left of it). When the first run stops with an award in hand the status is ``feasible`` ("time
limit reached, best found") and the later analyses are skipped; an analysis the budget cuts
short is named in ``AllocationResult.cut_short``, never silently dropped.
"""

from __future__ import annotations

from ..i18n import N_
from ..messages import Msg
from .checks import obvious_issues
from .explain import explain_with
from .model import AwardModel, Clock, Deadline
from .problem import AllocationProblem, FrozenDict
from .results import AllocationResult, Award
from .stages import binding, find_tie, refine
from .words import eur

_NO_AWARD: str = Msg(N_("no award meets all rules"))
DEFAULT_TIME_LIMIT = 30.0
"""Seconds of wall clock for one ``solve`` or ``frontier`` call, all solver runs included."""


def optimum(
    problem: AllocationProblem,
    time_limit: float = DEFAULT_TIME_LIMIT,
    *,
    check_ties: bool = True,
    find_binding: bool = True,
    explain: bool = True,
) -> AllocationResult:
    """The best award of ``problem`` under its rules (model in ``build``, tie-break, ties and
    binding rules in ``stages``, infeasibility explanations in ``explain``).

    ``time_limit``: seconds for the whole call. ``check_ties`` / ``find_binding`` switch the
    tie check and the binding analysis (``binding_checked`` says whether it ran); ``explain``
    the explanation of an infeasible problem (off, the result only says there is no award:
    what a search that re-solves many variants needs).
    """
    objective = problem.rules.objective
    clock = Clock()
    deadline = Deadline(time_limit)
    if not problem.lots:
        return AllocationResult(
            status="optimal",
            objective=objective,
            cost=0.0,
            value=0.0,
            migration_cost=0.0,
            binding_checked=find_binding,
        )
    if obvious_issues(problem):
        return _infeasible(problem, deadline, clock, explain)
    model = AwardModel(problem, deadline)
    clock.lap("build")
    first = model.run(model.primary)
    clock.lap("solve")
    if first.status == "infeasible":
        return _infeasible(problem, deadline, clock, explain)
    if first.x is None:
        return AllocationResult(
            status="unknown",
            objective=objective,
            message=first.message,
            notes=(first.message,),
            timings=FrozenDict(clock.laps),
        )
    x = first.x
    notes: list[str] = []
    cut: list[str] = []
    ties = False
    alternative: Award | None = None
    proven = first.status == "optimal"
    if not proven:
        notes.append(first.message)
    x_b = None
    if proven and check_ties:
        x_b, note = find_tie(model, x)
        ties = x_b is not None
        if note:
            notes.append(f"tie check: {note}")
            cut.append("ties")
        clock.lap("ties")
    chosen = x
    if proven and (ties or bool(model.split.any())):
        chosen = refine(model, x, lexicographic=ties)
        if deadline.expired():
            cut.append("tie_break")
        clock.lap("tie_break")
    if ties and x_b is not None:
        other = x_b if model.pattern(chosen) == model.pattern(x) else x
        alternative = model.award(other)
    award = model.award(chosen)
    names: list[str] = []
    keys: list[str] = []
    checked = False
    if proven and find_binding:
        fams, checked = binding(model, chosen)
        for f in fams:
            keys.append(f.key)
            if f.kind == "budget" and model.budget is not None:
                names.append(f"budget (slack {eur(max(model.budget - award.cost, 0.0))})")
            else:
                names.append(f.label)
        if not checked:
            cut.append("binding")
            notes.append("binding rules: time budget exhausted, the list may be incomplete")
        clock.lap("binding")
    return AllocationResult(
        status=first.status,
        objective=objective,
        assignment=award.assignment,
        shares=award.shares,
        cost=award.cost,
        value=award.value,
        migration_cost=award.migration_cost,
        spend_by_vendor=award.spend_by_vendor,
        binding=tuple(names),
        binding_keys=tuple(keys),
        ties=ties,
        alternative=alternative,
        message=first.message,
        notes=tuple(notes),
        binding_checked=checked,
        cut_short=tuple(cut),
        timings=FrozenDict(clock.laps),
    )


def _infeasible(
    problem: AllocationProblem, deadline: Deadline, clock: Clock, explain: bool
) -> AllocationResult:
    if not explain:
        return AllocationResult(
            status="infeasible", objective=problem.rules.objective, message=_NO_AWARD
        )
    details, complete = explain_with(problem, deadline)
    clock.lap("explain")
    return AllocationResult(
        status="infeasible",
        objective=problem.rules.objective,
        relaxations=tuple(r.message for r in details),
        relaxation_details=details,
        message=_NO_AWARD,
        cut_short=() if complete else ("explain",),
        timings=FrozenDict(clock.laps),
    )


__all__ = ["DEFAULT_TIME_LIMIT", "optimum"]
