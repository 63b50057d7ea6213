"""A declared conflict binds the person in every role and every service (issue 18, defect 4):
scoring and the score views, moderation, the panel, clarifications and the award. Each test
failed before: only evaluators' scoring and bid reading checked conflicts."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import pytest

from scoring.committee import (
    PermissionDenied,
    Person,
    Store,
    TransitionError,
    clarifications,
    panel,
    workflow,
)

from .conftest import CHAIR, OBSERVER, Run

COCHAIR = Person("Carl Cochair", authenticated=True)
DUE = dt.date(2099, 1, 1)


def cochaired(store: Store) -> Run:
    r = Run(store)
    workflow.add_member(store, CHAIR, r.tid, COCHAIR.name, "chair")
    return r


class Agreed(Run):
    """The evaluators agree everywhere: nothing to moderate, so a conflicted sole chair can
    reach the award."""

    SCORES: ClassVar[dict[str, dict[tuple[str, str], int]]] = {
        n: {k: (4 if k == ("beta", "sov.sov1_strategic") else v) for k, v in sc.items()}
        for n, sc in Run.SCORES.items()}

    def _score_moderate_freeze(self) -> None:
        self.score_all()
        workflow.freeze_technical(self.store, CHAIR, self.tid)


def test_an_observer_conflicted_with_a_bidder_sees_none_of_its_scores(run: Run) -> None:
    run.to("sealed")
    panel.declare(run.store, OBSERVER, run.tid, "gamma", True, "spouse works at Gamma")
    run.to("technical_evaluation")
    run.score_all()
    seen = panel.visible_scores(run.store, OBSERVER, run.tid)
    assert seen and {r["offer"] for r in seen} == {"alpha", "beta"}
    assert {it.offer_id for it in panel.panel(run.store, OBSERVER, run.tid).items} == {
        "alpha", "beta"}
    assert {r["offer"] for r in panel.visible_scores(run.store, CHAIR, run.tid)} == {
        "alpha", "beta", "gamma"}


def test_a_conflicted_chair_cannot_moderate_that_bidder_nor_see_it_in_the_panel(
        any_store: Store) -> None:
    run = cochaired(any_store).to("technical_evaluation")
    panel.declare(run.store, CHAIR, run.tid, "beta", True, "board member of Beta")
    run.score_all()
    with pytest.raises(PermissionDenied, match=r"conflict of interest with beta.*moderate"):
        panel.moderate(run.store, CHAIR, run.tid, "beta", "sov.sov1_strategic", 2, "consensus")
    p = panel.panel(run.store, CHAIR, run.tid)
    assert {it.offer_id for it in p.items} == {"alpha", "gamma"}
    assert not any(r["offer"] == "beta" for r in panel.visible_scores(run.store, CHAIR, run.tid))
    with pytest.raises(TransitionError) as refused:
        workflow.freeze_technical(run.store, CHAIR, run.tid)
    assert "chair without a conflict with beta" in str(refused.value)
    assert "median" not in str(refused.value) and "differ" not in str(refused.value)
    panel.moderate(run.store, COCHAIR, run.tid, "beta", "sov.sov1_strategic", 2, "consensus")
    assert panel.panel(run.store, COCHAIR, run.tid).item("beta", "sov.sov1_strategic"
                                                         ).moderated == 2


def test_a_conflicted_chair_cannot_ask_or_answer_a_clarification_for_that_bidder(
        any_store: Store) -> None:
    run = cochaired(any_store).to("technical_evaluation")
    panel.declare(run.store, CHAIR, run.tid, "alpha", True, "shareholder of Alpha")
    run.to("clarification")
    with pytest.raises(PermissionDenied, match=r"conflict of interest with alpha.*clarification"):
        clarifications.request(run.store, CHAIR, run.tid, "alpha", "tech.managed_kubernetes",
                               "Do you offer managed Kubernetes?", DUE)
    rid = clarifications.request(run.store, COCHAIR, run.tid, "alpha",
                                 "tech.managed_kubernetes", "Do you offer it?", DUE)
    with pytest.raises(PermissionDenied, match=r"conflict of interest with alpha.*reply"):
        clarifications.record_reply(run.store, CHAIR, run.tid, rid, "Yes", True, DUE)
    assert clarifications.requests(run.store, CHAIR, run.tid) == []
    assert [r.id for r in clarifications.requests(run.store, COCHAIR, run.tid)] == [rid]
    assert all(i.offer != "alpha"
               for i in clarifications.candidates(run.store, CHAIR, run.tid, budget_s=2))


def test_a_chair_conflicted_with_the_winner_cannot_award_it(any_store: Store) -> None:
    run = cochaired(any_store).to("technical_evaluation")
    panel.declare(run.store, CHAIR, run.tid, "beta", True, "board member of Beta")
    run.score_all()
    panel.moderate(run.store, COCHAIR, run.tid, "beta", "sov.sov1_strategic", 2, "consensus")
    workflow.freeze_technical(run.store, CHAIR, run.tid)
    workflow.finish_evaluation(run.store, CHAIR, run.tid)
    assert run.leader() == "beta"
    with pytest.raises(PermissionDenied, match=f"another chair must \\({COCHAIR.name}\\)"):
        workflow.award(run.store, CHAIR, run.tid, "beta")
    workflow.award(run.store, COCHAIR, run.tid, "beta")
    assert run.state == "awarded"


def test_a_sole_chair_conflicted_with_the_winner_is_refused_plainly(any_store: Store) -> None:
    run = Agreed(any_store).to("technical_evaluation")
    panel.declare(run.store, CHAIR, run.tid, "beta", True, "board member of Beta")
    run.to("evaluated")
    assert run.leader() == "beta"
    with pytest.raises(PermissionDenied, match="no other chair without a conflict with beta"):
        workflow.award(run.store, CHAIR, run.tid, "beta")
    assert run.state == "evaluated"
