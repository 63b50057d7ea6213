"""VIKOR against the published worked example of Opricovic & Tzeng (2004), its degenerate cases,
and properties of the registry's 0–100 score.

Oracle: S. Opricovic and G.-H. Tzeng, "Compromise solution by MCDM methods: A comparative
analysis of VIKOR and TOPSIS", European Journal of Operational Research 156(2):445–455, 2004,
section 4 (the mountain-climbing example): Table 1 gives three routes A1, A2, A3 rated on risk
f1 (1–5, lower is better) and altitude f2 (metres above sea level, higher is better); Table 2
the same data in other units (problem φ: φ1 = f1 + 5, φ2 = altitude in km above the foothill);
Table 3 the results, with w = (0.5, 0.5) and v = 0.5: S = 0.5 / 0.375 / 0.5,
R = 0.5 / 0.25 / 0.5, Q = 1 / 0 / 1 for both problems, compromise solution A2.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from scoring.errors import InputError
from scoring.methods.registry import get_method
from scoring.methods.vikor import VikorSettings, compromise_index, vikor, vikor_regrets

CLIMB_F = [[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]
CLIMB_PHI = [[6.0, 2.0], [7.0, 2.75], [10.0, 3.5]]
CLIMB_BENEFIT = np.array([False, True])


@pytest.mark.parametrize("matrix", [CLIMB_F, CLIMB_PHI], ids=["f", "phi"])
def test_opricovic_tzeng_2004_table_3(matrix: list[list[float]]) -> None:
    """Table 3 exactly (the published values are exact fractions), for both unit systems: the
    linear normalisation makes VIKOR invariant under the change of units."""
    r = vikor(matrix, [0.5, 0.5], CLIMB_BENEFIT, v=0.5)
    np.testing.assert_allclose(r.s, [0.5, 0.375, 0.5], atol=1e-12)
    np.testing.assert_allclose(r.r, [0.5, 0.25, 0.5], atol=1e-12)
    np.testing.assert_allclose(r.q, [1.0, 0.0, 1.0], atol=1e-12)
    assert r.dq == 0.5  # 1 / (J - 1), J = 3
    assert r.c1 and r.c2  # advantage 1 >= 0.5; A2 also best by S and by R
    assert r.compromise == (1,)  # A2
    assert r.ranking()[0] == 1
    np.testing.assert_allclose(r.regret.sum(axis=1), r.s)
    np.testing.assert_allclose(r.regret.max(axis=1), r.r)


def test_pymcdm_agrees_on_q() -> None:
    """Cross-check with pymcdm (benchmark-only extra) on the example and on a random matrix."""
    pymcdm = pytest.importorskip("pymcdm")
    rng = np.random.default_rng(3)
    x = rng.uniform(0, 100, (7, 4))
    w = rng.uniform(0.1, 1, 4)
    types = np.array([1, -1, 1, 1])
    ours = vikor(x, w, types > 0, v=0.5).q
    np.testing.assert_allclose(pymcdm.methods.VIKOR(v=0.5)(x, w / w.sum(), types), ours,
                               atol=1e-12)
    climb = pymcdm.methods.VIKOR()(np.array(CLIMB_F), np.array([0.5, 0.5]), np.array([-1, 1]))
    np.testing.assert_allclose(climb, [1.0, 0.0, 1.0])


def test_c2_fails_gives_the_two_best() -> None:
    """Five offers (DQ = 1/4): E is best by Q (0.181) and 0.264 ahead of B, so C1 holds; but D
    is best by S and B by R, so C2 fails and the compromise set is {E, B}."""
    x = np.array([[75.0, 100.0, 0.0], [50.0, 50.0, 50.0], [25.0, 100.0, 25.0],
                  [100.0, 0.0, 100.0], [75.0, 100.0, 25.0]])
    r = vikor(x, [1, 1, 1], v=0.5)
    np.testing.assert_allclose(r.s, [4 / 9, 5 / 9, 7 / 12, 1 / 3, 13 / 36])
    np.testing.assert_allclose(r.r, [1 / 3, 2 / 9, 1 / 3, 1 / 3, 1 / 4])
    assert r.c1 and not r.c2
    assert r.compromise == (4, 1)


def test_c1_fails_gives_every_offer_within_dq() -> None:
    """Four alternatives (DQ = 1/3): Q = 0, 0.25, 0.5, 1 -> C1 fails; the set holds those less
    than 1/3 above the best."""
    x = np.array([[100.0], [75.0], [50.0], [0.0]])
    r = vikor(x, [1.0])
    np.testing.assert_allclose(r.q, [0.0, 0.25, 0.5, 1.0])
    assert not r.c1 and r.c2
    assert r.compromise == (0, 1)


def test_degenerate_cases_never_nan() -> None:
    # A leaf on which all offers agree has no regret.
    r = vikor([[50.0, 0.0], [50.0, 100.0]], [1, 1])
    np.testing.assert_array_equal(r.regret[:, 0], [0.0, 0.0])
    # Identical offers: neither S nor R separates them -> Q = 1/2, all in the compromise set.
    same = vikor([[30.0, 70.0]] * 3, [1, 2])
    np.testing.assert_array_equal(same.q, [0.5, 0.5, 0.5])
    assert not same.c1 and same.compromise == (0, 1, 2)
    # One offer: Q = 1/2, DQ taken as 1, it is the compromise.
    one = vikor([[10.0, 20.0]], [1, 1])
    assert one.q.tolist() == [0.5] and one.compromise == (0,) and one.dq == 1.0
    # S flat, R not: Q is the R part alone (still spans 0..1).
    flat_s = vikor([[100.0, 0.0, 50.0], [0.0, 100.0, 50.0], [50.0, 50.0, 50.0]], [1, 1, 1])
    np.testing.assert_allclose(flat_s.s, [1 / 3] * 3)
    np.testing.assert_allclose(flat_s.q, [1.0, 1.0, 0.0])
    # The registry's score: all weights zero -> neutral 50, not NaN.
    m = get_method("vikor")
    np.testing.assert_array_equal(m.score(np.array([[1.0, 2.0], [3.0, 0.0]]), np.zeros(2)),
                                  [50.0, 50.0])


def test_bad_inputs() -> None:
    with pytest.raises(InputError, match="v must be in"):
        vikor([[1.0]], [1.0], v=1.5)
    with pytest.raises(ValueError):
        VikorSettings(v=-0.1)
    with pytest.raises(ValueError, match="extra"):
        VikorSettings.model_validate({"v": 0.5, "w": 1})


def test_registry_binds_v() -> None:
    """A worst on one heavy leaf (S = R = 0.4), B worst on three light ones (S = 0.6, R = 0.2):
    v = 1 (majority) prefers A, v = 0 (veto) prefers B."""
    m = get_method("vikor")
    u = np.array([[100.0, 100.0, 100.0, 0.0], [70.0, 70.0, 70.0, 100.0]])
    w = np.array([1.0, 1.0, 1.0, 2.0])
    assert m.bind(None) is m
    np.testing.assert_allclose(m.bind(VikorSettings(v=1.0)).score(u, w), [100.0, 0.0])
    np.testing.assert_allclose(m.bind(VikorSettings(v=0.0)).score(u, w), [0.0, 100.0])
    with pytest.raises(InputError, match="VikorSettings"):
        m.bind({"v": 0.5})


# --------------------------------------------------------------------------------------------
# Properties of the registry's score (utilities 0-100, higher is better)
# --------------------------------------------------------------------------------------------

FloatArray = NDArray[np.float64]


@st.composite
def problems(draw: st.DrawFn) -> tuple[FloatArray, FloatArray, float]:
    m = draw(st.integers(1, 7))
    n = draw(st.integers(1, 5))
    levels = st.one_of(st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0]),
                       st.floats(0, 100, allow_nan=False))
    u = draw(hnp.arrays(np.float64, (m, n), elements=levels))
    w = draw(hnp.arrays(np.float64, (n,), elements=st.floats(0, 1, allow_nan=False)))
    v = draw(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
    return u, w, v


def _scorer(v: float):  # type: ignore[no-untyped-def]
    return get_method("vikor").bind(VikorSettings(v=v)).score


@settings(max_examples=200, deadline=None)
@given(problems())
def test_scores_in_range(p: tuple[FloatArray, FloatArray, float]) -> None:
    u, w, v = p
    s = _scorer(v)(u, w)
    assert s.shape == (u.shape[0],) and np.all(np.isfinite(s))
    assert np.all((s >= 0) & (s <= 100))


@settings(max_examples=200, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_permutation_invariance(p: tuple[FloatArray, FloatArray, float], rnd) -> None:  # type: ignore[no-untyped-def]
    u, w, v = p
    rows = list(range(u.shape[0]))
    cols = list(range(u.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    base = _scorer(v)(u, w)
    moved = _scorer(v)(u[np.ix_(rows, cols)], w[cols])
    np.testing.assert_allclose(moved, base[rows], atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_dominating_offer_never_scores_lower(p: tuple[FloatArray, FloatArray, float],
                                            data: st.DataObject) -> None:
    u, w, v = p
    i = data.draw(st.integers(0, u.shape[0] - 1))
    bump = data.draw(hnp.arrays(np.float64, (u.shape[1],), elements=st.floats(0, 100)))
    better = np.minimum(u[i] + bump, 100.0)
    x = np.vstack([u, better])
    s = _scorer(v)(x, w)
    assert s[-1] >= s[i] - 1e-9


@settings(max_examples=200, deadline=None)
@given(problems())
def test_q_follows_the_definitions_of_s_and_r(p: tuple[FloatArray, FloatArray, float]) -> None:
    """Q = v (S − S*)/(S- − S*) + (1 − v)(R − R*)/(R- − R*) whenever both spreads exist and
    0 < v < 1; S and R are the row sum and row maximum of the weighted regrets."""
    u, w, v = p
    if w.sum() <= 0:
        return
    r = vikor(u, w, v=v)
    wn = w / w.sum()
    d = vikor_regrets(u, wn, np.ones(u.shape[1], dtype=bool))
    np.testing.assert_allclose(r.s, d.sum(axis=1))
    np.testing.assert_allclose(r.r, d.max(axis=1))
    assert np.all((r.q >= 0) & (r.q <= 1))
    s_spread, r_spread = np.ptp(r.s), np.ptp(r.r)
    if s_spread > 1e-9 and r_spread > 1e-9 and 0 < v < 1:
        expect = (v * (r.s - r.s.min()) / s_spread
                  + (1 - v) * (r.r - r.r.min()) / r_spread)
        np.testing.assert_allclose(r.q, expect, atol=1e-9)
    np.testing.assert_allclose(compromise_index(r.s, r.r, v), r.q)
    assert r.compromise[0] == int(r.ranking()[0])
