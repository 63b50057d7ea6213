"""Plain text for the terminal: one table formatter and one number format for every command.

Escaping text from outside lives one floor down, in ``scoring.text``."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.report.numbers import points


def fmt(x: float | None, nd: int = 1) -> str:
    """A score with ``nd`` decimals; ``-`` for a missing value (never ``None`` or ``nan``).
    Rounded by the one rule of ``scoring.report.numbers`` (the app shows the same digits)."""
    return points(x, nd)


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    """Left-aligned columns with a dashed rule under the header; trailing spaces trimmed."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    spec = "  ".join(f"{{:<{w}}}" for w in widths)
    lines = [spec.format(*header), spec.format(*["-" * w for w in widths])]
    lines += [spec.format(*[str(c) for c in r]) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


class Lines:
    """Collects a report's lines (``add`` takes the arguments ``print`` would)."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def add(self, *parts: object) -> None:
        self._parts.append(" ".join(str(p) for p in parts))

    def text(self) -> str:
        return "\n".join(self._parts)
