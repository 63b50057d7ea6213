"""``hostwise audit report`` is the server's operator exporting a report, never a member: no
``--as``; the report says who made it; the export is an audit record "report.exported" by the
operator; a database it cannot write is refused with exit 2 (issue 18)."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest

from scoring.cli.main import main
from scoring.committee import Store, audit

from .conftest import CHAIR, Run


def test_the_report_is_the_operators_export_and_is_recorded(
        any_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(any_store).to("clarification")
    before = len(audit.records(any_store, run.tid))
    assert main(["audit", "report", str(run.tid), "--db", any_store.url]) == 0
    out = capsys.readouterr().out
    me = f"operator (command line): {getpass.getuser()}"
    assert f"Prepared by {me}, the server's operator" in out
    assert "not a committee member" in out and CHAIR.name not in out.split("\n")[2]
    recs = audit.records(any_store, run.tid)
    assert len(recs) == before + 1
    last = recs[-1]
    assert (last.action, last.actor, last.authenticated) == ("report.exported", me, False)
    assert f"record {last.seq}," in out  # the report's head includes its own export
    assert audit.verify(any_store).ok


def test_impersonating_a_member_is_no_longer_possible(
        any_store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    run = Run(any_store)
    with pytest.raises(SystemExit) as info:
        main(["audit", "report", str(run.tid), "--as", CHAIR.name, "--db", any_store.url])
    assert info.value.code == 2
    assert "unrecognized arguments: --as" in capsys.readouterr().err


def test_a_read_only_database_is_refused_with_exit_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "c.sqlite3"
    store = Store(f"sqlite:///{db}")
    Run(store)
    store.dispose()
    before = db.read_bytes()
    # SQLite's read-only mode (a URI): what an archive on read-only media gives, even to root
    assert main(["audit", "report", "1", "--db", f"sqlite:///file:{db}?mode=ro&uri=true"]) == 2
    err = capsys.readouterr().err
    assert "no report was made" in err and "needs a writable database" in err
    assert "Traceback" not in err and db.read_bytes() == before
