"""Store errors are plain messages saying what was not saved, and text limits are the same on
SQLite and PostgreSQL, checked before writing: refused with the limit, never cut silently."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select

from scoring.committee import CommitteeError, Store, audit, panel, workflow
from scoring.committee.errors import StoreError
from scoring.committee.models import Declaration, Score, Tender

from .conftest import ALICE, BOB, CHAIR, QUESTIONS, SCENARIO, Run


def test_a_long_title_is_refused_on_both_backends(any_store: Store) -> None:
    with pytest.raises(CommitteeError, match=r"the new tender was not saved: the tender title "
                                             r"has 601 characters; the limit is 500"):
        workflow.create_tender(any_store, CHAIR, "t" * 601, SCENARIO, QUESTIONS)
    with any_store.read() as s:
        assert s.execute(select(Tender)).first() is None
    workflow.create_tender(any_store, CHAIR, "t" * 500, SCENARIO, QUESTIONS)
    assert audit.verify(any_store).ok


def test_a_long_justification_is_refused_not_cut(run: Run) -> None:
    run.to("opened")
    run.declare()
    workflow.start_technical(run.store, CHAIR, run.tid)
    with pytest.raises(CommitteeError, match=r"the score was not saved: the score "
                                             r"justification has 50,000 characters; the "
                                             r"limit is 10,000"):
        panel.save_score(run.store, ALICE, run.tid, "alpha", QUESTIONS[0], 3, "j" * 50_000)
    with run.store.read() as s:
        assert s.execute(select(Score)).first() is None


def test_a_huge_conflict_note_is_refused(run: Run) -> None:
    run.to("opened")
    with pytest.raises(CommitteeError, match=r"declaration note has 5,000,000 characters"):
        panel.declare(run.store, BOB, run.tid, "gamma", True, "n" * 5_000_000)
    with run.store.read() as s:
        assert s.execute(select(Declaration)).first() is None
    assert audit.verify(run.store).ok


def test_a_full_disk_says_what_was_not_saved(sqlite_store: Store) -> None:
    run = Run(sqlite_store).to("opened")
    run.declare()
    workflow.start_technical(run.store, CHAIR, run.tid)

    @event.listens_for(sqlite_store.engine, "connect")
    def _full(dbapi_conn: Any, _rec: Any) -> None:
        cur = dbapi_conn.cursor()
        pages = cur.execute("PRAGMA page_count").fetchone()[0]
        cur.execute(f"PRAGMA max_page_count = {pages}")
        cur.close()

    sqlite_store.engine.dispose()
    with pytest.raises(StoreError, match=r"the score was not saved: the database refused it "
                                         r"\(database or disk is full\)"):
        panel.save_score(run.store, ALICE, run.tid, "alpha", QUESTIONS[0], 3, "j" * 9_000)
