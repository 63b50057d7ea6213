"""Fixtures of the end-to-end tests: the app served by Streamlit (one server per test session)
and Debian's Chromium driven by Playwright (see ``e2e_support``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from e2e_support import CHROMIUM, CHROMIUM_ARGS, free_port, start_app


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    port = free_port()
    proc, _ = start_app(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
