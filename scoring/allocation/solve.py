"""``solve``: the best award of an ``AllocationProblem`` under its rules, and when there is none,
its causes in one grouped line each (``causes``), missing prices first.

The optimum itself (model, tie-break, binding rules, explanations) is ``optimum``; this layer
only adds the causes, because finding them re-solves the award many times (the winning quotes)
with ``optimum``, which therefore never recurses into them.
"""

from __future__ import annotations

from dataclasses import replace

from .causes import find_causes
from .model import Deadline
from .optimum import DEFAULT_TIME_LIMIT, optimum
from .problem import AllocationProblem
from .results import AllocationResult


def solve(
    problem: AllocationProblem,
    time_limit: float = DEFAULT_TIME_LIMIT,
    *,
    check_ties: bool = True,
    find_binding: bool = True,
    causes: bool = True,
) -> AllocationResult:
    """The best award of ``problem`` under its rules (see ``optimum``).

    ``time_limit``: seconds for the whole call. ``check_ties`` / ``find_binding`` switch the
    tie check and the binding analysis (``binding_checked`` says whether it ran); ``causes``
    the grouped causes of an infeasible problem with the winning quotes (``causes``), which
    take what is left of ``time_limit``.
    """
    deadline = Deadline(time_limit)
    res = optimum(problem, time_limit, check_ties=check_ties, find_binding=find_binding)
    if res.status != "infeasible" or not causes:
        return res
    found, complete = find_causes(problem, res.relaxation_details, deadline)
    cut = res.cut_short if complete else (*res.cut_short, "causes")
    return replace(res, causes=found, cut_short=cut)


__all__ = ["DEFAULT_TIME_LIMIT", "solve"]
