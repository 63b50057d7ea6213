"""One-way paths: totals as rational functions of one criterion's weight, and their exact ties.

The weight of criterion k moves from 0 to 1 and the others keep their proportions,
``w(t) = t·e_k + (1 − t)·rest`` (the "walking weights" of Visual PROMETHEE; T. Butler, J. Jia
and J. Dyer, EJOR 103:531–546, 1997, §2). If every other weight is 0 the others share
``1 − t`` equally. On the open path 0 < t < 1 each total is ``N_i(t) / D_i(t)``: linear under
``worst``, a ratio of polynomials of degree ≤ 2 under ``exclude`` (see ``DecisionMatrix``).
Two offers tie where ``N_i D_j − N_j D_i`` (degree ≤ 4) vanishes; its real roots are found for
many pairs at once from batched companion matrices (the method of ``numpy.roots``) and
polished by Newton steps (E. Triantaphyllou and A. Sánchez, Decision Sciences 28(1):151–194,
1997, for the weighted sum).

At the end points t = 0 and t = 1 some weights are exactly 0: under ``exclude`` an offer whose
answered criteria of a pillar all lose their weight drops that pillar (or, with nothing left,
scores 0), so the totals there are not the limits of the rational functions. Callers evaluate
the end points with ``DecisionMatrix.totals`` separately.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine import DecisionMatrix
from ..engine.policy import renormalises
from ..errors import InputError
from ._common import FloatArray, groups_of, normalised

#: A root with a larger imaginary part is not a candidate tie.
IMAG_TOL = 1e-7
#: Leading coefficients below this share of the largest are treated as 0.
_LEAD_TOL = 1e-13


def _path(dm: DecisionMatrix, k: int) -> tuple[FloatArray, FloatArray]:
    """Current normalised weights and the direction ``rest`` (w(t) = t e_k + (1 - t) rest)."""
    n = len(dm.criteria)
    if n < 2:
        raise InputError("one-way sensitivity needs at least two criteria")
    w = normalised(dm.weights)
    rest = w.copy()
    rest[k] = 0.0
    s = rest.sum()
    if s <= 0:
        rest = np.ones(n)
        rest[k] = 0.0
        s = float(n - 1)
    return w, rest / s


def _weights_at(k: int, rest: FloatArray, t: ArrayLike) -> FloatArray:
    """The full weight vectors at points ``t`` of the path: (len(t), n)."""
    tt = np.atleast_1d(np.asarray(t, dtype=float))
    out = (1.0 - tt)[:, None] * rest[None, :]
    out[:, k] = tt
    return out


def rational_coefficients(dm: DecisionMatrix, k: int, rest: FloatArray
                          ) -> tuple[FloatArray, FloatArray]:
    """``(N, D)``: (m, 3) coefficient arrays, highest degree first, with
    total_i(t) = N_i(t) / D_i(t) on 0 < t < 1, for all offers at once.

    Under ``worst`` the total is Σ w s (Σ w(t) = 1). Under ``exclude`` every pillar not holding
    k keeps its internal proportions, so its score P_ip is constant and its weight is
    (1 − t) V_p; only k's pillar contributes W(t) num(t) / den(t).
    """
    s0 = np.nan_to_num(dm.scores)
    m = s0.shape[0]
    N, D = np.zeros((m, 3)), np.zeros((m, 3))
    if not renormalises(dm.policy) or not np.isnan(dm.scores).any():
        a0 = s0 @ rest
        N[:, 1], N[:, 2] = s0[:, k] - a0, a0
        D[:, 2] = 1.0
        return N, D
    avail = (~np.isnan(dm.scores)).astype(float)
    sa = s0 * avail
    groups = groups_of(dm)
    pk = groups[k]
    members = groups == pk
    others = members.copy()
    others[k] = False
    vk = float(rest[members].sum())
    num_a, den_b = np.zeros(m), np.zeros(m)  # (1 - t) * num_a, (1 - t) * den_b
    for p in np.unique(groups):
        if p == pk:
            continue
        mem = groups == p
        c = avail[:, mem] @ rest[mem]
        ok = c > 0
        vp = float(rest[mem].sum())
        num_a += np.where(ok, vp * (sa[:, mem] @ rest[mem]) / np.where(ok, c, 1.0), 0.0)
        den_b += np.where(ok, vp, 0.0)
    # A = (1-t) num_a, B = (1-t) den_b, W = vk + (1-vk) t, num = x0 + (x1-x0) t, den likewise
    x0, x1 = sa[:, others] @ rest[others], sa[:, k]
    d0, d1 = avail[:, others] @ rest[others], avail[:, k]
    A = np.column_stack([-num_a, num_a])
    B = np.column_stack([-den_b, den_b])
    num = np.column_stack([x1 - x0, x0])
    den = np.column_stack([d1 - d0, d0])
    wpoly = np.array([1.0 - vk, vk])
    full = np.asarray(avail[:, members].all(axis=1), dtype=bool)
    none = np.asarray(~den.any(axis=1), dtype=bool)
    for i in range(m):
        if full[i]:  # den == W: the pillar's score times its weight is num
            Ni, Di = np.polyadd(A[i], num[i]), np.polyadd(B[i], wpoly)
        elif none[i]:  # the offer answers nothing in k's pillar on the open path
            Ni, Di = A[i], B[i]
        else:
            Ni = np.polyadd(np.polymul(A[i], den[i]), np.polymul(wpoly, num[i]))
            Di = np.polymul(np.polyadd(B[i], wpoly), den[i])
        if not np.any(Di):  # nothing answered at all: the engine's total is 0
            Ni, Di = np.array([0.0]), np.array([1.0])
        N[i, 3 - len(Ni):], D[i, 3 - len(Di):] = Ni, Di
    return N, D


def _rational(dm: DecisionMatrix, k: int, rest: FloatArray) -> list[tuple[FloatArray, FloatArray]]:
    """``(N_i, D_i)`` per offer (see ``rational_coefficients``)."""
    N, D = rational_coefficients(dm, k, rest)
    return [(N[i], D[i]) for i in range(len(N))]


def tie_polynomials(N: FloatArray, D: FloatArray, i: ArrayLike, j: ArrayLike
                    ) -> tuple[FloatArray, NDArray[np.bool_]]:
    """``N_i D_j − N_j D_i`` for pairs (i, j): (K, 5) coefficients, highest first, and a mask
    of the pairs that are identical along the whole path (tied everywhere: no crossing)."""
    ii, jj = np.asarray(i), np.asarray(j)
    left = _mul2(N[ii], D[jj])
    right = _mul2(N[jj], D[ii])
    diff = left - right
    scale = np.maximum(np.maximum(np.abs(left).max(axis=1), np.abs(right).max(axis=1)), 1.0)
    same = np.abs(diff).max(axis=1) <= 1e-12 * scale
    return diff, same



def _mul2(a: FloatArray, b: FloatArray) -> FloatArray:
    """Row-wise product of degree-2 polynomials (K, 3) × (K, 3) -> (K, 5)."""
    out = np.zeros((a.shape[0], 5))
    for x in range(3):
        out[:, x:x + 3] += a[:, x:x + 1] * b
    return out


def real_roots(polys: FloatArray, lo: float = 0.0, hi: float = 1.0
               ) -> tuple[NDArray[np.int64], FloatArray]:
    """Real roots in [lo, hi] of many polynomials (K, d+1), highest degree first.

    Returns ``(row, root)`` arrays. Leading coefficients below 1e-13 of the row's largest are
    dropped (as the degree falls); the roots of each degree class come from one batched
    eigenvalue call on the companion matrices, are kept when their imaginary part is at most
    1e-7, and are polished by up to three Newton steps of at most 1e-6 each.
    """
    p = np.asarray(polys, dtype=float)
    K, d1 = p.shape
    big = np.abs(p).max(axis=1) if K else np.zeros(0)
    small = np.abs(p) <= _LEAD_TOL * big[:, None]
    lead = np.where(small.all(axis=1), d1, np.argmin(small, axis=1))  # first kept coefficient
    deg = d1 - 1 - lead
    rows_out: list[NDArray[np.int64]] = []
    roots_out: list[FloatArray] = []
    for g in range(1, d1):
        rows = np.flatnonzero(deg == g)
        if rows.size == 0:
            continue
        c = p[rows][:, d1 - 1 - g:]  # (r, g+1)
        c = c / c[:, :1]
        if g == 1:
            r = -c[:, 1].astype(complex)[:, None]
        else:
            comp = np.zeros((rows.size, g, g))
            comp[:, 0, :] = -c[:, 1:]
            comp[:, np.arange(1, g), np.arange(g - 1)] = 1.0
            r = np.linalg.eigvals(comp)
        ok = (np.abs(r.imag) <= IMAG_TOL) & (r.real >= lo - 1e-9) & (r.real <= hi + 1e-9)
        ri, ci = np.nonzero(ok)
        x = r.real[ri, ci]
        cc = c[ri]
        dc = cc[:, :-1] * np.arange(g, 0, -1)[None, :]
        for _ in range(3):
            fx = _polyval_rows(cc, x)
            dx = _polyval_rows(dc, x)
            with np.errstate(divide="ignore", invalid="ignore"):
                step = np.where(dx != 0.0, fx / np.where(dx != 0.0, dx, 1.0), 0.0)
            step = np.where(np.isfinite(step) & (np.abs(step) <= 1e-6), step, 0.0)
            x = x - step
        rows_out.append(rows[ri])
        roots_out.append(np.clip(x, lo, hi))
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(rows_out), np.concatenate(roots_out)


def _polyval_rows(c: FloatArray, x: FloatArray) -> FloatArray:
    out = np.zeros_like(x)
    for q in range(c.shape[1]):
        out = out * x + c[:, q]
    return out
