"""Plain text for the terminal: one table formatter and one number format for every command."""

from __future__ import annotations

from collections.abc import Sequence

from scoring.report.numbers import points


def printable(value: object, limit: int = 300) -> str:
    """``value`` as text that is safe on a terminal: every control (C0, DEL, C1), format
    character (bidi overrides, zero-width, soft hyphen...), line/paragraph separator and
    surrogate is written as a visible escape (``\\x1b``, ``\\u009b``, ``\\u202e``); longer
    text is cut at ``limit`` characters with an ellipsis. Printable text comes back unchanged.

    Used by ``Problem.line()`` callers and the CLI printer: everything from outside (vendor
    ids, YAML keys, file names, values quoted in messages) passes here before it is shown.
    """
    s = value if isinstance(value, str) else str(value)
    if len(s) > limit:
        s = s[:limit] + "…"
    if s.isascii() and s.isprintable():
        return s
    out: list[str] = []
    for c in s:
        if c.isprintable() or c == " ":
            out.append(c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x100:
            out.append(f"\\x{ord(c):02x}")
        elif ord(c) < 0x10000:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return "".join(out)


def printable_lines(text: str) -> str:
    """Like ``printable`` but keeps the line breaks of a multi-line message (each line escaped,
    no length cut): for whole messages assembled from already-located problem lines."""
    return "\n".join(printable(line, limit=len(line) + 1) for line in text.split("\n"))


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
