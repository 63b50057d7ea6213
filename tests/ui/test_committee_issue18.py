"""Issue 18 on the committee pages (AppTest): the member form starts empty after each
designation, the Audit page refuses visitors who are not members or auditors, a bid is shown
only after its reading button (and each reading is in the log), the deadline and its extensions
are shown to every member, and the notice that the tender moved on."""

from __future__ import annotations

import json

from scoring.committee import Store, audit, opening, workflow
from scoring.committee.workflow import Pulse
from tests.committee.conftest import ALICE, BOB, CHAIR, OBSERVER, Run
from tests.ui.support import click, ok, page, texts
from ui.components.tender_watch import notice_text


def test_the_member_form_starts_empty_after_each_designation(store: Store) -> None:
    run = Run(store)
    at = page("tender", CHAIR.name)
    at.text_input(key="c.m.name").set_value("Olly Opener")
    at.checkbox(key="c.m.opener").check()
    at = click(at, "Designate")
    ok(at)
    assert "Olly Opener was designated evaluator, may open the bids." in texts(at)
    assert at.checkbox(key="c.m.opener").value is False
    assert at.text_input(key="c.m.name").value == ""
    at.text_input(key="c.m.name").set_value("Nora Nonopener")
    at = click(at, "Designate")
    members = {n: op for n, _r, op in workflow.view(store, run.tid).members}
    assert members["Olly Opener"] is True and members["Nora Nonopener"] is False
    # a refused designation keeps what was typed
    at.text_input(key="c.m.name").set_value("Nora Nonopener")
    at = click(at, "Designate")
    assert "already a member" in texts(at)
    assert at.text_input(key="c.m.name").value == "Nora Nonopener"


def test_the_audit_page_is_for_members_and_auditors(store: Store) -> None:
    run = Run(store)
    workflow.add_member(store, CHAIR, run.tid, "Ada Auditor", "auditor")
    for who in (None, "Mallory Visitor"):
        at = page("audit", who)
        ok(at)
        assert "for the tender's members and auditors" in texts(at)
        assert not at.dataframe and "tender.created" not in texts(at)
    for who in ("Ada Auditor", OBSERVER.name, ALICE.name):
        at = page("audit", who)
        ok(at)
        assert "tender.created" in texts(at) and "member.added" in texts(at)
    labels = [b.proto.label for b in page("audit", "Ada Auditor").get("download_button")]
    assert "Award report (Markdown)" in labels  # the auditor reads the report too


def _reads(store: Store, tid: int) -> list[tuple[str, dict[str, str]]]:
    return [(r.actor, json.loads(r.detail_json)) for r in audit.records(store, tid)
            if r.action == "bid.read"]


def test_a_bid_is_shown_only_after_its_reading_button(store: Store) -> None:
    run = Run(store).to("technical_evaluation")
    at = page("evaluate", ALICE.name)
    ok(at)
    assert not at.code and _reads(store, run.tid) == []
    assert "price envelope closed" in texts(at)
    at = click(at, "Read the technical envelope of alpha")
    ok(at)
    assert len(at.code) == 1 and '"answers"' in at.code[0].value
    assert _reads(store, run.tid) == [(ALICE.name, {"offer": "alpha", "envelope": "technical"})]
    at = at.run()  # a rerun shows what was read without reading (recording) it again
    assert len(at.code) == 1 and len(_reads(store, run.tid)) == 1
    bob = page("evaluate", BOB.name)  # Bob declared a conflict with gamma: no button for it
    assert not [b for b in bob.button if b.label.endswith("of gamma")]


def test_the_deadline_and_its_extensions_are_shown_to_every_member(store: Store) -> None:
    run = Run(store).to("published")
    at = page("tender", CHAIR.name)
    assert f"Bids are received until {run.deadline.isoformat()} (UTC): still ahead." in texts(at)
    at.text_area(key="c.ext.reason").set_value("The portal was down for a day")
    at = click(at, "Extend the deadline")
    ok(at)
    new = workflow.view(store, run.tid).bid_deadline
    assert new is not None and new > run.deadline.isoformat()
    bob = page("tender", BOB.name)
    shown = texts(bob)
    assert "The portal was down for a day" in shown and "extended" in shown
    assert run.deadline.isoformat() in shown and new in shown
    assert not [b for b in bob.button if b.label == "Extend the deadline"]  # the chair's act


def test_the_notice_says_who_moved_the_tender_on() -> None:
    assert notice_text("sealed", 5, Pulse(5, "sealed", "Alice", "opening.signed")) is None
    assert notice_text("sealed", 5, Pulse(7, "opened", "Bob Evaluator (not authenticated)",
                                          "tender.opened")) == (
        "The tender moved on (state sealed → opened by Bob Evaluator (not authenticated)): "
        "reload the page.")
    assert "opening.signed by Alice" in (
        notice_text("sealed", 5, Pulse(6, "sealed", "Alice", "opening.signed")) or "")


def test_the_pulse_is_the_tender_now_and_its_last_act(store: Store) -> None:
    run = Run(store).to("sealed")
    p = workflow.pulse(store, run.tid)
    assert (p.state, p.action, p.by) == ("sealed", "tender.sealed", CHAIR.name)
    opening.sign_opening(store, ALICE, run.tid)
    q = workflow.pulse(store, run.tid)
    assert q.version > p.version and q.by == ALICE.label and q.action == "opening.signed"
    assert notice_text("sealed", p.version, q) is not None
