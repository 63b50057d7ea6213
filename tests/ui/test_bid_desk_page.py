"""The Tender page's bid desk on a shared server (``scoring.committee.desk``), through AppTest
with ``st.user`` seeded: the logged-in chair gets the forms to record bids and attach their
documents, and the record names them; an evaluator gets no form, only who records bids; in
local mode the "bid desk" at the keyboard records as before."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.committee import Person, Store, audit, bids, membership, workflow
from tests.committee.conftest import QUESTIONS, SCENARIO, bid_offers
from tests.committee.test_membership import CHAIR_A
from tests.ui.test_committee_pages import texts
from tests.ui.test_login_pages import claims, page

CHAIR = claims("sub-a", "claire@example.org", "Claire Chair")
EVALUATOR = claims("sub-b", "bob@example.org", "Bob Evaluator")
WHO_RECORDS = "Bids and their documents are recorded by a chair of the tender, logged in"
DESK_FORMS = ("Record the bids", "Attach the documents")


def publish(s: Store) -> int:
    tid = workflow.create_tender(s, CHAIR_A, "Shared cloud host", SCENARIO, QUESTIONS)
    membership.invite(s, CHAIR_A, tid, "bob@example.org", "evaluator")
    workflow.publish(s, CHAIR_A, tid, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    return tid


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, int]]:
    url = f"sqlite:///{tmp_path / 'committee.sqlite3'}"
    monkeypatch.setenv("HOSTWISE_DB_URL", url)
    monkeypatch.setenv("HOSTWISE_REQUIRE_LOGIN", "1")
    s = Store(url)
    yield s, publish(s)
    s.dispose()


def test_the_logged_in_chair_records_bids_named_in_the_log(shared: tuple[Store, int]) -> None:
    store, tid = shared
    at = page("tender", CHAIR)
    assert not at.exception, [e.value for e in at.exception]
    assert WHO_RECORDS not in texts(at)
    picker = at.multiselect(key="c.bids.pick")
    offer = picker.options[0]
    picker.set_value([offer])
    at = next(b for b in at.button if b.label == "Record the bids").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "1 bid recorded, sealed." in texts(at)
    [r] = [r for r in audit.records(store, tid) if r.action == "bid.received"]
    assert (r.actor, r.authenticated) == ("claire@example.org", True)
    detail = json.loads(r.detail_json)
    assert (detail["offer"], detail["recorded_by"]) == (offer, "claire@example.org")
    assert detail["note"].startswith(f"recorded for bidder {detail['vendor']} ({offer}) by "
                                     "Claire Chair (claire@example.org)")
    # with a bid received, the documents' form too (the chair is the bid desk)
    at = page("tender", CHAIR)
    assert [b.label for b in at.button if b.label in DESK_FORMS] == list(DESK_FORMS)


def test_an_evaluator_gets_no_bid_desk_form(shared: tuple[Store, int]) -> None:
    store, tid = shared
    bids.submit_bid(store, CHAIR_A, tid, bid_offers()[0])
    at = page("tender", EVALUATOR)
    assert not at.exception, [e.value for e in at.exception]
    assert "Logged in as Bob Evaluator" in texts(at) and "alpha" in texts(at)
    assert WHO_RECORDS in texts(at)
    assert not [b for b in at.button if b.label in DESK_FORMS]
    assert not [m for m in at.multiselect if m.key == "c.bids.pick"]
    assert not at.get("file_uploader")


def test_local_mode_keeps_the_bid_desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    monkeypatch.setenv("HOSTWISE_DB_URL", url)
    monkeypatch.delenv("HOSTWISE_REQUIRE_LOGIN", raising=False)
    store = Store(url)
    try:
        tid = workflow.create_tender(store, Person("Dana Chair"), "Laptop", SCENARIO, QUESTIONS)
        workflow.publish(store, Person("Dana Chair"), tid,
                         dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
        at = page("tender", None, auth=False, typed="Dana Chair")
        picker = at.multiselect(key="c.bids.pick")
        picker.set_value([picker.options[0]])
        at = next(b for b in at.button if b.label == "Record the bids").click().run()
        assert not at.exception, [e.value for e in at.exception]
        [r] = [r for r in audit.records(store, tid) if r.action == "bid.received"]
        assert (r.actor, r.authenticated) == ("bid desk", False)
    finally:
        store.dispose()
