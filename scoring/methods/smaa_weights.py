"""The weight vectors SMAA-2 samples (Lahdelma & Salminen 2001): uniform on the weight simplex
(Dirichlet(1, ..., 1) as normalised standard exponentials: L. Devroye, *Non-Uniform Random
Variate Generation*, Springer, 1986), optionally within per-criterion bounds (by rejection) or
an importance order (by sorting), as a stream that is the same whatever the sizes of its takes,
so a result never depends on how the samples are chunked (``scoring.methods.smaa``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import InputError

__all__ = ["WeightSampler", "check_bounds", "check_order", "sample_weights", "streams",
           "weight_stream"]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Candidates drawn first when weights are bounded; the acceptance rate is measured on them.
_PILOT = 100_000
#: Rejection sampling gives up below this acceptance rate (more than 10,000 draws per sample).
_MIN_ACCEPTANCE = 1e-4
#: Upper bound on candidate rows drawn at once during rejection sampling.
_MAX_CANDIDATES = 1 << 18


def check_bounds(bounds: ArrayLike | None, n: int) -> FloatArray | None:
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


def check_order(order: Sequence[int] | None, n: int) -> IntArray | None:
    if order is None:
        return None
    o = np.array(order)
    if o.ndim != 1 or o.size == 0 or not np.issubdtype(o.dtype, np.integer):
        raise InputError(f"weight_order must be a non-empty list of criterion indices, got {order}")
    if np.any((o < 0) | (o >= n)) or len(set(o.tolist())) != o.size:
        raise InputError(f"weight_order must hold distinct indices in 0..{n - 1}, got {order}")
    return o.astype(np.int64)


def streams(seed: int | None) -> tuple[np.random.SeedSequence, np.random.SeedSequence, int]:
    root = np.random.SeedSequence(seed)
    weight_ss, noise_ss = root.spawn(2)
    entropy = root.entropy
    assert isinstance(entropy, int)  # an int seed, or the int drawn for seed=None
    return weight_ss, noise_ss, entropy


class WeightSampler:
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
) -> tuple[WeightSampler, int]:
    """The weight stream :func:`smaa2` draws for the same ``seed``, bounds and order, and the
    seed that reproduces it. ``take(k)`` returns the next k vectors; the stream is the same
    whatever the sizes of successive takes, so a caller can score it chunk by chunk in O(chunk)
    memory (``scoring.robustness.smaa`` does)."""
    if n_criteria < 1:
        raise InputError("n_criteria must be at least 1")
    bounds = check_bounds(weight_bounds, n_criteria)
    order = check_order(weight_order, n_criteria)
    weight_ss, _, seed_used = streams(seed)
    return WeightSampler(n_criteria, np.random.default_rng(weight_ss), bounds, order), seed_used


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
