"""Concurrent saves on SQLite and PostgreSQL: nothing lost, and the loser of a race on the same
tender gets a clear "someone else changed this" error (optimistic locking)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from scoring.committee import ConcurrentEditError, Store, audit, panel, workflow

from .conftest import ALICE, BOB, CHAIR, Run


def test_two_saves_of_the_same_tender_one_wins_one_is_told(run: Run) -> None:
    v0 = workflow.view(run.store, run.tid).version
    gate = threading.Barrier(2)
    results: dict[str, object] = {}

    def save(title: str) -> None:
        gate.wait()
        try:
            results[title] = workflow.update_draft(run.store, CHAIR, run.tid, v0, title=title)
        except ConcurrentEditError as exc:
            results[title] = exc

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(save, ["first", "second"]))
    errors = [k for k, v in results.items() if isinstance(v, ConcurrentEditError)]
    winners = [k for k, v in results.items() if isinstance(v, int)]
    assert len(errors) == 1 and len(winners) == 1
    assert "someone else changed this tender: reload" in str(results[errors[0]])
    view = workflow.view(run.store, run.tid)
    assert view.title == winners[0] and view.version == v0 + 1
    # the loser reloads and saves again: both edits are kept, in order
    workflow.update_draft(run.store, CHAIR, run.tid, view.version, title=errors[0])
    assert workflow.view(run.store, run.tid).title == errors[0]
    assert audit.verify(run.store).ok


def test_a_stale_version_is_refused_without_a_race(run: Run) -> None:
    v0 = workflow.view(run.store, run.tid).version
    workflow.update_draft(run.store, CHAIR, run.tid, v0, title="x")
    with pytest.raises(ConcurrentEditError):
        workflow.update_draft(run.store, CHAIR, run.tid, v0, title="y")
    assert workflow.view(run.store, run.tid).title == "x"


def test_two_stores_see_each_others_work(run: Run) -> None:
    """Two app processes on one database: what one saves, the other reads."""
    other = Store(run.store.url)
    v = workflow.view(run.store, run.tid).version
    workflow.update_draft(other, CHAIR, run.tid, v, title="saved by the other process")
    assert workflow.view(run.store, run.tid).title == "saved by the other process"
    other.dispose()


def test_concurrent_scores_are_all_kept_and_the_chain_holds(run: Run) -> None:
    run.to("technical_evaluation")
    jobs = [(who, o, q) for who in (ALICE, BOB) for o in ("alpha", "beta")
            for q in ("sov.sov1_strategic", "sov.sov2_legal")] * 3
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda j: panel.save_score(run.store, j[0], run.tid, j[1], j[2], 2,
                                                 "concurrent"), jobs))
    rows = panel.visible_scores(run.store, ALICE, run.tid)
    assert len(rows) == 4
    v = audit.verify(run.store)
    assert v.ok, v.text()
    assert sum(r.action == "score.saved" for r in audit.records(run.store)) == len(jobs)
