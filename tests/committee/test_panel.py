"""Aggregation, disagreement (Kendall's W) and moderation; the consensus feeds the engine."""

from __future__ import annotations

import numpy as np
import pytest

from scoring.committee import CommitteeError, TransitionError, panel, stats, workflow
from scoring.committee.evaluation import ranking
from scoring.engine import evaluate
from scoring.scenario.load import parse_scenario_doc

from .conftest import ALICE, BOB, CHAIR, SCENARIO, Run, bid_offers


def test_kendall_w_of_identical_rankings_is_one_and_of_reversed_ones_zero() -> None:
    assert stats.kendall_w([[1, 2, 3, 4], [10, 20, 30, 40]]) == pytest.approx(1.0)
    assert stats.kendall_w([[1, 2, 3, 4], [4, 3, 2, 1]]) == pytest.approx(0.0)
    assert stats.kendall_w([[1, 2, 3]]) is None
    assert stats.kendall_w([[2, 2], [3, 3]]) is None  # every offer tied by everybody


@pytest.mark.parametrize("seed", range(20))
def test_kendall_w_equals_the_mean_spearman_identity(seed: int) -> None:
    """Without ties W = ((m − 1) r̄ + 1) / m, r̄ the mean Spearman correlation over pairs of
    evaluators (Kendall & Gibbons 1990, §6.4)."""
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(2, 6)), int(rng.integers(3, 8))
    x = np.array([rng.permutation(n) for _ in range(m)], dtype=float)
    rs = [np.corrcoef(x[i], x[j])[0, 1] for i in range(m) for j in range(i + 1, m)]
    expected = ((m - 1) * float(np.mean(rs)) + 1) / m
    assert stats.kendall_w(x.tolist()) == pytest.approx(expected, abs=1e-12)


def test_kendall_w_with_ties_by_hand() -> None:
    """[[1, 1, 2], [1, 2, 3]]: mid-ranks (1.5, 1.5, 3) and (1, 2, 3); rank sums 2.5, 3.5, 6
    around m(n+1)/2 = 4, so S = 6.5; one tie of 2: ΣT = 6; W = 12·6.5 / (4·24 − 2·6) = 78/84."""
    assert stats.kendall_w([[1, 1, 2], [1, 2, 3]]) == pytest.approx(78 / 84)


def test_the_flagging_rule() -> None:
    assert stats.flag_reasons([3, 3], "0-4") == []
    assert stats.flag_reasons([2, 3], "0-4") == ["the median 2.5 is not a whole level"]
    assert stats.flag_reasons([1, 4], "0-4")[0] == "scores differ by 3 (more than 1)"
    assert stats.flag_reasons([40, 60], "0-100") == []
    assert stats.flag_reasons([40, 70], "0-100") == ["scores differ by 30 (more than 25)"]


def test_disagreement_is_flagged_and_freezing_waits_for_moderation(run: Run) -> None:
    run.to("technical_evaluation")
    run.score_all()
    p = panel.panel(run.store, CHAIR, run.tid)
    beta = p.item("beta", "sov.sov1_strategic")
    assert beta.scores == {ALICE.name: 4.0, BOB.name: 1.0}
    assert beta.aggregate == 2.5 and beta.spread == 3.0 and len(beta.flags) == 2
    assert p.item("gamma", "sov.sov1_strategic").scores == {ALICE.name: 1.0}  # Bob conflicted
    assert p.kendall_w["sov.sov2_legal"] == pytest.approx(1.0)
    with pytest.raises(TransitionError, match=r"beta / sov\.sov1_strategic needs moderation"):
        workflow.freeze_technical(run.store, CHAIR, run.tid)
    with pytest.raises(CommitteeError, match="needs its reason"):
        panel.moderate(run.store, CHAIR, run.tid, "beta", "sov.sov1_strategic", 2, "")
    panel.moderate(run.store, CHAIR, run.tid, "beta", "sov.sov1_strategic", 2, "agreed")
    workflow.freeze_technical(run.store, CHAIR, run.tid)
    assert panel.panel(run.store, CHAIR, run.tid).item("beta", "sov.sov1_strategic"
                                                       ).consensus == 2.0


def test_moderation_waits_for_every_sheet(run: Run) -> None:
    run.to("technical_evaluation")
    with pytest.raises(CommitteeError, match="missing: Alice Evaluator, Bob Evaluator"):
        panel.moderate(run.store, CHAIR, run.tid, "beta", "sov.sov1_strategic", 2, "x")


def test_the_consensus_is_what_the_engine_scores(run: Run) -> None:
    run.to("clarification")
    ev = ranking(run.store, CHAIR, run.tid)
    beta = ev.offers[[o.offer_id for o in ev.offers].index("beta")]
    assert beta.answers["sov.sov1_strategic"].value == 2  # moderated, not the median 2.5
    assert beta.answers["sov.sov1_strategic"].sources == (panel.CONSENSUS_SOURCE,)
    # the same numbers as the engine run by hand on the consensus answers
    offers = panel.apply_consensus(bid_offers(), {
        "alpha": {"sov.sov1_strategic": 3, "sov.sov2_legal": 3},
        "beta": {"sov.sov1_strategic": 2, "sov.sov2_legal": 2},
        "gamma": {"sov.sov1_strategic": 1, "sov.sov2_legal": 1}},
        {"sov.sov1_strategic": "0-4", "sov.sov2_legal": "0-4"})
    by_hand = evaluate(parse_scenario_doc(SCENARIO), offers)
    assert [r.total for r in ev.results] == [r.total for r in by_hand.results]


def test_mean_aggregation_is_optional(run: Run) -> None:
    v = workflow.view(run.store, run.tid)
    workflow.update_draft(run.store, CHAIR, run.tid, v.version, aggregation="mean")
    run.to("technical_evaluation")
    run.score_all()
    it = panel.panel(run.store, CHAIR, run.tid).item("beta", "sov.sov1_strategic")
    assert it.aggregate == 2.5
    assert BOB.name in it.scores
