"""Scale-out is the database's job (issue 13): two stateless ``streamlit run`` processes on
different ports share one PostgreSQL. Work saved through one app is seen on the other app's
page, and two people saving the same tender at once lose nothing: the second save is refused
with "someone else changed this tender" and the first one stays. A shared server accepts only
a log-in (issue 18): the chair logs in on both apps with the test's OpenID Connect provider.

Needs ``HOSTWISE_TEST_PG_URL`` (skipped with the reason otherwise; a failure under ``CI=true``)
and Debian's Chromium with Playwright to read what each app shows.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scoring.committee import Store, audit, workflow
from tests.e2e.e2e_support import CHROMIUM, WAIT, run_over, stop
from tests.e2e.e2e_support import serve as serve_app

from .conftest import QUESTIONS, SCENARIO, pg_schema

__all__ = ["WAIT", "serve", "settle", "sign_in", "stop"]  # the committee journey uses them

NAME_FIELD = "Your name (local mode: not authenticated)"


def serve(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` on a free port with ``HOSTWISE_DB_URL``, once it answers."""
    return serve_app({"HOSTWISE_DB_URL": db_url})


def settle(page: Any) -> None:
    """Wait for the end of the script run (after waiting for what the run draws)."""
    run_over(page)


def sign_in(page: Any, url: str, name: str, path: str) -> None:
    page.goto(f"{url}/{path}")
    field = page.get_by_label(NAME_FIELD, exact=True)
    field.wait_for(timeout=WAIT)
    field.fill(name)
    field.press("Enter")
    page.get_by_text(f"{name} (not authenticated)").first.wait_for(timeout=WAIT)
    settle(page)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with pg_schema("apps_", "two-app test") as url:
        yield url


def test_two_apps_share_one_postgresql(pg_schema_url: str, oidc_issuer: str, browser: Any,
                                       tmp_path: Path) -> None:
    """A shared server: the chair logs in on both apps (issue 18: no typed name there)."""
    from scoring.committee.identity import from_claims
    from tests.e2e.oidc_support import CHAIR as ACCOUNT
    from tests.e2e.oidc_support import log_in, serve_with_login

    chair = from_claims({"iss": oidc_issuer, "sub": ACCOUNT.sub, **ACCOUNT.claims()})
    store = Store(pg_schema_url)
    tid = workflow.create_tender(store, chair, "Shared cloud host", SCENARIO, QUESTIONS)
    env = {"HOSTWISE_DB_URL": pg_schema_url}
    (a, url_a, _fa), (b, url_b, _fb) = (serve_with_login(oidc_issuer, env, tmp_path / "a"),
                                        serve_with_login(oidc_issuer, env, tmp_path / "b"))
    ca, cb = browser.new_context(), browser.new_context()  # cookies are per host, not port
    try:
        pa, pb = ca.new_page(), cb.new_page()
        log_in(pa, url_a, ACCOUNT)
        log_in(pb, url_b, ACCOUNT)
        for pg in (pa, pb):  # the tender created in the database is on both apps
            pg.get_by_text("Shared cloud host").first.wait_for(timeout=WAIT)
        # both loaded version 1; A saves first, then B saves on its stale copy
        pa.get_by_label("Title", exact=True).fill("Title saved through app A")
        pa.get_by_role("button", name="Save the draft").click()
        pa.get_by_text("The draft was saved.").wait_for(timeout=WAIT)
        pb.get_by_label("Title", exact=True).fill("Title saved through app B")
        pb.get_by_role("button", name="Save the draft").click()
        pb.get_by_text("someone else changed this tender").first.wait_for(timeout=WAIT)
        # nothing lost: A's save stands, B is told and sees it after reloading
        assert workflow.view(store, tid).title == "Title saved through app A"
        pb.goto(f"{url_b}/tender")
        pb.get_by_text("Title saved through app A").first.wait_for(timeout=WAIT)
    finally:
        ca.close()
        cb.close()
        stop(a)
        stop(b)
    assert audit.verify(store).ok
    edits = [r for r in audit.records(store, tid) if r.action == "tender.edited"]
    assert len(edits) == 1 and edits[0].actor == ACCOUNT.email and edits[0].authenticated
    store.dispose()
