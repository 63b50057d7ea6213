"""End to end: every page of the app served by Streamlit renders in headless Chromium (Debian's
build) without an exception element, at its own address (``/`` and ``/replay`` both open Replay,
never "Page not found"). Fixtures in ``conftest.py``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from e2e_support import HAVE_CHROMIUM, SKIP_REASON, WAIT, main_area, run_over
from playwright.sync_api import expect

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)

PAGES = [("", "Replay"), ("replay", "Replay"), ("offers", "Vendor offers"), ("ranking", "Ranking"),
         ("robustness", "Robustness"), ("allocation", "Allocation"), ("compare", "Compare"),
         ("export", "Export")]
COMMITTEE = ["tender", "evaluate", "moderation", "audit"]  # no table before a tender exists


@pytest.mark.parametrize(("path", "heading"), PAGES)
def test_page_renders_without_exception(app_url: str, browser: Any, path: str, heading: str,
                                        tmp_path: Any) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app_url}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for(timeout=WAIT)
    main_area(page).locator("[data-testid=stDataFrame], [data-testid=stPlotlyChart]").first \
        .wait_for(state="attached", timeout=WAIT)
    run_over(page)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    assert page.get_by_text("Page not found").count() == 0
    if path in ("", "replay"):
        assert page.url.split("?")[0].endswith("/replay")  # one address for Replay
        expect(page.locator("[data-testid=stSidebarNav] a[aria-current=page]")).to_have_text(
            re.compile("Replay"))
    page.screenshot(path=str(tmp_path / f"{path or 'replay'}.png"), full_page=True)
    page.close()


@pytest.mark.parametrize("path", COMMITTEE)
def test_committee_page_renders_at_its_address(app_url: str, browser: Any, path: str) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{app_url}/{path}")
    expect(page.locator("h1").first).to_have_text(path.capitalize(), timeout=WAIT)
    page.get_by_label("Your name (local mode: not authenticated)", exact=True).wait_for(
        timeout=WAIT)
    run_over(page)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    assert page.get_by_text("Page not found").count() == 0
    page.close()


def test_the_sidebar_switch_turns_the_replay_page_french(app_url: str, browser: Any) -> None:
    """English by default (an English browser); Français in the sidebar redraws Replay in
    French: headings, the era sentence in plain words, French decimal marks (issue 19)."""
    ctx = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{app_url}/replay")
    page.get_by_role("heading", name="The legal timeline").wait_for(timeout=WAIT)
    run_over(page)
    page.locator("[data-testid=stSidebar]").get_by_text("Français", exact=True).click()
    page.get_by_role("heading", name="La chronologie juridique").wait_for(timeout=WAIT)
    page.get_by_text("jeux de pondérations tirés au hasard").first.wait_for(timeout=WAIT)
    run_over(page)
    expect(page.locator("h1").first).to_have_text(re.compile("^Rétrospective"))
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    assert page.get_by_text("The legal timeline").count() == 0
    ctx.close()
