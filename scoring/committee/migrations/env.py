"""Alembic environment: migrations run on the connection ``Store`` hands over.

Why programmatic only: a committee member never runs ``alembic upgrade``; opening the workspace
upgrades the schema (``Store.upgrade``), inside the caller's transaction and lock. Imported
outside Alembic (a test walking every module), this file does nothing.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from scoring.committee.models import Base


def _run(config: Any) -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run the committee migrations through scoring.committee.store.Store")
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


try:
    _config: Any = context.config
except AttributeError:  # not inside an Alembic command
    _config = None
if _config is not None:
    _run(_config)
