"""Confidentiality through the services, not the pages: sealed bids, a conflicted evaluator,
the closed price envelope before the technical freeze, and scores hidden until submitted."""

from __future__ import annotations

import pytest

from scoring.committee import PermissionDenied, bids, panel
from scoring.committee.errors import CommitteeError

from .conftest import ALICE, BOB, CHAIR, OBSERVER, Run


def test_sealed_bids_cannot_be_read_by_anyone(run: Run) -> None:
    run.to("sealed")
    for who in (CHAIR, ALICE, BOB):
        with pytest.raises(PermissionDenied, match="sealed until opened"):
            bids.read_bid(run.store, who, run.tid, "alpha")
        assert bids.visible_offers(run.store, who, run.tid) == []
    assert [r.offer_id for r in bids.receipts(run.store, run.tid)] == ["alpha", "beta", "gamma"]


def test_no_bid_is_read_before_declaring_every_interest(run: Run) -> None:
    run.to("opened")
    with pytest.raises(PermissionDenied, match=r"declare interests.*alpha, beta, gamma"):
        bids.read_bid(run.store, ALICE, run.tid, "alpha")
    assert bids.visible_offers(run.store, ALICE, run.tid) == []


def test_a_conflicted_evaluator_cannot_read_or_score_that_bid(run: Run) -> None:
    run.to("technical_evaluation")  # Bob declared a conflict with gamma
    assert bids.visible_offers(run.store, BOB, run.tid) == ["alpha", "beta"]
    with pytest.raises(PermissionDenied, match="conflict of interest with gamma"):
        bids.read_bid(run.store, BOB, run.tid, "gamma")
    with pytest.raises(PermissionDenied, match="conflict of interest with gamma"):
        panel.save_score(run.store, BOB, run.tid, "gamma", "sov.sov1_strategic", 2, "x")
    assert bids.read_bid(run.store, ALICE, run.tid, "gamma").offer_id == "gamma"
    # Alice's scores about gamma stay hidden from Bob even after both submit
    run.score_all()
    seen = panel.visible_scores(run.store, BOB, run.tid)
    assert seen and all(r["offer"] != "gamma" for r in seen)


def test_prices_stay_closed_until_the_technical_freeze(run: Run) -> None:
    run.to("technical_evaluation")
    view = bids.read_bid(run.store, ALICE, run.tid, "alpha")
    assert view.prices is None and "prices" not in view.technical
    assert "answers" in view.technical
    for who in (ALICE, CHAIR):
        with pytest.raises(PermissionDenied, match="price envelopes stay closed"):
            bids.read_prices(run.store, who, run.tid, "alpha")
    run.to("clarification")
    prices = bids.read_prices(run.store, ALICE, run.tid, "alpha")
    assert prices[0]["item"] == "vm.8vcpu_32gb" and prices[0]["price"] == 0.30


def test_observers_read_no_bid(run: Run) -> None:
    run.to("technical_evaluation")
    with pytest.raises(PermissionDenied, match="needs the role chair or evaluator"):
        bids.read_bid(run.store, OBSERVER, run.tid, "alpha")
    assert bids.visible_offers(run.store, OBSERVER, run.tid) == []


def test_scores_are_hidden_from_other_evaluators_until_they_submit(run: Run) -> None:
    run.to("technical_evaluation")
    panel.save_score(run.store, ALICE, run.tid, "alpha", "sov.sov1_strategic", 3, "plan")
    panel.save_score(run.store, BOB, run.tid, "alpha", "sov.sov1_strategic", 1, "weak")
    mine = panel.visible_scores(run.store, BOB, run.tid)
    assert [(r["evaluator"], r["value"]) for r in mine] == [(BOB.name, 1.0)]
    assert panel.visible_scores(run.store, CHAIR, run.tid) == []  # nothing submitted yet
    run.score_all()
    both = {r["evaluator"] for r in panel.visible_scores(run.store, BOB, run.tid)}
    assert both == {ALICE.name, BOB.name}


def test_a_score_needs_a_justification_and_a_valid_value(run: Run) -> None:
    run.to("technical_evaluation")
    with pytest.raises(CommitteeError, match="written justification"):
        panel.save_score(run.store, ALICE, run.tid, "alpha", "sov.sov1_strategic", 3, "  ")
    with pytest.raises(CommitteeError, match="whole level from 0 to 4"):
        panel.save_score(run.store, ALICE, run.tid, "alpha", "sov.sov1_strategic", 2.5, "x")
    with pytest.raises(CommitteeError, match="whole level from 0 to 4"):
        panel.save_score(run.store, ALICE, run.tid, "alpha", "sov.sov1_strategic", 5, "x")
    with pytest.raises(PermissionDenied, match="needs the role evaluator"):
        panel.save_score(run.store, CHAIR, run.tid, "alpha", "sov.sov1_strategic", 3, "x")


def test_a_conflict_is_never_withdrawn(run: Run) -> None:
    run.to("technical_evaluation")
    with pytest.raises(CommitteeError, match="never withdrawn"):
        panel.declare(run.store, BOB, run.tid, "gamma", False)
    with pytest.raises(CommitteeError, match="needs a short description"):
        panel.declare(run.store, ALICE, run.tid, "alpha", True)
