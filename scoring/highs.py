"""The one HiGHS wrapper: load a pulp model into highspy, run it within a time limit, and read
the real status.

Why a wrapper. pulp 3.3.2's ``pulp.HiGHS`` (i) adds columns and rows one ``addCol``/``addRow``
call at a time (slow on thousands of bids), (ii) maps a time limit with an incumbent to
"Optimal" and raises ``KeyError`` on kSolutionLimit / kMemoryLimit, and (iii) has no re-solve.
HiGHS also prints its banner on C-level stdout when the first instance of the process is
created, before any option can be set, which corrupts ``--json`` output. Here:

- ``new_highs()`` creates a silent ``highspy.Highs`` (the first creation runs with fd 1 on
  /dev/null);
- ``HighsSolver`` is a ``pulp.HiGHS`` that loads the model in bulk (columns, then the CSR
  matrix) and keeps our status in ``outcome``; ``load(lp)`` returns the loaded ``Highs`` so a
  caller can edit bounds and costs in place and re-run it (the award model does);
- ``run_highs(h, time_limit, cutoff=..., target=...)`` runs and classifies the result from the
  model status AND the primal solution status (``RunOutcome``);
- ``solve_lp(lp, time_limit, options)`` is the one-call form for any pulp model (LP or MILP).

How another module calls it (e.g. the robustness flip LP)::

    from scoring.highs import solve_lp
    outcome, objective = solve_lp(prob, time_limit=None, options={
        "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10})
    if outcome.status != "optimal":
        return None
    values = [v.value() for v in x]      # pulp variables carry the solution, as with prob.solve

``outcome.status`` is one of ``optimal``, ``feasible`` (stopped with an incumbent: not proven),
``infeasible`` or ``unknown``; ``outcome.x`` the column values in ``prob.variables()`` order.
"""

from __future__ import annotations

import math
import os
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
import pulp

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
OptionValue = bool | int | float | str

INF = highspy.kHighsInf
_SOLUTION_FEASIBLE = 2  # HighsSolutionStatus kSolutionStatusFeasible
_MIN_TIME = 1e-3  # HiGHS rejects a zero time limit


@dataclass(frozen=True)
class RunOutcome:
    """One HiGHS run. ``status`` is ours, not pulp's: pulp 3.x maps a time limit with an
    incumbent to "Optimal"; here it is ``feasible`` with "time limit reached, best found".
    ``x`` holds the column values when a primal feasible solution exists, ``objective`` its
    objective value (minimisation form of the loaded model)."""

    status: Status
    x: np.ndarray | None
    message: str
    model_status: str
    objective: float | None = None


_BANNER_SILENCED = False
_BANNER_LOCK = threading.Lock()


def new_highs() -> highspy.Highs:
    """A silent ``highspy.Highs`` (HiGHS 1.16 prints its banner on C-level stdout when the first
    instance of the process is created: that one creation runs with fd 1 on /dev/null)."""
    global _BANNER_SILENCED
    with _BANNER_LOCK:
        if _BANNER_SILENCED:
            h = highspy.Highs()
        else:
            _BANNER_SILENCED = True
            sys.stdout.flush()
            try:
                saved = os.dup(1)
            except OSError:  # no usable fd 1: nothing to protect
                saved = -1
            if saved < 0:
                h = highspy.Highs()
            else:
                try:
                    with open(os.devnull, "w") as null:
                        os.dup2(null.fileno(), 1)
                        h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def run_highs(
    h: highspy.Highs,
    time_limit: float | None = None,
    *,
    cutoff: float | None = None,
    target: float | None = None,
) -> RunOutcome:
    """Run HiGHS and classify the result from the model status AND the solution status.

    ``cutoff`` (HiGHS ``objective_bound``, MIP only): only solutions with objective below it
    count; when none exists the run ends ``infeasible``. This is how "can the objective improve
    beyond a tolerance?" is asked without proving a new optimum. ``target`` (HiGHS
    ``objective_target``): stop at the first solution with objective below it. Both options are
    reset after the run, so a re-used model never inherits them.
    """
    if time_limit is not None:
        h.setOptionValue("time_limit", max(float(time_limit), _MIN_TIME))
    if cutoff is not None:
        h.setOptionValue("objective_bound", float(cutoff))
    if target is not None:
        h.setOptionValue("objective_target", float(target))
    try:
        h.run()
    finally:
        if cutoff is not None:
            h.setOptionValue("objective_bound", INF)
        if target is not None:
            h.setOptionValue("objective_target", -INF)
    return _classify(h)


def _classify(h: highspy.Highs) -> RunOutcome:
    ms = h.getModelStatus()
    name = h.modelStatusToString(ms)
    info = h.getInfo()
    has_solution = info.primal_solution_status == _SOLUTION_FEASIBLE
    M = highspy.HighsModelStatus
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    obj = info.objective_function_value if has_solution else None
    if ms == M.kOptimal:
        return RunOutcome("optimal", x, "", name, obj)
    if ms in (M.kInfeasible, M.kUnboundedOrInfeasible):
        return RunOutcome("infeasible", None, "infeasible", name)
    limit = "time limit reached" if ms == M.kTimeLimit else f"solver stopped ({name})"
    if has_solution and ms != M.kUnbounded:
        gap = info.mip_gap
        gap_txt = f", gap {gap:.2%}" if math.isfinite(gap) and gap > 0 else ""
        return RunOutcome("feasible", x, f"{limit}, best found{gap_txt}", name, obj)
    return RunOutcome("unknown", None, f"{limit} before any solution was found", name)


class HighsSolver(pulp.HiGHS):
    """``pulp.HiGHS`` (highspy) that loads the model in bulk and reports an honest status.

    ``options`` are extra HiGHS options (name -> value) set on every model it loads.
    """

    def __init__(
        self,
        time_limit: float | None = 10.0,
        gap_rel: float = 1e-9,
        gap_abs: float = 1e-9,
        options: Mapping[str, OptionValue] | None = None,
    ) -> None:
        super().__init__(msg=False, timeLimit=time_limit, gapRel=gap_rel, gapAbs=gap_abs)
        self.extra: dict[str, OptionValue] = dict(options or {})
        self.outcome: RunOutcome | None = None

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel = new_highs()
        if self.gapRel is not None:
            h.setOptionValue("mip_rel_gap", float(self.gapRel))
        if self.gapAbs is not None:
            h.setOptionValue("mip_abs_gap", float(self.gapAbs))
        # HiGHS accepts a MIP incumbent that breaks a row by up to 1e-6 by default: a split lot
        # then gave a vendor 50.0001% of spend under a 50% cap (found by the property test in
        # tests/test_allocation.py). A rule the committee published holds to 1e-9.
        h.setOptionValue("mip_feasibility_tolerance", 1e-9)
        if self.timeLimit is not None:
            h.setOptionValue("time_limit", max(float(self.timeLimit), _MIN_TIME))
        for key, value in {**self.optionsDict, **self.extra}.items():
            h.setOptionValue(key, value)

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel
        variables = lp.variables()
        n = len(variables)
        sign = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        objective = lp.objective or {}
        cost = np.zeros(n)
        lower = np.empty(n)
        upper = np.empty(n)
        integer: list[int] = []
        for i, v in enumerate(variables):
            v.index = i
            c = objective.get(v)
            if c:
                cost[i] = sign * c
            lower[i] = -INF if v.lowBound is None else v.lowBound
            upper[i] = INF if v.upBound is None else v.upBound
            if v.cat == pulp.LpInteger and self.mip:
                integer.append(i)
        none_i = np.zeros(0, dtype=np.int32)
        h.addCols(n, cost, lower, upper, 0, none_i, none_i, np.zeros(0))
        if integer:
            h.changeColsIntegrality(
                len(integer),
                np.asarray(integer, dtype=np.int32),
                np.full(len(integer), highspy.HighsVarType.kInteger),
            )
        self._add_rows(h, list(lp._constraints.values()))

    @staticmethod
    def _add_rows(h: highspy.Highs, constraints: list[pulp.LpConstraint]) -> None:
        m = len(constraints)
        if not m:
            return
        starts = np.empty(m, dtype=np.int32)
        row_lo = np.empty(m)
        row_up = np.empty(m)
        index: list[int] = []
        coef: list[float] = []
        for r, c in enumerate(constraints):
            c.index = r
            starts[r] = len(index)
            for v, a in c.items():
                if a:
                    index.append(v.index)
                    coef.append(a)
            lb, ub = c.getLb(), c.getUb()
            row_lo[r] = -INF if lb is None else lb
            row_up[r] = INF if ub is None else ub
        h.addRows(
            m,
            row_lo,
            row_up,
            len(index),
            starts,
            np.asarray(index, dtype=np.int32),
            np.asarray(coef, dtype=float),
        )

    def load(self, lp: pulp.LpProblem) -> highspy.Highs:
        """Create the HiGHS model of ``lp`` without solving it (for in-place re-solves). After
        it, ``v.index`` of each pulp variable and ``c.index`` of each constraint are their
        HiGHS column and row."""
        lp.fixObjective()
        self.createAndConfigureSolver(lp)
        self.buildSolverModel(lp)
        return lp.solverModel

    def actualSolve(self, lp: pulp.LpProblem) -> int:
        h = self.load(lp)
        out = self.outcome = run_highs(h)
        C = pulp.constants
        if out.x is not None:
            values = out.x.tolist()
            for v in lp.variables():
                v.varValue = values[v.index]
        pulp_status = {
            "optimal": (C.LpStatusOptimal, C.LpSolutionOptimal),
            "feasible": (C.LpStatusOptimal, C.LpSolutionIntegerFeasible),
            "infeasible": (C.LpStatusInfeasible, C.LpSolutionInfeasible),
            "unknown": (C.LpStatusNotSolved, C.LpSolutionNoSolutionFound),
        }[out.status]
        lp.assignStatus(*pulp_status)
        return int(pulp_status[0])

    def actualResolve(self, lp: pulp.LpProblem, **kwargs: object) -> int:
        return self.actualSolve(lp)


def solve_lp(
    lp: pulp.LpProblem,
    time_limit: float | None = 10.0,
    options: Mapping[str, OptionValue] | None = None,
) -> tuple[RunOutcome, float | None]:
    """Solve any pulp model with ``HighsSolver``; return our outcome and pulp's objective value
    (None without a solution). The pulp variables carry the solution afterwards
    (``v.value()``), as after ``lp.solve``. ``time_limit`` None means no limit."""
    solver = HighsSolver(time_limit=time_limit, options=options)
    lp.solve(solver)
    out = solver.outcome
    assert out is not None
    objective = pulp.value(lp.objective) if out.x is not None else None
    return out, None if objective is None else float(objective)


__all__ = ["HighsSolver", "RunOutcome", "Status", "new_highs", "run_highs", "solve_lp"]
