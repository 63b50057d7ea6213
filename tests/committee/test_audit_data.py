"""The audit log vouches for the data: any row of any committee table edited, inserted or
deleted outside the application is named by ``audit verify`` (table, key, field), on SQLite and
PostgreSQL. One committee run per backend is built once; each test tampers with it through a raw
connection (foreign keys off, as an attacker would), checks, and puts the row back exactly."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from scoring.cli.main import main
from scoring.committee import Store, audit, authoring, bids, clarifications, documents, workflow
from scoring.committee.ledger import DATA_TABLES
from scoring.io.catalogue import load_catalogue
from scoring.io.catalogue_yaml import catalogue_document

from .conftest import BIDDER, CHAIR, Run, bid_offers, pg_schema

EDITS = {  # table -> (field, new value): what an insider would change
    "tenders": ("awarded_offer", "gamma"),
    "members": ("role", "chair"),
    "declarations": ("conflict", False),
    "submissions": ("price_json", "[]"),
    "score_sheets": ("submitted_at", None),
    "scores": ("value", 4.0),
    "moderations": ("value", 4.0),
    "clarifications": ("reply_text", "No"),
    "bid_documents": ("data", b"%PDF-1.4 another document"),
}
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


NEW_COLUMNS = {  # migration 0004 (issue 18): each edit is named like any other
    ("tenders", "bid_deadline"): "2099-01-01T00:00:00+00:00",
    ("tenders", "opening_first"): "Mallory",
    ("tenders", "opening_first_at"): "2000-01-01T00:00:00+00:00",
    ("submissions", "technical_salt"): "0" * 32,
    ("submissions", "price_salt"): "0" * 32,
    ("tenders", "catalogue_yaml"): "version: 2\n",  # migration 0006: the tender's catalogue
}


def _build(store: Store) -> Run:
    run = Run(store)  # the tender owns its catalogue (a copy of hdh): the run scores on it
    authoring.adopt_catalogue(store, CHAIR, run.tid, authoring.dump(catalogue_document(
        load_catalogue())), {"from": "the test"})
    run.to("published")
    for o in bid_offers():
        bids.submit_bid(store, BIDDER, run.tid, o)
    documents.attach(store, BIDDER, run.tid, "beta", "memoire.pdf", PDF)
    workflow.seal(store, CHAIR, run.tid, now=run.after_deadline)
    run.to("clarification")
    rid = clarifications.request(store, CHAIR, run.tid, "beta", "tech.managed_kubernetes",
                                 "Managed Kubernetes?", dt.date(2026, 5, 15))
    clarifications.record_reply(store, CHAIR, run.tid, rid, "Yes", True, dt.date(2026, 5, 10))
    workflow.finish_evaluation(store, CHAIR, run.tid, today=dt.date(2026, 5, 20))
    return run.to("awarded")


class Tamper:
    """A built run and a raw engine to change it behind the application's back."""

    def __init__(self, store: Store, raw: Engine, pg: bool) -> None:
        self.store, self.raw, self.pg = store, raw, pg

    def sql(self, stmt: str, **params: Any) -> list[Any]:
        with self.raw.begin() as c:
            if self.pg:
                c.execute(text("SET LOCAL session_replication_role = replica"))  # no FK checks
            res = c.execute(text(stmt), params)
            return list(res.mappings()) if res.returns_rows else []


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[Tamper]:
    where = (contextlib.nullcontext(
        f"sqlite:///{tmp_path_factory.mktemp('audit-data') / 'c.sqlite3'}")
        if request.param == "sqlite" else pg_schema())
    with where as url:
        store = Store(url)
        _build(store)
        raw = create_engine(url)
        yield Tamper(store, raw, pg=request.param == "postgresql")
        raw.dispose()
        store.dispose()


def test_every_committee_table_is_covered() -> None:
    assert {t.name for t in DATA_TABLES} == set(EDITS)


def test_the_untouched_run_is_vouched_for(built: Tamper) -> None:
    v = audit.verify(built.store)
    assert v.ok, v.text()
    assert v.rows >= 20


def _one(t: Tamper, table: str) -> dict[str, Any]:
    rows = t.sql(f"SELECT * FROM {table} ORDER BY id DESC LIMIT 1")
    assert rows, f"the run wrote no {table} row"
    return dict(rows[0])


@pytest.mark.parametrize("table", sorted(EDITS))
def test_an_edited_row_is_named(built: Tamper, table: str) -> None:
    row = _one(built, table)
    field, value = EDITS[table]
    built.sql(f"UPDATE {table} SET {field} = :v WHERE id = :k", v=value, k=row["id"])
    v = audit.verify(built.store)
    built.sql(f"UPDATE {table} SET {field} = :v WHERE id = :k", v=row[field], k=row["id"])
    assert not v.ok and v.difference is not None, v.text()
    assert (v.difference.table, v.difference.row, v.difference.field) == (table, row["id"],
                                                                         field)
    assert "changed outside the application" in v.text()
    assert audit.verify(built.store).ok


@pytest.mark.parametrize("table", sorted(EDITS))
def test_an_inserted_row_is_named(built: Tamper, table: str) -> None:
    row = _one(built, table)
    new = {**row, "id": row["id"] + 1000}
    if "offer_id" in new:  # unique keys
        new["offer_id"] = "zeta"
    for name in ("evaluator", "name", "person"):
        if name in new:
            new[name] = "Mallory"
    cols = ", ".join(new)
    built.sql(f"INSERT INTO {table} ({cols}) VALUES ({', '.join(':' + c for c in new)})",
              **new)
    v = audit.verify(built.store)
    built.sql(f"DELETE FROM {table} WHERE id = :k", k=new["id"])
    assert not v.ok and v.difference is not None, v.text()
    assert (v.difference.table, v.difference.row, v.difference.field) == (table, new["id"],
                                                                         None)
    assert "inserted outside the application" in v.text()
    assert audit.verify(built.store).ok


@pytest.mark.parametrize("table", sorted(EDITS))
def test_a_deleted_row_is_named(built: Tamper, table: str) -> None:
    row = _one(built, table)
    built.sql(f"DELETE FROM {table} WHERE id = :k", k=row["id"])
    v = audit.verify(built.store)
    built.sql(f"INSERT INTO {table} ({', '.join(row)}) VALUES "
              f"({', '.join(':' + c for c in row)})", **row)
    assert not v.ok and v.difference is not None, v.text()
    assert (v.difference.table, v.difference.row) == (table, row["id"])
    assert "deleted outside the application" in v.text() and v.difference.seq
    assert audit.verify(built.store).ok


def test_cli_names_a_withdrawn_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                        ) -> None:
    url = f"sqlite:///{tmp_path / 'c.sqlite3'}"
    store = Store(url)
    Run(store).to("technical_evaluation")
    store.dispose()
    assert main(["audit", "verify", "--db", url]) == 0
    raw = create_engine(url)
    with raw.begin() as c:
        key = c.execute(text("SELECT id FROM declarations WHERE conflict")).scalar_one()
        c.execute(text("UPDATE declarations SET conflict = 0"))
    raw.dispose()
    capsys.readouterr()
    assert main(["audit", "verify", "--db", url]) == 2
    out = capsys.readouterr().out
    assert f"table declarations, row id {key}, field conflict" in out, out


def test_a_store_from_before_row_digests_gets_a_baseline(any_store: Store) -> None:
    """A 0001 store's records carry no rows: verify says so; the upgrade (reopening) records
    every row once, and from then on the data is vouched for."""
    from sqlalchemy import select

    from scoring.committee.models import AuditHead, AuditRecord

    Run(any_store).to("sealed")
    with any_store.engine.begin() as c:  # what a 0001 store holds: records without rows
        prev = audit.GENESIS
        for r in c.execute(select(AuditRecord).order_by(AuditRecord.seq)).all():
            rec = AuditRecord(**{k: getattr(r, k) for k in r._fields})
            rec.rows_json, rec.prev_hash = None, prev
            rec.hash = audit.record_hash(rec)
            c.execute(AuditRecord.__table__.update().where(AuditRecord.seq == rec.seq)
                      .values(rows_json=None, prev_hash=prev, hash=rec.hash))
            prev = rec.hash
        c.execute(AuditHead.__table__.update().values(hash=prev))
    v = audit.verify(any_store)
    assert not v.ok and "predate row digests" in v.text(), v.text()
    reopened = Store(any_store.url)
    try:
        v = audit.verify(reopened)
        assert v.ok, v.text()
        assert audit.records(reopened)[-1].action == "audit.baseline"
        n = v.records
        Store(any_store.url).dispose()  # once only
        assert audit.verify(reopened).records == n
        with reopened.engine.begin() as c:
            c.execute(text("UPDATE submissions SET vendor_name = 'Mallory'"))
        v = audit.verify(reopened)
        assert v.difference is not None and v.difference.field == "vendor_name"
    finally:
        reopened.dispose()


@pytest.mark.parametrize(("table", "field"), sorted(NEW_COLUMNS))
def test_an_edited_opening_or_deadline_field_is_named(built: Tamper, table: str,
                                                      field: str) -> None:
    row = _one(built, table)
    assert row[field], f"the run left {table}.{field} empty: nothing to tamper with"
    built.sql(f"UPDATE {table} SET {field} = :v WHERE id = :k", v=NEW_COLUMNS[(table, field)],
              k=row["id"])
    v = audit.verify(built.store)
    built.sql(f"UPDATE {table} SET {field} = :v WHERE id = :k", v=row[field], k=row["id"])
    assert not v.ok and v.difference is not None, v.text()
    assert (v.difference.table, v.difference.row, v.difference.field) == (table, row["id"],
                                                                         field)
    assert audit.verify(built.store).ok
