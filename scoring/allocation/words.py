"""Plain words for amounts and rules: "€1.2 M", "2 vendors", "at SEAL-3"."""

from __future__ import annotations

import math


def eur(amount: float, *, up: bool = False, down: bool = False) -> str:
    """€1.2 M, €350 k, €4.5 k, €800. With ``up`` the shown figure is rounded up, so that a
    shortfall "short by €1.3 M" is enough when added to the budget; with ``down`` it is rounded
    down, so that a ceiling "a quote ≤ €63.6 k wins" is never above the true one."""
    a = abs(amount)
    if a >= 1e6:
        div, digits, unit = 1e6, 1, " M"
    elif a >= 1e4:
        div, digits, unit = 1e3, 0, " k"
    elif a >= 1e3:
        div, digits, unit = 1e3, 1, " k"
    else:
        div, digits, unit = 1.0, 0, ""
    q = a / div
    if up:
        step = 10.0**-digits
        q = math.ceil(q / step - 1e-9) * step
    elif down:
        step = 10.0**-digits
        q = math.floor(q / step + 1e-9) * step
    sign = "-" if amount < 0 and q > 0 else ""
    return f"{sign}€{q:,.{digits}f}{unit}"


def plural(n: int | float, word: str) -> str:
    """``2 vendors``, ``1 lot``."""
    return f"{n:g} {word}" + ("" if n == 1 else "s")


def and_list(names: list[str] | tuple[str, ...]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def pct(share: float) -> str:
    """A share as a percentage: whole when it is one (60%), else one decimal (52.5%)."""
    return f"{share:.0%}" if abs(share * 100 - round(share * 100)) < 1e-9 else f"{share:.1%}"


def at_floors(seal: int | None, legal: float | None) -> str:
    """`` at SEAL-3 and legal utility ≥ 60`` (empty without floors)."""
    parts = []
    if seal is not None:
        parts.append(f"SEAL-{seal}")
    if legal is not None:
        parts.append(f"legal utility ≥ {legal:g}")
    return " at " + " and ".join(parts) if parts else ""


__all__ = ["and_list", "at_floors", "eur", "pct", "plural"]
