"""SMAA-2: what each offer's rank would be under *every* admissible set of weights.

Reference: R. Lahdelma and P. Salminen, "SMAA-2: Stochastic multicriteria acceptability
analysis for group decision making", *Operations Research* 49(3):444–454, 2001.

Why: a committee rarely agrees on exact weights, and a ranking computed with one weight vector
hides how fragile it is. SMAA-2 samples the weights the committee could defend (uniform on the
weight simplex, optionally within bounds or an importance order) and reports, per offer:

* rank acceptability ``b[i, r]`` — the share of weight vectors that put offer ``i`` at rank
  ``r + 1``;
* central weight vector — the average weights that make ``i`` the winner ("what you would have
  to believe for this offer to win");
* confidence factor — how often ``i`` still wins with its central weights once the utilities
  themselves are uncertain (1 or 0 when they are not).

Conventions:

* Totals are ``utilities @ w`` (higher is better); the engine passes 0–100 criterion utilities.
* Ranks: THE ranking rule (``scoring.ranking``): descending, totals within ``TIE_TOLERANCE``
  of their neighbour tie, ties to the **lower offer index**. The integer-key sort below is a
  fast path that hands every row holding a near tie to ``ranking()`` itself, so two totals
  that tie for the engine tie here too (0.1 + 0.2 against 0.3), and SMAA's winner is always the
  offer ``ranking()`` puts first.
* Randomness: ``numpy.random.SeedSequence(seed)`` spawns two independent streams, one for the
  weights and one for the utility noise, each fed to ``numpy.random.default_rng``. Each stream
  is consumed strictly in sample order, so **the result is bit-for-bit identical for the same
  arguments whatever ``chunk_size`` is** (tested). Central weights are summed over weights
  rounded to a grid of ``2**-s`` with ``s = 53 − bit_length(n_samples)`` (``s = 33`` for 1M
  samples), which keeps every partial sum exact so the summation order — hence the chunking —
  cannot change a bit. The confidence pass replays the same noise stream (common random
  numbers), so sample ``k`` sees the same perturbed utilities in both passes.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError
from ..ranking import TIE_TOLERANCE, ranking
from ._checks import finite_matrix

__all__ = ["IntervalDraws", "SmaaResult", "rank_order", "sample_weights", "smaa2",
           "weight_stream", "winners"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Candidates drawn first when weights are bounded; the acceptance rate is measured on them.
_PILOT = 100_000
#: Rejection sampling gives up below this acceptance rate (more than 10,000 draws per sample).
_MIN_ACCEPTANCE = 1e-4
#: Upper bound on candidate rows drawn at once during rejection sampling.
_MAX_CANDIDATES = 1 << 18
#: Elements of one (rows × offers × criteria) noise block: 2 MB in float64. Measured on 2 cores,
#: small cache-resident blocks were 2× faster than 32 MB ones (benchmarks/bench_sensitivity.py).
_NOISE_BLOCK_ELEMENTS = 1 << 18
_UTILITY_RANGE = (0.0, 100.0)
_INT64_LOW63 = np.int64(0x7FFF_FFFF_FFFF_FFFF)


# eq=False: the array fields would make a generated ``__eq__`` ambiguous.
@dataclass(frozen=True, eq=False)
class SmaaResult:
    """SMAA-2 descriptive measures (Lahdelma & Salminen 2001).

    Attributes:
        acceptability: (m, m); ``acceptability[i, r]`` = share of samples where offer ``i``
            gets rank ``r + 1``. Rows and columns each sum to 1.
        central_weights: (m, n); mean weight vector over the samples where offer ``i`` ranks
            first; a row of NaN when it never does (no weights make it win).
        confidence: (m,); share of samples in which offer ``i`` ranks first when the weights
            are fixed at its central weight vector, under the utility noise. Exactly 1.0 or
            0.0 without noise; NaN when the central weight vector is undefined.
        n_samples: number of weight samples.
        seed: the seed that reproduces this result (the drawn entropy if ``seed=None`` was
            passed).
    """

    acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    n_samples: int
    seed: int

    @property
    def first_rank(self) -> FloatArray:
        """First-rank acceptability ``b[i, 0]``: the share of weight space where ``i`` wins."""
        return self.acceptability[:, 0]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _check_bounds(bounds: ArrayLike | None, n: int) -> FloatArray | None:
    if bounds is None:
        return None
    b = np.array(bounds, dtype=np.float64)
    if b.shape != (n, 2):
        raise InputError(f"weight_bounds must be (criteria={n}) × 2 [lower, upper], got {b.shape}")
    if not np.all(np.isfinite(b)):
        raise InputError("weight_bounds must be finite")
    lo, hi = b[:, 0], b[:, 1]
    for c in range(n):
        if not 0.0 <= lo[c] <= hi[c] <= 1.0:
            raise InputError(
                f"weight_bounds for criterion {c} must satisfy 0 <= lower <= upper <= 1, "
                f"got [{lo[c]}, {hi[c]}]"
            )
    if lo.sum() > 1.0:
        raise InputError(f"weight_bounds are infeasible: lower bounds sum to {lo.sum():.6g} > 1")
    if hi.sum() < 1.0:
        raise InputError(f"weight_bounds are infeasible: upper bounds sum to {hi.sum():.6g} < 1")
    return b


def _check_order(order: Sequence[int] | None, n: int) -> IntArray | None:
    if order is None:
        return None
    o = np.array(order)
    if o.ndim != 1 or o.size == 0 or not np.issubdtype(o.dtype, np.integer):
        raise InputError(f"weight_order must be a non-empty list of criterion indices, got {order}")
    if np.any((o < 0) | (o >= n)) or len(set(o.tolist())) != o.size:
        raise InputError(f"weight_order must hold distinct indices in 0..{n - 1}, got {order}")
    return o.astype(np.int64)


def _check_utilities(utilities: ArrayLike) -> FloatArray:
    u = finite_matrix(utilities, "utilities", "offers × criteria")
    u += 0.0  # -0.0 -> +0.0, so that non-negative totals are never -0.0
    return u


def _check_sd(sd: ArrayLike | None, u: FloatArray) -> FloatArray | None:
    """Broadcast ``utility_sd`` to (m, n); None when there is no noise at all."""
    if sd is None:
        return None
    s = np.array(sd, dtype=np.float64)
    if s.ndim == 0:
        s = np.full(u.shape, float(s))
    if s.shape != u.shape:
        raise InputError(f"utility_sd must be a scalar or {u.shape}, got shape {s.shape}")
    if not np.all(np.isfinite(s)) or np.any(s < 0):
        raise InputError("utility_sd must be finite and non-negative")
    if not np.any(s > 0):
        return None
    lo, hi = _UTILITY_RANGE
    if np.any(u < lo) or np.any(u > hi):
        raise InputError(
            "with utility_sd the utilities must lie in [0, 100] (noisy values are clipped there)"
        )
    return s


# --------------------------------------------------------------------------------------------
# Weight sampling
# --------------------------------------------------------------------------------------------


def _streams(seed: int | None) -> tuple[np.random.SeedSequence, np.random.SeedSequence, int]:
    root = np.random.SeedSequence(seed)
    weight_ss, noise_ss = root.spawn(2)
    entropy = root.entropy
    assert isinstance(entropy, int)  # an int seed, or the int drawn for seed=None
    return weight_ss, noise_ss, entropy


class _WeightSampler:
    """Stateful stream of weight vectors, identical whatever the sizes of successive takes.

    Dirichlet(1, …, 1) — the uniform distribution on the simplex — is drawn as standard
    exponentials divided by their sum (L. Devroye, *Non-Uniform Random Variate Generation*,
    Springer, 1986: uniform spacings). Normalising *uniform* draws instead would be wrong: it
    piles up mass in the middle of the simplex and under-samples the corners and edges, i.e. it
    quietly favours balanced weights over the committee's extreme-but-admissible ones.

    ``weight_order`` is imposed by sorting the ordered criteria's weights in each vector: the
    uniform density is symmetric, so sorting maps it onto the uniform density of the ordered
    region. Bounds are imposed by rejection; rejection keeps
    candidates in stream order, and leftovers are buffered for the next take.
    """

    def __init__(
        self,
        n: int,
        rng: np.random.Generator,
        bounds: FloatArray | None,
        order: IntArray | None,
    ) -> None:
        self._n = n
        self._rng = rng
        self._bounds = bounds
        self._order = order
        self._buffer = np.empty((0, n))
        self._acceptance: float | None = None

    def _candidates(self, k: int) -> FloatArray:
        w = self._rng.standard_exponential((k, self._n))
        w /= w.sum(axis=1, keepdims=True)
        if self._order is not None:
            sub = w[:, self._order]
            sub.sort(axis=1)
            w[:, self._order] = sub[:, ::-1]
        return w

    def _accepted(self, k: int, bounds: FloatArray) -> FloatArray:
        w = self._candidates(k)
        return w[np.all((w >= bounds[:, 0]) & (w <= bounds[:, 1]), axis=1)]

    def take(self, k: int) -> FloatArray:
        bounds = self._bounds
        if bounds is None:
            return self._candidates(k)
        parts = [self._buffer]
        have = len(self._buffer)
        if self._acceptance is None:
            pilot = self._accepted(_PILOT, bounds)
            self._acceptance = len(pilot) / _PILOT
            if self._acceptance < _MIN_ACCEPTANCE:
                raise InputError(
                    f"weight_bounds (with weight_order, if any) admit only "
                    f"{self._acceptance:.2g} of the weight simplex: fewer than 1 in "
                    f"{round(1 / _MIN_ACCEPTANCE):,} sampled weight vectors fit. "
                    "Widen the bounds or drop the order constraint."
                )
            parts.append(pilot)
            have += len(pilot)
        while have < k:
            batch = min(_MAX_CANDIDATES, math.ceil(1.25 * (k - have) / self._acceptance) + 64)
            got = self._accepted(batch, bounds)
            parts.append(got)
            have += len(got)
        pool = np.concatenate(parts)
        self._buffer = pool[k:]
        return pool[:k]


def weight_stream(
    n_criteria: int,
    seed: int | None = 0,
    weight_bounds: ArrayLike | None = None,
    weight_order: Sequence[int] | None = None,
) -> tuple[_WeightSampler, int]:
    """The weight stream :func:`smaa2` draws for the same ``seed``, bounds and order, and the
    seed that reproduces it. ``take(k)`` returns the next k vectors; the stream is the same
    whatever the sizes of successive takes, so a caller can score it chunk by chunk in O(chunk)
    memory (``scoring.robustness.smaa`` does)."""
    if n_criteria < 1:
        raise InputError("n_criteria must be at least 1")
    bounds = _check_bounds(weight_bounds, n_criteria)
    order = _check_order(weight_order, n_criteria)
    weight_ss, _, seed_used = _streams(seed)
    return _WeightSampler(n_criteria, np.random.default_rng(weight_ss), bounds, order), seed_used


def sample_weights(
    n_criteria: int,
    n_samples: int,
    seed: int | None = 0,
    weight_bounds: ArrayLike | None = None,
    weight_order: Sequence[int] | None = None,
) -> FloatArray:
    """The weight vectors :func:`smaa2` uses for the same ``seed``, bounds and order.

    Exposed so a report can show (or a test can check) the sampled weights; (n_samples,
    n_criteria), each row on the simplex.
    """
    if n_criteria < 1 or n_samples < 1:
        raise InputError("n_criteria and n_samples must be at least 1")
    sampler, _ = weight_stream(n_criteria, seed, weight_bounds, weight_order)
    return sampler.take(n_samples)


# --------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------


def _tie_mask(m: int) -> np.int64:
    """Low-bit mask wide enough to hold an offer index: ``2**b - 1`` with ``2**b >= m``."""
    return np.int64((1 << max(0, (m - 1).bit_length())) - 1)


def _value_keys(totals: FloatArray, non_negative: bool) -> IntArray:
    """Order-preserving int64 keys of float64 totals (a new array; ``totals`` is left alone).
    For non-negative floats the bit pattern already is one; otherwise negative patterns are
    flipped. ``non_negative=True`` promises ``totals >= +0.0`` with no ``-0.0``."""
    if non_negative:
        return totals.view(np.int64).copy()
    bits = (totals + 0.0).view(np.int64)  # -0.0 -> +0.0, and a fresh buffer
    bits ^= (bits >> 63) & _INT64_LOW63
    return bits


def _ascending_offers(totals: FloatArray, *, non_negative: bool = False) -> IntArray:
    """(k, m) from (k, m) totals: at ascending position ``p``, ``mask - i`` for the offer ``i``
    that THE ranking rule (``scoring.ranking``) puts at rank ``m - p``.

    Fast path: the value keys with their lowest ``b`` bits replaced by ``mask - offer index``
    sort in one integer sort per row (about twice as fast as a stable argsort). Overwriting low
    bits can only misorder totals within ``2**b`` units in the last place of each other, and the
    gap rule must group totals within ``TIE_TOLERANCE``: so every row where two neighbours of
    that order are within the tolerance (plus the overwritten bits) is ranked again by
    ``scoring.ranking.ranking`` itself. Elsewhere neighbours differ by more than the tolerance,
    no two offers tie, and the value order is the rule's order: the result is the rule's,
    exactly, in every row.
    """
    m = totals.shape[1]
    mask = _tie_mask(m)
    keys = _value_keys(totals, non_negative)
    keys &= ~mask
    keys |= mask - np.arange(m, dtype=np.int64)
    keys.sort(axis=1)
    keys &= mask
    if m > 1 and totals.size:
        ascending = np.take_along_axis(totals, mask - keys, axis=1)
        slack = 2.0 * float(mask + 1) * float(np.spacing(np.abs(ascending).max()))
        near = (np.diff(ascending, axis=1) <= TIE_TOLERANCE + slack).any(axis=1)
        if near.any():
            keys[near] = mask - ranking(totals[near])[:, ::-1]
    return keys


def _winner(totals: FloatArray, axis: int = -1) -> IntArray:
    """Index of the first-ranked offer along ``axis`` by THE ranking rule: the best total,
    unless another offer lies within the reach of a tie chain (``(m - 1) × TIE_TOLERANCE``), in
    which case the rule itself decides (ties go to the lower offer index)."""
    t = np.moveaxis(totals, axis, -1)
    m = t.shape[-1]
    win = t.argmax(axis=-1)
    if m > 1 and t.size:
        best = t.max(axis=-1, keepdims=True)
        reach = (m - 1) * TIE_TOLERANCE + 2.0 * float(np.spacing(np.abs(best).max()))
        near = (t >= best - reach).sum(axis=-1) > 1
        if near.any():
            win[near] = ranking(t[near].reshape(-1, m))[:, 0]
    return win


def winners(totals: ArrayLike) -> IntArray:
    """The offer ``scoring.ranking.ranking`` puts first, per row of (N, m) totals."""
    return _winner(np.array(totals, dtype=np.float64, ndmin=2))


def rank_order(totals: ArrayLike) -> IntArray:
    """Offer indices from first to last per row of (N, m) totals: the same answer as
    ``scoring.ranking.ranking``, by the integer-key sort (about twice as fast)."""
    t = np.array(totals, dtype=np.float64, ndmin=2)
    return (_tie_mask(t.shape[1]) - _ascending_offers(t))[:, ::-1]


def _noisy(u: FloatArray, sd: FloatArray, rng: np.random.Generator, k: int) -> NDArray[np.float64]:
    z = rng.standard_normal((k, *u.shape))
    z *= sd
    z += u
    np.clip(z, *_UTILITY_RANGE, out=z)
    return z


# --------------------------------------------------------------------------------------------
# SMAA-2
# --------------------------------------------------------------------------------------------


def smaa2(
    utilities: ArrayLike,
    n_samples: int = 10_000,
    seed: int | None = 0,
    weight_bounds: ArrayLike | None = None,
    weight_order: Sequence[int] | None = None,
    utility_sd: ArrayLike | None = None,
    chunk_size: int = 10_000,
) -> SmaaResult:
    """SMAA-2 (Lahdelma & Salminen 2001) over weights uniform on the simplex.

    Args:
        utilities: (m offers × n criteria), higher is better; totals are ``utilities @ w``.
        n_samples: number of weight vectors (Monte-Carlo error of an acceptability ``p`` is
            ``sqrt(p (1 − p) / n_samples)``, ≤ 0.005 for 10,000 samples).
        seed: seed of ``numpy.random.SeedSequence``; same arguments → identical result.
        weight_bounds: optional (n × 2) ``[lower, upper]`` per criterion; enforced by rejection.
            ValueError if infeasible (lowers sum > 1 or uppers sum < 1) or if fewer than 1 in
            10,000 candidates fit.
        weight_order: optional criterion indices from most to least important; each sampled
            vector satisfies ``w[order[0]] >= w[order[1]] >= …`` (criteria not listed are
            unconstrained).
        utility_sd: optional standard deviation of Gaussian noise on the utilities, scalar or
            (m × n); noisy utilities are clipped to [0, 100] (so utilities must lie there).
            All-zero means no noise.
        chunk_size: samples processed per block, to bound memory (about ``(2m + 3n) × 8``
            bytes per sample of a block without noise; with noise, blocks are further capped so
            that a noise block stays under 2 MB). Does not change the result. The default,
            10,000, is where a 2-core machine ran fastest (cache-resident blocks): 1M samples
            of 20 offers × 8 criteria in ≈ 0.3 s and ≈ 5 MiB.

    Returns:
        A :class:`SmaaResult`.
    """
    u = _check_utilities(utilities)
    m, n = u.shape
    n_samples, chunk_size = operator.index(n_samples), operator.index(chunk_size)
    if n_samples < 1:
        raise InputError(f"n_samples must be at least 1, got {n_samples}")
    if chunk_size < 1:
        raise InputError(f"chunk_size must be at least 1, got {chunk_size}")
    bounds = _check_bounds(weight_bounds, n)
    order = _check_order(weight_order, n)
    sd = _check_sd(utility_sd, u)

    weight_ss, noise_ss, seed_used = _streams(seed)
    sampler = _WeightSampler(n, np.random.default_rng(weight_ss), bounds, order)
    noise_rng = np.random.default_rng(noise_ss)
    block = chunk_size if sd is None else max(1, min(chunk_size, _NOISE_BLOCK_ELEMENTS // (m * n)))
    # Without noise and with utilities >= 0, totals are >= +0.0 and their bits sort as integers.
    non_negative = sd is None and bool(np.all(u >= 0))

    mask = _tie_mask(m)
    slots = int(mask) + 1
    position = np.arange(m, dtype=np.int64)
    criterion = np.arange(n, dtype=np.int64)
    # Exact accumulation of central weights (see module docstring).
    grid = float(2 ** (53 - n_samples.bit_length()))
    position_counts = np.zeros(slots * m, dtype=np.int64)
    weight_sums = np.zeros(m * n, dtype=np.float64)

    for start in range(0, n_samples, block):
        k = min(block, n_samples - start)
        w = sampler.take(k)
        # einsum rather than ``@``: BLAS threading on these thin products is erratic (up to
        # 20× slower on a 2-core machine) and buys nothing here.
        if sd is None:
            totals = np.einsum("kc,mc->km", w, u)
        else:
            totals = np.einsum("kmc,kc->km", _noisy(u, sd, noise_rng, k), w)
        keys = _ascending_offers(totals, non_negative=non_negative)  # winner in the last column
        first = mask - keys[:, -1]
        keys *= m
        keys += position
        position_counts += np.bincount(keys.ravel(), minlength=slots * m)
        quantised = w * grid
        np.rint(quantised, out=quantised)
        weight_sums += np.bincount(
            (first[:, None] * n + criterion).ravel(), weights=quantised.ravel(), minlength=m * n
        )

    # position_counts[(mask - i) * m + p]: offer i at ascending position p, i.e. rank m - p.
    counts = position_counts.reshape(slots, m)[mask - position][:, ::-1]
    wins = counts[:, 0]
    central = np.full((m, n), np.nan)
    won = wins > 0
    central[won] = weight_sums.reshape(m, n)[won] / (wins[won, None] * grid)

    confidence = _confidence(u, sd, central, won, noise_ss, n_samples, chunk_size)

    acceptability = counts / n_samples
    for a in (acceptability, central, confidence):
        a.setflags(write=False)
    return SmaaResult(
        acceptability=acceptability,
        central_weights=central,
        confidence=confidence,
        n_samples=n_samples,
        seed=seed_used,
    )


def _confidence(
    u: FloatArray,
    sd: FloatArray | None,
    central: FloatArray,
    won: NDArray[np.bool_],
    noise_ss: np.random.SeedSequence,
    n_samples: int,
    chunk_size: int,
) -> FloatArray:
    """Confidence factors ``p_i^c`` (Lahdelma & Salminen 2001), replaying the noise stream."""
    m, n = u.shape
    conf = np.full(m, np.nan)
    candidates = np.flatnonzero(won)
    if candidates.size == 0:  # pragma: no cover - some offer always wins
        return conf
    cw = central[candidates]  # (c, n)
    if sd is None:
        conf[candidates] = (_winner(np.einsum("ic,mc->im", cw, u)) == candidates).astype(float)
        return conf
    rng = np.random.default_rng(noise_ss)  # replay the main pass's noise stream
    c = candidates.size
    block = max(1, min(chunk_size, _NOISE_BLOCK_ELEMENTS // (m * max(n, c))))
    hits = np.zeros(c, dtype=np.int64)
    for start in range(0, n_samples, block):
        k = min(block, n_samples - start)
        noisy = _noisy(u, sd, rng, k)  # (k, m, n)
        # (k, m, c): every offer's total under each candidate's central weights (einsum, not
        # BLAS: on small cache-resident blocks BLAS threading only added variance).
        totals = np.einsum("kmc,ic->kmi", noisy, cw)
        hits += np.sum(_winner(totals, axis=1) == candidates, axis=0)
    conf[candidates] = hits / n_samples
    return conf


class IntervalDraws:
    """Every unknown cell of a matrix drawn uniformly in its interval, sample after sample
    (SMAA's stochastic criterion values, Lahdelma & Salminen 2001, with a uniform density on
    each unknown answer's interval: the ``uncertain`` policy says nothing more about it).

    ``lo``/``hi`` (m × n): the intervals, ``lo == hi`` for known cells (never drawn). The
    stream is ``default_rng(SeedSequence([seed, 7919]))`` consumed in sample order, one row of
    ``cells`` float64 per sample, so the values of sample k do not depend on how the samples
    are chunked. ``take(k)`` returns the next k samples' values of the unknown cells
    (k × cells); ``matrix(values)`` one sample's full matrix.
    """

    def __init__(self, lo: FloatArray, hi: FloatArray, seed: int | None) -> None:
        self.lo = np.array(lo, dtype=np.float64)
        hi_ = np.asarray(hi, dtype=np.float64)
        self.cells = np.nonzero(hi_ > self.lo)
        self.low = self.lo[self.cells]
        self.span = (hi_ - self.lo)[self.cells]
        self._rng = np.random.default_rng(np.random.SeedSequence([0 if seed is None else seed,
                                                                 7919]))

    @property
    def size(self) -> int:
        return int(self.low.size)

    def take(self, k: int) -> FloatArray:
        return np.asarray(self.low + self.span * self._rng.random((k, self.size)))

    def matrix(self, values: FloatArray) -> FloatArray:
        u = self.lo.copy()
        u[self.cells] = values
        return u
