"""A SQLite writer waiting for the write lock (issue 18, defect 9: one save waited 27 s behind
three other writers): it retries every few milliseconds, takes the lock soon after it is
free, and gives up at the stated bound with a plain error instead of waiting without end."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from scoring.committee import Store, store, workflow

from .conftest import CHAIR, SCENARIO


def _hold_write_lock(st: Store) -> sqlite3.Connection:
    other = sqlite3.connect(st.url.removeprefix("sqlite:///"), isolation_level=None,
                            check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_writer_gives_up_at_the_stated_bound_with_a_plain_error(
        sqlite_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "WRITE_WAIT_S", 0.5)
    other = _hold_write_lock(sqlite_store)
    t0 = time.monotonic()
    with pytest.raises(store.StoreBusy, match=r"locked by other writers for 0\.5 s; nothing was "
                                              "saved"):
        workflow.create_tender(sqlite_store, CHAIR, "Cloud host", SCENARIO)
    assert time.monotonic() - t0 < 3
    other.rollback()
    other.close()
    assert workflow.create_tender(sqlite_store, CHAIR, "Cloud host", SCENARIO) == 1


def test_a_waiting_writer_takes_the_lock_soon_after_it_is_freed(sqlite_store: Store) -> None:
    other = _hold_write_lock(sqlite_store)
    threading.Timer(0.3, other.rollback).start()
    t0 = time.monotonic()
    workflow.create_tender(sqlite_store, CHAIR, "Cloud host", SCENARIO)
    assert 0.25 < time.monotonic() - t0 < 1.5
    other.close()
