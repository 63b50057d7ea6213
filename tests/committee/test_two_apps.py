"""Scale-out is the database's job (issue 13): two stateless ``streamlit run`` processes on
different ports share one PostgreSQL. Work saved through one app is seen on the other app's
page, and two people saving the same tender at once lose nothing: the second save is refused
with "someone else changed this tender" and the first one stays.

Needs ``HOSTWISE_TEST_PG_URL`` (skipped with the reason otherwise; a failure under ``CI=true``)
and Debian's Chromium with Playwright to read what each app shows.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from scoring.committee import Store, audit, workflow
from tests.e2e.e2e_support import CHROMIUM, WAIT, run_over, stop
from tests.e2e.e2e_support import serve as serve_app

from .conftest import CHAIR, QUESTIONS, SCENARIO, pg_url

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
    url = pg_url()
    if not url:
        pytest.skip("two-app test skipped: set HOSTWISE_TEST_PG_URL "
                    "(bash .ci/start-postgres prints it)")
    if not os.path.exists(CHROMIUM) and os.environ.get("CI") != "true":
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    schema = "apps_" + uuid.uuid4().hex[:12]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in url else "?"
    yield f"{url}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as c:
        c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


def test_two_apps_share_one_postgresql(pg_schema_url: str, browser: Any) -> None:
    store = Store(pg_schema_url)
    tid = workflow.create_tender(store, CHAIR, "Shared cloud host", SCENARIO, QUESTIONS)
    (a, url_a), (b, url_b) = serve(pg_schema_url), serve(pg_schema_url)
    try:
        if True:  # one browser per test process: the session fixture
            pa, pb = browser.new_page(), browser.new_page()
            sign_in(pa, url_a, CHAIR.name, "tender")
            sign_in(pb, url_b, CHAIR.name, "tender")
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
            sign_in(pb, url_b, CHAIR.name, "tender")
            pb.get_by_text("Title saved through app A").first.wait_for(timeout=WAIT)
            pa.close()
            pb.close()
    finally:
        stop(a)
        stop(b)
    assert audit.verify(store).ok
    edits = [r for r in audit.records(store, tid) if r.action == "tender.edited"]
    assert len(edits) == 1
    store.dispose()
