"""The flip linear programme: argmin Σ|x − w| over the simplex and linear rows (pulp + HiGHS)."""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np

from ._common import FloatArray

_BANNER_SILENCED = False


def _solve(prob: Any) -> str:
    """Solve with pulp's HiGHS, silently. HiGHS prints a banner on C stdout when the first
    solver instance of the process is created, which would corrupt ``--json`` output: that first
    solve runs with file descriptor 1 sent to /dev/null."""
    import pulp

    global _BANNER_SILENCED
    solver = pulp.HiGHS(msg=False, primal_feasibility_tolerance=1e-10,
                        dual_feasibility_tolerance=1e-10)
    if _BANNER_SILENCED:
        prob.solve(solver)
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as null:
                os.dup2(null.fileno(), 1)
                prob.solve(solver)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_SILENCED = True
    return str(pulp.LpStatus[prob.status])


def _lp_min_l1(w: FloatArray, lo: FloatArray, hi: FloatArray, rows: FloatArray,
               rhs: FloatArray) -> FloatArray | None:
    """argmin Σ|x − w| over lo ≤ x ≤ hi, Σx = 1, rows @ x ≥ rhs (None when infeasible)."""
    import pulp

    n = len(w)
    prob = pulp.LpProblem("flip", pulp.LpMinimize)
    x = [prob.add_variable(f"w{k}", float(lo[k]), float(hi[k])) for k in range(n)]
    d = [prob.add_variable(f"d{k}", 0.0) for k in range(n)]
    expr, ge, eq = pulp.LpAffineExpression, pulp.LpConstraintGE, pulp.LpConstraintEQ
    prob += expr([(dk, 1.0) for dk in d])
    prob += pulp.LpConstraint(expr([(xk, 1.0) for xk in x]), eq, rhs=1.0)
    for k in range(n):  # d_k >= |x_k - w_k|
        prob += pulp.LpConstraint(expr([(d[k], 1.0), (x[k], -1.0)]), ge, rhs=-float(w[k]))
        prob += pulp.LpConstraint(expr([(d[k], 1.0), (x[k], 1.0)]), ge, rhs=float(w[k]))
    for r in range(rows.shape[0]):
        terms = [(x[k], float(rows[r, k])) for k in np.flatnonzero(rows[r])]
        prob += pulp.LpConstraint(expr(terms), ge, rhs=float(rhs[r]))
    if _solve(prob) != "Optimal":
        return None
    v = np.array([xk.value() or 0.0 for xk in x], dtype=float)
    v = np.clip(v, lo, hi)
    return v / v.sum()


