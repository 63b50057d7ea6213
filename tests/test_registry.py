"""The method registry: each method once, scores on 0–100, explain pieces that add up, binding
of PROMETHEE parameters to leaves, and score_many agreeing with score."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import NDArray

from scoring.errors import InputError
from scoring.methods.promethee import promethee
from scoring.methods.promethee_settings import CriterionFunction, PrometheeSettings
from scoring.methods.registry import METHODS, get_method, method_names
from scoring.methods.topsis import topsis

RNG = np.random.default_rng(7)
U: NDArray[np.float64] = (RNG.integers(0, 5, (9, 6)) * 25).astype(np.float64)  # 5 levels
_w = RNG.uniform(0.1, 1.0, 6)
W: NDArray[np.float64] = _w / _w.sum()
LEAVES = [(f"q{j}", f"c{j % 2}", "p") for j in range(6)]


def test_each_method_listed_once_with_its_reference() -> None:
    assert method_names() == ("wsm", "topsis", "promethee", "vikor")
    for name, m in METHODS.items():
        assert m.name == name and m.label and m.summary and m.reference
    with pytest.raises(KeyError, match="known: wsm, topsis, promethee, vikor"):
        get_method("electre")


@pytest.mark.parametrize("name", list(METHODS))
def test_scores_in_range_and_score_many_agrees(name: str) -> None:
    m = get_method(name)
    s = m.score(U, W)
    assert s.shape == (9,) and np.all((s >= 0) & (s <= 100))
    ws: NDArray[np.float64] = RNG.uniform(0.0, 1.0, (5, 6))
    many = m.score_many(U, ws)
    np.testing.assert_allclose(many, np.stack([m.score(U, w) for w in ws]), atol=1e-9)


def test_linear_flag_means_weighted_sum_and_offer_independence() -> None:
    for m in METHODS.values():
        if m.linear:
            np.testing.assert_allclose(m.score(U, W), U @ W / W.sum())
        # An offer added at the bottom moves no other score unless depends_on_others.
        worse = np.vstack([U, np.zeros(6)])
        moved = not np.allclose(m.score(worse, W)[:-1], m.score(U, W))
        assert moved == m.depends_on_others, m.name


def test_wsm_explain_adds_up() -> None:
    m = get_method("wsm")
    assert m.explain is not None
    np.testing.assert_allclose(m.explain(U, W)["contribution"].sum(axis=1), m.score(U, W))


def test_topsis_score_and_explain() -> None:
    m = get_method("topsis")
    assert m.explain is not None
    r = topsis(U, W, np.ones(6, dtype=bool))
    np.testing.assert_allclose(m.score(U, W), np.asarray(r.closeness) * 100)
    pieces = m.explain(U, W)
    assert {k: v.shape for k, v in pieces.items()} == {
        "sq_dist_ideal": (9, 6), "sq_dist_anti_ideal": (9, 6), "weighted_normalised": (9, 6)}
    np.testing.assert_allclose(pieces["sq_dist_ideal"].sum(axis=1), np.square(r.s_plus))
    np.testing.assert_allclose(pieces["sq_dist_anti_ideal"].sum(axis=1), np.square(r.s_minus))
    # All weights zero: no information, neutral 50 (not NaN).
    np.testing.assert_array_equal(m.score(U, np.zeros(6)), np.full(9, 50.0))


def test_topsis_explain_shows_why_it_differs_from_the_weighted_sum() -> None:
    """Two offers with the same weighted sum (60): a steady one (60, 60) and an uneven one
    (100, 20). TOPSIS prefers the steady one: the uneven offer sits on the ideal for q0 but its
    80-point gap on q1 counts quadratically; the squared gaps per criterion show exactly that."""
    u = np.array([[60.0, 60.0], [100.0, 20.0], [10.0, 90.0]])
    w = np.array([0.5, 0.5])
    m = get_method("topsis")
    assert m.explain is not None
    wsm = get_method("wsm").score(u, w)
    assert wsm[0] == wsm[1] == 60.0
    assert m.score(u, w)[0] > m.score(u, w)[1] + 1  # 56.2 vs 54.7
    gaps = m.explain(u, w)["sq_dist_ideal"]
    assert gaps[1, 0] == 0.0 and gaps[1, 1] > gaps[0, 0] + gaps[0, 1]


def test_promethee_default_is_usual_net_flow_score() -> None:
    m = get_method("promethee")
    r = promethee(U, W)
    np.testing.assert_allclose(m.score(U, W), 50 * (r.phi + 1), atol=1e-10)
    assert m.explain is not None
    pieces = m.explain(U, W)
    np.testing.assert_allclose(pieces["net_flow"].sum(axis=1), r.phi, atol=1e-12)
    np.testing.assert_allclose(pieces["contribution"].sum(axis=1), m.score(U, W) - 50, atol=1e-10)


def test_promethee_bind_resolves_functions_per_leaf() -> None:
    settings = PrometheeSettings.model_validate({
        "default": {"kind": "v_shape", "p": 50},
        "criteria": {"c1": {"kind": "level", "q": 10, "p": 40}, "q0": {"kind": "usual"}},
    })
    bound = get_method("promethee").bind(settings, LEAVES)
    assert bound.params is settings and bound.name == "promethee"
    fns = [CriterionFunction(), CriterionFunction(kind="level", q=10, p=40)] + [
        CriterionFunction(kind="v_shape", p=50) if j % 2 == 0
        else CriterionFunction(kind="level", q=10, p=40) for j in range(2, 6)]
    expected = 50 * (promethee(U, W, None, fns).phi + 1)
    np.testing.assert_allclose(bound.score(U, W), expected, atol=1e-10)
    assert not np.allclose(bound.score(U, W), get_method("promethee").score(U, W))
    # Without per-leaf overrides the default applies to any number of columns.
    plain = get_method("promethee").bind(PrometheeSettings(default=fns[1]))
    np.testing.assert_allclose(plain.score(U, W),
                               50 * (promethee(U, W, None, fns[1]).phi + 1), atol=1e-10)


def test_bind_errors() -> None:
    with pytest.raises(InputError, match="takes no parameters"):
        get_method("wsm").bind(PrometheeSettings())
    assert get_method("wsm").bind(None) is get_method("wsm")
    with pytest.raises(InputError, match="'nope'"):
        get_method("promethee").bind(PrometheeSettings(criteria={"nope": CriterionFunction()}),
                                     LEAVES)
    with pytest.raises(InputError, match="need the leaf ids"):
        get_method("promethee").bind(PrometheeSettings(criteria={"q0": CriterionFunction()}))
    bound = get_method("promethee").bind(PrometheeSettings(criteria={"q0": CriterionFunction()}),
                                         LEAVES)
    with pytest.raises(InputError, match="bound to 6 leaves, given 5 columns"):
        bound.score(U[:, :5], W[:5])
