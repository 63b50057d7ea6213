"""The page tests' committee database: an embedded SQLite file the app opens through
``HOSTWISE_DB_URL``, shared with the services the tests call directly."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.committee import Store


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'committee.sqlite3'}"
    monkeypatch.setenv("HOSTWISE_DB_URL", url)
    s = Store(url)
    yield s
    s.dispose()
