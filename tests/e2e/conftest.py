"""Fixtures of the end-to-end tests: the app served by Streamlit (one server per test session).
The browser (Debian's Chromium driven by Playwright) is the session fixture of tests/conftest.py,
shared with the committee's two-app test: one Playwright per test process."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from e2e_support import serve, stop


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    proc, url = serve()
    try:
        yield url
    finally:
        stop(proc)
