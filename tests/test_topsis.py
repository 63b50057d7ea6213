"""TOPSIS against published worked examples (Hwang & Yoon 1981, fighter-aircraft example,
pp. 133–134; Tzeng & Huang 2011; Hodgett, TOPSIS in Excel, and the R package MCDA
tests/TOPSIS.R) and its invariances.

Pinned variant: vector normalisation, weights normalised by their sum, Euclidean distance.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from scoring.methods.topsis import topsis, topsis_explain

# --------------------------------------------------------------------------------------------
# Published oracles
# --------------------------------------------------------------------------------------------


def test_hwang_yoon_1981_fighter_aircraft() -> None:
    """Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer, pp. 133–134.

    The book's intermediate tables are rounded (its normalised X4 column is off in the 4th
    decimal), hence 1e-3 on C*, the ideals and the separations; the ranking must be exact.
    """
    matrix = [
        [2.0, 1500, 20000, 5.5, 5, 9],
        [2.5, 2700, 18000, 6.5, 3, 5],
        [1.8, 2000, 21000, 4.5, 7, 7],
        [2.2, 1800, 20000, 5.0, 5, 5],
    ]
    weights = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
    benefit = np.array([True, True, True, False, True, True])
    r = topsis(matrix, weights, benefit)

    np.testing.assert_allclose(r.closeness, [0.643, 0.268, 0.613, 0.312], atol=1e-3)
    assert r.ranking().tolist() == [0, 2, 3, 1]  # A1 > A3 > A4 > A2
    np.testing.assert_allclose(r.ideal, [0.1168, 0.0659, 0.0531, 0.0414, 0.1347, 0.2012], atol=1e-3)
    np.testing.assert_allclose(
        r.anti_ideal, [0.0841, 0.0366, 0.0455, 0.0598, 0.0577, 0.1118], atol=1e-3
    )
    np.testing.assert_allclose(r.s_plus, [0.0545, 0.1197, 0.0580, 0.1009], atol=1e-3)
    np.testing.assert_allclose(r.s_minus, [0.0983, 0.0439, 0.0920, 0.0458], atol=1e-3)


def test_tzeng_huang_2011() -> None:
    """Tzeng & Huang (2011), *Multiple Attribute Decision Making*, CRC; as asserted in
    scikit-criteria ``tests/agg/test_topsis.py``."""
    matrix = [[5, 8, 4], [7, 6, 8], [8, 8, 6], [7, 4, 6]]
    r = topsis(matrix, [0.3, 0.4, 0.3], np.array([True, True, True]))
    np.testing.assert_allclose(r.closeness, [0.5037, 0.6581, 0.7482, 0.3340], atol=1e-4)
    assert r.ranking().tolist() == [2, 1, 0, 3]  # ranks [3, 2, 1, 4]


HODGETT = [[5490, 51.4, 8.5, 285], [6500, 70.6, 7, 288], [6489, 54.3, 7.5, 290]]
HODGETT_W = [0.35, 0.25, 0.25, 0.15]
HODGETT_B = np.array([False, True, True, True])  # price is a cost


def test_hodgett_topsis_in_excel() -> None:
    """Hodgett, *TOPSIS in Excel* (hodgett.co.uk/topsis-in-excel); R package MCDA
    ``tests/TOPSIS.R``: a spreadsheet worked example, reproduced to its printed precision."""
    r = topsis(HODGETT, HODGETT_W, HODGETT_B)
    np.testing.assert_allclose(r.closeness, [0.4817, 0.5182, 0.1780], atol=1e-4)
    np.testing.assert_allclose(
        r.ideal, [0.179573776, 0.171636015, 0.159499658, 0.087302767], atol=1e-6
    )
    np.testing.assert_allclose(
        r.anti_ideal, [0.212610118, 0.124958799, 0.131352659, 0.085797547], atol=1e-6
    )


def test_hodgett_subset_variant() -> None:
    """Same source, Corsa & Clio on the first three criteria only: [0.4943, 0.5057].

    Also shows rank-dependence on the set of bids: the ideals come from the bids present."""
    sub = [row[:3] for row in HODGETT[:2]]
    r = topsis(sub, HODGETT_W[:3], HODGETT_B[:3])
    np.testing.assert_allclose(r.closeness, [0.4943, 0.5057], atol=1e-4)


# --------------------------------------------------------------------------------------------
# Degenerate inputs and validation
# --------------------------------------------------------------------------------------------


def test_all_zero_column_contributes_nothing() -> None:
    base = np.array([[3.0, 1.0], [1.0, 2.0], [2.0, 5.0]])
    with_zero = np.column_stack([base, np.zeros(3)])
    r0 = topsis(base, [0.5, 0.5], np.array([True, False]))
    r1 = topsis(with_zero, [0.5, 0.5, 0.0], np.array([True, False, True]))
    assert np.all(np.isfinite(r1.closeness))
    np.testing.assert_allclose(r1.closeness, r0.closeness, atol=1e-12)
    # Even with weight on it, the zero column adds no distance (only the weight renormalisation
    # rescales the others, which closeness ignores).
    r2 = topsis(with_zero, [0.5, 0.5, 3.0], np.array([True, False, True]))
    np.testing.assert_allclose(r2.closeness, r0.closeness, atol=1e-12)
    assert np.all(r2.normalised[:, 2] == 0)


def test_identical_alternatives_get_one_half() -> None:
    r = topsis([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]], [1, 1], np.array([True, False]))
    np.testing.assert_array_equal(r.closeness, [0.5, 0.5, 0.5])
    single = topsis([[4.0, 2.0]], [1, 1], np.array([True, True]))
    np.testing.assert_array_equal(single.closeness, [0.5])


@pytest.mark.parametrize(
    "weights",
    [[-0.1, 1.1], [0.0, 0.0], [np.nan, 1.0], [np.inf, 1.0], [1.0], [1.0, 1.0, 1.0]],
)
def test_rejects_bad_weights(weights: list[float]) -> None:
    with pytest.raises(ValueError, match="weights"):
        topsis([[1.0, 2.0], [2.0, 1.0]], weights, np.array([True, True]))


def test_rejects_bad_matrix_and_benefit() -> None:
    with pytest.raises(ValueError, match=r"cell \(1, 0\)"):
        topsis([[1.0, 2.0], [np.nan, 1.0]], [1, 1], np.array([True, True]))
    with pytest.raises(ValueError, match="2-D"):
        topsis([1.0, 2.0], [1, 1], np.array([True, True]))
    with pytest.raises(ValueError, match="benefit"):
        topsis([[1.0, 2.0], [2.0, 1.0]], [1, 1], np.array([1, 0]))
    with pytest.raises(ValueError, match="benefit"):
        topsis([[1.0, 2.0], [2.0, 1.0]], [1, 1], np.array([True]))


def test_input_not_modified_and_normalised_matches_the_book() -> None:
    """TOPSIS no longer copies its input (speed); it must still never write into it, and the
    normalised table (built on demand) is still x_ij / ||x_j||."""
    x = np.array([[3.0, 1.0], [1.0, 2.0], [2.0, 5.0]])
    before = x.copy()
    r = topsis(x, [0.5, 0.5], np.array([True, False]))
    np.testing.assert_array_equal(x, before)
    np.testing.assert_allclose(r.normalised, x / np.sqrt((x * x).sum(axis=0)))
    with pytest.raises(ValueError):
        r.normalised[0, 0] = 1.0


def test_explain_rows_sum_to_squared_separations() -> None:
    """Hwang & Yoon (1981) fighter example: per-criterion squared gaps add up to S+² and S-²."""
    matrix = [[2.0, 1500, 20000, 5.5, 5, 9], [2.5, 2700, 18000, 6.5, 3, 5],
              [1.8, 2000, 21000, 4.5, 7, 7], [2.2, 1800, 20000, 5.0, 5, 5]]
    weights = [0.2, 0.1, 0.1, 0.1, 0.2, 0.3]
    benefit = np.array([True, True, True, False, True, True])
    r = topsis(matrix, weights, benefit)
    e = topsis_explain(matrix, weights, benefit)
    np.testing.assert_allclose(e["sq_dist_ideal"].sum(axis=1), np.square(r.s_plus), rtol=1e-12)
    np.testing.assert_allclose(e["sq_dist_anti_ideal"].sum(axis=1), np.square(r.s_minus),
                               rtol=1e-12)
    np.testing.assert_allclose(e["weighted_normalised"], r.normalised * r.weights, rtol=1e-12)


def test_huge_finite_values_are_not_called_infinite() -> None:
    """The fast finiteness check sums the matrix; a sum that overflows must fall back to the
    cell-by-cell check instead of rejecting finite input."""
    r = topsis([[1e308, 1e308], [1e308, 1e308]], [1, 1], np.array([True, True]))
    assert np.all(np.isfinite(r.closeness))
    with pytest.raises(ValueError, match=r"cell \(0, 1\)"):
        topsis([[1.0, np.inf], [1.0, -np.inf]], [1, 1], np.array([True, True]))


def test_result_is_read_only() -> None:
    r = topsis([[1.0, 2.0], [2.0, 1.0]], [1, 1], np.array([True, True]))
    with pytest.raises(ValueError):
        r.closeness[0] = 1.0


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------

_value = st.one_of(st.just(0.0), st.floats(1e-3, 1e3))


@st.composite
def problems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = draw(st.integers(1, 6))
    n = draw(st.integers(1, 5))
    matrix = draw(hnp.arrays(np.float64, (m, n), elements=_value))
    weights = draw(hnp.arrays(np.float64, (n,), elements=st.floats(0.01, 10.0)))
    benefit = draw(hnp.arrays(np.bool_, (n,)))
    return matrix, weights, benefit


@settings(max_examples=200, deadline=None)
@given(problems())
def test_closeness_in_unit_interval(p: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    r = topsis(*p)
    assert np.all(np.isfinite(r.closeness))
    assert np.all((r.closeness >= 0) & (r.closeness <= 1))


@settings(max_examples=200, deadline=None)
@given(problems(), st.floats(1e-3, 1e3))
def test_weight_scale_invariance(p: tuple[np.ndarray, np.ndarray, np.ndarray], c: float) -> None:
    matrix, weights, benefit = p
    a = topsis(matrix, weights, benefit).closeness
    b = topsis(matrix, weights * c, benefit).closeness
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(problems(), st.data())
def test_column_scale_invariance(
    p: tuple[np.ndarray, np.ndarray, np.ndarray], data: st.DataObject
) -> None:
    matrix, weights, benefit = p
    j = data.draw(st.integers(0, matrix.shape[1] - 1))
    c = data.draw(st.floats(1e-3, 1e3))
    scaled = matrix.copy()
    scaled[:, j] *= c
    a = topsis(matrix, weights, benefit).closeness
    b = topsis(scaled, weights, benefit).closeness
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)



@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_cell_named(bad: float) -> None:
    from scoring.errors import InputError

    u = np.ones((4, 3))
    u[2, 1] = bad
    with pytest.raises(InputError, match=r"cell \(2, 1\) is not finite"):
        topsis(u, np.ones(3), np.ones(3, dtype=bool))


@pytest.mark.parametrize("shape", [(200, 30), (400, 200)])  # both sides of the small path
@pytest.mark.parametrize("normalisation", ["vector", "minmax"])
def test_closeness_path_equals_topsis_bit_for_bit(shape: tuple[int, int],
                                                  normalisation: str) -> None:
    """The registry's lean path gives exactly ``topsis(...).closeness`` (issue 16)."""
    from scoring.methods.topsis import topsis_closeness

    rng = np.random.default_rng(11)
    u = rng.uniform(0, 100, shape)
    u[:, 1] = 0.0  # an all-zero column
    w = rng.uniform(0, 1, shape[1])
    full = topsis(u, w, np.ones(shape[1], dtype=bool), normalisation)  # type: ignore[arg-type]
    assert np.array_equal(topsis_closeness(u, w, normalisation),  # type: ignore[arg-type]
                          full.closeness)
