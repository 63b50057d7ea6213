"""Where committee work lives: an embedded SQLite file by default, PostgreSQL by URL.

- ``HOSTWISE_DB_URL`` (e.g. ``postgresql+psycopg://user@host/db``) names a shared committee
  server; several stateless app processes may use it at once (scale-out is the database's job).
- Otherwise ``<HOSTWISE_DATA_DIR>/committee.sqlite3``; the folder defaults to
  ``$XDG_DATA_HOME/hostwise`` (``~/.local/share/hostwise``) and is created on first start.

Opening a store runs the Alembic migrations to ``head`` (no setup step for a committee member).
Writes are serialised where the audit chain needs it: on SQLite every transaction starts with
``BEGIN IMMEDIATE`` (one writer at a time, others wait up to ``busy_timeout``), on PostgreSQL the
audit head row is locked ``FOR UPDATE`` (see ``audit.append``). A concurrent edit of the same
row is refused by the version columns (``models``) as ``ConcurrentEditError``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from .errors import CommitteeError, ConcurrentEditError

DB_FILE = "committee.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 60_000
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


def _sqlite_serialised(engine: Engine) -> None:
    """SQLite: WAL (readers never block the writer), a busy timeout, and BEGIN IMMEDIATE so two
    writers queue instead of failing on a read-to-write lock upgrade (SQLAlchemy docs,
    "Serializable isolation / Savepoints / Transactional DDL" for pysqlite)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get("hostwise_read", False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


class Store:
    """A migrated database and its sessions. ``Store()`` opens the default database."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        if self.url.startswith("sqlite:///") and not self.url.startswith("sqlite:///:memory:"):
            Path(self.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url, future=True, pool_pre_ping=True)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_serialised(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(hostwise_read=True),
                                     expire_on_commit=False)
        self.upgrade()

    def upgrade(self) -> None:
        """Run every migration up to ``head`` (idempotent; safe from concurrent processes)."""
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error; a lost
        optimistic lock becomes ``ConcurrentEditError``, a duplicate key a ``CommitteeError``.
        Writers are serialised (SQLite: BEGIN IMMEDIATE; PostgreSQL: the audit head row is
        locked first), so a check and the act it guards can never interleave with another
        writer's, and the audit chain grows one record at a time."""
        try:
            with self._sessions.begin() as s:
                if self.dialect == "postgresql":  # one writer at a time, as on SQLite
                    s.execute(text("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE"))
                yield s
        except StaleDataError:
            raise ConcurrentEditError() from None
        except IntegrityError as exc:
            raise CommitteeError(f"this was already recorded ({exc.orig})") from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only transaction (on SQLite a plain BEGIN: it never waits for a writer)."""
        with self._readers.begin() as s:
            yield s

    def dispose(self) -> None:
        self.engine.dispose()
