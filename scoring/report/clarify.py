"""The clarification list: the ``hostwise clarify --json`` contract and its text."""

from __future__ import annotations

from typing import Any

from ..engine import Evaluation
from ..robustness.clarify import ClarificationItem, Clarifications, PairItem
from ..robustness.requests import money
from .text import Lines, fmt, table


def _value(v: Any) -> Any:
    return v if isinstance(v, bool | int | float | str) or v is None else str(v)


def item_json(it: ClarificationItem) -> dict[str, Any]:
    return {
        "offer": it.offer, "question": it.question, "current": it.current,
        "could_be": [_value(v) for v in it.could_be],
        "total_range": [None if x is None else round(x, 6) for x in it.total_range],
        "rank_range": list(it.rank_range),
        "changes_winner": it.changes_winner, "new_winner": it.new_winner,
        "set_to": _value(it.set_to), "path": it.path,
        "excluded_at_an_end": it.excluded_at_an_end,
        "kind": it.kind,
        "winning_quote": _quote(it.winning_quote),
        "lot_quotes": [{"lot": lot, "winning_quote": _quote(q)} for lot, q in it.lot_quotes],
    }


def _quote(q: float | None) -> float | str | None:
    """EUR/year, "any" for a quote that wins at any price (JSON has no infinity), None: none."""
    return None if q is None else "any" if q == float("inf") else round(q, 2)


def clarify_json(ev: Evaluation, c: Clarifications, top: int | None = None) -> dict[str, Any]:
    """``{scenario, hash, items: [...]}`` (plus the winner and what the time budget left)."""
    items = c.items if top is None else c.items[:top]
    return {
        "scenario": ev.scenario.id, "hash": ev.hash, "winner": c.winner,
        "assumptions": list(ev.assumption_ids),
        "items": [item_json(it) for it in items],
        "count": len(c.items),
        "not_assessed": [{"offer": o, "question": q} for o, q in c.not_assessed],
    }


def _ranks(it: ClarificationItem) -> str:
    best, worst = it.rank_range
    if best is None:
        return "excluded either way"
    span = str(best) if best == worst else f"{best}-{worst}"
    return f"{span} or excluded" if it.excluded_at_an_end else span


def clarify_text(ev: Evaluation, c: Clarifications, top: int | None = 20) -> str:
    out = Lines()
    items = c.items if top is None else c.items[:top]
    out.add(f"Clarification list for {ev.scenario.title} ({ev.scenario.id}), evaluation date "
            f"{ev.evaluation_date}\nhash {ev.hash}\n")
    out.add(f"Current leader: {c.winner or 'none (no offer passes every gate)'}. "
            f"{len(c.items)} items (unknown answers, undetermined gates, missing prices); "
            f"{sum(i.changes_winner for i in c.items)} could change the winner on their own.\n")
    rows = [[it.offer, it.question, " / ".join(str(v) for v in it.could_be),
             f"{fmt(it.total_range[0])}-{fmt(it.total_range[1])}", _ranks(it),
             f"yes -> {it.new_winner} (if {it.set_to})" if it.changes_winner else "no"]
            for it in items]
    out.add(table(rows, ["offer", "question", "could be", "offer total", "offer rank",
                         "changes the winner"]))
    if top is not None and len(c.items) > top:
        out.add(f"\n... {len(c.items) - top} more (--top N to see more, --json for all).")
    quotes = [it for it in c.items if it.kind == "price"]
    if quotes:
        out.add("\nWinning quotes (the highest annual price at which the offer would lead alone; "
                "per lot, at which the award would give it the lot):")
        for it in quotes:
            lots = "; ".join(f"{lot} {money(q)}" for lot, q in it.lot_quotes)
            out.add(f"  {it.offer}: {money(it.winning_quote)}" + (f" (lots: {lots})" if lots
                                                                  else ""))
    if c.not_assessed:
        out.add(f"\nNot assessed within the time budget: {len(c.not_assessed)} answers "
                "(raise --budget).")
    out.add("\nEach answer is resolved alone to each end of its domain, everything else as it "
            "is; an undetermined gate is resolved to an answer that admits the offer; a missing "
            "price to the quote that would win (Directive 2014/24/EU art. 56(3): written "
            "clarification requests).")
    return out.text()


def pairs_json(pairs: tuple[PairItem, ...], tried: int, left: int) -> dict[str, Any]:
    return {
        "tried": tried, "not_tried_in_budget": left,
        "items": [{"answers": [{"offer": o, "question": q, "set_to": _value(v)}
                               for o, q, v in (p.first, p.second)],
                   "new_winner": p.new_winner} for p in pairs],
    }


def pairs_text(pairs: tuple[PairItem, ...], tried: int, left: int) -> str:
    out = Lines()
    out.add(f"\nPairs of answers ({tried} pairs tried"
            + (f", {left} left by the time budget" if left else "") + "):")
    if not pairs:
        out.add("  no pair of these answers changes the winner when resolved together.")
    for p in pairs:
        (o1, q1, v1), (o2, q2, v2) = p.first, p.second
        out.add(f"  {o1} {q1} = {v1} and {o2} {q2} = {v2} -> winner {p.new_winner}")
    return out.text()
