"""Flip: the smallest L1 change of the weights that puts an offer first (weighted sum only).

A "most critical criteria" analysis in the sense of E. Triantaphyllou and A. Sánchez (Decision
Sciences 28(1):151–194, 1997), over all weights at once: minimise ``Σ|w' − w|`` subject to
``w' ≥ 0``, ``Σ w' = 1``, optional bounds, and the offer ahead of every other by ``margin``
points. A linear programme (``d_k ≥ ±(w'_k − w_k)``, minimise ``Σ d_k``), solved with pulp +
HiGHS.

* Exact under ``worst`` (or when no answer is missing): the totals are linear in ``w``.
  "Impossible" is then proven (LP infeasible), or by dominance.
* Under ``exclude`` the totals are ratios; the problem is split on a threshold τ:
  ``total_o ≥ τ`` and ``total_j ≤ τ − margin`` are linear in ``w`` once each pillar's ratio
  ρ = (pillar weight) / (weight the offer answered in it) is fixed. ρ is constant — the split
  exact — when every offer answers each pillar fully or not at all (always so at pillar level);
  τ is then searched on a 33-point grid refined three times ("minimal up to the threshold
  search"). Otherwise ρ is re-fixed at each answer (up to four rounds), and the same is done
  from the two nearest of 20,000 seeded sampled weight vectors that make the offer first
  ("smallest change found, not proven minimal").
* Faces of the simplex. Where a weight is exactly 0 the totals jump: an offer whose answered
  criteria of a pillar all get weight 0 drops that pillar from its total. Such answers lie on a
  face ``{w_k = 0, k ∈ Z}`` of the simplex, which the LP above (strictly inside the pieces)
  cannot reach. Each face where some offer's partly answered pillar drops out (Z = the
  criteria that offer answered in that pillar) is searched the same way, cheapest first
  (moving to it costs at least ``Σ_{k∈Z} w_k``, so faces that cannot beat the best answer are
  skipped: the pruning is exact).
* Under ``exclude`` every offer keeps at least 1e-6 of weight on what it answered: otherwise its
  total is 0/0, which the engine shows as 0, and beating it would be an artefact.

Every answer is re-scored with ``DecisionMatrix.totals`` before it is returned.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..engine import DecisionMatrix
from ..engine.policy import renormalises
from ..errors import InputError
from ._common import (
    TIE_TOLERANCE,
    FloatArray,
    groups_of,
    is_linear,
    normalised,
    ranking,
    totals_many,
)
from ._common import weight_bounds as _bounds
from ._lp import _lp_min_l1

#: Weight changes smaller than this are not listed.
SHOWN_CHANGE = 5e-4
FLIP_SAMPLES = 20_000
#: Under ``exclude`` every offer keeps at least this much weight on criteria it answered.
MIN_ANSWERED = 1e-6
_TAU_GRID = 33
_TAU_ZOOM = (9, 9, 9)
_RHO_ROUNDS = 4
_SAMPLED_STARTS = 2
#: Faces of the simplex searched at most (cheapest first).
MAX_FACES = 24
_SAMPLE_CHUNK = 4_096
_MIN_ANSWERED = MIN_ANSWERED
NDArrayInt = NDArray[np.int64]



@dataclass(frozen=True)
class WeightChange:
    """One criterion's weight before and after the flip."""

    criterion: str
    before: float
    after: float


@dataclass(frozen=True)
class FlipResult:
    """The smallest change of the weights (L1 distance) that makes ``offer`` rank first.

    ``possible`` is False when no admissible weight vector does it (``reason`` says why:
    dominated, excluded by gates, bounds). ``distance`` = Σ|w' − w| (twice the weight moved);
    ``changes`` lists the criteria whose weight moves (largest first); ``totals_after`` are the
    engine's totals at ``weights_after``. ``exact`` is True when the answer is proven minimal
    (or proven impossible); ``method`` names how it was found. ``supported`` is False when the
    scenario's method is not the weighted sum: nothing was computed and ``reason`` says so.
    """

    offer: str
    possible: bool
    reason: str
    criteria: tuple[str, ...]
    weights_before: tuple[float, ...]
    weights_after: tuple[float, ...] | None
    distance: float | None
    changes: tuple[WeightChange, ...]
    totals_after: tuple[tuple[str, float], ...] | None
    method: str
    exact: bool
    margin: float
    supported: bool = True


def _lead(totals: FloatArray, o: int) -> float:
    """How far offer o is ahead of the best other offer (negative: behind)."""
    others = np.delete(totals, o)
    return float(totals[o] - others.max()) if others.size else math.inf


def _first(dm: DecisionMatrix, w: FloatArray, o: int, margin: float) -> bool:
    if renormalises(dm.policy):
        answered = (~np.isnan(dm.scores)).astype(float) @ w
        if np.any(answered < _MIN_ANSWERED * (1 - 1e-6)):
            return False
    t = dm.totals(w)
    if margin > 0:
        return _lead(t, o) >= margin * (1 - 1e-6) and int(ranking(t)[0]) == o
    return _lead(t, o) >= -1e-9


def _dominator(dm: DecisionMatrix, o: int) -> str | None:
    """Why o cannot be first, if another offer is at least as good on every criterion with the
    same answered criteria (then no weights, under either policy, put o strictly ahead)."""
    avail = ~np.isnan(dm.scores)
    s0 = np.nan_to_num(dm.scores)
    for j in range(len(dm.offers)):
        if j == o:
            continue
        same_pattern = not renormalises(dm.policy) or np.array_equal(avail[j], avail[o])
        if same_pattern and np.all(s0[j] >= s0[o]):
            if np.array_equal(s0[j], s0[o]):
                return (f"scores identical to {dm.offers[j]} (same criteria answered), so it "
                        "can at best tie with it")
            return (f"dominated by {dm.offers[j]} (no better on any criterion, same criteria "
                    "answered), so no weights can put it ahead")
    return None


def _exclude_rows(dm: DecisionMatrix, o: int, tau: float, margin: float,
                  rho: FloatArray) -> FloatArray:
    """Rows r @ w >= 0 for total_o >= tau and total_j <= tau - margin, with each pillar's
    ratio rho[i, p] = (pillar weight) / (answered weight of the pillar) held fixed; then one
    row per offer for its answered weight (>= _MIN_ANSWERED)."""
    avail = ~np.isnan(dm.scores)
    s0 = np.nan_to_num(dm.scores)
    groups = groups_of(dm)
    coef = avail * rho[:, groups]  # (m, n)
    rows = [coef[o] * (s0[o] - tau)]
    for j in range(len(dm.offers)):
        if j != o:
            rows.append(-coef[j] * (s0[j] - (tau - margin)))
    return np.vstack([np.asarray(rows), avail.astype(float)])


def _rho(dm: DecisionMatrix, w: FloatArray) -> FloatArray:
    avail = (~np.isnan(dm.scores)).astype(float)
    groups = groups_of(dm)
    g = np.zeros((len(dm.criteria), int(groups.max()) + 1))
    g[np.arange(len(dm.criteria)), groups] = 1.0
    wp = w @ g  # (P,)
    den = (avail * w) @ g  # (m, P)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, wp[None, :] / den, 1.0)


def _linearisation_exact(dm: DecisionMatrix) -> bool:
    """True when every offer answers each pillar fully or not at all (rho is then constant)."""
    avail = ~np.isnan(dm.scores)
    groups = groups_of(dm)
    for p in np.unique(groups):
        sub = avail[:, groups == p]
        if np.any(sub.any(axis=1) & ~sub.all(axis=1)):
            return False
    return True


def _tau_search(dm: DecisionMatrix, o: int, w: FloatArray, lo: FloatArray, hi: FloatArray,
                margin: float, rho: FloatArray, extra: Sequence[float]) -> FloatArray | None:
    """Min L1 over thresholds tau: a grid, then three zooms around the best tau."""
    avail = ~np.isnan(dm.scores[o])
    s = dm.scores[o][avail]
    t_lo, t_hi = float(s.min()), float(s.max())
    cache: dict[float, FloatArray | None] = {}

    def solve(tau: float) -> FloatArray | None:
        key = round(tau, 12)
        if key not in cache:
            m = len(dm.offers)
            rhs = np.concatenate([np.zeros(m), np.full(m, _MIN_ANSWERED)])
            cache[key] = _lp_min_l1(w, lo, hi, _exclude_rows(dm, o, tau, margin, rho), rhs)
        return cache[key]

    def value(tau: float) -> float:
        x = solve(tau)
        return math.inf if x is None else float(np.abs(x - w).sum())

    taus = list(np.linspace(t_lo, t_hi, _TAU_GRID)) + [float(t) for t in extra
                                                       if t_lo <= t <= t_hi]
    best = min(taus, key=value)
    if math.isinf(value(best)):
        return None
    step = (t_hi - t_lo) / (_TAU_GRID - 1)
    for pts in _TAU_ZOOM:
        a, b = max(t_lo, best - step), min(t_hi, best + step)
        grid = list(np.linspace(a, b, pts))
        best = min([best, *grid], key=value)
        step = (b - a) / (pts - 1)
    return solve(best)


@dataclass
class _Search:
    """The state of one exclude-policy search: the full matrix, the offer, the reference
    weights and the best verified answer so far."""

    dm: DecisionMatrix
    o: int
    w: FloatArray
    lo: FloatArray
    hi: FloatArray
    margin: float
    best: FloatArray | None = None
    best_dist: float = math.inf
    best_method: str = ""

    def consider(self, x: FloatArray | None, method: str) -> bool:
        """Keep ``x`` (full weight vector) if it puts the offer first and is the nearest yet."""
        if x is None or not _first(self.dm, x, self.o, self.margin):
            return False
        d = float(np.abs(x - self.w).sum())
        if d < self.best_dist - 1e-12:
            self.best, self.best_dist, self.best_method = x, d, method
        return True


def _rounds(s: _Search, sub: DecisionMatrix, keep: NDArrayInt, start: FloatArray, method: str,
            n_rounds: int) -> None:
    """Threshold search with ρ re-fixed at each answer, on the face ``w_k = 0`` (k not in
    ``keep``) represented by the reduced matrix ``sub``; answers are lifted back and verified
    on the full matrix."""
    exact_lin = _linearisation_exact(sub)
    wk, lo, hi = s.w[keep], s.lo[keep], s.hi[keep]
    ref = start[keep]
    cur = sub.totals(ref) if ref.sum() > 0 else np.zeros(len(sub.offers))
    extra = [float(cur[s.o]), float(np.delete(cur, s.o).max() + s.margin)]
    for _ in range(1 if exact_lin else n_rounds):
        x = None
        # A bigger margin helps only against solver tolerance, i.e. when rho is exact.
        for bump in (0.0, 1e-6, 1e-5) if exact_lin else (0.0,):
            x = _tau_search(sub, s.o, wk, lo, hi, s.margin + bump, _rho(sub, ref), extra)
            if x is None:
                break
            full = np.zeros_like(s.w)
            full[keep] = x
            if s.consider(full, method):
                break
        if x is None or float(np.abs(x - ref).sum()) < 1e-9:
            break
        ref = x
        extra = [float(sub.totals(x)[s.o])]


def _reduced(dm: DecisionMatrix, keep: NDArrayInt) -> DecisionMatrix:
    groups = groups_of(dm)
    return DecisionMatrix(dm.offers, tuple(dm.criteria[k] for k in keep), dm.scores[:, keep],
                          dm.weights[keep], dm.policy, tuple(int(g) for g in groups[keep]))


def _faces(dm: DecisionMatrix, w: FloatArray, lo: FloatArray) -> list[tuple[float, NDArrayInt]]:
    """Faces where an offer's partly answered pillar drops out: (cost Σ w_Z, Z), cheapest
    first, at most ``MAX_FACES``; faces a lower bound forbids are left out."""
    avail = ~np.isnan(dm.scores)
    groups = groups_of(dm)
    seen: set[tuple[int, ...]] = set()
    out: list[tuple[float, NDArrayInt]] = []
    pillars, size = np.unique(groups, return_counts=True)
    for p in pillars[size > 1]:  # a one-criterion pillar is answered fully or not at all
        cols = np.flatnonzero(groups == p)
        for i in range(len(dm.offers)):
            z = cols[avail[i, cols]]
            key = tuple(int(k) for k in z)
            if 0 < z.size < cols.size and key not in seen and not np.any(lo[z] > 0):
                seen.add(key)
                out.append((float(w[z].sum()), z))
    out.sort(key=lambda f: (f[0], tuple(f[1])))
    return out[:MAX_FACES]


def _sampled_starts(s: _Search, samples: int, seed: int, bounded: bool) -> list[FloatArray]:
    """The nearest sampled weight vectors (seeded) that already put the offer first."""
    from ..methods.smaa_weights import sample_weights

    dm, o = s.dm, s.o
    W = sample_weights(len(dm.criteria), samples, seed,
                       np.column_stack([s.lo, s.hi]) if bounded else None)
    answered_of = (~np.isnan(dm.scores)).astype(float).T
    best: list[tuple[float, int]] = []
    for a in range(0, samples, _SAMPLE_CHUNK):
        Wc = W[a:a + _SAMPLE_CHUNK]
        T = totals_many(dm, Wc)
        others = np.delete(T, o, axis=1).max(axis=1)
        # A lead above the tie tolerance makes o first by the ranking rule (and ``consider``
        # re-checks every start with the engine's totals).
        lead = T[:, o] - others
        ok = ((lead > TIE_TOLERANCE) & (lead >= s.margin)
              & np.all(Wc @ answered_of >= _MIN_ANSWERED, axis=1))
        for r in np.flatnonzero(ok):
            best.append((float(np.abs(Wc[r] - s.w).sum()), a + int(r)))
        best = sorted(best)[:_SAMPLED_STARTS]
    return [W[r] for _, r in best]


def flip(
    dm: DecisionMatrix,
    offer: str,
    *,
    margin: float = 1e-6,
    bounds: Mapping[str, tuple[float, float]] | ArrayLike | None = None,
    excluded_by: Sequence[str] = (),
    samples: int = FLIP_SAMPLES,
    seed: int = 0,
) -> FlipResult:
    """The smallest L1 change of the weight vector that makes ``offer`` rank first.

    Subject to ``w' >= 0``, ``Σ w' = 1`` and the optional per-criterion ``bounds`` (a mapping
    criterion -> (lower, upper), or an (n, 2) array). ``margin`` is the lead, in points of the
    0–100 total, by which the offer must beat every other offer (default 1e-6): with 0, a tie at
    the boundary is accepted (and the engine would break it by offer order). An offer not in
    ``dm.offers`` is excluded by the gates (``excluded_by`` names them) and cannot rank first.
    ``samples`` and ``seed`` drive the sampled starts of the ``exclude`` policy (see the module
    docstring). Every answer is re-scored with ``dm.totals``.
    """
    crit = dm.criteria
    w = normalised(dm.weights)
    before = tuple(float(x) for x in w)
    if margin < 0 or not math.isfinite(margin):
        raise InputError("margin must be a non-negative number of points")

    def impossible(reason: str, method: str, exact: bool) -> FlipResult:
        return FlipResult(offer, False, reason, crit, before, None, None, (), None, method,
                          exact, margin)

    if offer not in dm.offers:
        gates = f" ({', '.join(excluded_by)})" if excluded_by else ""
        return impossible(f"{offer} is excluded by the gates{gates}: only eligible offers are "
                          "ranked, so no weights can make it first", "gates", True)
    o = dm.offers.index(offer)
    lo, hi = _bounds(dm, bounds)

    def done(w2: FloatArray, method: str, exact: bool, reason: str = "") -> FlipResult:
        tot = dm.totals(w2)
        changes = sorted((WeightChange(crit[k], float(w[k]), float(w2[k]))
                          for k in range(len(crit)) if abs(w2[k] - w[k]) >= SHOWN_CHANGE),
                         key=lambda c: -abs(c.after - c.before))
        lead = _lead(tot, o)
        why = reason or (f"ranks first with a lead of {lead:.6f} points" if lead > 1e-9 else
                         "ties for first place at the boundary")
        return FlipResult(offer, True, why, crit, before, tuple(float(x) for x in w2),
                          float(np.abs(w2 - w).sum()), tuple(changes),
                          tuple((dm.offers[i], float(tot[i])) for i in range(len(dm.offers))),
                          method, exact, margin)

    in_bounds = bool(np.all(w >= lo - 1e-12) and np.all(w <= hi + 1e-12))
    if in_bounds and (len(dm.offers) == 1 or _first(dm, w, o, margin)):
        return done(w, "current", True, "already ranks first at the current weights")
    dom = _dominator(dm, o) if margin > 0 else None
    if dom is not None:
        return impossible(dom, "dominance", True)

    bound_note = " within the given bounds" if bounds is not None else ""
    if is_linear(dm):
        s0 = np.nan_to_num(dm.scores)
        rows = s0[o][None, :] - np.delete(s0, o, axis=0)
        for bump in (0.0, 1e-7, 1e-6, 1e-5):
            w2 = _lp_min_l1(w, lo, hi, rows, np.full(rows.shape[0], margin + bump))
            if w2 is None:
                return impossible(f"no weight vector{bound_note} puts it ahead of every other "
                                  f"offer by {margin:g} points", "lp", True)
            if _first(dm, w2, o, margin):
                return done(w2, "lp", bump == 0.0)
        return impossible("the LP answer did not survive re-scoring (numerical trouble)",
                          "lp", False)

    # exclude policy with missing answers: threshold search on the linearised LP
    exact_lin = _linearisation_exact(dm)
    s = _Search(dm, o, w, lo, hi, margin)
    every = np.arange(len(crit))
    _rounds(s, dm, every, w, "lp-threshold-search" if exact_lin else "lp-linearised",
            _RHO_ROUNDS)
    if s.best is None or not exact_lin:
        # Sampled starts: always when the linearisation is inexact (the rounds from w can stall
        # in a local answer), otherwise only when nothing was found.
        for start in _sampled_starts(s, samples, seed, bounds is not None):
            s.consider(start, "sampled")
            _rounds(s, dm, every, start, "sampled+lp", 2)
    faces = _faces(dm, w, lo)
    for cost, z in faces:
        if cost >= s.best_dist - 1e-12:
            break  # moving to this face (or any later one) costs more than the best answer
        keep = np.setdiff1d(every, z)
        start = w.copy()
        start[z] = 0.0
        if start.sum() <= 0:
            continue
        _rounds(s, _reduced(dm, keep), keep, start / start.sum(), "lp-face", 2)
    if s.best is not None:
        # Under exclude the answer is the best found: never claimed minimal (see docstring).
        return done(s.best, s.best_method, False)
    face_note = f", {len(faces)} faces of the simplex" if faces else ""
    return impossible(f"no weight vector{bound_note} found that puts it ahead of every other "
                      f"offer by {margin:g} points (linearised LP over the threshold, then "
                      f"{samples:,} sampled weight vectors{face_note}; under the exclude "
                      "policy this is not a proof)", "lp-threshold-search+sampled", False)

