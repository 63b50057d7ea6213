"""The log is anchored outside the database (``audit head``, the award report,
``verify --expect-head/--expect-count``), verification only reads and refuses what is not a
Hostwise store, and store problems are exit 2 in plain words, never an internal error."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from scoring.cli.main import main
from scoring.committee import CommitteeError, Store, audit, report
from scoring.committee.errors import StoreError

from .conftest import CHAIR, Run


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "c.sqlite3"
    store = Store(f"sqlite:///{path}")
    Run(store).to("opened")
    store.dispose()
    return f"sqlite:///{path}", path


def _head(url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    assert main(["audit", "head", "--db", url]) == 0
    line = capsys.readouterr().out.splitlines()[0]
    seq, h = line.removeprefix("audit head: record ").split(", hash ")
    return int(seq), h


def _sql(path: Path, *stmts: str) -> None:
    c = sqlite3.connect(path)
    for st in stmts:
        c.execute(st)
    c.commit()
    c.close()


def test_a_truncated_log_fails_against_the_filed_head(db: tuple[str, Path],
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    url, path = db
    n, h = _head(url, capsys)
    assert main(["audit", "verify", "--db", url, "--expect-head", h,
                 "--expect-count", str(n)]) == 0
    c = sqlite3.connect(path)
    keep = c.execute("SELECT hash FROM audit_records WHERE seq = 5").fetchone()[0]
    c.close()
    _sql(path, "DELETE FROM audit_records WHERE seq > 5",
         f"UPDATE audit_head SET seq = 5, hash = '{keep}'")
    capsys.readouterr()
    assert main(["audit", "verify", "--db", url, "--expect-count", str(n)]) == 2
    assert f"the log has 5 record(s) but {n} were filed" in capsys.readouterr().out
    assert main(["audit", "verify", "--db", url, "--expect-head", h]) == 2
    assert "is not a record of this log" in capsys.readouterr().out


def test_a_wiped_log_fails_against_the_filed_head(db: tuple[str, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    url, path = db
    n, h = _head(url, capsys)
    tables = ("audit_records", "declarations", "submissions", "members", "tenders")
    _sql(path, *(f"DELETE FROM {t}" for t in tables),
         f"UPDATE audit_head SET seq = 0, hash = '{audit.GENESIS}'")
    assert main(["audit", "verify", "--db", url]) == 0  # alone, nothing to tell
    capsys.readouterr()
    assert main(["audit", "verify", "--db", url, "--expect-count", str(n),
                 "--expect-head", h]) == 2
    assert "truncated or wiped" in capsys.readouterr().out


def test_a_grown_log_still_holds_its_filed_head(run: Run) -> None:
    v = audit.verify(run.store)
    run.to("sealed")
    later = audit.verify(run.store, v.head, v.records)
    assert later.ok and f"the filed head is record {v.records}" in later.anchor
    assert not audit.verify(run.store, "f" * 64).ok


def test_the_award_report_prints_the_head(run: Run) -> None:
    v = audit.verify(run.store)
    md = report.award_markdown(run.store, CHAIR, run.tid)
    assert f"Audit head when this report was made: record {v.records}, hash {v.head}" in md


def test_verify_refuses_another_applications_database(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    path = tmp_path / "other.sqlite3"
    _sql(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    before = path.read_bytes()
    assert main(["audit", "verify", "--db", f"sqlite:///{path}"]) == 2
    assert "is not a Hostwise committee database" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite3"]
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    assert main(["audit", "verify", "--db", f"sqlite:///{empty}"]) == 2
    assert empty.stat().st_size == 0


def test_verify_reads_an_archive_on_read_only_media(db: tuple[str, Path], tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _url, path = db
    archive = tmp_path / "archive"
    archive.mkdir()
    copy = archive / "c.sqlite3"
    copy.write_bytes(path.read_bytes())
    copy.chmod(0o444)
    before = copy.read_bytes()
    try:
        assert main(["audit", "verify", "--db", f"sqlite:///{copy}"]) == 0, \
            capsys.readouterr()
        assert "holds" in capsys.readouterr().out
        assert copy.read_bytes() == before
        assert [p.name for p in archive.iterdir()] == ["c.sqlite3"]  # no -wal, no -shm
        with pytest.raises(StoreError, match="read-only"), \
                Store(f"sqlite:///{copy}", read_only=True).tx() as s:
            s.execute(text("SELECT 1"))
    finally:
        copy.chmod(0o644)


def _head_revision() -> str:
    """The newest migration this program has (``0003_identity.py`` -> ``0003``)."""
    from scoring.committee.store import MIGRATIONS

    return max(p.name[:4] for p in (MIGRATIONS / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))


def _newer(store: Store) -> None:
    with store.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '0099'"))


def test_a_newer_schema_is_refused_with_both_versions(any_store: Store,
                                                      capsys: pytest.CaptureFixture[str]
                                                      ) -> None:
    Run(any_store)
    _newer(any_store)
    any_store.dispose()
    for ro in (False, True):
        with pytest.raises(StoreError, match=r"schema version 0099, newer than this program "
                                             rf"knows \(up to {_head_revision()}\)"):
            Store(any_store.url, read_only=ro)
    assert main(["audit", "verify", "--db", any_store.url]) == 2
    assert "schema version 0099" in capsys.readouterr().err


def test_a_missing_head_row_is_exit_2(any_store: Store,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(any_store)
    with any_store.engine.begin() as c:
        c.execute(text("DELETE FROM audit_head"))
    assert main(["audit", "verify", "--db", any_store.url]) == 2
    assert "head row (table audit_head) is missing" in capsys.readouterr().out
    with pytest.raises(CommitteeError, match="no head row"):
        run.to("published")


@pytest.mark.parametrize("argv", [
    ["template", "-o", "{d}/missing/t.xlsx"],
    ["import", "{d}/t.xlsx", "-o", "{d}/missing/o.yaml"],
    ["export", "data/scenarios/hdh-2026.yaml", "-o", "{d}/missing/x.xlsx"],
    ["audit", "report", "1", "--db", "{db}", "-o", "{d}/missing/r.md"],
])
def test_output_into_a_missing_folder_is_exit_2(argv: list[str], db: tuple[str, Path],
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    from scoring.report.questionnaire_template import template_workbook

    (tmp_path / "t.xlsx").write_bytes(template_workbook())
    args = [a.format(d=tmp_path, db=db[0]) for a in argv]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "internal error" not in err
    assert not os.path.exists(tmp_path / "missing")


def test_the_audit_commands_speak_the_run_language(db: tuple[str, Path],
                                                   capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19: ``hostwise audit`` prints in French under HOSTWISE_LANG=fr (the head's digits
    and the command to file stay as they are: they are typed back)."""
    url, _path = db
    seq, h = _head(url, capsys)
    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    assert main(["audit", "head", "--db", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"tête du journal d'audit\u00a0: enregistrement {seq}, empreinte {h}\n")
    assert (f"à vérifier plus tard avec\u00a0: hostwise audit verify --expect-count {seq} "
            f"--expect-head {h}") in out
    assert main(["audit", "verify", "--db", url]) == 0
    assert "remarque\u00a0: sans --expect-head" in capsys.readouterr().err
