"""Alembic migrations of the committee schema (run programmatically by ``Store``)."""
