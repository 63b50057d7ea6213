"""Shared fixtures for the questionnaire-loader tests.

``azure_bytes`` is a known-valid questionnaire to mutate (a frozen copy of the 2019 Azure file in
``tests/fixtures``: the bundled data evolves, the loader tests need fixed text to edit);
``problems_of`` parses bytes, asserts that a ``QuestionnaireError`` (never anything else) is
raised, and returns its located problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scoring.errors import Problem, QuestionnaireError
from scoring.io import parse_questionnaire
from scoring.io.catalogue import load_catalogue
from scoring.models import Catalogue

ROOT = Path(__file__).resolve().parent.parent
AZURE_PATH = ROOT / "tests" / "fixtures" / "questionnaire-azure-2019.yaml"
BAD_FILE = "bad.yaml"  # the file name problems_of parses under


def problems_of(data: bytes, file: str = BAD_FILE) -> list[Problem]:
    """Parse ``data``; assert it is refused with a QuestionnaireError; return its problems."""
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(data, file)
    problems = list(info.value.problems)
    assert problems, "a QuestionnaireError must carry at least one located problem"
    for p in problems:
        assert isinstance(p, Problem)
        assert p.file == file
        assert p.message.strip()
    return problems


def replace_once(data: bytes, old: str, new: str) -> bytes:
    """Replace exactly one occurrence of ``old`` (fail loudly if the fixture file changed)."""
    raw_old = old.encode("utf-8")
    count = data.count(raw_old)
    assert count == 1, f"{old!r} occurs {count} times in the fixture, expected once"
    return data.replace(raw_old, new.encode("utf-8"))


def line_of(data: bytes, needle: str) -> int:
    """1-based line number of the first occurrence of ``needle``."""
    idx = data.index(needle.encode("utf-8"))
    return data[:idx].count(b"\n") + 1


@pytest.fixture(scope="session")
def azure_bytes() -> bytes:
    """The frozen 2019 Azure questionnaire, a valid file to mutate."""
    return AZURE_PATH.read_bytes()


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    return load_catalogue()


@pytest.fixture(name="problems_of")
def _problems_of_fixture() -> Callable[..., list[Problem]]:
    return problems_of


@pytest.fixture(name="replace_once")
def _replace_once_fixture() -> Callable[[bytes, str, str], bytes]:
    return replace_once


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, one per test session (Playwright's sync API
    cannot run twice in one process, so every browser test shares this one)."""
    import shutil

    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """A real OpenID Connect provider for the log-in tests (``tests/e2e/oidc_support``:
    ``oidc-provider-mock`` on a thread of this process, one per test session); its issuer URL.
    Started here, by the tests that need it: ``.ci/run`` has nothing to start for it."""
    from tests.e2e.oidc_support import provider

    with provider() as issuer:
        yield issuer
