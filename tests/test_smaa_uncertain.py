"""SMAA under the ``uncertain`` policy draws every unknown answer with the weights, whatever the
method: determinism, chunk independence, and equality with a naive sample-by-sample loop."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.engine import Evaluation, evaluate_path
from scoring.methods.smaa import IntervalDraws
from scoring.methods.smaa_rank import rank_order
from scoring.methods.smaa_weights import sample_weights
from scoring.robustness import smaa_for
from scoring.robustness.smaa import leaf_matrix, smaa, uncertain_method_scorer

SCENARIO = "data/scenarios/hdh-2026-j0.yaml"


@pytest.fixture(scope="module", params=["topsis", "promethee", "vikor"])
def ev(request: pytest.FixtureRequest) -> Evaluation:
    return evaluate_path(SCENARIO, method=request.param)


def test_smaa_draws_unknowns_under_every_method_deterministically(ev: Evaluation) -> None:
    a = smaa_for(ev, "pillar", 600, seed=4)
    b = smaa_for(ev, "pillar", 600, seed=4)
    assert a.engine == "uncertain" and a.method == ev.method
    assert a.acceptability.tobytes() == b.acceptability.tobytes()
    assert np.array_equal(a.central_weights, b.central_weights, equal_nan=True)
    lm = leaf_matrix(ev, "pillar", candidates=True)
    chunks = [smaa(lm.dm, 600, 4, method=ev.method, leaves=lm, chunk_size=c,
                   scorer=uncertain_method_scorer(ev, lm, 4)) for c in (7, 600)]
    assert chunks[0].acceptability.tobytes() == chunks[1].acceptability.tobytes()
    assert smaa_for(ev, "pillar", 600, seed=5).acceptability.tobytes() != a.acceptability.tobytes()


def test_smaa_uncertain_equals_a_naive_loop(ev: Evaluation) -> None:
    """Same weight stream, same draws, each sample scored by the bound method on its own and
    ranked by THE rule: the acceptabilities are equal."""
    lm = leaf_matrix(ev, "pillar", candidates=True)
    n_samples = 400
    got = smaa(lm.dm, n_samples, 9, method=ev.method, leaves=lm, chunk_size=64,
               scorer=uncertain_method_scorer(ev, lm, 9))
    w = sample_weights(len(lm.dm.criteria), n_samples, seed=9)
    rows = [ev.result(o).index for o in lm.dm.offers]
    assert ev.bounds is not None
    draws = IntervalDraws(np.asarray(ev.bounds.lo)[rows], np.asarray(ev.bounds.hi)[rows], 9)
    values = draws.take(n_samples)
    m = len(rows)
    counts = np.zeros((m, m))
    method = ev.bound_method
    for k in range(n_samples):
        totals = method.score(draws.matrix(values[k]), lm.expand(w[k])[0])
        order = rank_order(totals[None, :])[0]
        for r, i in enumerate(order):
            counts[i, r] += 1
    np.testing.assert_array_equal(got.acceptability, counts / n_samples)


def test_unknowns_move_the_acceptabilities(ev: Evaluation) -> None:
    """With every unknown drawn, each passing offer ranks first in some samples (the rank
    ranges say each can place first)."""
    got = smaa_for(ev, "pillar", 2_000, seed=0)
    assert got.engine == "uncertain"
    for r in ev.results:
        if r.eligibility == "pass":
            assert got.acceptability[got.offers.index(r.offer_id), 0] > 0
