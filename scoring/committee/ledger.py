"""What the audit log says about the data: the committee rows each transaction wrote.

Why: a hash chain only vouches for itself. Someone with write access to the database could
``UPDATE declarations SET conflict = 0`` and the chain would still hold. So every transaction
that writes a committee row records, in its (last) audit record, the row's key and a digest of
each of its fields after the write (``null`` for a deleted row). The digests are hashed into the
record like everything else, so they cannot be changed without breaking the chain. ``verify``
replays them in order and compares the state they imply with every committee table, naming the
first row (table, key, field) that differs, and every row inserted or deleted outside the log.
A field the log never recorded for a row (a column a later migration added, e.g. 0003's member
identity) must be empty: filled in outside the application, it is named like any other edit.

Field digests rather than values: the sealed envelopes must not be readable from the log, and a
digest per field (not per row) lets verification name the field that was edited.

The rows are collected by the ORM (``track``: the session's flushes) and read back from the
database at the end of the transaction (``seal``), so what is digested is what a later read
returns on SQLite and PostgreSQL alike (a Python ``3`` written to a float column reads ``3.0``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Boolean, Date, Float, Integer, LargeBinary, Table, inspect, select
from sqlalchemy.orm import Session

from ..hashing import canonical_json, digest, sha256_bytes
from .models import Base

LOG_TABLES = frozenset({"audit_records", "audit_head"})
DATA_TABLES: tuple[Table, ...] = tuple(t for t in Base.metadata.sorted_tables
                                       if t.name not in LOG_TABLES)
_BY_NAME = {t.name: t for t in DATA_TABLES}
TOUCHED = "hostwise_touched"  # session.info key: {(table, id)} written in this transaction

RowDigests = dict[str, str]  # field -> digest of its value
Changes = dict[str, dict[str, RowDigests | None]]  # table -> id -> digests (None: deleted)


def _value(col: Any, v: Any) -> Any:
    """The value in one form on both backends (types as the column declares them)."""
    if v is None:
        return None
    t = col.type
    if isinstance(t, Boolean):
        return bool(v)
    if isinstance(t, Float):
        return float(v)
    if isinstance(t, Integer):
        return int(v)
    if isinstance(t, Date):
        return v.isoformat() if isinstance(v, dt.date) else str(v)
    if isinstance(t, LargeBinary):  # a document: its SHA-256 (bytes or memoryview alike)
        return sha256_bytes(bytes(v))
    return str(v)


_NULL = digest(None)  # the digest of an empty field


def row_digests(table: Table, row: Mapping[Any, Any]) -> RowDigests:
    """Each field of one row (the key ``id`` aside) as the digest of its value. A sealed
    envelope (a column whose ``info`` names its ``salted_by`` column) is digested with its
    bid's salt: a plain digest would show two identical envelopes as identical in the log
    before opening, which the salted envelope hashes exist to prevent (``bids``). An edit is
    caught all the same: the salt is a field of the same row, digested too."""
    out = {}
    for c in table.columns:
        if c.name == "id":
            continue
        salt = row[c.info["salted_by"]] if "salted_by" in c.info else None
        v = _value(c, row[c.name])
        out[c.name] = digest(v if salt is None else [salt, v])
    return out


def track(session: Session, _ctx: Any) -> None:
    """``after_flush`` hook: remember every committee row this flush inserted, changed or
    deleted (the ORM's own record of it, so no service can forget one)."""
    touched: set[tuple[str, int]] = session.info.setdefault(TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(obj), "__table__", None)
        if table is None or table.name not in _BY_NAME:
            continue
        key = inspect(obj).mapper.primary_key_from_instance(obj)[0]  # set by the INSERT
        if key is not None:
            touched.add((table.name, int(key)))


def changes(s: Session) -> Changes:
    """The rows this transaction wrote, read back as they now are (call after a flush)."""
    out: Changes = {}
    for name, key in sorted(s.info.pop(TOUCHED, set())):
        table = _BY_NAME[name]
        row = s.execute(select(table).where(table.c.id == key)).mappings().first()
        out.setdefault(name, {})[str(key)] = None if row is None else row_digests(table, row)
    return out


def encode(ch: Changes) -> str:
    return canonical_json(ch)


@dataclass(frozen=True)
class Difference:
    """The first place where the tables and the log's replay disagree."""

    table: str
    row: int
    field: str | None  # None: the whole row (inserted or deleted outside the log)
    seq: int | None  # the record that last wrote the row (None: never logged)
    what: str

    def text(self) -> str:
        where = f"table {self.table}, row id {self.row}"
        if self.field:
            where += f", field {self.field}"
        by = f" (last written by audit record {self.seq})" if self.seq else ""
        return f"{where}{by}: {self.what}"


def compare(s: Session, replay: Mapping[tuple[str, int], tuple[RowDigests, int]]
            ) -> tuple[Difference | None, int]:
    """Compare every committee table with the replayed log; the first difference (tables in
    dependency order, rows by key) and how many rows were checked."""
    n = 0
    for table in DATA_TABLES:
        # rows are streamed and kept as digests only: a table of documents (20 MB each) is
        # never held in memory at once
        batch = 1 if any(isinstance(c.type, LargeBinary) for c in table.columns) else 500
        actual = {int(r["id"]): row_digests(table, r) for r in s.execute(
            select(table).execution_options(yield_per=batch)).mappings()}
        logged = {k for (name, k) in replay if name == table.name}
        for key in sorted(set(actual) | logged):
            n += 1
            have = actual.get(key)
            want = replay.get((table.name, key))
            if want is None:
                return Difference(table.name, key, None, None,
                                  "this row is not in the audit log (inserted outside the "
                                  "application)"), n
            if have is None:
                return Difference(table.name, key, None, want[1],
                                  "the audit log recorded this row but it is missing (deleted "
                                  "outside the application)"), n
            salted = {c.name for c in table.columns if "salted_by" in c.info}
            # an edited salt also changes its envelope's digest: name the salt, the cause
            for field in sorted(set(have) | set(want[0]), key=lambda f: (f in salted, f)):
                if field not in want[0] and have[field] == _NULL:
                    continue  # a column added by a later migration, still empty (0003)
                if have.get(field) != want[0].get(field):
                    return Difference(table.name, key, field, want[1],
                                      "its value differs from the one the audit log recorded "
                                      "(changed outside the application)"), n
    return None, n


def apply(replay: dict[tuple[str, int], tuple[RowDigests, int]], ch: Mapping[str, Any],
          seq: int) -> None:
    """Replay one record's changes onto ``replay``."""
    for name, rows in ch.items():
        for key, fields in rows.items():
            if fields is None:
                replay.pop((name, int(key)), None)
            else:
                replay[(name, int(key))] = (dict(fields), seq)


def table_names() -> Iterable[str]:
    return _BY_NAME.keys()
