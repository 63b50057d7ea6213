"""TOPSIS's normalisation setting: ``vector`` (default, Hwang & Yoon 1981) and ``minmax``.

Oracle: S. Opricovic and G.-H. Tzeng, "Compromise solution by MCDM methods: A comparative
analysis of VIKOR and TOPSIS", European Journal of Operational Research 156(2):445–455, 2004,
section 4, Tables 1–3: the mountain-climbing example (risk f1, lower is better; altitude f2,
higher is better; w = (0.5, 0.5)) in two unit systems, f and φ (φ1 = f1 + 5, φ2 = altitude in
km above the foothill). Published TOPSIS (vector normalisation) closeness, Table 3:
f: 0.762 / 0.722 / 0.238 (A1 first); φ: 0.489 / 0.612 / 0.511 (A2 first) — the change of
units reorders the routes. The paper's point is that a linear normalisation does not depend on
the units; min-max TOPSIS must therefore give one result for f and φ. Its values are not in the
paper; derived by hand (normalised f: A1 (1, 0), A2 (0.75, 0.5), A3 (0, 1) in the benefit
direction; ideal (0.5, 0.5), anti-ideal (0, 0) after weighting): C = 0.5, 0.6172, 0.5, and
cross-checked with pymcdm's ``TOPSIS(minmax_normalization)`` when it is installed.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.typing import NDArray

from scoring.errors import InputError
from scoring.methods.registry import get_method
from scoring.methods.topsis import TopsisSettings, topsis, topsis_explain

CLIMB_F = [[1.0, 3000.0], [2.0, 3750.0], [5.0, 4500.0]]
CLIMB_PHI = [[6.0, 2.0], [7.0, 2.75], [10.0, 3.5]]
BENEFIT = np.array([False, True])
W = [0.5, 0.5]


def test_opricovic_tzeng_2004_vector_changes_with_units() -> None:
    f = topsis(CLIMB_F, W, BENEFIT)
    phi = topsis(CLIMB_PHI, W, BENEFIT, "vector")
    np.testing.assert_allclose(f.closeness, [0.762, 0.722, 0.238], atol=5e-4)
    np.testing.assert_allclose(f.s_plus, [0.114, 0.108, 0.365], atol=5e-4)
    np.testing.assert_allclose(f.s_minus, [0.365, 0.280, 0.114], atol=5e-4)
    np.testing.assert_allclose(phi.closeness, [0.489, 0.612, 0.511], atol=5e-4)
    np.testing.assert_allclose(phi.s_plus, [0.154, 0.085, 0.147], atol=5e-4)
    np.testing.assert_allclose(phi.s_minus, [0.147, 0.134, 0.154], atol=5e-4)
    assert f.ranking().tolist() == [0, 1, 2] and phi.ranking().tolist() == [1, 2, 0]


@pytest.mark.parametrize("matrix", [CLIMB_F, CLIMB_PHI], ids=["f", "phi"])
def test_minmax_is_invariant_under_the_change_of_units(matrix: list[list[float]]) -> None:
    r = topsis(matrix, W, BENEFIT, "minmax")
    d_plus_a2 = math.hypot(0.125, 0.25)
    d_minus_a2 = math.hypot(0.375, 0.25)
    np.testing.assert_allclose(r.s_plus, [0.5, d_plus_a2, 0.5], atol=1e-12)
    np.testing.assert_allclose(r.s_minus, [0.5, d_minus_a2, 0.5], atol=1e-12)
    np.testing.assert_allclose(r.closeness, [0.5, d_minus_a2 / (d_plus_a2 + d_minus_a2), 0.5],
                               atol=1e-12)
    assert round(float(r.closeness[1]), 4) == 0.6172
    np.testing.assert_allclose(r.normalised, [[0.0, 0.0], [0.25, 0.5], [1.0, 1.0]], atol=1e-12)
    assert r.normalisation == "minmax"


def test_pymcdm_agrees_on_minmax() -> None:
    pymcdm = pytest.importorskip("pymcdm")
    from pymcdm.normalizations import minmax_normalization

    rng = np.random.default_rng(5)
    x = rng.uniform(0, 100, (8, 5))
    w = rng.uniform(0.1, 1, 5)
    types = np.array([1, -1, 1, -1, 1])
    ref = pymcdm.methods.TOPSIS(minmax_normalization)(x, w / w.sum(), types)
    np.testing.assert_allclose(topsis(x, w, types > 0, "minmax").closeness, ref, atol=1e-12)


def test_explain_pieces_add_up_under_minmax() -> None:
    rng = np.random.default_rng(11)
    u = rng.integers(0, 5, (6, 4)) * 25.0
    w = rng.uniform(0.1, 1, 4)
    r = topsis(u, w, np.ones(4, dtype=bool), "minmax")
    pieces = topsis_explain(u, w, np.ones(4, dtype=bool), "minmax")
    np.testing.assert_allclose(pieces["sq_dist_ideal"].sum(axis=1), np.square(r.s_plus))
    np.testing.assert_allclose(pieces["sq_dist_anti_ideal"].sum(axis=1), np.square(r.s_minus))


def test_setting_through_the_registry_and_default_unchanged() -> None:
    m = get_method("topsis")
    u = np.array(CLIMB_F) * [-1.0, 1.0]  # risk turned round: every column higher-is-better
    assert m.bind(None) is m
    assert m.bind(TopsisSettings()).score(u, np.array(W)).tolist() == m.score(u, np.array(W)
                                                                              ).tolist()
    mm = m.bind(TopsisSettings(normalisation="minmax"))
    np.testing.assert_allclose(mm.score(u, np.array(W)), [50.0, 61.7217, 50.0], atol=1e-4)
    with pytest.raises(ValueError):
        TopsisSettings.model_validate({"normalisation": "sum"})
    with pytest.raises(InputError, match="unknown TOPSIS normalisation"):
        topsis(CLIMB_F, W, BENEFIT, "sum")  # type: ignore[arg-type]


FloatArray = NDArray[np.float64]


@st.composite
def problems(draw: st.DrawFn) -> tuple[FloatArray, FloatArray]:
    m = draw(st.integers(1, 7))
    n = draw(st.integers(1, 5))
    levels = st.one_of(st.sampled_from([0.0, 25.0, 50.0, 75.0, 100.0]),
                       st.floats(0, 100, allow_nan=False))
    u = draw(hnp.arrays(np.float64, (m, n), elements=levels))
    w = draw(hnp.arrays(np.float64, (n,), elements=st.floats(0, 1, allow_nan=False)))
    return u, w


_MINMAX = get_method("topsis").bind(TopsisSettings(normalisation="minmax"))


@settings(max_examples=200, deadline=None)
@given(problems(), st.randoms(use_true_random=False))
def test_minmax_range_and_permutation(p: tuple[FloatArray, FloatArray], rnd) -> None:  # type: ignore[no-untyped-def]
    u, w = p
    s = _MINMAX.score(u, w)
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 100))
    rows, cols = list(range(u.shape[0])), list(range(u.shape[1]))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    np.testing.assert_allclose(_MINMAX.score(u[np.ix_(rows, cols)], w[cols]), s[rows],
                               atol=1e-9)


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_minmax_dominance(p: tuple[FloatArray, FloatArray], data: st.DataObject) -> None:
    u, w = p
    i = data.draw(st.integers(0, u.shape[0] - 1))
    bump = data.draw(hnp.arrays(np.float64, (u.shape[1],), elements=st.floats(0, 100)))
    x = np.vstack([u, np.minimum(u[i] + bump, 100.0)])
    s = _MINMAX.score(x, w)
    assert s[-1] >= s[i] - 1e-9
