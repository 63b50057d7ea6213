"""Moved to ``scoring.report.text`` (kept only while callers migrate)."""

from .report.text import table

__all__ = ["table"]
