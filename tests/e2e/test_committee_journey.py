"""A committee journey in headless Chromium against a served app with its own embedded SQLite
database: the setup (tender, members, bids, declarations with Bob's conflict, scores, the
moderated disagreement) goes through the services; then on screen Bob checks his sheet, the
chair asks a clarification from the clarification list and records the reply, finishes the
evaluation, awards, and downloads the award report, which is opened and checked: it names the
conflict, the clarification and the consensus reason."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import HAVE_CHROMIUM, SKIP_REASON

from scoring.committee import Store
from scoring.committee.document import docx_text
from tests.committee.conftest import BOB, CHAIR, Run
from tests.committee.test_two_apps import WAIT, serve, settle, sign_in, stop

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)
QUESTION = "Please state your answer in writing, with its evidence."
CONSENSUS = "Consensus: the strategic autonomy plan is credible but unfunded"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Store, Run]]:
    url = f"sqlite:///{tmp_path / 'committee.sqlite3'}"
    store = Store(url)
    run = Run(store).to("clarification")
    proc, app = serve(url)
    try:
        yield app, store, run
    finally:
        stop(proc)
        store.dispose()


def go(page: Any, title: str) -> None:
    page.locator("[data-testid=stSidebarNav] a", has_text=title).first.click()
    page.locator("h1", has_text=title).first.wait_for(timeout=WAIT)
    settle(page)


def test_committee_journey(served: tuple[str, Store, Run], tmp_path: Path,
                           browser: Any) -> None:
    """Uses the session's browser (tests/conftest.py): one Playwright per process."""
    app, _store, run = served
    page = browser.new_page(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    try:
        sign_in(page, app, BOB.name, "evaluate")
        page.get_by_text("My progress: 4 of 4").wait_for(timeout=WAIT)  # gamma not counted
        assert page.get_by_text("Bid gamma").count() == 0

        sign_in(page, app, CHAIR.name, "moderation")
        page.get_by_text(CONSENSUS).first.wait_for(state="attached", timeout=WAIT)  # table
        page.get_by_label("Question to the bidder", exact=True).fill(QUESTION)
        page.get_by_role("button", name="Send the request").click()
        page.get_by_text("recorded.").first.wait_for(timeout=WAIT)
        settle(page)
        page.get_by_label("Reply as written", exact=True).fill("Confirmed in writing.")
        page.get_by_role("button", name="Record the reply").click()
        page.get_by_text("Reply to request").first.wait_for(timeout=WAIT)
        settle(page)

        go(page, "Tender")
        page.get_by_role("button", name="Move to the next step: evaluated").click()
        page.get_by_text("The tender is now evaluated.").wait_for(timeout=WAIT)
        settle(page)
        page.get_by_label("Reason (needed when not the leader)", exact=True).fill(
            "Best value for money under the published weights.")
        page.get_by_role("button", name="Move to the next step: awarded").click()
        page.get_by_text("The tender is now awarded.").wait_for(timeout=WAIT)
        assert run.state == "awarded"

        go(page, "Audit")
        page.get_by_text("audit chain holds").first.wait_for(timeout=WAIT)
        with page.expect_download(timeout=WAIT) as d:
            page.get_by_role("button", name="Award report (DOCX)").click()
        target = tmp_path / "award.docx"
        d.value.save_as(target)
    finally:
        page.close()
    report = docx_text(target.read_bytes())
    for must in ("former employee of Gamma", QUESTION, CONSENSUS):
        assert must in report, must
