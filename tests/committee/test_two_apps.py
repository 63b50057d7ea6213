"""Scale-out is the database's job (issue 13): two stateless ``streamlit run`` processes on
different ports share one PostgreSQL. Work saved through one app is seen on the other app's
page, and two people saving the same tender at once lose nothing: the second save is refused
with "someone else changed this tender" and the first one stays.

Needs ``HOSTWISE_TEST_PG_URL`` (skipped with the reason otherwise; a failure under ``CI=true``)
and Debian's Chromium with Playwright to read what each app shows.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from scoring.committee import Store, audit, workflow

from .conftest import CHAIR, QUESTIONS, SCENARIO, pg_url

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WAIT = 120_000
NAME_FIELD = "Your name (local mode: not authenticated)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` on a free port with ``HOSTWISE_DB_URL``; waits for health."""
    port = _free_port()
    env = {**os.environ, "HOSTWISE_DB_URL": db_url}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            proc.poll()
            if proc.returncode is not None:
                break
            time.sleep(0.25)
    proc.terminate()
    raise RuntimeError("streamlit did not start within 60 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def settle(page: Any) -> None:
    """Wait until the script run is over (no 'Running' status widget)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=WAIT)


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
