"""PROMETHEE I / II against published and hand-derived examples, a definition-level reference,
and the properties Brans & Vincke (1985) state for the flows.

Convention pinned: flows divided by m − 1 (Brans & Mareschal 2005), so φ ∈ [−1, 1].
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from pydantic import ValidationError

from scoring.errors import InputError
from scoring.methods.promethee import (
    Relation,
    net_flow_score,
    outranking_utilities,
    partial_order,
    promethee,
)
from scoring.methods.promethee_settings import CriterionFunction, PrometheeSettings

CF = CriterionFunction

# --------------------------------------------------------------------------------------------
# Published and hand-derived examples
# --------------------------------------------------------------------------------------------

ZHAO = [[4, 3, 2], [3, 2, 4], [5, 1, 3]]
ZHAO_W = [0.5, 0.3, 0.2]


def test_zhao_peng_li_2013_usual_criterion() -> None:
    """Zhao, Peng & Li (2013), "Revised PROMETHEE II for improving efficiency in emergency
    response", Procedia Computer Science 17:181–188; as asserted in pymcdm's test suite
    (oracles.md §3.11). All benefit, usual criterion. Printed net flows: [0.1, −0.3, 0.2]."""
    r = promethee(ZHAO, ZHAO_W)
    np.testing.assert_allclose(r.phi, [0.1, -0.3, 0.2], atol=1e-12)
    assert r.ranking().tolist() == [2, 0, 1]  # A3 > A1 > A2
    # The two flows behind them (definition: each pair's weighted wins / (m − 1)).
    np.testing.assert_allclose(r.phi_plus, [0.55, 0.35, 0.60], atol=1e-12)
    np.testing.assert_allclose(r.phi_minus, [0.45, 0.65, 0.40], atol=1e-12)
    np.testing.assert_allclose(net_flow_score(r.phi), [55.0, 35.0, 60.0], atol=1e-10)


def test_zhao_promethee_i_partial_order() -> None:
    """On the same data PROMETHEE I is complete: A3 outranks A1 and A2, A1 outranks A2."""
    rel = promethee(ZHAO, ZHAO_W).partial_order()
    assert rel[2, 0] == Relation.OUTRANKS and rel[0, 2] == Relation.OUTRANKED
    assert rel[2, 1] == Relation.OUTRANKS and rel[0, 1] == Relation.OUTRANKS
    assert all(rel[i, i] == Relation.INDIFFERENT for i in range(3))


# R package MCDA (Bigaret, Meyer et al.), tests/PROMETHEEII.R: a transport choice with a
# Gaussian, a level and a "V-shape with indifference" (= linear) criterion. That test file
# prints no expected flows, so each single-criterion net flow is derived below by hand from the
# definitions in Brans & Mareschal (2005) and the module table; the code must match them.
MCDA_R = [[1, 10, 1], [4, 20, 2], [2, 20, 0], [6, 40, 0], [30, 30, 3]]  # RER M1 M2 BUS TAXI
MCDA_R_W = [0.2, 0.3, 0.5]
MCDA_R_B = np.array([False, False, True])  # price min, time min, comfort max
MCDA_R_F = [CF(kind="gaussian", s=4), CF(kind="level", q=11, p=15), CF(kind="linear", q=1, p=3)]


def _g(d: float) -> float:
    return 1 - math.exp(-d * d / 32)  # Gaussian, s = 4


def test_mcda_r_example_hand_derived() -> None:
    # Price (min), Gaussian s = 4: each offer gains g(gap) over dearer ones, loses to cheaper.
    price = [
        _g(3) + _g(1) + _g(5) + _g(29),  # RER, the cheapest
        _g(26) - _g(3),  # M1 (4): +g(2) over BUS, +g(26) over TAXI, −g(3) RER, −g(2) M2
        _g(2) + _g(4) + _g(28) - _g(1),  # M2 (2): beats M1, BUS, TAXI; loses to RER
        _g(24) - _g(5) - _g(2) - _g(4),  # BUS (6): beats TAXI only
        -(_g(29) + _g(26) + _g(28) + _g(24)),  # TAXI, the dearest
    ]
    # Time (min), level q = 11, p = 15: gaps 10 → 0, 20 and 30 → 1.
    # RER (10) beats BUS and TAXI fully; M1, M2 (20) beat BUS (40); BUS is beaten 3 times.
    time = [2, 1, 1, -3, -1]
    # Comfort (max), linear q = 1, p = 3: gap 1 → 0, 2 → 1/2, 3 → 1.
    # RER (1) loses 1/2 to TAXI; M1 (2) beats M2 and BUS by 2; M2 and BUS (0) lose 1/2 to M1
    # and 1 to TAXI; TAXI (3) beats RER by 2, M2 and BUS by 3.
    comfort = [-0.5, 1.0, -1.5, -1.5, 2.5]
    expected_net = np.column_stack([price, time, comfort]) / 4  # ÷ (m − 1)

    r = promethee(MCDA_R, MCDA_R_W, MCDA_R_B, MCDA_R_F)
    np.testing.assert_allclose(r.criterion_net, expected_net, atol=1e-12)
    np.testing.assert_allclose(r.phi, expected_net @ MCDA_R_W, atol=1e-12)
    assert abs(r.phi.sum()) < 1e-12
    # Comfort carries half the weight: METRO1 (comfort 2) edges out RER (cheapest, fastest);
    # TAXI's comfort lifts it above METRO2; BUS is last. φ ≈ [.178, .238, −.038, −.415, .0375].
    assert r.ranking().tolist() == [1, 0, 4, 2, 3]


def test_incomparability_shown_by_promethee_i_hidden_by_ii() -> None:
    """Hand example: a = (10, 0), b = (5, 5), c = (0, 10), equal weights, V-shape p = 10.

    Every net flow is 0 (PROMETHEE II ties all three) but a and c each have a larger leaving
    *and* a larger entering flow than b: PROMETHEE I says they are incomparable with b.
    """
    r = promethee([[10, 0], [5, 5], [0, 10]], [1, 1], functions=CF(kind="v_shape", p=10))
    np.testing.assert_allclose(r.phi, 0.0, atol=1e-15)
    np.testing.assert_allclose(r.phi_plus, [0.375, 0.25, 0.375])
    rel = r.partial_order()
    assert rel[0, 1] == rel[1, 0] == Relation.INCOMPARABLE
    assert rel[2, 1] == Relation.INCOMPARABLE
    assert rel[0, 2] == Relation.INDIFFERENT


# --------------------------------------------------------------------------------------------
# Definition-level reference: every pair, every criterion (O(m² n), small inputs only)
# --------------------------------------------------------------------------------------------


def _pref(d: float, f: CriterionFunction) -> float:
    if d <= 0:
        return 0.0
    q, p, s = f.q or 0.0, f.p or 0.0, f.s or 1.0
    if f.kind == "usual":
        return 1.0
    if f.kind == "u_shape":
        return float(d > q)
    if f.kind == "v_shape":
        return min(d / p, 1.0)
    if f.kind == "level":
        return 0.0 if d <= q else (0.5 if d <= p else 1.0)
    if f.kind == "linear":
        return 0.0 if d <= q else (1.0 if d > p else (d - q) / (p - q))
    return 1.0 - math.exp(-d * d / (2 * s * s))


def _reference(
    x: np.ndarray, w: np.ndarray, benefit: np.ndarray, fns: Sequence[CriterionFunction]
) -> tuple[np.ndarray, np.ndarray]:
    m, n = x.shape
    w = w / w.sum()
    plus, minus = np.zeros(m), np.zeros(m)
    for a in range(m):
        for b in range(m):
            for j in range(n):
                d = (x[a, j] - x[b, j]) * (1 if benefit[j] else -1)
                plus[a] += w[j] * _pref(d, fns[j])
                minus[b] += w[j] * _pref(d, fns[j])
    k = max(m - 1, 1)
    return plus / k, minus / k


# Thresholds are half-integers and the data integers, so no gap ever equals a threshold and the
# discontinuous functions (u_shape, level) cannot be tipped by rounding.
_half = st.integers(0, 6).map(lambda k: k + 0.5)


@st.composite
def functions(draw: st.DrawFn) -> CriterionFunction:
    kind = draw(st.sampled_from(["usual", "u_shape", "v_shape", "level", "linear", "gaussian"]))
    if kind == "usual":
        return CF()
    if kind == "u_shape":
        return CF.model_validate({"kind": kind, "q": draw(_half)})
    if kind == "v_shape":
        return CF.model_validate({"kind": kind, "p": draw(_half)})
    if kind == "gaussian":
        return CF.model_validate({"kind": kind, "s": draw(_half)})
    q, p = sorted((draw(_half), draw(_half)))
    return CF.model_validate({"kind": kind, "q": q, "p": p})


@st.composite
def problems(
    draw: st.DrawFn, max_m: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[CriterionFunction]]:
    m = draw(st.integers(1, max_m))
    n = draw(st.integers(1, 4))
    x = draw(hnp.arrays(np.float64, (m, n), elements=st.integers(-10, 10).map(float)))
    w = draw(hnp.arrays(np.float64, (n,), elements=st.floats(0.01, 10.0)))
    b = draw(hnp.arrays(np.bool_, (n,)))
    fns = [draw(functions()) for _ in range(n)]
    return x, w, b, fns


@settings(max_examples=300, deadline=None)
@given(problems())
def test_matches_pairwise_definition(p: tuple) -> None:
    """The sort / prefix-sum algorithm equals the pairwise definition, for all six kinds."""
    x, w, b, fns = p
    r = promethee(x, w, b, fns)
    ref_plus, ref_minus = _reference(x, w, b, fns)
    np.testing.assert_allclose(r.phi_plus, ref_plus, atol=1e-12)
    np.testing.assert_allclose(r.phi_minus, ref_minus, atol=1e-12)
    np.testing.assert_allclose(r.phi, ref_plus - ref_minus, atol=1e-12)


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(problems(max_m=30))
def test_flows_bounded_and_net_sums_to_zero(p: tuple) -> None:
    r = promethee(*p)
    assert abs(r.phi.sum()) < 1e-9
    assert np.all((r.phi >= -1 - 1e-12) & (r.phi <= 1 + 1e-12))
    assert np.all((r.phi_plus >= -1e-12) & (r.phi_plus <= 1 + 1e-12))
    assert np.all((r.phi_minus >= -1e-12) & (r.phi_minus <= 1 + 1e-12))
    np.testing.assert_allclose(r.contributions().sum(axis=1), r.phi, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(problems(max_m=12), st.data())
def test_dominance(p: tuple, data: st.DataObject) -> None:
    """An alternative at least as good on every criterion has a net flow at least as high."""
    x, w, b, fns = p
    a = data.draw(st.integers(0, x.shape[0] - 1))
    better = np.where(b, 1.0, -1.0) * data.draw(
        hnp.arrays(np.float64, (x.shape[1],), elements=st.integers(0, 5).map(float))
    )
    x2 = np.vstack([x, x[a] + better])
    r = promethee(x2, w, b, fns)
    assert r.phi[-1] >= r.phi[a] - 1e-12


@settings(max_examples=200, deadline=None)
@given(problems(), st.floats(0.01, 100.0), st.floats(-1e3, 1e3), st.data())
def test_affine_rescaling_with_thresholds(
    p: tuple, scale: float, shift: float, data: st.DataObject
) -> None:
    """x_j -> a·x_j + c with q, p, s -> a·q, a·p, a·s leaves every flow unchanged."""
    x, w, b, fns = p
    j = data.draw(st.integers(0, x.shape[1] - 1))
    x2 = x.copy()
    x2[:, j] = scale * x[:, j] + shift
    f = fns[j]
    fns2 = list(fns)
    fns2[j] = CF(
        kind=f.kind,
        q=None if f.q is None else f.q * scale,
        p=None if f.p is None else f.p * scale,
        s=None if f.s is None else f.s * scale,
    )
    r1, r2 = promethee(x, w, b, fns), promethee(x2, w, b, fns2)
    np.testing.assert_allclose(r2.phi, r1.phi, atol=1e-9)
    np.testing.assert_allclose(r2.phi_plus, r1.phi_plus, atol=1e-9)


@settings(max_examples=100, deadline=None)
@given(problems(), st.floats(1e-3, 1e3))
def test_weights_normalised(p: tuple, c: float) -> None:
    x, w, b, fns = p
    np.testing.assert_allclose(promethee(x, w * c, b, fns).phi, promethee(x, w, b, fns).phi,
                               atol=1e-12)


def test_outranking_utilities_weighted_mean_is_the_score() -> None:
    """PROMETHEE II is a weighted sum of 50·(1 + φ_j): the registry's linearisation rests on it."""
    rng = np.random.default_rng(3)
    u: np.ndarray = rng.integers(0, 5, (40, 6)) * 25.0
    w = rng.uniform(0.1, 1, 6)
    fns = [CF(), CF(kind="linear", q=10, p=40), CF(kind="gaussian", s=20)] * 2
    ou = outranking_utilities(u, fns)
    np.testing.assert_allclose(ou @ (w / w.sum()), net_flow_score(promethee(u, w, None, fns).phi),
                               atol=1e-10)


def test_degenerate_inputs() -> None:
    one = promethee([[3.0, 4.0]], [1, 1])
    np.testing.assert_array_equal(one.phi, [0.0])
    same = promethee([[1.0, 2.0]] * 4, [1, 2], functions=CF(kind="gaussian", s=1))
    np.testing.assert_array_equal(same.phi, np.zeros(4))
    assert np.all(same.partial_order() == Relation.INDIFFERENT)


@pytest.mark.parametrize("n", [1, 2])
def test_input_matrix_not_modified(n: int) -> None:
    """Cost criteria are negated on a private copy, never in the caller's matrix (a single
    column is the trap: its transpose is already contiguous, so it is not copied by default)."""
    x = np.array([[1.0, 5.0], [2.0, 3.0], [0.0, 9.0]])[:, :n].copy()
    before = x.copy()
    promethee(x, [1] * n, np.zeros(n, dtype=bool), CF())
    promethee(x, [1] * n, np.zeros(n, dtype=bool), CF(kind="v_shape", p=2))
    np.testing.assert_array_equal(x, before)


def test_partial_order_tolerates_float_noise() -> None:
    rel = partial_order([0.3, 0.1 + 0.2], [0.2, 0.2])
    assert rel[0, 1] == Relation.INDIFFERENT


# --------------------------------------------------------------------------------------------
# Bad inputs and the settings model
# --------------------------------------------------------------------------------------------


def test_rejects_bad_matrix_weights_functions() -> None:
    with pytest.raises(InputError, match=r"cell \(0, 1\)"):
        promethee([[1.0, np.inf]], [1, 1])
    with pytest.raises(InputError, match="weights"):
        promethee([[1.0, 2.0]], [0, 0])
    with pytest.raises(InputError, match="2 preference functions for 3 criteria"):
        promethee([[1.0, 2.0, 3.0]], [1, 1, 1], functions=[CF(), CF()])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "u_shape"}, "needs q"),
        ({"kind": "v_shape", "q": 1, "p": 2}, "q is not used"),
        ({"kind": "linear", "q": 5, "p": 2}, r"q \(5\) must not exceed p \(2\)"),
        ({"kind": "level", "q": -1, "p": 2}, "greater than or equal to 0"),
        ({"kind": "gaussian", "s": 0}, "greater than 0"),
        ({"kind": "gaussian", "s": float("nan")}, "finite"),
        ({"kind": "v_shape", "p": 0}, "p must be positive"),
        ({"kind": "triangle"}, "usual"),
        ({"kind": "usual", "r": 1}, "Extra inputs"),
        ({"kind": "level"}, "needs q.*needs p"),
    ],
)
def test_criterion_function_validation(data: dict, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CriterionFunction.model_validate(data)


def test_settings_resolve_most_specific_id_first() -> None:
    s = PrometheeSettings.model_validate({
        "default": {"kind": "v_shape", "p": 20},
        "criteria": {"cert.hds": {"kind": "usual"},
                     "security": {"kind": "linear", "q": 5, "p": 25}},
    })
    leaves = [("cert.hds", "security"), ("enc.keys", "security"), ("price", "cost")]
    kinds = [f.kind for f in s.functions_for(leaves)]
    assert kinds == ["usual", "linear", "v_shape"]
    assert s.unknown_ids(leaves) == []


def test_settings_unknown_ids_listed_together() -> None:
    s = PrometheeSettings(criteria={"secuirty": CF(), "cert.hsd": CF()})
    assert s.unknown_ids([("cert.hds", "security")]) == ["cert.hsd", "secuirty"]
    with pytest.raises(InputError, match=r"'cert\.hsd', 'secuirty'"):
        s.functions_for([("cert.hds", "security")])


def test_settings_are_frozen_and_strict() -> None:
    s = PrometheeSettings()
    with pytest.raises(ValidationError):
        s.default = CF(kind="gaussian", s=1)
    with pytest.raises(ValidationError, match="Extra inputs"):
        PrometheeSettings.model_validate({"defaults": {}})


def test_gap_equal_to_a_threshold() -> None:
    """A gap equal to q is indifference; a gap equal to p is still the 'level' half step
    (Brans & Vincke 1985: P = 0 for d ≤ q, 1/2 for q < d ≤ p, 1 for d > p)."""
    x = [[0.0], [1.0], [3.0]]
    quasi = promethee(x, [1], functions=CF(kind="u_shape", q=1)).criterion_net[:, 0]
    # pairs: (1,0) gap 1 = q → 0; (3,0) gap 3 → 1; (3,1) gap 2 → 1
    np.testing.assert_allclose(quasi, np.array([-1, -1, 2]) / 2)
    level = promethee(x, [1], functions=CF(kind="level", q=1, p=2)).criterion_net[:, 0]
    # (1,0) gap 1 = q → 0; (3,1) gap 2 = p → 1/2; (3,0) gap 3 → 1
    np.testing.assert_allclose(level, np.array([-1, -0.5, 1.5]) / 2)
