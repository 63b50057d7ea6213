"""Log-in with a real OpenID Connect provider on a shared (PostgreSQL) server, in Chromium
(issue 18). The chair logs in, creates a tender and invites the evaluator by e-mail; the
evaluator logs in (another browser context, another subject), is bound by their verified
e-mail, sees only that tender and declares their interests; a third user, not a member, logs in
and sees no tender and no audit log; a forged or tampered Streamlit auth cookie gets nothing.

Needs ``HOSTWISE_TEST_PG_URL`` (a failure under ``CI=true``, a skip elsewhere) and Chromium."""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import HAVE_CHROMIUM, SKIP_REASON, WAIT, run_over, stop
from sqlalchemy import create_engine, text

from scoring.committee import Store, audit, bids, membership, workflow
from tests.committee.conftest import BIDDER, bid_offers, pg_url
from tests.e2e.oidc_support import CHAIR, EVALUATOR, OUTSIDER, log_in, serve_with_login

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)
TITLE = "Shared cloud host 2027"
USER_COOKIE = "_streamlit_user"


@pytest.fixture
def shared_app(oidc_issuer: str, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The app on a fresh PostgreSQL schema with ``[auth]`` configured; the test's own store
    on the same schema (to check what the pages did, and for the bid desk)."""
    base = pg_url()
    if not base:
        pytest.skip("PostgreSQL tests skipped: set HOSTWISE_TEST_PG_URL")
    schema = "oidc_" + uuid.uuid4().hex[:12]
    admin = create_engine(base)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    store = Store(url)
    proc, app, _folder = serve_with_login(oidc_issuer, {"HOSTWISE_DB_URL": url}, tmp_path)
    try:
        yield app, store
    finally:
        stop(proc)
        store.dispose()
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def shown(page: Any) -> str:
    run_over(page)
    return str(page.locator("[data-testid=stApp]").inner_text())


def logged_out(page: Any, app: str) -> None:
    """The pages treat this browser as nobody: a log-in button, no tender, no log."""
    for path in ("tender", "audit"):
        page.goto(f"{app}/{path}")
        page.get_by_text("Log in (sidebar) to see and work on your tenders.").wait_for(
            timeout=WAIT)
        text_now = shown(page)
        assert "Logged in as" not in text_now and TITLE not in text_now, text_now
        page.get_by_role("button", name="Log in").wait_for(timeout=WAIT)


def forged(real: str, claims: dict[str, object]) -> str:
    """A cookie value whose signed payload is replaced by ``claims`` (the signature kept):
    what someone who can edit their cookies but does not know the server's secret makes."""
    payload = base64.urlsafe_b64encode(json.dumps(json.dumps(claims)).encode()).rstrip(b"=")
    return payload.decode() + real[real.index("."):]


def test_log_in_invite_bind_and_see_only_your_tenders(shared_app: tuple[str, Store],
                                                       oidc_issuer: str, browser: Any) -> None:
    app, store = shared_app
    chair_ctx, eval_ctx, out_ctx = (browser.new_context(viewport={"width": 1400,
                                                                  "height": 1100})
                                    for _ in range(3))
    try:
        # the chair logs in and creates a tender from the working scenario
        chair = chair_ctx.new_page()
        log_in(chair, app, CHAIR)
        chair.get_by_label("Tender title", exact=True).fill(TITLE)
        chair.get_by_role("button", name="Create the tender (you become its chair)").click()
        chair.get_by_text("The tender was created as a draft; you are its chair.").wait_for(
            timeout=WAIT)
        run_over(chair)
        [(tid, title, _state)] = workflow.list_tenders(store)
        assert title == TITLE
        # ... and invites the evaluator by e-mail
        chair.get_by_label("E-mail", exact=True).fill(EVALUATOR.email.upper())
        chair.get_by_role("button", name="Invite", exact=True).click()
        chair.get_by_text(f"{EVALUATOR.email.upper()} was invited as evaluator.").wait_for(
            timeout=WAIT)
        run_over(chair)
        assert [(m["member"], m["identity"]) for m in membership.roster(store, tid)
                if m["role"] == "evaluator"] == [(EVALUATOR.email,
                                                  "invited: waiting for the first log-in")]
        # the bid desk records three bids; the chair publishes and seals (services)
        [chair_p] = membership.member_persons(store, tid, [CHAIR.email])
        assert (chair_p.issuer, chair_p.subject) == (oidc_issuer, CHAIR.sub)
        workflow.publish(store, chair_p, tid)
        for o in bid_offers():
            bids.submit_bid(store, BIDDER, tid, o)
        workflow.seal(store, chair_p, tid)

        # the evaluator logs in: bound by the verified e-mail, sees only this tender
        ev = eval_ctx.new_page()
        log_in(ev, app, EVALUATOR, "evaluate")
        ev.get_by_text("your role: evaluator").first.wait_for(timeout=WAIT)
        bound = [r for r in audit.records(store, tid) if r.action == "member.bound"]
        assert len(bound) == 1 and json.loads(bound[0].detail_json)["subject"] == EVALUATOR.sub
        ev.get_by_role("button", name="Record my declarations").click()
        ev.get_by_text("Your declarations were recorded.").wait_for(timeout=WAIT)
        run_over(ev)
        assert "You declared about every bidder." in shown(ev)
        declared = [r for r in audit.records(store, tid) if r.action == "interest.declared"]
        assert {r.actor for r in declared} == {EVALUATOR.email} and len(declared) == 3

        # a third user, not a member: no tender, no log
        out = out_ctx.new_page()
        log_in(out, app, OUTSIDER)
        assert "No tender yet" in shown(out)
        assert TITLE not in shown(out)
        out.goto(f"{app}/audit")
        out.get_by_text(f"Logged in as {OUTSIDER.name}").wait_for(timeout=WAIT)
        seen = shown(out)
        assert TITLE not in seen and "tender.created" not in seen and "audit chain" not in seen

        # a tampered cookie (the evaluator's, its payload made to say "the chair") and one
        # signed with a guessed secret: both read as logged out
        real = next(c for c in eval_ctx.cookies() if c["name"] == USER_COOKIE)
        claims = {"iss": oidc_issuer, "sub": CHAIR.sub, "email": CHAIR.email,
                  "email_verified": True, "name": CHAIR.name, "is_logged_in": True}
        from itsdangerous import URLSafeTimedSerializer

        guessed = URLSafeTimedSerializer("guessed-secret", salt=USER_COOKIE).dumps(
            json.dumps(claims))
        copied = browser.new_context(viewport={"width": 1400, "height": 1100})
        try:  # the control: the real cookie, copied unchanged, is a log-in
            copied.add_cookies([{k: real[k] for k in ("name", "value", "domain", "path")}])
            page = copied.new_page()
            page.goto(f"{app}/evaluate")
            page.get_by_text(f"Logged in as {EVALUATOR.name}").wait_for(timeout=WAIT)
        finally:
            copied.close()
        for value in (forged(real["value"], claims), guessed):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
            try:
                ctx.add_cookies([{**{k: real[k] for k in ("name", "domain", "path")},
                                  "value": value}])
                logged_out(ctx.new_page(), app)
            finally:
                ctx.close()
        assert audit.verify(store).ok
    finally:
        for ctx in (chair_ctx, eval_ctx, out_ctx):
            ctx.close()
