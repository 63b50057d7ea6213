"""The state machine through the services: every illegal step refused with its reason, the
four-eyes opening, role checks, and the publication frozen and hashed."""

from __future__ import annotations

import json

import pytest

from scoring.committee import (
    CommitteeError,
    PermissionDenied,
    Person,
    Store,
    TransitionError,
    bids,
    opening,
    workflow,
)
from scoring.committee.access import STATES
from scoring.errors import ScenarioError
from scoring.scenario.load import parse_scenario_doc

from .conftest import ALICE, BIDDER, BOB, CHAIR, OBSERVER, SCENARIO, Run, bid_offers


def test_the_transition_table_allows_only_the_next_step() -> None:
    for i, cur in enumerate(STATES):
        for target in STATES:
            if i + 1 < len(STATES) and target == STATES[i + 1]:
                workflow.check_transition(cur, target)
            else:
                with pytest.raises(TransitionError, match=f"cannot go from {cur} to {target}"):
                    workflow.check_transition(cur, target)


@pytest.mark.parametrize("state", STATES)
def test_every_illegal_transition_is_refused_through_the_services(run: Run, state: str) -> None:
    run.to(state)
    for target in STATES:
        if target == workflow.next_state(state):
            continue
        with pytest.raises(TransitionError) as info:
            workflow.advance(run.store, CHAIR, run.tid, target, openers=[ALICE, BOB],
                             offer_id="alpha")
        assert "cannot go from" in str(info.value)
        assert run.state == state  # nothing moved


def test_roles_are_checked_in_the_services(run: Run) -> None:
    with pytest.raises(PermissionDenied, match="needs the role chair"):
        workflow.publish(run.store, ALICE, run.tid)
    with pytest.raises(PermissionDenied, match="not a member"):
        workflow.publish(run.store, Person("Mallory"), run.tid)
    with pytest.raises(PermissionDenied, match="is observer"):
        workflow.add_member(run.store, OBSERVER, run.tid, "Eve", "chair")
    assert run.state == "draft"


def test_publication_freezes_and_hashes_the_scenario(run: Run) -> None:
    h = workflow.publish(run.store, CHAIR, run.tid, run.deadline)
    v = workflow.view(run.store, run.tid)
    assert v.published_hash == h and len(h) == 64
    sc = parse_scenario_doc(SCENARIO)
    from scoring.committee.models import Tender
    with run.store.read() as s:
        t = s.get(Tender, run.tid)
        assert t is not None and t.published_canonical
        pub = json.loads(t.published_canonical)
    assert pub["scenario_hash"] == sc.hash
    assert pub["questions"] == [{"id": "sov.sov1_strategic", "scale": "0-4"},
                                {"id": "sov.sov2_legal", "scale": "0-4"}]
    with pytest.raises(TransitionError, match="only when draft"):
        workflow.update_draft(run.store, CHAIR, run.tid, v.version, title="changed")


def test_an_invalid_scenario_cannot_be_published(run: Run) -> None:
    v = workflow.view(run.store, run.tid)
    workflow.update_draft(run.store, CHAIR, run.tid, v.version,
                          scenario={**SCENARIO, "method": "nonsense"})
    with pytest.raises(ScenarioError, match="unknown method"):
        workflow.publish(run.store, CHAIR, run.tid, run.deadline)
    assert run.state == "draft"


def test_unscorable_questions_are_refused_at_publication(run: Run) -> None:
    v = workflow.view(run.store, run.tid)
    workflow.update_draft(run.store, CHAIR, run.tid, v.version,
                          questions=["cert.hds", "no.such"])
    with pytest.raises(CommitteeError, match=r"cert\.hds: a bool question.*no\.such: not a"):
        workflow.publish(run.store, CHAIR, run.tid, run.deadline)


def test_bids_only_while_published_and_not_twice(run: Run) -> None:
    a = bid_offers()[0]
    with pytest.raises(TransitionError, match="receive a bid while the tender is draft"):
        bids.submit_bid(run.store, BIDDER, run.tid, a)
    workflow.publish(run.store, CHAIR, run.tid, run.deadline)
    r = bids.submit_bid(run.store, BIDDER, run.tid, a)
    assert len(r.technical_sha256) == 64 and r.technical_sha256 != r.price_sha256
    with pytest.raises(CommitteeError, match="already received"):
        bids.submit_bid(run.store, BIDDER, run.tid, a)
    with pytest.raises(PermissionDenied, match="record a bid"):  # the bid desk's rule: test_desk
        bids.submit_bid(run.store, ALICE, run.tid, bid_offers()[1])
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    with pytest.raises(TransitionError, match="while the tender is sealed"):
        bids.submit_bid(run.store, BIDDER, run.tid, bid_offers()[1])


def test_sealing_without_any_bid_is_refused(run: Run) -> None:
    workflow.publish(run.store, CHAIR, run.tid, run.deadline)
    with pytest.raises(TransitionError, match="received no bid"):
        workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)


def test_a_bid_altered_after_sealing_blocks_the_opening(run: Run) -> None:
    run.to("sealed")
    from sqlalchemy import update

    from scoring.committee.models import Submission
    with run.store.tx() as s:
        s.execute(update(Submission).where(Submission.offer_id == "beta")
                  .values(price_json="[]"))
    with pytest.raises(TransitionError, match=r"hash mismatch.*beta"):
        opening.sign_opening(run.store, ALICE, run.tid)


def test_technical_evaluation_waits_for_every_declaration(run: Run) -> None:
    run.to("opened")
    from scoring.committee import panel
    panel.declare(run.store, ALICE, run.tid, "alpha", False)
    with pytest.raises(TransitionError, match="declare interests first.*Alice Evaluator "
                       r"\(beta, gamma\)"):
        workflow.start_technical(run.store, CHAIR, run.tid)


def test_awarding_another_than_the_leader_needs_a_reason(run: Run) -> None:
    run.to("evaluated")
    rank = json.loads(_final(run))
    second = next(r["offer"] for r in rank["results"] if r["rank"] == 2)
    excluded = next(r["offer"] for r in rank["results"] if not r["eligible"])
    with pytest.raises(TransitionError, match="excluded by hds"):
        workflow.award(run.store, CHAIR, run.tid, excluded)
    with pytest.raises(TransitionError, match="needs a written reason"):
        workflow.award(run.store, CHAIR, run.tid, second)
    workflow.award(run.store, CHAIR, run.tid, second, "tie-break by the quality plan")
    assert run.state == "awarded"


def test_awarding_an_undetermined_offer_says_which_gate_is_unknown(
        sqlite_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scenario's immunity gate (as in the bundled HDH scenario) and no SecNumCloud answer
    from any bidder: the final ranking leaves the bids undetermined, and the refusal names the
    gate and the unknown answer (it once said "excluded by" and named nothing)."""
    from tests.committee.conftest import BIDDER

    monkeypatch.setitem(SCENARIO, "missing_policy", "uncertain")  # unknowns stay open
    monkeypatch.setitem(SCENARIO, "gates", [*SCENARIO["gates"], {
        "id": "immunity", "kind": "immunity", "mode": "qualified_or_in_process",
        "label": "SecNumCloud qualified or in process", "reason": "SREN art. 31"}])
    run = Run(sqlite_store).to("published")
    for o in bid_offers():
        bids.submit_bid(run.store, BIDDER, run.tid, o)
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    run.to("evaluated")
    row = next(r for r in json.loads(_final(run))["results"] if r["offer"] == "alpha")
    assert (row["eligible"], row["excluded_by"]) == (False, [])
    with pytest.raises(TransitionError, match=r"^alpha is not shown eligible.*undetermined: "
                       r"immunity \(unknown: cert\.secnumcloud\)") as e:
        workflow.award(run.store, CHAIR, run.tid, "alpha", "a reason")
    assert "excluded by" not in str(e.value)


def _final(run: Run) -> str:
    from scoring.committee.models import Tender
    with run.store.read() as s:
        t = s.get(Tender, run.tid)
        assert t is not None and t.final_rank_json
        return t.final_rank_json
