"""Text from outside, made safe for a terminal: the ground floor every other layer may use
(errors, readers, reports, the CLI), so the escaper sits below all of them."""

from __future__ import annotations

#: Spaces kept as they are: the ASCII space and the no-break spaces of French typography
#: (U+00A0 before ":" and ";", U+202F in "1 234"), which translated messages hold; neither
#: moves the cursor, changes direction nor hides text.
_SPACES = " \u00a0\u202f"


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
        if c.isprintable() or c in _SPACES:
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
