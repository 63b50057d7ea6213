"""Score ranges under the ``uncertain`` policy for every method, against enumeration.

Each case: a few offers × a few leaves, some cells unknown with an interval ``[lo, hi]``.
Enumeration sets every unknown cell to every point of a grid over its interval (the ends
included) and scores the whole matrix with the method: the range it finds is attainable.

* weighted sum and PROMETHEE II (every preference function, thresholds included): the method's
  range equals the enumerated one (the corners are grid points, and nothing goes beyond them);
* TOPSIS (vector and min-max normalisation) and VIKOR: the method's range contains every
  enumerated score (an outer bound), and the corner rule exact for PROMETHEE is shown too
  narrow on a pinned case; the width against the enumerated range is pinned loosely.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import numpy as np
import pytest

from scoring.engine import evaluate_path
from scoring.engine.uncertainty import rank_ranges
from scoring.methods._ranges import own_worst_others_best
from scoring.methods.promethee_settings import CriterionFunction, PrometheeSettings
from scoring.methods.registry import METHODS, Method
from scoring.methods.topsis import TopsisSettings
from scoring.methods.vikor import VikorSettings
from scoring.report.ranking import rank_json

SCENARIO = "data/scenarios/hdh-2026-j0.yaml"

FUNCTIONS = [
    CriterionFunction(kind="usual"),
    CriterionFunction(kind="u_shape", q=10),
    CriterionFunction(kind="v_shape", p=30),
    CriterionFunction(kind="level", q=10, p=40),
    CriterionFunction(kind="linear", q=5, p=35),
    CriterionFunction(kind="gaussian", s=20),
]


def _case(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A random small case: 2-4 offers, 1-3 leaves, answers on a 12.5-point grid, about 40 %
    unknown with intervals of one to three grid steps (or the whole 0-100)."""
    m, n = int(rng.integers(2, 5)), int(rng.integers(1, 4))
    lo = rng.integers(0, 9, (m, n)) * 12.5
    hi = lo.copy()
    unknown = rng.random((m, n)) < 0.4
    a = rng.integers(0, 6, (m, n)) * 12.5
    b = np.minimum(a + rng.integers(1, 4, (m, n)) * 12.5, 100.0)
    whole = rng.random((m, n)) < 0.3
    lo[unknown] = np.where(whole, 0.0, a)[unknown]
    hi[unknown] = np.where(whole, 100.0, b)[unknown]
    w = rng.random(n) + 0.05
    return lo, hi, w


def _configurations(lo: np.ndarray, hi: np.ndarray, points: int, rng: np.random.Generator,
                    cap: int = 4) -> Iterator[np.ndarray]:
    """Every grid configuration of the unknown cells (at most ``cap`` cells), else every corner
    (each cell at one end) and 800 random grid configurations."""
    cells = np.argwhere(hi > lo)
    grid = np.linspace(0.0, 1.0, points)
    if len(cells) <= cap:
        combos: Iterator[tuple[float, ...]] = itertools.product(grid, repeat=len(cells))
    else:
        combos = itertools.chain(
            itertools.product((0.0, 1.0), repeat=len(cells)),
            (tuple(rng.choice(grid, len(cells))) for _ in range(800)))
    for t in combos:
        x = lo.copy()
        for (i, j), s in zip(cells, t, strict=True):
            x[i, j] = lo[i, j] + s * (hi[i, j] - lo[i, j])
        yield x


def _enumerated(method: Method, lo: np.ndarray, hi: np.ndarray, w: np.ndarray, points: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    s_min = np.full(lo.shape[0], np.inf)
    s_max = np.full(lo.shape[0], -np.inf)
    for x in _configurations(lo, hi, points, rng):
        s = method.score(x, w)
        s_min, s_max = np.minimum(s_min, s), np.maximum(s_max, s)
    return s_min, s_max


def _range(method: Method, lo: np.ndarray, hi: np.ndarray, w: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, bool]:
    assert method.score_range is not None
    return method.score_range(lo, hi, w)


def _promethee(fn: CriterionFunction) -> Method:
    return METHODS["promethee"].bind(PrometheeSettings(default=fn))


@pytest.mark.parametrize("fn", FUNCTIONS, ids=[f.kind for f in FUNCTIONS])
def test_promethee_range_is_exact_against_a_fine_grid(fn: CriterionFunction) -> None:
    """Own unknowns at worst and everyone else's at best (and the reverse) is PROMETHEE II's
    exact range: no grid point goes beyond it, and the grid (which holds the corners) reaches
    it. 25 random cases per preference function, 7 grid points per unknown cell."""
    method = _promethee(fn)
    rng = np.random.default_rng(17)
    for _ in range(25):
        lo, hi, w = _case(rng)
        r_lo, r_hi, exact = _range(method, lo, hi, w)
        assert exact
        e_lo, e_hi = _enumerated(method, lo, hi, w, 7, rng)
        np.testing.assert_allclose(r_lo, e_lo, atol=1e-9)
        np.testing.assert_allclose(r_hi, e_hi, atol=1e-9)


def test_weighted_sum_range_is_exact() -> None:
    method = METHODS["wsm"]
    rng = np.random.default_rng(3)
    for _ in range(30):
        lo, hi, w = _case(rng)
        r_lo, r_hi, exact = _range(method, lo, hi, w)
        e_lo, e_hi = _enumerated(method, lo, hi, w, 5, rng)
        assert exact
        np.testing.assert_allclose(r_lo, e_lo, atol=1e-9)
        np.testing.assert_allclose(r_hi, e_hi, atol=1e-9)


OUTER = {
    "topsis": METHODS["topsis"],
    "topsis-minmax": METHODS["topsis"].bind(TopsisSettings(normalisation="minmax")),
    "vikor": METHODS["vikor"],
    "vikor-v0.2": METHODS["vikor"].bind(VikorSettings(v=0.2)),
}


@pytest.mark.parametrize("name", list(OUTER))
def test_outer_bound_contains_every_enumerated_score(name: str) -> None:
    """TOPSIS and VIKOR: every score of 40 random cases' grid configurations (7 points per
    unknown cell; past 4 cells every corner and 800 random grid configurations) lies inside the
    bound; the bound's total width is within 3x the enumerated one in every case (the sampled
    range is itself narrower than the truth) and, in the median case, within 5 % of it (what
    the bound loses is the link between S+ and S- of one offer, or between the offers' S and
    R)."""
    method = OUTER[name]
    rng = np.random.default_rng(5)
    ratios = []
    for _ in range(40):
        lo, hi, w = _case(rng)
        r_lo, r_hi, exact = _range(method, lo, hi, w)
        assert not exact
        e_lo, e_hi = _enumerated(method, lo, hi, w, 7, rng)
        assert (e_lo >= r_lo - 1e-7).all() and (e_hi <= r_hi + 1e-7).all()
        ratios.append(float((r_hi - r_lo).sum() / max(float((e_hi - e_lo).sum()), 1e-9)))
    assert np.median(ratios) <= 1.05 and max(ratios) <= 3.0, ratios


@pytest.mark.parametrize("name", ["topsis", "vikor"])
def test_corner_rule_is_not_exact_for_topsis_or_vikor(name: str) -> None:
    """Why TOPSIS and VIKOR get outer bounds: on random cases the corner rule exact for
    PROMETHEE (own unknowns at worst, the others' at best) misses scores the grid reaches."""
    method = OUTER[name]
    rng = np.random.default_rng(11)
    misses = 0
    for _ in range(20):
        lo, hi, w = _case(rng)
        c_lo, c_hi = own_worst_others_best(method.score, lo, hi, w)
        e_lo, e_hi = _enumerated(method, lo, hi, w, 5, rng)
        misses += bool((e_lo < c_lo - 1e-6).any() or (e_hi > c_hi + 1e-6).any())
    assert misses > 0


@pytest.mark.parametrize("name", ["wsm", "promethee", *OUTER])
def test_known_matrix_range_is_the_score(name: str) -> None:
    method = {**METHODS, **OUTER}[name]
    rng = np.random.default_rng(1)
    x = (rng.integers(0, 5, (4, 3)) * 25.0).astype(np.float64)
    w = np.array([0.5, 0.3, 0.2])
    r_lo, r_hi, _ = _range(method, x, x, w)
    np.testing.assert_allclose(r_lo, method.score(x, w), atol=1e-9)
    np.testing.assert_allclose(r_hi, method.score(x, w), atol=1e-9)


def test_rank_ranges_follow_the_total_ranges() -> None:
    """Brute force on total intervals: best rank = 1 + offers surely above, worst = 1 +
    offers possibly above (ties against)."""
    rng = np.random.default_rng(2)
    for _ in range(200):
        k = int(rng.integers(1, 6))
        a = rng.integers(0, 10, k).astype(float)
        b = a + rng.integers(0, 5, k)
        rr = rank_ranges(a.tolist(), b.tolist())
        for i in range(k):
            best = 1 + sum(a[x] > b[i] for x in range(k) if x != i)
            worst = 1 + sum(b[x] >= a[i] for x in range(k) if x != i)
            assert rr[i] == (best, worst)


@pytest.mark.parametrize("method", ["topsis", "promethee", "vikor", "wsm"])
def test_hdh_2026_j0_has_ranges_under_every_method(method: str) -> None:
    """The issue's case: under TOPSIS and PROMETHEE no passing offer had a range. Now every
    passing offer has a total range holding its point total and a rank range; the weighted sum
    and PROMETHEE are exact, TOPSIS and VIKOR outer bounds. Each passing offer can lead."""
    ev = evaluate_path(SCENARIO, method=method)
    out = rank_json(ev)
    passing = [r for r in out["results"] if r["eligibility"] == "pass"]
    assert len(passing) >= 3
    for r in passing:
        lo, hi = r["total_range"]
        assert lo - 1e-6 <= r["total"] <= hi + 1e-6
        assert r["range_exact"] is (method in ("wsm", "promethee"))
        assert r["rank_range"][0] == 1
        if METHODS[method].depends_on_others:  # only the passing offers compete
            assert r["rank_range"] == [1, len(passing)]
    if METHODS[method].depends_on_others:
        assert all(r["total_range"] is None for r in out["results"]
                   if r["eligibility"] != "pass")


def test_rank_text_shows_range_columns_and_says_what_they_are() -> None:
    from scoring.report.ranking import rank_text

    text = rank_text(evaluate_path(SCENARIO, method="topsis"))
    assert "total range" in text and "rank range" in text
    assert "point total: each unknown at the middle of its interval" in text
    assert "OUTER BOUND" in text
    exact = rank_text(evaluate_path(SCENARIO, method="promethee"))
    assert "OUTER BOUND" not in exact and "(exact)" in exact
