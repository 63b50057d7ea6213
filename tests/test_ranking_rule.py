"""One ranking rule (scoring.ranking) and everything that derives from it: SMAA's fast path
must give the same order and the same winner as the rule, in every row, including the rows
where rounding to 9 decimals would have split two equal totals."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.methods.smaa import smaa2
from scoring.methods.smaa_rank import rank_order, winners
from scoring.ranking import TIE_TOLERANCE, ranking, ranks

# Either side of the 9-decimal rounding boundary, 2e-13 apart: rounding sends the first down
# to 50.0 and the second up to 50.000000001, which ranked the second offer first in SMAA.
STRADDLE = [50.0000000004999, 50.0000000005001]


def test_totals_straddling_a_rounding_boundary_tie_everywhere() -> None:
    assert list(ranking(STRADDLE)) == [0, 1]  # tied: the first offer in offer order leads
    assert list(ranks(STRADDLE)) == [1, 2]
    assert list(rank_order([STRADDLE])[0]) == [0, 1]
    assert int(winners([STRADDLE])[0]) == 0
    # SMAA over two offers whose totals straddle the boundary for every weight vector.
    u = np.array([[50.0000000004999, 50.0000000004999], [50.0000000005001, 50.0000000005001]])
    res = smaa2(u, n_samples=2000, seed=1)
    assert res.acceptability[0, 0] == 1.0  # never the second: a tie goes to offer order


def test_a_chain_of_near_ties_is_one_group() -> None:
    t = [10.0, 10.0 - 0.9 * TIE_TOLERANCE, 10.0 - 1.8 * TIE_TOLERANCE, 9.0]
    assert list(ranking(t)) == [0, 1, 2, 3]
    shuffled = [t[2], t[0], t[3], t[1]]  # the lowest total first in offer order
    assert list(ranking(shuffled)) == [0, 1, 3, 2]  # one group of three, in offer order
    assert list(rank_order([shuffled])[0]) == [0, 1, 3, 2]
    assert int(winners([shuffled])[0]) == 0


near_totals = st.lists(
    st.tuples(st.integers(0, 3), st.integers(-3, 3)), min_size=1, max_size=7
).map(lambda xs: [50.0 + a + b * 0.6 * TIE_TOLERANCE for a, b in xs])


@settings(max_examples=400, deadline=None)
@given(st.lists(near_totals, min_size=1, max_size=6).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_smaa_fast_path_equals_the_rule(rows: list[list[float]]) -> None:
    t = np.array(rows)
    assert (rank_order(t) == ranking(t)).all()
    assert (winners(t) == ranking(t)[:, 0]).all()
    assert (winners(-t) == ranking(-t)[:, 0]).all()
    assert (rank_order(-t) == ranking(-t)).all()


def _naive_rank_ranges(lo: list[float], hi: list[float]) -> list[tuple[int, int]]:
    out = []
    for i in range(len(lo)):
        best = 1 + sum(1 for k in range(len(lo)) if k != i and lo[k] > hi[i] + TIE_TOLERANCE)
        worst = 1 + sum(1 for k in range(len(lo)) if k != i and hi[k] >= lo[i] - TIE_TOLERANCE)
        out.append((best, worst))
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 6)), min_size=1, max_size=9))
def test_rank_ranges_by_binary_search_equal_the_pairwise_count(
        spans: list[tuple[int, int]]) -> None:
    from scoring.engine.uncertainty import rank_ranges

    lo = [a / 2 for a, _ in spans]
    hi = [a / 2 + w / 2 for a, w in spans]
    assert rank_ranges(lo, hi) == _naive_rank_ranges(lo, hi)


@given(st.lists(st.sampled_from([1.0, 2.0, 2.0 + TIE_TOLERANCE / 2, 3.0]), max_size=9))
def test_shared_ranks_are_one_plus_the_offers_in_better_groups(t: list[float]) -> None:
    from scoring.ranking import shared_ranks, tie_groups

    g = tie_groups(t)
    assert list(shared_ranks(t)) == [1 + sum(1 for y in g if y < x) for x in g]
