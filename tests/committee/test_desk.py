"""The bid desk (``scoring.committee.desk``): on a shared server a bid and its documents are
recorded by a logged-in chair of the tender or by the server's operator (command line), and the
audit record names the recorder and the bidder; everyone else (evaluator, observer, auditor,
a logged-in outsider, anyone not logged in) is refused with a plain reason. In local mode the
"bid desk" at the keyboard stays. The command line acts as the operator on a shared store and
refuses a typed ``--as`` there (exit 2). Shared stores: PostgreSQL, and SQLite with
``HOSTWISE_REQUIRE_LOGIN=1``."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.cli.main import main
from scoring.committee import (
    CommitteeError,
    PermissionDenied,
    Person,
    Store,
    audit,
    bids,
    desk,
    documents,
    membership,
    workflow,
)
from scoring.committee.identity import operator
from scoring.committee.models import AuditRecord

from .conftest import QUESTIONS, SCENARIO, bid_offers
from .test_documents import PDF
from .test_membership import CHAIR_A, login

EVALUATOR = login("sub-e", "eve@example.org", name="Eve Evaluator")
OBSERVER = login("sub-o", "olga@example.org", name="Olga Observer")
AUDITOR = login("sub-u", "ursula@example.org", name="Ursula Auditor")
OUTSIDER = login("sub-x", "xavier@example.org", name="Xavier Outsider")
SECOND_CHAIR = login("sub-s", "sam@example.org", name="Sam Chair")
OPERATOR = operator("hostwise-admin")


@pytest.fixture(params=["sqlite-require-login", "postgresql"])
def shared(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    """A shared store: PostgreSQL, or an SQLite file the administrator declared shared."""
    if request.param == "postgresql":
        store: Store = request.getfixturevalue("pg_store")
        yield store
        return
    monkeypatch.setenv(membership.REQUIRE_LOGIN, "1")
    store = Store(f"sqlite:///{tmp_path / 'shared.sqlite3'}")
    yield store
    store.dispose()


def published(store: Store) -> int:
    """A published tender with every role bound to its log-in (a second chair too)."""
    tid = workflow.create_tender(store, CHAIR_A, "Shared cloud host", SCENARIO, QUESTIONS)
    for who, role in ((EVALUATOR, "evaluator"), (OBSERVER, "observer"),
                      (AUDITOR, "auditor"), (SECOND_CHAIR, "chair")):
        assert who.email is not None
        membership.invite(store, CHAIR_A, tid, who.email, role)
        assert membership.bind(store, who) == [tid]
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
    workflow.publish(store, CHAIR_A, tid, deadline)
    return tid


def received(store: Store, tid: int) -> list[AuditRecord]:
    return [r for r in audit.records(store, tid)
            if r.action in ("bid.received", "document.attached")]


def test_the_store_says_whether_it_is_shared(shared: Store) -> None:
    assert desk.shared(shared)


def test_on_a_shared_server_only_a_logged_in_chair_or_the_operator_records(
        shared: Store) -> None:
    tid = published(shared)
    alpha, beta, gamma = bid_offers()
    refusals = {
        EVALUATOR: r"eve@example.org\) is evaluator: only a chair of the tender, logged in, "
                   r"or the server's operator \(command line\) can record a bid",
        OBSERVER: "is observer: only a chair",
        AUDITOR: "is auditor: only a chair",
        OUTSIDER: "is not a member of this tender: only a chair",
        Person("bid desk"): r"bid desk \(not authenticated\) is not logged in: on a shared "
                            "server only a chair",
        Person("Claire Chair", authenticated=True): "is not logged in",  # no subject
        Person("claire@example.org"): "is not logged in",  # the chair's key, typed
    }
    for who, why in refusals.items():
        with pytest.raises(PermissionDenied, match=why):
            bids.submit_bid(shared, who, tid, alpha)
    assert bids.receipts(shared, tid) == [] and received(shared, tid) == []

    bids.submit_bid(shared, CHAIR_A, tid, alpha)
    bids.submit_bid(shared, OPERATOR, tid, beta)
    bids.submit_bid(shared, SECOND_CHAIR, tid, gamma)
    recs = received(shared, tid)
    assert [(r.actor, r.authenticated) for r in recs] == [
        ("claire@example.org", True), (OPERATOR.name, False), ("sam@example.org", True)]
    said = [json.loads(r.detail_json) for r in recs]
    assert [(d["offer"], d["vendor"], d["recorded_by"], d["as"]) for d in said] == [
        ("alpha", alpha.vendor_name, "claire@example.org", desk.AS_CHAIR),
        ("beta", beta.vendor_name, OPERATOR.name, desk.AS_OPERATOR),
        ("gamma", gamma.vendor_name, "sam@example.org", desk.AS_CHAIR)]
    assert said[0]["note"] == (f"recorded for bidder {alpha.vendor_name} (alpha) by Claire "
                               "Chair (claire@example.org), chair of the tender (logged in)")
    assert said[1]["note"].endswith(f"by {OPERATOR.name} (not authenticated), the server's "
                                    "operator (command line)")
    # the member key in the record is the one bound to the provider's subject
    bound = {json.loads(r.detail_json)["member"]: json.loads(r.detail_json)["subject"]
             for r in audit.records(shared, tid) if r.action == "member.bound"}
    assert bound["sam@example.org"] == "sub-s"
    assert audit.verify(shared).ok


def test_documents_follow_the_same_rule(shared: Store) -> None:
    tid = published(shared)
    bids.submit_bid(shared, OPERATOR, tid, bid_offers()[0])
    for who, why in ((EVALUATOR, "is evaluator: only a chair"),
                     (AUDITOR, "is auditor: only a chair"),
                     (OUTSIDER, "is not a member of this tender"),
                     (Person("bid desk"), "is not logged in")):
        with pytest.raises(PermissionDenied, match=why + ".*can attach documents to a bid"):
            documents.attach(shared, who, tid, "alpha", "memoire.pdf", PDF)
    # a chair attaches to the bid the operator recorded (the desk, not one typed name)
    d = documents.attach(shared, CHAIR_A, tid, "alpha", "memoire.pdf", PDF)
    documents.attach(shared, OPERATOR, tid, "alpha", "annexe.pdf", PDF)
    recs = [r for r in received(shared, tid) if r.action == "document.attached"]
    assert [(r.actor, r.authenticated) for r in recs] == [("claire@example.org", True),
                                                           (OPERATOR.name, False)]
    first = json.loads(recs[0].detail_json)
    assert (first["document"], first["offer"], first["vendor"], first["recorded_by"]) == (
        d.id, "alpha", bid_offers()[0].vendor_name, "claire@example.org")
    assert audit.verify(shared).ok


def test_local_mode_keeps_the_bid_desk_at_the_keyboard(sqlite_store: Store) -> None:
    assert not desk.shared(sqlite_store)
    tid = workflow.create_tender(sqlite_store, Person("Claire Chair"), "Laptop tender",
                                 SCENARIO, QUESTIONS)
    workflow.add_member(sqlite_store, Person("Claire Chair"), tid, "Alice", "evaluator")
    workflow.publish(sqlite_store, Person("Claire Chair"), tid,
                     dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied, match=r"Alice \(not authenticated\) is a "
                                               "committee member and cannot record a bid"):
        bids.submit_bid(sqlite_store, Person("Alice"), tid, bid_offers()[0])
    bids.submit_bid(sqlite_store, Person("bid desk"), tid, bid_offers()[0])
    [rec] = received(sqlite_store, tid)
    assert (rec.actor, rec.authenticated) == ("bid desk", False)
    assert json.loads(rec.detail_json)["as"] == desk.AS_LOCAL


def test_the_operator_s_name_is_reserved(sqlite_store: Store) -> None:
    """No typed name, member or sidebar name reads as the operator's."""
    assert OPERATOR.operator and OPERATOR.name == "operator (command line): hostwise-admin"
    for typed in ("operator (command line): bob", "Operator (Command Line): bob",
                  "operator(command line)"):
        with pytest.raises(CommitteeError, match="reserved to the server's operator"):
            Person(typed)
    with pytest.raises(CommitteeError, match="not logged in"):
        Person("operator (command line): x", authenticated=True, operator=True)
    tid = workflow.create_tender(sqlite_store, Person("Claire Chair"), "Laptop tender",
                                 SCENARIO, QUESTIONS)
    with pytest.raises(CommitteeError, match="reserved"):
        workflow.add_member(sqlite_store, Person("Claire Chair"), tid,
                            "operator (command line): root", "chair")


def test_the_cli_on_a_shared_store_is_the_operator(shared: Store, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    tid = published(shared)
    bids.submit_bid(shared, CHAIR_A, tid, bid_offers()[0])
    pdf = tmp_path / "memoire.pdf"
    pdf.write_bytes(PDF)
    base = ["--db", shared.url, str(tid)]
    for argv in (["bid", "attach", *base, "alpha", str(pdf), "--as", "claire@example.org"],
                 ["bid", "documents", *base, "--as", "Claire Chair"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert "--as is refused on a shared store" in err and "leave out --as" in err, err
    assert documents.listing(shared, None, tid) == []  # nothing was attached
    assert main(["bid", "attach", *base, "alpha", str(pdf)]) == 0
    me = f"operator (command line): {getpass.getuser()}"
    assert f"attached by {me} (not authenticated)" in capsys.readouterr().out
    [rec] = [r for r in received(shared, tid) if r.action == "document.attached"]
    assert (rec.actor, rec.authenticated, json.loads(rec.detail_json)["as"]) == (
        me, False, desk.AS_OPERATOR)
    assert main(["bid", "documents", *base]) == 0
    assert "alpha\tmemoire.pdf" in capsys.readouterr().out
