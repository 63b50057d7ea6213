"""The committee pages on a shared server (issue 18), through AppTest with ``st.user`` seeded:
local mode is refused when login is required, and says an administrator must configure an
identity provider when none is; a logged-in member's invitation is bound on their first page
and they see only their tenders; a logged-in non-member sees no tender and no log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from scoring.committee import Store, audit, membership, workflow
from scoring.committee.identity import from_claims
from tests.committee.conftest import QUESTIONS, SCENARIO
from tests.committee.test_membership import CHAIR_A, ISS
from tests.ui.support import ROOT, texts

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "s",
        "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}
TITLE = "Shared cloud host 2027"
OTHER = "Someone else's tender"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'committee.sqlite3'}"
    monkeypatch.setenv("HOSTWISE_DB_URL", url)
    monkeypatch.setenv("HOSTWISE_REQUIRE_LOGIN", "1")
    s = Store(url)
    tid = workflow.create_tender(s, CHAIR_A, TITLE, SCENARIO, QUESTIONS)
    membership.invite(s, CHAIR_A, tid, "bob@example.org", "evaluator")
    workflow.create_tender(s, CHAIR_A, OTHER, SCENARIO, QUESTIONS)
    yield s
    s.dispose()


def page(name: str, user: dict[str, Any] | None, auth: bool = True,
         typed: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page(f"ui/pages/{name}.py")
    if auth:
        at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    if typed:
        at.session_state["hw.c.person"] = typed
    return at.run()


def pickers(at: AppTest) -> list[Any]:
    """The tender pickers on the page (the app's own scenario picker aside)."""
    return [s for s in at.selectbox if s.label == "Tender"]


def claims(sub: str, email: str, name: str) -> dict[str, Any]:
    return {"iss": ISS, "sub": sub, "email": email, "email_verified": True, "name": name}


@pytest.mark.parametrize("name", ["tender", "evaluate", "moderation", "audit"])
def test_shared_without_a_provider_refuses_local_mode(store: Store, name: str) -> None:
    at = page(name, None, auth=False, typed="Claire Chair")
    assert not at.exception
    shown = texts(at)
    assert "An administrator must configure" in shown, shown
    assert not at.text_input  # no typed-name field
    assert TITLE not in shown and "(not authenticated)" not in shown
    assert not pickers(at) and not [b for b in at.button if b.label != "Log in"]


def test_nobody_logged_in_sees_no_tender(store: Store) -> None:
    at = page("tender", None)
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    shown = texts(at)
    assert "Log in (sidebar)" in shown and TITLE not in shown and not at.text_input


def test_the_invited_member_is_bound_and_sees_only_their_tender(store: Store) -> None:
    at = page("tender", claims("sub-b", "bob@example.org", "Bob Evaluator"))
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "Logged in as Bob Evaluator (bob@example.org)" in shown
    assert TITLE in shown and OTHER not in shown
    assert [o for s in at.selectbox if s.label == "Tender" for o in s.options] == [
        f"#1 {TITLE} (draft)"]
    assert audit.records(store, 1)[-1].action == "member.bound"
    at = page("evaluate", claims("sub-b", "bob@example.org", "Bob Evaluator"))
    assert "your role: evaluator" in texts(at)


def test_a_logged_in_non_member_sees_nothing(store: Store) -> None:
    carol = claims("sub-c", "carol@example.org", "Carol")
    for name in ("tender", "evaluate", "moderation", "audit"):
        at = page(name, carol)
        assert not at.exception
        shown = texts(at)
        assert TITLE not in shown and OTHER not in shown, (name, shown)
        assert "tender.created" not in shown and "audit chain" not in shown, (name, shown)
        assert not pickers(at)
    # the same e-mail from another account, after Bob was bound: nothing either
    page("tender", claims("sub-b", "bob@example.org", "Bob Evaluator"))
    shown = texts(page("audit", claims("sub-m", "bob@example.org", "Bob Evaluator")))
    assert TITLE not in shown and "member.bound" not in shown


def test_a_logged_in_user_creates_a_tender_and_chairs_it(store: Store) -> None:
    dana = from_claims(claims("sub-d", "dana@example.org", "Dana"))
    at = page("tender", claims("sub-d", "dana@example.org", "Dana"))
    assert "No tender yet" in texts(at)
    next(b for b in at.button if b.label.startswith("Create the tender")).click().run()
    assert not at.exception
    [(tid, _title, _state)] = membership.visible_tenders(store, dana)
    assert membership.role(store, dana, tid) == "chair"
    at = page("tender", claims("sub-d", "dana@example.org", "Dana"))
    at.text_input(key="c.i.email").set_value("erin@example.org")  # by e-mail, not by name
    next(b for b in at.button if b.label == "Invite").click().run()
    assert "erin@example.org was invited as evaluator" in texts(at)


def test_a_laptop_keeps_local_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTWISE_DB_URL", f"sqlite:///{tmp_path / 'c.sqlite3'}")
    monkeypatch.delenv("HOSTWISE_REQUIRE_LOGIN", raising=False)
    at = page("tender", None, auth=False, typed="Dana Chair")
    assert not at.exception
    assert "Dana Chair (not authenticated)" in texts(at)
