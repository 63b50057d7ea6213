"""Fixtures of the end-to-end tests: the app served by Streamlit (one server per test session).
The browser (Debian's Chromium driven by Playwright) is the session fixture of tests/conftest.py,
shared with the committee's two-app test: one Playwright per test process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_support import serve, stop


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, with the committee's embedded database in a temporary folder (the committee
    pages open it: a test run writes nothing under the user's home)."""
    proc, url = serve({"HOSTWISE_DATA_DIR": str(tmp_path_factory.mktemp("hostwise-data"))})
    try:
        yield url
    finally:
        stop(proc)
