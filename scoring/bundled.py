"""Where the bundled data lives (the catalogue, the legal timeline, the scenarios): one place
on the ground floor, so the readers of each file need not import one another to find it."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
