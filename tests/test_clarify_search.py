"""The clarification list's search inside an answer's domain, against brute force.

Under TOPSIS, PROMETHEE and VIKOR an answer between two rivals' values can change the winner
while neither end of the domain does. ``search_utilities`` lists the breakpoints (the other
offers' values on the leaf, ± the preference thresholds) and points between them; on random
small matrices every winner that a fine grid over the whole domain finds (401 points, step
0.25, the rivals' values included) is found by the search, and in some cases only inside.
"""

from __future__ import annotations

import numpy as np
import pytest

from scoring.engine import evaluate_path
from scoring.methods.promethee_settings import CriterionFunction, PrometheeSettings
from scoring.methods.registry import METHODS, Method
from scoring.ranking import ranking
from scoring.robustness.answers import domain, search_utilities
from scoring.robustness.clarify import clarify

GRID = np.linspace(0.0, 100.0, 401)


def _winner(method: Method, x: np.ndarray, w: np.ndarray, i: int, j: int, u: float) -> int:
    """The first offer by THE ranking rule with offer i's leaf j at utility u."""
    y = x.copy()
    y[i, j] = u
    return int(ranking(method.score(y, w))[0])


def _prom(fn: CriterionFunction) -> tuple[Method, tuple[float, ...]]:
    return (METHODS["promethee"].bind(PrometheeSettings(default=fn)),
            tuple(float(t) for t in (fn.q, fn.p, fn.s) if t))


CASES = {
    "topsis": (METHODS["topsis"], ()),
    "vikor": (METHODS["vikor"], ()),
    "promethee-usual": _prom(CriterionFunction(kind="usual")),
    "promethee-u_shape": _prom(CriterionFunction(kind="u_shape", q=10)),
    "promethee-level": _prom(CriterionFunction(kind="level", q=10, p=40)),
    "promethee-linear": _prom(CriterionFunction(kind="linear", q=5, p=35)),
}


@pytest.mark.parametrize("name", list(CASES))
def test_search_finds_every_winner_a_fine_grid_finds(name: str) -> None:
    method, thresholds = CASES[name]
    rng = np.random.default_rng(23)
    inside_only = 0
    for _ in range(40):
        m, n = int(rng.integers(3, 5)), int(rng.integers(2, 4))
        x = rng.integers(0, 9, (m, n)) * 12.5  # rivals tie often: the usual criterion's case
        w = rng.random(n) + 0.05
        i, j = int(rng.integers(m)), int(rng.integers(n))
        others = [float(x[k, j]) for k in range(m) if k != i]
        brute = {_winner(method, x, w, i, j, float(u)) for u in GRID}
        found = {_winner(method, x, w, i, j, float(u))
                 for u in search_utilities(others, 0.0, 100.0, thresholds)}
        assert brute <= found, (x, w, i, j)
        inside_only += (len(brute) > 1 and _winner(method, x, w, i, j, 0.0)
                        == _winner(method, x, w, i, j, 100.0))
    # How often the ends alone would have missed a change on these cases (the pinned case
    # below shows one for certain): kept for the record, not asserted per method.
    assert 0 <= inside_only <= 40


def test_a_change_only_inside_the_domain_is_found() -> None:
    """A pinned PROMETHEE case (usual criterion, 3 offers, two leaves): with c's first answer
    at either end of the domain a leads; at a's or b's value (a tie: neither prefers) b leads.
    The ends alone say "cannot change the winner"; the search finds the change."""
    method, thresholds = CASES["promethee-usual"]
    x = np.array([[50.0, 100.0], [87.5, 75.0], [75.0, 37.5]])  # a, b, c
    w = np.array([0.5, 0.5])
    assert _winner(method, x, w, 2, 0, 0.0) == _winner(method, x, w, 2, 0, 100.0) == 0
    found = {_winner(method, x, w, 2, 0, float(u))
             for u in search_utilities([50.0, 87.5], 0.0, 100.0, thresholds)}
    assert found == {0, 1}


def test_discrete_domain_is_every_answer() -> None:
    from scoring.io.catalogue import load_catalogue

    cat = load_catalogue()
    levels = [q for q in cat.questions if q.type == "level"]
    assert not levels or domain(levels[0]) == (0, 1, 2, 3, 4)
    enums = [q for q in cat.questions if q.type == "enum" and q.options]
    for q in enums[:5]:
        scored = [k for k, v in (q.options or {}).items() if v is not None]
        assert set(domain(q)) == set(scored) or len(scored) == 0


@pytest.mark.parametrize("method", ["topsis", "promethee"])
def test_clarify_runs_the_search_under_non_monotone_methods(method: str) -> None:
    """On hdh-2026-j0 the list covers the same answers as under the weighted sum, each item
    showing its domain's ends, with total and rank ranges over every answer tried."""
    ev = evaluate_path("data/scenarios/hdh-2026-j0.yaml", method=method)
    c = clarify(ev, budget_s=30)
    base = clarify(evaluate_path("data/scenarios/hdh-2026-j0.yaml", method="wsm"), budget_s=30)
    assert {(i.offer, i.question) for i in c.items} == {(i.offer, i.question)
                                                        for i in base.items}
    assert all(len(i.could_be) <= 5 for i in c.items)
