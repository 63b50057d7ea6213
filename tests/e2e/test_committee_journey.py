"""A committee journey in headless Chromium against a served app with its own embedded SQLite
database. The bids are opened on screen by two designated openers in two browser sessions
(two contexts: two cookies, two Streamlit sessions): Alice signs first, Bob sees her signature
and confirms (issue 18). The rest of the setup (declarations with Bob's conflict, scores, the
moderated disagreement) goes through the services; then on screen Bob checks his sheet, the
chair asks a clarification from the clarification list, enters the reply's value (there is no
default), checks its effect and confirms it, finishes the evaluation, awards, and downloads the
award report, which is opened and checked: it names both openers, the conflict, the
clarification and the consensus reason."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import HAVE_CHROMIUM, SKIP_REASON

from scoring.committee import Store
from scoring.committee.document import docx_text
from tests.committee.conftest import ALICE, BOB, CHAIR, Run
from tests.committee.test_two_apps import WAIT, serve, settle, sign_in, stop

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)
QUESTION = "Please state your answer in writing, with its evidence."
CONSENSUS = "Consensus: the strategic autonomy plan is credible but unfunded"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Store, Run]]:
    url = f"sqlite:///{tmp_path / 'committee.sqlite3'}"
    store = Store(url)
    run = Run(store).to("sealed")
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
    # the opening: two openers, two sessions (browser contexts share no cookie or session)
    alice_ctx, bob_ctx = browser.new_context(), browser.new_context()
    try:
        pa, pb = alice_ctx.new_page(), bob_ctx.new_page()
        sign_in(pa, app, ALICE.name, "tender")
        pa.get_by_role("button", name="Sign the opening (first signature)").click()
        pa.get_by_text("Your signature was recorded.").wait_for(timeout=WAIT)
        assert run.state == "sealed"
        sign_in(pb, app, BOB.name, "tender")
        pb.get_by_text(f"Signed by {ALICE.name} at").first.wait_for(timeout=WAIT)
        pb.get_by_role("button", name=f"Confirm the opening signed by {ALICE.name}").click()
        pb.get_by_text("The bids are opened.", exact=True).wait_for(timeout=WAIT)
        assert run.state == "opened"
        # Alice's page has not been reloaded: the poll tells her the tender moved on
        pa.get_by_text("The tender moved on (state sealed → opened").first.wait_for(
            timeout=WAIT)
    finally:
        alice_ctx.close()
        bob_ctx.close()
    run.to("clarification")
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
        form = page.locator("[data-testid=stForm]", has_text="Record the bidder's written reply")
        form.locator("[data-testid=stSelectbox]").first.click()
        page.locator("[role=option]", has_text="yes").first.click()
        page.get_by_role("button", name="Check the effect of this reply").click()
        effect = page.get_by_text("Recording this reply changes ").first
        effect.wait_for(timeout=WAIT)
        assert " → total " in effect.inner_text()  # the total and rank before → after
        settle(page)
        page.get_by_role("button", name="Confirm and record the reply").click()
        # the notice, not the button's own label ("... reply to request #1")
        page.get_by_text(re.compile(r"^Reply to request #\d+ recorded\.$")).first.wait_for(
            timeout=WAIT)
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
    for must in ("former employee of Gamma", QUESTION, CONSENSUS,
                 f"{ALICE.name} and {BOB.name}"):  # both openers named
        assert must in report, must
