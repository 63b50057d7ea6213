"""Members on a shared server (issue 18): a log-in is keyed by the provider's issuer and subject,
never by a name; the chair invites an e-mail; the first log-in with that verified e-mail binds
the membership (audited ``member.bound``); afterwards another subject with the same e-mail gets
nothing; a logged-in person sees only their own tenders. On SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from alembic import command
from sqlalchemy import inspect, select, text

from scoring.committee import (
    PermissionDenied,
    Person,
    Store,
    audit,
    membership,
    opening,
    panel,
    workflow,
)
from scoring.committee.errors import CommitteeError
from scoring.committee.identity import from_claims
from scoring.committee.models import AuditHead, AuditRecord

from .conftest import QUESTIONS, SCENARIO, Run

ISS = "https://idp.example.org"


def login(sub: str, email: str | None, verified: bool = True, name: str | None = None,
          iss: str = ISS) -> Person:
    claims: dict[str, object] = {"iss": iss, "sub": sub, "is_logged_in": True}
    if email is not None:
        claims |= {"email": email, "email_verified": verified}
    if name is not None:
        claims["name"] = name
    return from_claims(claims)


CHAIR_A = login("sub-a", "claire@example.org", name="Claire Chair")
EVAL_B = login("sub-b", "bob@example.org", name="Bob Evaluator")
OTHER_C = login("sub-c", "carol@example.org", name="Carol Outsider")


def tender(store: Store, who: Person = CHAIR_A, title: str = "Shared cloud host") -> int:
    return workflow.create_tender(store, who, title, SCENARIO, QUESTIONS)


def test_a_log_in_is_keyed_by_issuer_and_subject() -> None:
    b = EVAL_B
    assert (b.issuer, b.subject, b.email, b.display) == (ISS, "sub-b", "bob@example.org",
                                                         "Bob Evaluator")
    assert b.name == "bob@example.org" and b.authenticated
    assert b.label == "Bob Evaluator (bob@example.org)"
    # an e-mail the provider does not vouch for is neither a key nor shown as one
    u = login("sub-u", "bob@example.org", verified=False, name="Bob Evaluator")
    assert u.email is None and u.name.startswith("oidc-") and "bob" not in u.name
    # the same subject at another provider is another person
    assert login("sub-b", None).name != login("sub-b", None, iss="https://other.example").name
    # a display name with a right-to-left override is dropped, not shown
    assert login("sub-x", "x@example.org", name="Bob\u202eEvil").display is None
    with pytest.raises(CommitteeError, match="'sub'"):
        from_claims({"iss": ISS, "email": "bob@example.org", "email_verified": True})
    with pytest.raises(CommitteeError, match="'iss'"):
        from_claims({"sub": "x"})
    with pytest.raises(CommitteeError, match="issuer, a subject"):
        Person("x", authenticated=False, issuer=ISS, subject="s")


def test_login_is_required_on_a_shared_store() -> None:
    assert not membership.login_required("sqlite:////tmp/c.sqlite3", {})
    assert membership.login_required("postgresql+psycopg://u@h/db", {})
    assert membership.login_required("sqlite:////tmp/c.sqlite3", {"HOSTWISE_REQUIRE_LOGIN": "1"})
    assert not membership.login_required("sqlite:////tmp/c.sqlite3",
                                         {"HOSTWISE_REQUIRE_LOGIN": "0"})


def test_invitation_is_bound_at_the_first_log_in_only(any_store: Store) -> None:
    tid = tender(any_store)
    assert membership.role(any_store, CHAIR_A, tid) == "chair"
    assert membership.invite(any_store, CHAIR_A, tid, " Bob@Example.org ", "evaluator",
                             opener=True) == "bob@example.org"
    # before binding nobody acts as the invitation: not the invitee, not a typed name
    assert membership.role(any_store, EVAL_B, tid) is None
    assert membership.role(any_store, Person("bob@example.org"), tid) is None
    # an unverified e-mail binds nothing
    assert membership.bind(any_store, login("sub-b", "bob@example.org", verified=False)) == []
    assert membership.bind(any_store, EVAL_B) == [tid]
    assert membership.role(any_store, EVAL_B, tid) == "evaluator"
    rec = audit.records(any_store, tid)[-1]
    assert rec.action == "member.bound" and rec.actor == "bob@example.org"
    assert json.loads(rec.detail_json)["subject"] == "sub-b"
    # once bound, another subject with the same e-mail gets nothing, nor does a typed name
    mallory = login("sub-m", "bob@example.org", name="Bob Evaluator")
    assert membership.bind(any_store, mallory) == []
    assert membership.role(any_store, mallory, tid) is None
    assert membership.visible_tenders(any_store, mallory) == []
    assert membership.role(any_store, Person("bob@example.org"), tid) is None
    with pytest.raises(PermissionDenied, match="not a member"):
        panel.visible_scores(any_store, mallory, tid)
    assert membership.bind(any_store, EVAL_B) == []  # bound once
    assert audit.verify(any_store).ok


def test_only_the_chair_invites_and_an_address_once(any_store: Store) -> None:
    tid = tender(any_store)
    membership.bind(any_store, EVAL_B)
    with pytest.raises(PermissionDenied):
        membership.invite(any_store, OTHER_C, tid, "carol@example.org", "chair")
    membership.invite(any_store, CHAIR_A, tid, "bob@example.org", "evaluator")
    with pytest.raises(CommitteeError, match="already invited"):
        membership.invite(any_store, CHAIR_A, tid, "BOB@example.org", "observer")
    with pytest.raises(CommitteeError, match="already invited"):
        membership.invite(any_store, CHAIR_A, tid, "claire@example.org", "observer")
    with pytest.raises(CommitteeError, match="not an e-mail address"):
        membership.invite(any_store, CHAIR_A, tid, "Bob Evaluator", "evaluator")
    with pytest.raises(CommitteeError, match="role must be one of"):
        membership.invite(any_store, CHAIR_A, tid, "dan@example.org", "king")


def test_a_person_sees_only_their_tenders(any_store: Store) -> None:
    mine = tender(any_store, CHAIR_A, "A's tender")
    theirs = tender(any_store, OTHER_C, "C's tender")
    membership.invite(any_store, CHAIR_A, mine, "bob@example.org", "evaluator")
    assert membership.visible_tenders(any_store, EVAL_B) == []  # invited, not yet logged in
    membership.bind(any_store, EVAL_B)
    assert membership.visible_tenders(any_store, CHAIR_A) == [(mine, "A's tender", "draft")]
    assert membership.visible_tenders(any_store, EVAL_B) == [(mine, "A's tender", "draft")]
    assert membership.visible_tenders(any_store, OTHER_C) == [(theirs, "C's tender", "draft")]
    assert not membership.may_see(any_store, EVAL_B, theirs)
    nobody = login("sub-z", "zed@example.org")
    assert membership.visible_tenders(any_store, nobody) == []
    # local mode (a laptop): every tender of the file, as before
    assert [t[0] for t in membership.visible_tenders(any_store, Person("Dana"))] == [mine,
                                                                                     theirs]


def test_a_bound_member_acts_under_the_invited_key(any_store: Store) -> None:
    """The provider later sends another e-mail: the member still acts as the invited key, so
    their declarations and scores stay theirs."""
    run = Run(any_store)
    membership.invite(any_store, Person("Claire Chair", authenticated=True), run.tid,
                      "bob@example.org", "evaluator", opener=True)
    membership.bind(any_store, EVAL_B)
    moved = login("sub-b", "robert@example.org", name="Bob Evaluator")
    assert membership.role(any_store, moved, run.tid) is None  # not under another key
    acting = membership.acting(any_store, moved, run.tid)
    assert acting.name == "bob@example.org" and acting.subject == "sub-b"
    assert membership.role(any_store, acting, run.tid) == "evaluator"
    # the bid opening: signed by the bound member under their log-in, confirmed by another
    run.to("sealed")
    openers = membership.member_persons(any_store, run.tid, ["bob@example.org", "Alice Evaluator"])
    assert openers[0].subject == "sub-b" and openers[1].subject is None
    assert opening.sign_opening(any_store, acting, run.tid) == "signed"
    assert opening.sign_opening(any_store, openers[1], run.tid) == "opened"
    assert run.state == "opened"
    # after the opening nobody can be invited any more
    with pytest.raises(CommitteeError, match="cannot invite members"):
        membership.invite(any_store, Person("Claire Chair", authenticated=True), run.tid,
                          "late@example.org", "observer")


def _as_0002(store: Store) -> None:
    """Make ``store`` what a 0002 store holds: member digests without email, issuer, subject
    in the log (the chain re-hashed), and the schema at 0002 (migration 0003 downgraded)."""
    with store.engine.begin() as c:
        prev = audit.GENESIS
        for r in c.execute(select(AuditRecord).order_by(AuditRecord.seq)).all():
            rows = json.loads(r.rows_json)
            for fields in rows.get("members", {}).values():
                for k in ("email", "issuer", "subject"):
                    fields.pop(k, None)
            rec = AuditRecord(**{k: getattr(r, k) for k in r._fields})
            rec.rows_json, rec.prev_hash = json.dumps(rows, sort_keys=True), prev
            rec.hash = audit.record_hash(rec)
            c.execute(AuditRecord.__table__.update().where(AuditRecord.seq == rec.seq)
                      .values(rows_json=rec.rows_json, prev_hash=prev, hash=rec.hash))
            prev = rec.hash
        c.execute(AuditHead.__table__.update().values(hash=prev))
    cfg, _script = store._revisions()
    with store.engine.begin() as c:
        cfg.attributes["connection"] = c
        command.downgrade(cfg, "0002")


def test_a_0002_store_upgrades_and_its_log_still_holds(any_store: Store) -> None:
    """Migration 0003 on a store with members: the log, recorded without the new columns,
    still vouches for every row; the local members act as before; a subject filled in
    outside the application is named by ``audit verify``."""
    chair = Person("Claire Chair", authenticated=True)
    tid = tender(any_store, chair)
    workflow.add_member(any_store, chair, tid, "Eve", "evaluator")
    _as_0002(any_store)
    with any_store.engine.connect() as c:
        assert "subject" not in {col["name"] for col in inspect(c).get_columns("members")}
    upgraded = Store(any_store.url)  # opening migrates to head
    try:
        v = audit.verify(upgraded)
        assert v.ok, v.text()
        assert membership.role(upgraded, Person("Eve"), tid) == "evaluator"
        assert membership.role(upgraded, chair, tid) == "chair"
    finally:
        upgraded.dispose()
    with any_store.engine.begin() as c:
        key = c.execute(text("SELECT id FROM members WHERE name = 'Eve'")).scalar_one()
        c.execute(text("UPDATE members SET subject = 'sub-m', issuer = :i WHERE id = :k"),
                  {"i": ISS, "k": key})
    v = audit.verify(any_store)
    assert not v.ok and v.difference is not None, v.text()
    assert (v.difference.table, v.difference.row) == ("members", key)
    assert v.difference.field in ("issuer", "subject")


def test_a_bound_subject_edited_outside_is_named(any_store: Store) -> None:
    tid = tender(any_store)
    membership.invite(any_store, CHAIR_A, tid, "bob@example.org", "evaluator")
    membership.bind(any_store, EVAL_B)
    with any_store.engine.begin() as c:  # an insider hands Bob's seat to another account
        c.execute(text("UPDATE members SET subject = 'sub-m' WHERE subject = 'sub-b'"))
    v = audit.verify(any_store)
    assert not v.ok and v.difference is not None
    assert (v.difference.table, v.difference.field) == ("members", "subject")
