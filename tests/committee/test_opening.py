"""Issue 18, through the services: the opening by two signatures in two sessions, the bid
deadline and its audited extensions, salted envelope hashes revealed at opening, audited reads
of each envelope, the auditor role and the Audit log's readers, a clarification reply without
default value and its previewed effect, and conflicted members' copies of the ranking and of
the award report. Each on SQLite and PostgreSQL (``run``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from scoring.committee import (
    CommitteeError,
    PermissionDenied,
    Person,
    TransitionError,
    audit,
    bids,
    clarifications,
    opening,
    panel,
    report,
    workflow,
)
from scoring.committee.evaluation import ranking
from scoring.committee.models import Submission

from .conftest import ALICE, BIDDER, BOB, CHAIR, OBSERVER, Run, bid_offers

CAROL = Person("Carol Opener")
AUDITOR = Person("Ada Auditor")


def _actions(run: Run) -> list[str]:
    return [r.action for r in audit.records(run.store, run.tid)]


def _detail(run: Run, action: str) -> dict[str, object]:
    recs = [r for r in audit.records(run.store, run.tid) if r.action == action]
    assert recs, f"no {action} record"
    return dict(json.loads(recs[-1].detail_json))


# 1. opening by two, in two sessions -------------------------------------------------------


def test_opening_takes_two_signatures_of_two_designated_openers(run: Run) -> None:
    run.to("sealed")
    assert opening.sign_opening(run.store, ALICE, run.tid) == "signed"
    assert run.state == "sealed"  # one signature opens nothing
    st = opening.opening_status(run.store, run.tid)
    assert st.first == ALICE.name and "awaiting the confirmation" in st.text()
    assert BOB.name in st.text()
    assert workflow.view(run.store, run.tid).opening_first == ALICE.name
    with pytest.raises(TransitionError, match=r"already signed.*different designated opener"):
        opening.sign_opening(run.store, ALICE, run.tid)  # the same person twice
    with pytest.raises(TransitionError, match="not designated to open"):
        opening.sign_opening(run.store, CHAIR, run.tid)  # a member who is not an opener
    with pytest.raises(TransitionError, match="not designated to open"):
        opening.sign_opening(run.store, Person("Mallory"), run.tid)
    assert run.state == "sealed"
    assert opening.sign_opening(run.store, BOB, run.tid) == "opened"
    assert run.state == "opened"
    assert workflow.view(run.store, run.tid).opened_by == (ALICE.name, BOB.name)
    acts = _actions(run)
    assert acts.index("opening.signed") < acts.index("tender.opened")
    signed, opened = _detail(run, "opening.signed"), _detail(run, "tender.opened")
    assert signed["by"] == ALICE.name
    assert opened["opened_by"] == [ALICE.name, BOB.name] and opened["confirmed_by"] == BOB.name
    assert audit.verify(run.store).ok


def test_the_chair_alone_can_no_longer_open(run: Run) -> None:
    """The old one-click opening (the chair naming two openers) is gone: ``advance`` signs as
    the person acting, and the chair is no opener."""
    run.to("sealed")
    with pytest.raises(TransitionError, match="not designated"):
        workflow.advance(run.store, CHAIR, run.tid, "opened", openers=[ALICE, BOB])
    assert run.state == "sealed" and not hasattr(workflow, "open_bids")


def test_a_conflicted_opener_cannot_sign(run: Run) -> None:
    run.to("sealed")
    panel.declare(run.store, BOB, run.tid, "gamma", True, "former employee of Gamma")
    with pytest.raises(TransitionError, match="conflict of interest with gamma"):
        opening.sign_opening(run.store, BOB, run.tid)
    opening.sign_opening(run.store, ALICE, run.tid)
    with pytest.raises(TransitionError, match="conflict of interest with gamma"):
        opening.sign_opening(run.store, BOB, run.tid)  # nor confirm
    workflow.add_member(run.store, CHAIR, run.tid, CAROL.name, "evaluator", opener=True)
    assert opening.sign_opening(run.store, CAROL, run.tid) == "opened"
    assert workflow.view(run.store, run.tid).opened_by == (ALICE.name, CAROL.name)


def test_an_altered_bid_blocks_even_the_second_signature(run: Run) -> None:
    run.to("sealed")
    opening.sign_opening(run.store, ALICE, run.tid)
    with run.store.tx() as s:  # behind the application's back
        s.execute(update(Submission).where(Submission.offer_id == "alpha")
                  .values(technical_json="{}"))
    with pytest.raises(TransitionError, match=r"hash mismatch.*alpha"):
        opening.sign_opening(run.store, BOB, run.tid)
    assert run.state == "sealed"


# 3. the bid deadline ----------------------------------------------------------------------


def test_publication_needs_a_future_deadline(run: Run) -> None:
    with pytest.raises(TransitionError, match="set the bid deadline first"):
        workflow.publish(run.store, CHAIR, run.tid)
    past = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    with pytest.raises(CommitteeError, match="not in the future"):
        workflow.publish(run.store, CHAIR, run.tid, past)
    with pytest.raises(CommitteeError, match="time zone"):
        opening.set_deadline(run.store, CHAIR, run.tid, dt.datetime(2030, 1, 1))
    with pytest.raises(PermissionDenied, match="needs the role chair"):
        opening.set_deadline(run.store, ALICE, run.tid, run.deadline)
    opening.set_deadline(run.store, CHAIR, run.tid, run.deadline)
    workflow.publish(run.store, CHAIR, run.tid)  # the deadline set on the draft
    v = workflow.view(run.store, run.tid)
    assert v.bid_deadline == run.deadline.isoformat()
    assert _detail(run, "tender.published")["deadline"] == v.bid_deadline


def test_bids_after_the_deadline_are_refused_and_sealing_waits_for_it(run: Run) -> None:
    run.to("published")
    a, b = bid_offers()[:2]
    bids.submit_bid(run.store, BIDDER, run.tid, a, now=run.deadline - dt.timedelta(seconds=1))
    with pytest.raises(PermissionDenied, match=r"deadline passed.*beta is refused"):
        bids.submit_bid(run.store, BIDDER, run.tid, b, now=run.deadline)
    with pytest.raises(TransitionError, match="once the deadline has passed"):
        workflow.seal(run.store, CHAIR, run.tid)  # now: the deadline is a day ahead
    assert run.state == "published"
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    assert _detail(run, "tender.sealed")["deadline"] == run.deadline.isoformat()


def test_the_deadline_is_extended_only_by_the_chair_before_it_passes_with_a_reason(
        run: Run) -> None:
    run.to("published")
    later = run.deadline + dt.timedelta(days=2)
    with pytest.raises(PermissionDenied, match="needs the role chair"):
        opening.extend_deadline(run.store, ALICE, run.tid, later, "more time")
    with pytest.raises(CommitteeError, match="needs its reason"):
        opening.extend_deadline(run.store, CHAIR, run.tid, later, "  ")
    with pytest.raises(CommitteeError, match="never shortened"):
        opening.extend_deadline(run.store, CHAIR, run.tid,
                                run.deadline - dt.timedelta(hours=1), "earlier")
    with pytest.raises(TransitionError, match="can no longer be extended"):
        opening.extend_deadline(run.store, CHAIR, run.tid, later, "too late",
                                now=run.after_deadline)
    opening.extend_deadline(run.store, CHAIR, run.tid, later,
                            "Question 12 was corrected on the portal")
    # a bid that would have been late is now on time; sealing waits for the new deadline
    bids.submit_bid(run.store, BIDDER, run.tid, bid_offers()[0], now=run.after_deadline)
    with pytest.raises(TransitionError, match="once the deadline has passed"):
        workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    hist = opening.deadline_history(run.store, run.tid)
    assert [h.action for h in hist] == ["tender.published", "deadline.extended"]
    assert hist[1].previous == run.deadline.isoformat() and hist[1].deadline == later.isoformat()
    assert hist[1].reason == "Question 12 was corrected on the portal"
    assert hist[1].by == CHAIR.name  # authenticated: no label
    assert workflow.view(run.store, run.tid).bid_deadline == later.isoformat()
    assert audit.verify(run.store).ok


# 5. salted envelope hashes ----------------------------------------------------------------


def test_identical_envelopes_have_different_hashes_until_opening(run: Run) -> None:
    run.to("published")
    alpha = bid_offers()[0]
    twin = alpha.model_copy(update={"offer_id": "alpha-twin"})  # same prices, same answers
    r1 = bids.submit_bid(run.store, BIDDER, run.tid, alpha)
    r2 = bids.submit_bid(run.store, BIDDER, run.tid, twin)
    assert r1.price_sha256 != r2.price_sha256  # identical price envelopes, not visibly so
    with run.store.read() as s:
        rows = {b.offer_id: b for b in s.execute(select(Submission)).scalars()}
    assert rows["alpha"].price_json == rows["alpha-twin"].price_json
    salt = rows["alpha"].price_salt
    assert salt and len(salt) == 32 and salt != rows["alpha-twin"].price_salt
    assert r1.price_sha256 == bids.envelope_hash(salt, rows["alpha"].price_json)
    # nor in the audit log: the ledger digests a sealed envelope with its salt
    recs = [json.loads(r.rows_json or "{}") for r in audit.records(run.store, run.tid)
            if r.action == "bid.received"]
    digests = [next(iter(r["submissions"].values()))["price_json"] for r in recs]
    assert digests[0] != digests[1]
    # no salt in the log before opening
    log = " ".join(r.detail_json for r in audit.records(run.store, run.tid))
    assert salt not in log


def test_salts_are_revealed_at_opening_and_receipts_check(run: Run) -> None:
    run.to("published")
    offers = bid_offers()
    receipts = [bids.submit_bid(run.store, BIDDER, run.tid, o) for o in offers]
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    run.to("opened")
    tech_salts = _detail(run, "tender.opened")["technical_salts"]
    assert isinstance(tech_salts, dict) and set(tech_salts) == {"alpha", "beta", "gamma"}
    for o, r in zip(offers, receipts, strict=True):
        assert bids.receipt_holds(o, r, tech_salts[o.offer_id])
        assert not bids.receipt_holds(o, r, "0" * 32)  # a wrong salt does not
    assert "price_salts" not in json.dumps(_detail(run, "tender.opened"))
    run.to("clarification")  # the price envelopes open: their salts are revealed
    price_salts = _detail(run, "tender.clarification")["price_salts"]
    assert isinstance(price_salts, dict)
    for o, r in zip(offers, receipts, strict=True):
        assert bids.receipt_holds(o, r, tech_salts[o.offer_id], price_salts[o.offer_id])


# 2. reading is an audited act -------------------------------------------------------------


def test_each_read_of_each_envelope_is_recorded(run: Run) -> None:
    run.to("clarification")
    n = _actions(run).count("bid.read")
    view = bids.read_bid(run.store, ALICE, run.tid, "alpha")
    assert view.envelope == "technical" and view.prices is None and view.technical
    prices = bids.read_prices(run.store, ALICE, run.tid, "beta")
    assert prices[0]["price"] == 0.25
    reads = [r for r in audit.records(run.store, run.tid) if r.action == "bid.read"][n:]
    assert [(r.actor, json.loads(r.detail_json)) for r in reads] == [
        (ALICE.name, {"offer": "alpha", "envelope": "technical"}),
        (ALICE.name, {"offer": "beta", "envelope": "price"})]
    assert all(r.at for r in reads)
    with pytest.raises(CommitteeError, match="envelope must be one of"):
        bids.read_bid(run.store, ALICE, run.tid, "alpha", "both")


# 4. the auditor and the log's readers -----------------------------------------------------


def test_an_auditor_reads_everything_and_acts_on_nothing(run: Run) -> None:
    workflow.add_member(run.store, CHAIR, run.tid, AUDITOR.name, "auditor")
    with pytest.raises(CommitteeError, match="acts on nothing"):
        workflow.add_member(run.store, CHAIR, run.tid, "Ann Other", "auditor", opener=True)
    with pytest.raises(PermissionDenied):
        workflow.publish(run.store, AUDITOR, run.tid, run.deadline)
    run.to("clarification")
    assert audit.member_records(run.store, AUDITOR, run.tid)
    assert "Report on the analysis of the offers" in report.award_markdown(run.store, AUDITOR,
                                                                         run.tid)
    assert panel.panel(run.store, AUDITOR, run.tid).items
    assert clarifications.requests(run.store, AUDITOR, run.tid) == []
    for act in (lambda: bids.read_bid(run.store, AUDITOR, run.tid, "alpha"),
                lambda: panel.declare(run.store, AUDITOR, run.tid, "alpha", False),
                lambda: panel.moderate(run.store, AUDITOR, run.tid, "beta",
                                       "sov.sov1_strategic", 2, "x"),
                lambda: clarifications.request(run.store, AUDITOR, run.tid, "beta",
                                               "tech.managed_kubernetes", "?",
                                               dt.date(2030, 1, 1)),
                lambda: workflow.finish_evaluation(run.store, AUDITOR, run.tid)):
        with pytest.raises(PermissionDenied):
            act()


def test_the_log_is_for_members_and_auditors_only(run: Run) -> None:
    with pytest.raises(PermissionDenied, match="not a member or auditor"):
        audit.member_records(run.store, Person("Mallory"), run.tid)
    assert audit.member_records(run.store, OBSERVER, run.tid)


# 7. a clarification reply has no default value, and its effect is shown first ------------


def test_a_reply_without_value_is_refused_and_its_effect_is_previewed(run: Run) -> None:
    run.to("clarification")
    rid = clarifications.request(run.store, CHAIR, run.tid, "beta", "tech.managed_kubernetes",
                                 "Managed Kubernetes?", dt.date(2030, 5, 15))
    for empty in (None, "", "  "):
        with pytest.raises(CommitteeError, match="no default answer"):
            clarifications.preview_reply(run.store, CHAIR, run.tid, rid, empty)
        with pytest.raises(CommitteeError, match="no default answer"):
            clarifications.record_reply(run.store, CHAIR, run.tid, rid, "Yes", empty,
                                        dt.date(2030, 5, 1))
    n = len(audit.records(run.store))
    eff = clarifications.preview_reply(run.store, CHAIR, run.tid, rid, True)
    assert len(audit.records(run.store)) == n  # a preview writes nothing
    req = clarifications.record_reply(run.store, CHAIR, run.tid, rid, "Yes", True,
                                      dt.date(2030, 5, 1))
    row = next(r for r in req.rank_after["results"] if r["offer"] == "beta")  # type: ignore[index]
    before = next(r for r in req.rank_before["results"] if r["offer"] == "beta")
    assert (eff.total_after, eff.rank_after) == (row["total"], row["rank"])
    assert (eff.total_before, eff.rank_before) == (before["total"], before["rank"])
    assert eff.total_after != eff.total_before  # the reply moves beta: the chair sees it
    assert eff.text().startswith(f"beta: total {eff.total_before:.2f}, rank {eff.rank_before} "
                                 f"→ total {eff.total_after:.2f}, rank {eff.rank_after}")


# 9. a conflicted member's ranking and award report ---------------------------------------


def test_a_conflicted_member_gets_no_detail_of_that_bidder(run: Run) -> None:
    workflow.add_member(run.store, CHAIR, run.tid, "Otto Observer", "observer")
    otto = Person("Otto Observer")
    run.to("opened")
    for o in ("alpha", "beta"):
        panel.declare(run.store, otto, run.tid, o, False)
    panel.declare(run.store, otto, run.tid, "gamma", True, "shareholder of Gamma")
    run.to("clarification")
    rid = clarifications.request(run.store, CHAIR, run.tid, "beta", "tech.managed_kubernetes",
                                 "Managed Kubernetes?", dt.date(2030, 5, 15))
    clarifications.record_reply(run.store, CHAIR, run.tid, rid, "Yes", True,
                                dt.date(2030, 5, 1))
    workflow.finish_evaluation(run.store, CHAIR, run.tid, today=dt.date(2030, 6, 1))
    full = report.award_markdown(run.store, CHAIR, run.tid)
    mine = report.award_markdown(run.store, otto, run.tid)
    assert "gamma" in full and "shareholder of Gamma" in full
    assert "Withheld from this copy: every detail of gamma" in mine
    body = mine.split("Withheld from this copy", 1)[1].split("\n", 1)[1]
    assert "gamma" not in body.lower()
    # the ranking rows a conflicted member sees (clarifications) leave gamma out
    (req,) = clarifications.requests(run.store, otto, run.tid)
    assert all(r["offer"] != "gamma" for r in req.rank_before["results"])
    assert req.rank_before["withheld"] == ["gamma"]
    with pytest.raises(PermissionDenied, match="conflict of interest with gamma"):
        ranking(run.store, otto, run.tid)
    assert ranking(run.store, CHAIR, run.tid).results
    # and the log's records about gamma keep their place but not their detail
    rows = audit.member_records(run.store, otto, run.tid)
    about = [r for r in rows if r.detail.startswith("withheld: about gamma")]
    assert {r.action for r in about} >= {"bid.received", "interest.declared"}
    assert all("former employee" not in r.detail for r in rows)
    assert any("former employee" in r.detail
               for r in audit.member_records(run.store, CHAIR, run.tid))
