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
  of their neighbour tie, ties to the **lower offer index**. The integer-key sort of
  ``smaa_rank`` is a fast path that hands every row holding a near tie to ``ranking()``
  itself, so two totals that tie for the engine tie here too (0.1 + 0.2 against 0.3), and
  SMAA's winner is always the offer ``ranking()`` puts first.
* Randomness: ``numpy.random.SeedSequence(seed)`` spawns two independent streams, one for the
  weights (``smaa_weights``) and one for the utility noise, each fed to
  ``numpy.random.default_rng``. Each stream is consumed strictly in sample order, so **the
  result is bit-for-bit identical for the same arguments whatever ``chunk_size`` is**
  (tested). Central weights are summed over weights rounded to a grid of ``2**-s`` with ``s =
  53 − bit_length(n_samples)`` (``s = 33`` for 1M samples), which keeps every partial sum
  exact so the summation order — hence the chunking — cannot change a bit. The confidence pass
  replays the same noise stream (common random numbers), so sample ``k`` sees the same
  perturbed utilities in both passes.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError
from ._checks import finite_matrix
from .smaa_rank import ascending_offers, first_ranked, tie_mask
from .smaa_weights import WeightSampler, check_bounds, check_order, streams

__all__ = ["IntervalDraws", "SmaaResult", "smaa2"]

FloatArray = NDArray[np.float64]

#: Elements of one (rows × offers × criteria) noise block: 2 MB in float64. Measured on 2 cores,
#: small cache-resident blocks were 2× faster than 32 MB ones (benchmarks/bench_sensitivity.py).
_NOISE_BLOCK_ELEMENTS = 1 << 18
_UTILITY_RANGE = (0.0, 100.0)


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
    bounds = check_bounds(weight_bounds, n)
    order = check_order(weight_order, n)
    sd = _check_sd(utility_sd, u)

    weight_ss, noise_ss, seed_used = streams(seed)
    sampler = WeightSampler(n, np.random.default_rng(weight_ss), bounds, order)
    noise_rng = np.random.default_rng(noise_ss)
    block = chunk_size if sd is None else max(1, min(chunk_size, _NOISE_BLOCK_ELEMENTS // (m * n)))
    # Without noise and with utilities >= 0, totals are >= +0.0 and their bits sort as integers.
    non_negative = sd is None and bool(np.all(u >= 0))

    mask = tie_mask(m)
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
        keys = ascending_offers(totals, non_negative=non_negative)  # winner in the last column
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
        conf[candidates] = (first_ranked(np.einsum("ic,mc->im", cw, u)) == candidates).astype(float)
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
        hits += np.sum(first_ranked(totals, axis=1) == candidates, axis=0)
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
