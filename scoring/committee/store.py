"""Where committee work lives: an embedded SQLite file by default, PostgreSQL by URL.

- ``HOSTWISE_DB_URL`` (e.g. ``postgresql+psycopg://user@host/db``) names a shared committee
  server; several stateless app processes may use it at once (scale-out is the database's job).
- Otherwise ``<HOSTWISE_DATA_DIR>/committee.sqlite3``; the folder defaults to
  ``$XDG_DATA_HOME/hostwise`` (``~/.local/share/hostwise``) and is created on first start.

Opening a store runs the Alembic migrations to ``head`` (no setup step for a committee member).
Writes are serialised where the audit chain needs it: on SQLite every transaction starts with
``BEGIN IMMEDIATE`` (one writer at a time; a waiting writer retries every few milliseconds for
up to ``WRITE_WAIT_S``, then gets a plain ``StoreBusy``: ``_begin_write``), on PostgreSQL the
audit head row is locked ``FOR UPDATE`` (see ``audit.append``). A concurrent edit of the same
row is refused by the version columns (``models``) as ``ConcurrentEditError``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from . import chain, ledger
from .errors import CommitteeError, ConcurrentEditError, StoreError

DB_FILE = "committee.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000  # any other wait on a lock (a reader, a checkpoint), per statement
WRITE_WAIT_S = 20.0  # the stated bound: a writer waits this long for the write lock, then fails
WRITE_RETRY_MAX_S = 0.010  # the longest pause between two tries for the write lock
MAX_STORED = 5_000_000  # characters of any text column without a stated limit
_MIGRATION_LOCK = 7_245_113  # PostgreSQL advisory lock key: one migrating process at a time


def data_dir() -> Path:
    """The folder of the embedded database (created on first use)."""
    env = os.environ.get("HOSTWISE_DATA_DIR")
    if env:
        base = Path(env).expanduser()
    else:
        xdg = os.environ.get("XDG_DATA_HOME")
        base = (Path(xdg) if xdg else Path.home() / ".local" / "share") / "hostwise"
    base.mkdir(parents=True, exist_ok=True)
    return base


def default_url() -> str:
    """``HOSTWISE_DB_URL`` when set, else the embedded SQLite file in ``data_dir()``."""
    return os.environ.get("HOSTWISE_DB_URL") or f"sqlite:///{data_dir() / DB_FILE}"


def _sqlite_serialised(engine: Engine, read_only: bool = False) -> None:
    """SQLite: WAL (readers never block the writer), a busy timeout, and BEGIN IMMEDIATE so two
    writers queue instead of failing on a read-to-write lock upgrade (SQLAlchemy docs,
    "Serializable isolation / Savepoints / Transactional DDL" for pysqlite)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if read_only:  # never change the file (WAL mode would be a write)
            cur.execute("PRAGMA query_only = ON")
        else:
            cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        reading = read_only or conn.get_execution_options().get("hostwise_read", False)
        if reading:
            conn.exec_driver_sql("BEGIN")
        else:
            _begin_write(conn.connection.driver_connection)


class StoreBusy(StoreError):
    """Other writers held the SQLite write lock for longer than ``WRITE_WAIT_S``."""


def _begin_write(dbapi_conn: sqlite3.Connection, wait_s: float | None = None) -> None:
    """``BEGIN IMMEDIATE``, retried on "database is locked" every 0-10 ms (random) until it
    succeeds or ``WRITE_WAIT_S`` has passed (then ``StoreBusy``, a plain error).

    Why not SQLite's own busy handler: it sleeps 1, 2, 5 … then 100 ms between tries, and a
    try only wins if it lands in the short gap between two other writers' transactions; with
    four busy writers one save waited 27 s (issue 18, defect 9). Short random pauses give every
    waiter many tries per second, so the wait stays near the other writers' own work. Retrying
    here is always safe: nothing of the transaction has run yet, and once BEGIN IMMEDIATE
    succeeds the transaction holds the write lock until it commits (WAL: commit needs no other
    lock), so no later statement of it can find the database locked by a writer."""
    bound = WRITE_WAIT_S if wait_s is None else wait_s
    deadline = time.monotonic() + bound
    cur = dbapi_conn.cursor()
    try:
        cur.execute("PRAGMA busy_timeout = 0")  # fail at once; this loop does the waiting
        while True:
            try:
                cur.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"the committee database stayed locked by other writers for "
                                    f"{bound:g} s; nothing was saved: try again") from None
            time.sleep(random.uniform(0.0, WRITE_RETRY_MAX_S))
    finally:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.close()


def _check_limits(session: Session, _ctx: Any, _instances: Any) -> None:
    """``before_flush``: refuse, before anything is written, a text longer than its column's
    limit or holding a NUL character. Why here: SQLite stores 100,000 characters in a
    VARCHAR(500) and PostgreSQL raises ``DataError``; checking every new or changed row against
    the models makes both backends refuse the same things, with the limit, and nothing is ever
    cut silently."""
    for obj in (*session.new, *session.dirty):
        table = getattr(type(obj), "__table__", None)
        if table is None:
            continue
        for col in table.columns:
            v = getattr(obj, col.key, None)
            if not isinstance(v, str):
                continue
            limit = col.info.get("max_chars") or getattr(col.type, "length", None) or MAX_STORED
            label = col.info.get("label") or f"{table.name}.{col.name}"
            if len(v) > limit:
                raise LimitError(f"the {label} has {len(v):,} characters; the limit is "
                                 f"{limit:,}")
            if "\x00" in v:
                raise LimitError(f"the {label} contains a NUL character")


class LimitError(CommitteeError):
    """A text over its limit (raised before writing; ``Store.tx`` adds what was not saved)."""


def _plain(exc: BaseException) -> str:
    """A database error in one line, without SQL or parameters (they may hold sealed data)."""
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return first[:200]


class Store:
    """A migrated database and its sessions. ``Store()`` opens the default database.

    ``Store(url, read_only=True)`` opens an existing Hostwise store for verification: never
    migrated, never written (SQLite ``mode=ro``, ``immutable`` when the file itself is not
    writable, e.g. an archive on read-only media; PostgreSQL read-only transactions), and a
    database that is not a Hostwise store, or of a newer schema, is refused (``StoreError``).
    """

    def __init__(self, url: str | None = None, read_only: bool = False) -> None:
        self.url = url or default_url()
        self.read_only = read_only
        engine_url = self.url
        if read_only:
            engine_url = _read_only_url(self.url)
        elif self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        try:
            sqlite_args = ({"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
                           if engine_url.startswith("sqlite") else {})
            self.engine = create_engine(engine_url, future=True, pool_pre_ping=True,
                                        **sqlite_args)
        except (SQLAlchemyError, ValueError, ImportError) as exc:
            raise StoreError(f"cannot open the committee database {self.url}: "
                             f"{_plain(exc)}") from None
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_serialised(self.engine, read_only)
        elif read_only and self.dialect == "postgresql":
            self.engine = self.engine.execution_options(postgresql_readonly=True)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(hostwise_read=True),
                                     expire_on_commit=False)
        for maker in (self._sessions, self._readers):
            event.listen(maker, "before_flush", _check_limits)
            event.listen(maker, "after_flush", ledger.track)
        try:
            if read_only:
                self.check_schema()
            else:
                self.upgrade()
                self._baseline()
        except StoreError:
            self.engine.dispose()
            raise
        except SQLAlchemyError as exc:
            self.engine.dispose()
            raise StoreError(f"cannot open the committee database {self.url}: "
                             f"{_plain(exc)}") from None

    def _revisions(self) -> tuple[Config, ScriptDirectory]:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return cfg, ScriptDirectory.from_config(cfg)

    def _current(self, conn: Any, script: ScriptDirectory, writing: bool) -> str | None:
        """The schema revision of the database, refusing a foreign or newer one."""
        names = set(inspect(conn).get_table_names())
        head = script.get_current_head()
        if "alembic_version" not in names:
            if names or not writing:
                what = (f"it has {len(names)} table(s) ({', '.join(sorted(names)[:5])}"
                        f"{' …' if len(names) > 5 else ''}) but no Hostwise schema version"
                        if names else "it is empty")
                raise StoreError(f"{self.url} is not a Hostwise committee database: {what}")
            return None
        rev = MigrationContext.configure(conn).get_current_revision()
        known = {r.revision for r in script.walk_revisions()}
        if rev is not None and rev not in known:
            raise StoreError(f"the committee database {self.url} has schema version {rev}, "
                             f"newer than this program knows (up to {head}): use the newer "
                             "Hostwise that wrote it")
        if not writing and (rev is None or not {"audit_records", "audit_head"} <= names):
            raise StoreError(f"{self.url} is not a Hostwise committee database: no audit log "
                             "tables")
        return rev

    def _baseline(self) -> None:
        """A store upgraded from schema 0001: record its rows once (``chain.baseline``)."""
        with self.read() as s:
            if not chain.needs_baseline(s):
                return
        with self.tx("the audit baseline") as s:
            if chain.needs_baseline(s):  # not done meanwhile by another process
                chain.baseline(s)

    def check_schema(self) -> None:
        """Read-only: the database is a Hostwise store this program can read as it is."""
        _cfg, script = self._revisions()
        with self.engine.connect() as conn:
            rev = self._current(conn, script, writing=False)
            head = script.get_current_head()
            if rev != head:
                raise StoreError(f"the committee database {self.url} has schema version {rev}; "
                                 f"this program reads version {head}: open it once with the "
                                 "application to upgrade it (a read-only check never does)")

    def upgrade(self) -> None:
        """Run every migration up to ``head`` (idempotent; safe from concurrent processes)."""
        cfg, script = self._revisions()
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            self._current(conn, script, writing=True)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def tx(self, what: str = "this change") -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error; a lost
        optimistic lock becomes ``ConcurrentEditError``, a duplicate key a ``CommitteeError``,
        any other database error (disk full, a value the database refuses) a ``StoreError``
        saying that ``what`` was not saved. Writers are serialised (SQLite: BEGIN IMMEDIATE;
        PostgreSQL: the audit head row is locked first), so a check and the act it guards can
        never interleave with another writer's, and the audit chain grows one record at a time.
        Before commit the rows written are sealed into the transaction's audit record
        (``audit.seal``)."""
        if self.read_only:
            raise StoreError(f"{what} was not saved: the database is open read-only")
        try:
            with self._sessions.begin() as s:
                if self.dialect == "postgresql":  # one writer at a time, as on SQLite
                    s.execute(text("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE"))
                yield s
                chain.seal(s)
        except StaleDataError:
            raise ConcurrentEditError() from None
        except IntegrityError as exc:
            raise CommitteeError(f"this was already recorded ({_plain(exc)})") from None
        except LimitError as exc:
            raise LimitError(f"{what} was not saved: {exc}") from None
        except DBAPIError as exc:
            raise StoreError(f"{what} was not saved: the database refused it "
                             f"({_plain(exc)})") from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (on SQLite a plain BEGIN: it never waits for a writer)."""
        try:
            with self._readers.begin() as s:
                yield s
        except DBAPIError as exc:
            raise StoreError(f"cannot read the committee database: {_plain(exc)}") from None

    def dispose(self) -> None:
        self.engine.dispose()


def _read_only_url(url: str) -> str:
    """SQLite: the same file as a read-only URI (``immutable`` when the file cannot be written:
    nobody can be writing it, and SQLite then needs no lock or ``-shm`` file beside it)."""
    if not url.startswith("sqlite:///"):
        return url
    path = Path(url.removeprefix("sqlite:///").split("?", 1)[0])
    if not path.is_file():
        raise StoreError(f"no committee database at {path}")
    frozen = (not path.stat().st_mode & 0o222  # read-only file (even for root)
              or not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK))
    return (f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro"
            + ("&immutable=1" if frozen else "") + "&uri=true")

