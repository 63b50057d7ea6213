"""LP bounds for the cut-off questions of the award MILP: prune a question without a MILP, or
shrink the MILP before HiGHS sees it.

Why. Every stage after the optimum asks "is there an award with objective below ``cutoff``?"
(ties, tie-break stages 2 and 3, binding rules, frontier points). A HiGHS MILP run costs a
fixed ~0.3-0.5 s on 50 lots x 100 offers (presolve, probing, clique table) even when the root
LP answers it, and most bids are far from ever winning. The LP relaxation, warm-started from
the previous question, costs a few milliseconds and gives two proofs (LP duality; Nemhauser &
Wolsey 1988, "Integer and Combinatorial Optimization", II.5 reduced-cost fixing, the argument
every MILP solver uses inside its own search):

- bound: the LP optimum ``z`` is a lower bound of every award (minimisation form); when
  ``z > cutoff`` (with the safety margin below), no award is below the cut-off: the MILP is
  not run;
- reduced-cost fixing: with ``d_j`` the reduced cost of an integer column sitting at its lower
  bound in the LP optimum, every award with ``x_j >= lo_j + t`` has objective ``>= z + t*d_j``
  (the other dual terms are non-negative for a feasible award), so when ``z + t*d_j > cutoff``
  the column's upper bound can be lowered to ``lo_j + t - 1`` (symmetrically at the upper
  bound). Only awards above the cut-off are removed: the MILP with these bounds has exactly
  the awards below the cut-off of the original, so every answer (yes / no / the optimum below
  the cut-off) is unchanged, and HiGHS gets a model of a few hundred columns instead of
  thousands.

Safety. The LP is solved with 1e-9 feasibility tolerances, and the cut-off is loosened by
``SAFETY`` (relative, 1e-6: the tie tolerance, a thousand times the LP tolerances) before either
proof is applied: a numerical error can only fix fewer columns, never an award below the
cut-off. When the LP is not solved to optimality (time, numerical trouble) nothing is pruned or
fixed and the plain MILP runs. ``tests/test_allocation.py`` checks the fixings against
exhaustive enumeration.

The LP twin mirrors the MILP: rows added and removed (no-good cuts, held objectives) and
coefficient changes are applied to both; column and row bounds are copied from the MILP at each
question, so any bound edit made on the MILP is seen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import highspy
import numpy as np

from ..highs import new_highs

SAFETY = 1e-6
"""Relative loosening of the cut-off before an LP proof is applied (see the module docstring)."""
_LP_TOL = 1e-9
_INTEGER = highspy.HighsVarType.kInteger


@dataclass(frozen=True)
class Restriction:
    """What the LP proved for one question: ``pruned`` (no award below the cut-off), else the
    tightened column bounds (``lower``, ``upper`` over all columns) and how many changed."""

    pruned: bool
    lower: np.ndarray | None = None
    upper: np.ndarray | None = None
    fixed: int = 0


class LpTwin:
    """The LP relaxation of a loaded HiGHS MILP, kept in step with it (warm-started)."""

    def __init__(self, milp: highspy.Highs) -> None:
        self.milp = milp
        self.h: highspy.Highs | None = None
        lp = milp.getLp()
        integrality = list(lp.integrality_)
        n = milp.getNumCol()
        self.integer = np.zeros(n, dtype=bool)
        if integrality:
            self.integer = np.array([t == _INTEGER for t in integrality], dtype=bool)
        self.ncol = n
        self.all_cols = np.arange(n, dtype=np.int32)

    # -- mirroring -------------------------------------------------------------------------

    def _load(self) -> highspy.Highs:
        lp = self.milp.getLp()
        lp.integrality_ = []
        h = new_highs()
        h.setOptionValue("primal_feasibility_tolerance", _LP_TOL)
        h.setOptionValue("dual_feasibility_tolerance", _LP_TOL)
        h.passModel(lp)
        self.h = h
        return h

    def add_row(self, lo: float, up: float, idx: np.ndarray, coef: np.ndarray) -> None:
        if self.h is not None:
            self.h.addRow(lo, up, len(idx), idx, coef)

    def delete_last_rows(self, n: int) -> None:
        if self.h is not None:
            m = self.h.getNumRow()
            self.h.deleteRows(n, np.arange(m - n, m, dtype=np.int32))

    def change_coeff(self, row: int, col: int, value: float) -> None:
        if self.h is not None:
            self.h.changeCoeff(row, col, value)

    def _synced(self) -> highspy.Highs:
        """The twin with the MILP's current bounds (reloaded if the row counts differ)."""
        h = self.h
        if h is None or h.getNumRow() != self.milp.getNumRow():
            h = self._load()
        lp = self.milp.getLp()
        h.changeColsBounds(
            self.ncol,
            self.all_cols,
            np.asarray(lp.col_lower_, dtype=float),
            np.asarray(lp.col_upper_, dtype=float),
        )
        mine = h.getLp()
        lo, up = np.asarray(lp.row_lower_, dtype=float), np.asarray(lp.row_upper_, dtype=float)
        stale = (lo != np.asarray(mine.row_lower_, dtype=float)) | (
            up != np.asarray(mine.row_upper_, dtype=float)
        )
        for r in np.flatnonzero(stale).tolist():  # a few rows: budget, coverage of set-aside lots
            h.changeRowBounds(r, float(lo[r]), float(up[r]))
        return h

    # -- the question ----------------------------------------------------------------------

    def restrict(self, cost: np.ndarray, cutoff: float, time_limit: float) -> Restriction | None:
        """LP proofs for "an award with objective ``cost @ x`` below ``cutoff``?" (None: the
        LP gave no usable answer, run the plain MILP)."""
        if time_limit <= 0:
            return None
        h = self._synced()
        h.changeColsCost(self.ncol, self.all_cols, cost)
        h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        info = h.getInfo()
        if info.num_dual_infeasibilities > 0 or info.num_primal_infeasibilities > 0:
            return None
        z = float(info.objective_function_value)
        limit = cutoff + SAFETY * max(1.0, abs(cutoff))
        if not math.isfinite(z):
            return None
        if z > limit:
            return Restriction(pruned=True)
        sol = h.getSolution()
        x = np.asarray(sol.col_value, dtype=float)
        d = np.asarray(sol.col_dual, dtype=float)
        lp = self.milp.getLp()
        lo = np.asarray(lp.col_lower_, dtype=float)
        up = np.asarray(lp.col_upper_, dtype=float)
        room = limit - z  # >= 0
        new_lo, new_up = lo.copy(), up.copy()
        free = self.integer & (up > lo)
        at_lo = free & (d > 0) & (x <= lo + 1e-9) & np.isfinite(lo)
        at_up = free & (d < 0) & (x >= up - 1e-9) & np.isfinite(up)
        with np.errstate(divide="ignore", invalid="ignore"):
            steps_lo = np.floor(room / np.where(at_lo, d, 1.0) + 1e-9)
            steps_up = np.floor(room / np.where(at_up, -d, 1.0) + 1e-9)
        new_up = np.where(at_lo, np.minimum(up, lo + steps_lo), up)
        new_lo = np.where(at_up, np.maximum(lo, up - steps_up), lo)
        changed = int(np.count_nonzero(new_up < up) + np.count_nonzero(new_lo > lo))
        return Restriction(pruned=False, lower=new_lo, upper=new_up, fixed=changed)


__all__ = ["SAFETY", "LpTwin", "Restriction"]
