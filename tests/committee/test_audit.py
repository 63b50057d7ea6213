"""The audit chain: every edit, insertion or deletion of a record is detected and located, and
``hostwise audit verify`` exits 0 / 2 accordingly."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from scoring.cli.main import main
from scoring.committee import Store, audit
from scoring.committee.models import AuditHead, AuditRecord

from .conftest import Run


def _fresh(run: Run) -> int:
    run.to("opened")
    v = audit.verify(run.store)
    assert v.ok, v.text()
    return v.records


def test_each_record_hashes_the_previous_one(run: Run) -> None:
    _fresh(run)
    recs = audit.records(run.store)
    assert recs[0].prev_hash == audit.GENESIS
    for a, b in itertools.pairwise(recs):
        assert b.prev_hash == a.hash and b.seq == a.seq + 1
    assert {r.action for r in recs} >= {"tender.created", "tender.published", "bid.received",
                                        "tender.sealed", "tender.opened"}
    assert all(r.code_version.startswith("hostwise") for r in recs)


def test_an_edited_record_is_detected(run: Run) -> None:
    _fresh(run)
    with run.store.tx() as s:
        s.execute(update(AuditRecord).where(AuditRecord.seq == 3)
                  .values(actor="Somebody Else"))
    v = audit.verify(run.store)
    assert not v.ok and v.broken_seq == 3 and "edited" in v.reason


def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link(run: Run) -> None:
    _fresh(run)
    with run.store.tx() as s:
        r = s.execute(select(AuditRecord).where(AuditRecord.seq == 3)).scalar_one()
        r.action = "tender.nothing"
        r.hash = audit.record_hash(r)
    v = audit.verify(run.store)
    assert not v.ok and v.broken_seq == 4 and "previous-hash" in v.reason


def test_a_deleted_record_is_detected(run: Run) -> None:
    _fresh(run)
    with run.store.tx() as s:
        s.execute(delete(AuditRecord).where(AuditRecord.seq == 2))
    v = audit.verify(run.store)
    assert not v.ok and v.broken_seq == 2 and "deleted" in v.reason


def test_a_deleted_last_record_is_detected(run: Run) -> None:
    n = _fresh(run)
    with run.store.tx() as s:
        s.execute(delete(AuditRecord).where(AuditRecord.seq == n))
    v = audit.verify(run.store)
    assert not v.ok and v.broken_seq == n and "deleted" in v.reason


def test_an_inserted_record_is_detected(run: Run) -> None:
    n = _fresh(run)
    with run.store.tx() as s:
        s.execute(update(AuditRecord).where(AuditRecord.seq == n).values(seq=n + 1))
        r = AuditRecord(seq=n, tender_id=run.tid, at=audit.now(), actor="Mallory",
                        authenticated=False, action="bid.read", detail_json="{}",
                        inputs_hash="0" * 64, code_version="x", prev_hash="0" * 64, hash="")
        r.hash = audit.record_hash(r)
        s.add(r)
        s.execute(update(AuditHead).values(seq=n + 1))
    v = audit.verify(run.store)
    assert not v.ok and v.broken_seq == n


def test_cli_verify_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    run = Run(Store(url))
    run.to("published")
    assert main(["audit", "verify", "--db", url]) == 0
    assert "audit chain holds" in capsys.readouterr().out
    with run.store.tx() as s:
        s.execute(update(AuditRecord).where(AuditRecord.seq == 2).values(detail_json="{}"))
    assert main(["audit", "verify", "--db", url]) == 2
    assert "BROKEN at record 2" in capsys.readouterr().out
    assert main(["audit", "verify", "--db", f"sqlite:///{tmp_path / 'none.sqlite3'}"]) == 2
    assert "no committee database" in capsys.readouterr().err


def test_the_default_database_lives_in_the_data_folder(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOSTWISE_DB_URL", raising=False)
    monkeypatch.setenv("HOSTWISE_DATA_DIR", str(tmp_path / "new" / "folder"))
    store = Store()
    assert (tmp_path / "new" / "folder" / "committee.sqlite3").exists()
    assert audit.verify(store).ok
    store.dispose()
    monkeypatch.setenv("HOSTWISE_DB_URL", f"sqlite:///{tmp_path / 'other.sqlite3'}")
    Store().dispose()
    assert (tmp_path / "other.sqlite3").exists()


def test_the_migrated_schema_equals_the_models(any_store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from scoring.committee.models import Base

    with any_store.engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []
    Store(any_store.url).dispose()  # re-opening an up-to-date database changes nothing
