"""SMAA-2 (Lahdelma & Salminen 2001, Operations Research 49(3):444–454).

Closed-form checks on symmetric problems, an exact comparison against a naive per-sample
implementation, reproducibility, and the weight constraints.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from scoring.methods.smaa import smaa2
from scoring.methods.smaa_weights import sample_weights


def _harmonic(m: int) -> float:
    return sum(1.0 / k for k in range(1, m + 1))


# --------------------------------------------------------------------------------------------
# Closed form: m offers on m criteria, offer i scores 1 on criterion i and 0 elsewhere
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("m", [3, 4])
def test_symmetric_problem_first_rank_and_central_weights(m: int) -> None:
    """Offer i wins exactly when w_i is the largest weight: first-rank acceptability 1/m, and
    its central weight on criterion i is E[max of Dirichlet(1,…,1)] = H_m / m (the expected
    largest of m uniform spacings); the other criteria share the rest equally."""
    n_samples = 30_000
    r = smaa2(np.eye(m), n_samples=n_samples, seed=1)

    p = 1.0 / m
    se = math.sqrt(p * (1 - p) / n_samples)
    np.testing.assert_allclose(r.first_rank, p, atol=3 * se)

    # Popoviciu: the variance of a variable in [1/m, 1] is at most ((1 - 1/m) / 2)^2, so this is
    # a conservative 3-standard-error band for a mean over about n_samples / m wins.
    se_max = (1 - 1 / m) / 2 / math.sqrt(n_samples / m)
    expected_own = _harmonic(m) / m
    np.testing.assert_allclose(np.diag(r.central_weights), expected_own, atol=3 * se_max)
    off = r.central_weights[~np.eye(m, dtype=bool)]
    np.testing.assert_allclose(off, (1 - expected_own) / (m - 1), atol=3 * se_max)
    # Without utility noise each offer surely wins at its own central weights.
    np.testing.assert_array_equal(r.confidence, np.ones(m))


def test_acceptability_is_doubly_stochastic() -> None:
    u = np.random.default_rng(3).uniform(0, 100, (6, 4))
    r = smaa2(u, n_samples=5_000, seed=2)
    np.testing.assert_allclose(r.acceptability.sum(axis=0), 1.0, atol=1e-12)
    np.testing.assert_allclose(r.acceptability.sum(axis=1), 1.0, atol=1e-12)
    won = ~np.isnan(r.central_weights[:, 0])
    np.testing.assert_allclose(r.central_weights[won].sum(axis=1), 1.0, atol=1e-9)
    np.testing.assert_array_equal(won, r.first_rank > 0)


# --------------------------------------------------------------------------------------------
# Exact agreement with a naive per-sample implementation (tie rule included)
# --------------------------------------------------------------------------------------------


def _naive(u: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    m, n = u.shape
    counts = np.zeros((m, m), dtype=np.int64)
    sums = np.zeros((m, n))
    for w in weights:
        totals = [float(np.dot(u[i], w)) for i in range(m)]
        order = sorted(range(m), key=lambda i: (-totals[i], i))
        for rank, i in enumerate(order):
            counts[i, rank] += 1
        sums[order[0]] += w
    wins = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = sums / wins[:, None]
    return counts, np.where(wins[:, None] > 0, central, np.nan)


@pytest.mark.parametrize("shift", [0.0, -60.0])  # -60: negative totals take the signed-key path
def test_matches_naive_implementation(shift: float) -> None:
    rng = np.random.default_rng(7)
    u = rng.integers(0, 5, (7, 3)).astype(float) * 25 + shift
    u[3] = u[1]  # exact duplicate: offer 1 must always rank ahead of offer 3
    order, bounds = [2, 0], [[0.0, 1.0], [0.05, 0.9], [0.0, 0.8]]
    n = 3_000
    weights = sample_weights(3, n, seed=11, weight_bounds=bounds, weight_order=order)
    r = smaa2(u, n_samples=n, seed=11, weight_bounds=bounds, weight_order=order, chunk_size=700)
    counts, central = _naive(u, weights)
    np.testing.assert_array_equal(np.rint(r.acceptability * n).astype(np.int64), counts)
    np.testing.assert_allclose(r.central_weights, central, atol=1e-9, equal_nan=True)
    assert r.first_rank[3] == 0.0  # the duplicate of offer 1 never wins


def test_identical_offers_tie_to_lower_index() -> None:
    u = np.array([[50.0, 70.0], [50.0, 70.0], [70.0, 50.0]])
    r = smaa2(u, n_samples=4_000, seed=0)
    assert r.first_rank[1] == 0.0
    assert r.first_rank[0] > 0.0
    # Offer 1 is always directly behind offer 0 (ranks 2 or 3, never 1).
    assert r.acceptability[1, 0] == 0.0
    np.testing.assert_array_equal(r.acceptability[1, 1:], r.acceptability[0, :2])


# --------------------------------------------------------------------------------------------
# Reproducibility
# --------------------------------------------------------------------------------------------


def _assert_same(a: object, b: object) -> None:
    for name in ("acceptability", "central_weights", "confidence"):
        assert np.array_equal(getattr(a, name), getattr(b, name), equal_nan=True), name


@pytest.mark.parametrize("noise", [None, 8.0])
def test_same_seed_same_result_whatever_the_chunk_size(noise: float | None) -> None:
    u = np.random.default_rng(5).uniform(0, 100, (8, 5))
    kwargs = {"n_samples": 6_000, "seed": 42, "utility_sd": noise}
    base = smaa2(u, **kwargs)
    _assert_same(base, smaa2(u, **kwargs))
    for chunk_size in (1_000, 4_999, 100_000):
        _assert_same(base, smaa2(u, chunk_size=chunk_size, **kwargs))
    other = smaa2(u, n_samples=6_000, seed=43, utility_sd=noise)
    assert not np.array_equal(base.acceptability, other.acceptability)
    assert base.seed == 42 and base.n_samples == 6_000


def test_bounded_sampling_is_reproducible_across_chunk_sizes() -> None:
    u = np.random.default_rng(6).uniform(0, 100, (5, 4))
    bounds = [[0.1, 0.4], [0.1, 0.4], [0.0, 0.3], [0.2, 0.6]]
    a = smaa2(u, n_samples=5_000, seed=9, weight_bounds=bounds, chunk_size=333)
    b = smaa2(u, n_samples=5_000, seed=9, weight_bounds=bounds, chunk_size=50_000)
    _assert_same(a, b)


def test_seed_none_records_a_reusable_seed() -> None:
    u = np.random.default_rng(6).uniform(0, 100, (4, 3))
    a = smaa2(u, n_samples=2_000, seed=None)
    _assert_same(a, smaa2(u, n_samples=2_000, seed=a.seed))


# --------------------------------------------------------------------------------------------
# Weight sampling and constraints
# --------------------------------------------------------------------------------------------


def test_weights_are_uniform_on_the_simplex() -> None:
    """Marginal of one coordinate of Dirichlet(1,…,1) is Beta(1, n−1): P(w_0 > x) = (1−x)^(n−1).

    Normalised uniforms would fail this (too few weights near the corners)."""
    n, n_samples = 4, 40_000
    w = sample_weights(n, n_samples, seed=3)
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-12)
    assert np.all(w >= 0)
    for x in (0.1, 0.3, 0.6):
        p = (1 - x) ** (n - 1)
        se = math.sqrt(p * (1 - p) / n_samples)
        assert abs(np.mean(w[:, 0] > x) - p) < 4 * se


def test_weight_order_respected() -> None:
    order = [2, 0, 3]  # criterion 2 ≥ criterion 0 ≥ criterion 3; criterion 1 free
    w = sample_weights(4, 20_000, seed=4, weight_order=order)
    assert np.all(w[:, 2] >= w[:, 0])
    assert np.all(w[:, 0] >= w[:, 3])
    assert np.mean(w[:, 1] > w[:, 2]) > 0.05  # the unlisted criterion is not constrained
    r = smaa2(np.eye(4) * 100, n_samples=20_000, seed=4, weight_order=order)
    # Only offers strong on an important criterion can win; offer 3 can never beat offer 0.
    assert r.first_rank[3] == 0.0
    assert r.first_rank[2] > r.first_rank[0]
    won = ~np.isnan(r.central_weights[:, 0])
    cw = r.central_weights[won]
    assert np.all(cw[:, 2] >= cw[:, 0]) and np.all(cw[:, 0] >= cw[:, 3])


def test_weight_bounds_respected() -> None:
    bounds = np.array([[0.1, 0.5], [0.2, 0.6], [0.0, 0.25], [0.05, 0.3]])
    w = sample_weights(4, 20_000, seed=5, weight_bounds=bounds)
    assert np.all(w >= bounds[:, 0]) and np.all(w <= bounds[:, 1])
    r = smaa2(np.eye(4) * 100, n_samples=20_000, seed=5, weight_bounds=bounds)
    won = ~np.isnan(r.central_weights[:, 0])
    cw = r.central_weights[won]
    assert np.all(cw >= bounds[:, 0] - 1e-9) and np.all(cw <= bounds[:, 1] + 1e-9)
    assert r.first_rank[2] == 0.0  # w_2 ≤ 0.25 can never be the largest weight here


def test_infeasible_or_too_tight_bounds_are_rejected() -> None:
    u = np.eye(3)
    with pytest.raises(ValueError, match="lower bounds sum"):
        smaa2(u, weight_bounds=[[0.5, 1.0], [0.4, 1.0], [0.2, 1.0]])
    with pytest.raises(ValueError, match="upper bounds sum"):
        smaa2(u, weight_bounds=[[0.0, 0.3], [0.0, 0.3], [0.0, 0.3]])
    with pytest.raises(ValueError, match="criterion 1"):
        smaa2(u, weight_bounds=[[0.0, 1.0], [0.6, 0.4], [0.0, 1.0]])
    # Feasible but a sliver: all lowers 0.124 on 8 criteria leave ~(0.008)^7 of the simplex.
    with pytest.raises(ValueError, match="Widen the bounds"):
        smaa2(np.eye(8), n_samples=100, weight_bounds=[[0.124, 1.0]] * 8)


def test_a_dominated_offer_never_ranks_first() -> None:
    u = np.array(
        [
            [50.0, 50.0, 50.0],  # dominated by offer 2 (and listed first: ties would favour it)
            [90.0, 10.0, 60.0],
            [60.0, 70.0, 80.0],
            [89.0, 9.0, 59.0],  # dominated by offer 1
        ]
    )
    r = smaa2(u, n_samples=20_000, seed=8)
    assert r.first_rank[0] == 0.0 and r.first_rank[3] == 0.0
    assert np.all(np.isnan(r.central_weights[[0, 3]]))
    assert np.all(np.isnan(r.confidence[[0, 3]]))
    assert r.first_rank[1] > 0 and r.first_rank[2] > 0


# --------------------------------------------------------------------------------------------
# Utility noise and confidence factors
# --------------------------------------------------------------------------------------------


def test_confidence_under_noise() -> None:
    u = np.array([[90.0, 90.0], [10.0, 20.0], [60.0, 30.0], [30.0, 60.0]])
    quiet = smaa2(u, n_samples=5_000, seed=1)
    assert quiet.first_rank[0] == 1.0
    np.testing.assert_array_equal(quiet.confidence, [1.0, np.nan, np.nan, np.nan])
    noisy = smaa2(u, n_samples=5_000, seed=1, utility_sd=np.full(u.shape, 25.0))
    assert 0.0 < noisy.first_rank[2] < noisy.first_rank[0] < 1.0
    won = ~np.isnan(noisy.confidence)
    assert np.all((noisy.confidence[won] >= 0) & (noisy.confidence[won] <= 1))
    assert noisy.confidence[0] > 0.9 > noisy.confidence[2]
    np.testing.assert_array_equal(won, noisy.first_rank > 0)


def test_zero_noise_is_no_noise() -> None:
    u = np.random.default_rng(2).uniform(0, 100, (5, 3))
    _assert_same(smaa2(u, n_samples=3_000), smaa2(u, n_samples=3_000, utility_sd=0.0))


def test_input_validation() -> None:
    with pytest.raises(ValueError, match=r"\[0, 100\]"):
        smaa2([[150.0, 0.0], [0.0, 1.0]], utility_sd=1.0)
    with pytest.raises(ValueError, match="utility_sd"):
        smaa2(np.eye(2), utility_sd=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="utility_sd"):
        smaa2(np.eye(2), utility_sd=-1.0)
    with pytest.raises(ValueError, match="weight_order"):
        smaa2(np.eye(3), weight_order=[0, 0])
    with pytest.raises(ValueError, match="weight_order"):
        smaa2(np.eye(3), weight_order=[3])
    with pytest.raises(ValueError, match="n_samples"):
        smaa2(np.eye(3), n_samples=0)
    with pytest.raises(ValueError, match="not finite"):
        smaa2([[1.0, np.inf]])
    with pytest.raises(ValueError, match="2-D"):
        smaa2([1.0, 2.0])
