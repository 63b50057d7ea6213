"""The flip linear programme: argmin Σ|x − w| over the simplex and linear rows, solved by the one
HiGHS wrapper (``scoring.highs``, which also keeps the HiGHS banner off ``--json`` output)."""

from __future__ import annotations

import numpy as np

from ..highs import solve_lp
from ._common import FloatArray

_TOLERANCES = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}

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
    outcome, _ = solve_lp(prob, time_limit=None, options=_TOLERANCES)
    if outcome.status != "optimal":
        return None
    v = np.array([xk.value() or 0.0 for xk in x], dtype=float)
    v = np.clip(v, lo, hi)
    return v / v.sum()


