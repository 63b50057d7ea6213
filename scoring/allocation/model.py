"""The award MILP loaded once into HiGHS and edited in place between solves.

State kept here: which rule families are hard, free or allowed a given slack (``allow``), the
frontier sweep floor, lots set aside (no eligible bid) or fixed (lexicographic tie-break), the
budget. ``apply_bounds`` pushes it to HiGHS column and row bounds; nothing is rebuilt.

Time: every run takes what is left of the call's wall-clock budget (``Deadline``), so the
limit is per command, not per solver run; a run with nothing left returns ``unknown``.

No warm start (``setSolution``): with HiGHS 1.16 the previous award given as a start on a model
whose bounds were edited was reported "Optimal" while a better one existed (found by the
binding cross-check against enumeration). Re-solves are made cheap instead by a cut-off
(HiGHS ``objective_bound``): a question "can the objective improve beyond the tolerance?" is
answered without proving a new optimum. ``ask`` (issue 8) first consults the LP relaxation kept
beside the MILP (``bounds.LpTwin``): its bound can answer the question outright, and its reduced
costs fix most bid columns for that one run, which only removes awards above the cut-off.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping

import highspy
import numpy as np

from ..highs import INF, HighsSolver, RunOutcome, run_highs
from .bounds import LpTwin
from .build import Family, build
from .problem import AllocationProblem, FloorKind, FrozenDict
from .results import Award

REL_TOL = 1e-6
"""Relative tolerance for "same objective": ties, binding rules, dominated frontier points."""
HOLD_TOL = 1e-9
"""Relative slack of an objective held at its optimum during the tie-break stages."""


def tol(v: float) -> float:
    """ "Same objective" for ties, binding and dominance: 1e-6 relative."""
    return REL_TOL * max(1.0, abs(v))


def hold(v: float) -> float:
    """Slack when an objective is held at its optimum for the next tie-break stage: numerical
    noise only (1e-9 relative), so that shares of split lots cannot trade objective away."""
    return HOLD_TOL * max(1.0, abs(v))


class Deadline:
    """The wall-clock budget of one call (``solve`` or ``frontier``), shared by all its runs."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.perf_counter() + max(seconds, 0.0)

    def left(self) -> float:
        return self.end - time.perf_counter()

    def expired(self) -> bool:
        return self.left() <= 0.0


class Clock:
    """Wall-clock laps (seconds) of the stages of ``solve``, for ``AllocationResult.timings``."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._t
        self._t = now


_SPENT = "time limit reached before any solution was found (the time budget of the call is spent)"

HARD, FREE = 0.0, INF
"""Slack allowances: a hard rule's slack is fixed at 0, a free rule's slack is unbounded."""


class AwardModel:
    """The award MILP (``build``), loaded into HiGHS once, edited in place between solves."""

    def __init__(self, problem: AllocationProblem, deadline: Deadline) -> None:
        self.problem = problem
        self.deadline = deadline
        self.lots = problem.lots
        b = build(problem)
        d = self.d = b.d
        self.bids = d.bids
        self.split = d.split
        self.h: highspy.Highs = HighsSolver(time_limit=None).load(b.lp)
        self.ncol = self.h.getNumCol()
        self.y_col = np.fromiter((v.index for v in b.y), np.int32, len(b.y))
        self.s_col = np.fromiter((v.index for v in b.s), np.int32, len(b.s))
        self.all_cols = np.arange(self.ncol, dtype=np.int32)
        rows = b.lp._constraints
        self.budget_row: int = rows["budget"].index
        self.cov_row = [rows[f"cov{i}"].index for i in range(len(self.lots))]
        self.spend_rows = [rows[name].index for name in b.spend_rows]
        self.spend_col = -1 if b.spend_total is None else int(b.spend_total.index)
        for f in b.families:
            if f.key in b.slack:
                index = getattr(b.slack[f.key], "index", None)
                if index is None:  # the rule produced no row (e.g. nobody bids on both lots)
                    f.active = False
                else:
                    f.slack = int(index)
        self.families = b.families
        self.by_key = {f.key: f for f in b.families}
        # Objective vectors over HiGHS columns (minimisation form).
        self.c_cost = np.zeros(self.ncol)
        self.c_cost[self.s_col] = d.cvec
        self.c_value = np.zeros(self.ncol)
        self.c_value[self.s_col] = -(d.weight * d.value)
        if problem.rules.objective == "max_value":
            self.primary, self.secondary = self.c_value, self.c_cost
        else:
            self.primary, self.secondary = self.c_cost, self.c_value
        self.allow: dict[str, float] = {f.key: HARD for f in b.families}
        self.sweep: tuple[FloorKind | None, float | None] = (None, None)
        self.budget: float | None = problem.rules.budget
        self.dropped: set[int] = set()
        self.fixed: dict[int, int] = {}  # lot -> bid forced (lexicographic stage)
        self._cost_now: np.ndarray | None = None
        self.twin = LpTwin(self.h)
        self.apply_bounds()
        self._set_budget_row()

    # -- state -----------------------------------------------------------------------------

    def floor_blocked(self, f: Family, level: float | None = None) -> np.ndarray:
        """Bids of ``f``'s lot that fail its floor (at ``level``, default the rule's own)."""
        lvl = f.level if level is None else level
        mask = self.d.b_lot == f.lot
        if f.kind == "seal":
            return mask & (self.d.seal < lvl)
        return mask & (self.d.legal < lvl - 1e-9)

    def open_mask(self) -> np.ndarray:
        """Bids whose columns may be non-zero in the current state."""
        d = self.d
        blocked = np.zeros(len(self.bids), dtype=bool)
        for f in self.families:
            if f.kind in ("seal", "legal") and self.allow[f.key] == HARD:
                blocked |= self.floor_blocked(f)
        kind, sweep = self.sweep
        if sweep is not None and kind == "seal":
            blocked |= d.seal < math.ceil(sweep - 1e-9)
        elif sweep is not None and kind == "legal":
            blocked |= d.legal < sweep - 1e-9
        if self.dropped:
            blocked |= np.isin(d.b_lot, list(self.dropped))
        for i, k in self.fixed.items():
            lot_mask = d.b_lot == i
            lot_mask[k] = False
            blocked |= lot_mask
        return ~blocked

    def apply_bounds(self) -> None:
        """Push the current state (floors, sweep, fixings, slack allowances) to HiGHS bounds."""
        nb = len(self.bids)
        ub = self.open_mask().astype(float)
        lb = np.zeros(nb)
        for k in self.fixed.values():
            lb[k] = 1.0
        self.h.changeColsBounds(nb, self.y_col, lb, ub)
        split = np.flatnonzero(self.split)
        if len(split):
            self.h.changeColsBounds(len(split), self.s_col[split], np.zeros(len(split)), ub[split])
        slack = [f for f in self.families if f.slack >= 0]
        if slack:
            idx = np.array([f.slack for f in slack], dtype=np.int32)
            up = np.array([self.allow[f.key] if f.active else 0.0 for f in slack])
            self.h.changeColsBounds(len(slack), idx, np.zeros(len(slack)), up)
        for i in range(len(self.lots)):
            lo = 0.0 if i in self.dropped else 1.0
            self.h.changeRowBounds(self.cov_row[i], lo, lo)

    def set_allow(self, keys: Iterable[str], allowance: float) -> None:
        """Slack allowed to the rules ``keys``: ``HARD`` (0), ``FREE`` (unbounded) or an amount
        in slack units (floors: any non-zero allowance lifts the floor)."""
        for key in keys:
            self.allow[key] = allowance
        self.apply_bounds()

    def states(self) -> Mapping[str, float]:
        return dict(self.allow)

    def restore(self, saved: Mapping[str, float]) -> None:
        self.allow.update(saved)
        self.apply_bounds()

    def set_spend_alpha(self, alpha: float) -> None:
        """Change the spend-share cap in place (the coefficient of T in each group's row)."""
        for r in self.spend_rows:
            self.h.changeCoeff(r, self.spend_col, -alpha)
            self.twin.change_coeff(r, self.spend_col, -alpha)

    def _set_budget_row(self) -> None:
        if self.budget is None:
            self.h.changeRowBounds(self.budget_row, -INF, INF)
        else:
            rhs = self.budget / self.d.scale - self.d.mig_const
            self.h.changeRowBounds(self.budget_row, -INF, rhs)

    def set_budget(self, budget: float | None) -> None:
        self.budget = budget
        self.by_key["budget"].active = budget is not None
        self._set_budget_row()
        self.apply_bounds()

    def set_sweep(self, kind: FloorKind | None, floor: float | None) -> None:
        self.sweep = (kind, floor)
        self.apply_bounds()

    def active_families(self) -> list[Family]:
        return [f for f in self.families if f.active]

    # -- solving ---------------------------------------------------------------------------

    def run(
        self, cost: np.ndarray, *, cutoff: float | None = None, target: float | None = None
    ) -> RunOutcome:
        """Solve with objective ``cost`` (minimised) within what is left of the deadline.

        ``cutoff``: only awards with objective below it count ("infeasible" = none); ``target``:
        stop at the first award below it. The caller then asks "is there one?", never "which is
        best", and checks the objective itself."""
        left = self.deadline.left()
        if left <= 0:
            return RunOutcome("unknown", None, _SPENT, "")
        h = self.h
        if self._cost_now is None or not np.array_equal(cost, self._cost_now):
            h.changeColsCost(self.ncol, self.all_cols, cost)
            self._cost_now = cost.copy()
        out = run_highs(h, left, cutoff=cutoff, target=target)
        if out.status != "optimal" and self.deadline.expired() and out.x is None:
            return RunOutcome("unknown", None, _SPENT, out.model_status)
        return out

    def ask(self, cost: np.ndarray, *, cutoff: float, target: float | None = None) -> RunOutcome:
        """``run`` with a cut-off, the LP relaxation consulted first (``bounds``): when its
        bound proves that no award is below ``cutoff`` the MILP is not run ("infeasible");
        otherwise the integer columns the reduced costs rule out are fixed for this run only.
        Only awards at or above the cut-off are removed, so the answer is the plain run's."""
        r = self.twin.restrict(cost, cutoff, self.deadline.left())
        if r is None or (not r.pruned and not r.fixed):
            return self.run(cost, cutoff=cutoff, target=target)
        if r.pruned:
            return RunOutcome("infeasible", None, "infeasible", "Infeasible (LP bound)")
        assert r.lower is not None and r.upper is not None
        lp = self.h.getLp()
        lo = np.asarray(lp.col_lower_, dtype=float)
        up = np.asarray(lp.col_upper_, dtype=float)
        self.h.changeColsBounds(self.ncol, self.all_cols, r.lower, r.upper)
        try:
            return self.run(cost, cutoff=cutoff, target=target)
        finally:
            self.h.changeColsBounds(self.ncol, self.all_cols, lo, up)

    def feasible(self) -> bool | None:
        """Is there any award in the current state? (None: the time budget ran out.)"""
        out = self.run(np.zeros(self.ncol))
        if out.x is not None:
            return True
        return False if out.status == "infeasible" else None

    def push_row(self, coef: np.ndarray, lo: float, up: float) -> None:
        idx = np.flatnonzero(coef).astype(np.int32)
        self.h.addRow(lo, up, len(idx), idx, coef[idx])
        self.twin.add_row(lo, up, idx, coef[idx])

    def pop_rows(self, n: int) -> None:
        m = self.h.getNumRow()
        self.h.deleteRows(n, np.arange(m - n, m, dtype=np.int32))
        self.twin.delete_last_rows(n)

    def push_nogood(self, x: np.ndarray) -> None:
        """Balas & Jeroslow (1972) cut: the next award must change at least one winning bid."""
        won = x[self.y_col] > 0.5
        coef = np.zeros(self.ncol)
        coef[self.y_col] = np.where(won, -1.0, 1.0)
        self.push_row(coef, 1.0 - float(won.sum()), INF)

    # -- reading solutions -----------------------------------------------------------------

    def pattern(self, x: np.ndarray) -> tuple[int, ...]:
        return tuple(int(k) for k in np.flatnonzero(x[self.y_col] > 0.5))

    def award(self, x: np.ndarray) -> Award:
        """The award of solution ``x``; money recomputed from the input data."""
        won = x[self.y_col] > 0.5
        share = np.where(self.split, np.clip(x[self.s_col], 0.0, 1.0), 1.0) * won
        assignment: dict[str, str] = {}
        shares: dict[str, FrozenDict[float]] = {}
        cost = mig = value = 0.0
        spend: dict[str, float] = {}
        rules = self.problem.rules
        for i, lot in enumerate(self.lots):
            ks = [k for k in self.d.lot_bids[i] if share[k] > 1e-9]
            if not ks:
                continue
            total = sum(share[k] for k in ks)
            part = {self.bids[k].offer: float(share[k] / total) for k in ks}
            if len(ks) == 1:
                assignment[lot.id] = self.bids[ks[0]].offer
            else:
                shares[lot.id] = FrozenDict({o: round(v, 9) for o, v in part.items()})
            for k in ks:
                b = self.bids[k]
                c = b.cost * part[b.offer]
                cost += c
                value += lot.weight * b.value * part[b.offer]
                g = rules.group(b.offer)
                spend[g] = spend.get(g, 0.0) + c
            if lot.incumbent is not None and lot.migration_cost > 0:
                mig += lot.migration_cost * (1.0 - part.get(lot.incumbent, 0.0))
        return Award(
            assignment=FrozenDict(assignment),
            shares=FrozenDict(shares),
            cost=cost + mig,
            value=value,
            migration_cost=mig,
            spend_by_vendor=FrozenDict(dict(sorted(spend.items()))),
        )


__all__ = ["FREE", "HARD", "AwardModel", "Clock", "Deadline", "hold", "tol"]
