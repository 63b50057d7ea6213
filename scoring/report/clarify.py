"""The clarification list: the ``hostwise clarify --json`` contract and its text."""

from __future__ import annotations

import math
from typing import Any

from ..engine import Evaluation
from ..i18n import N_, _, format_date, format_money
from ..robustness.clarify import ClarificationItem, Clarifications, PairItem
from ..scenario.texts import text as sc_text
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
        return _("excluded either way")
    span = str(best) if best == worst else f"{best}-{worst}"
    return _("{ranks} or excluded").format(ranks=span) if it.excluded_at_an_end else span


def money(quote: float | None) -> str:
    """A winning quote for people, in the run's language (``requests.money`` keeps the
    English words the JSON holds): "€208,453/year", "208 453 €/an"; rounded down to the euro
    so the figure shown still wins."""
    if quote is None:
        return _("no price wins")
    if math.isinf(quote):
        return _("any price")
    return _("{amount}/year").format(amount=format_money(math.floor(quote), digits=0))


# The fixed words ``scoring.robustness.clarify`` puts in an item (kept in English there: the
# JSON holds them), shown to people in the run's language.
_WORDS = {"admitted": N_("admitted"), "excluded": N_("excluded"), "a quote": N_("a quote")}


def _said(v: Any) -> str:
    """An answer's value in words: yes / no and the list's own words in the run's language,
    the rest (an answer as the catalogue writes it) as written."""
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    return _(_WORDS[v]) if isinstance(v, str) and v in _WORDS else str(v)


def _question(it: ClarificationItem) -> str:
    if it.kind == "price":
        return _("prices: {items}").format(items=it.question.removeprefix("prices: "))
    return it.question


def _set_to(it: ClarificationItem) -> str:
    if it.kind == "price" and it.set_to is not None:
        return _("a quote up to {amount}").format(amount=money(it.winning_quote))
    return _said(it.set_to)


def clarify_text(ev: Evaluation, c: Clarifications, top: int | None = 20) -> str:
    out = Lines()
    items = c.items if top is None else c.items[:top]
    out.add(_("Clarification list for {title} ({id}), evaluation date {date}").format(
        title=sc_text(ev.scenario, "title"), id=ev.scenario.id,
        date=format_date(ev.evaluation_date))
        + "\n" + _("hash {hash}").format(hash=ev.hash) + "\n")
    out.add(_("Current leader: {leader}. {n} items (unknown answers, undetermined gates, missing "
              "prices); {n_win} could change the winner on their own.").format(
        leader=c.winner or _("none (no offer passes every gate)"), n=len(c.items),
        n_win=sum(i.changes_winner for i in c.items)) + "\n")
    rows = [[it.offer, _question(it), " / ".join(_said(v) for v in it.could_be),
             f"{fmt(it.total_range[0])}-{fmt(it.total_range[1])}", _ranks(it),
             _("yes -> {winner} (if {value})").format(winner=it.new_winner,
                                                      value=_set_to(it))
             if it.changes_winner else _("no")]
            for it in items]
    out.add(table(rows, [_("offer"), _("question"), _("could be"), _("offer total"),
                         _("offer rank"), _("changes the winner")]))
    if top is not None and len(c.items) > top:
        out.add("\n" + _("... {n} more (--top N to see more, --json for all).").format(
            n=len(c.items) - top))
    quotes = [it for it in c.items if it.kind == "price"]
    if quotes:
        out.add("\n" + _("Winning quotes (the highest annual price at which the offer would "
                         "lead alone; per lot, at which the award would give it the lot):"))
        for it in quotes:
            lots = "; ".join(f"{lot} {money(q)}" for lot, q in it.lot_quotes)
            out.add(f"  {it.offer}: {money(it.winning_quote)}"
                    + (" " + _("(lots: {lots})").format(lots=lots) if lots else ""))
    if c.not_assessed:
        out.add("\n" + _("Not assessed within the time budget: {n} answers (raise "
                         "--budget).").format(n=len(c.not_assessed)))
    out.add("\n" + _("Each answer is resolved alone to each end of its domain, everything else "
                     "as it is; an undetermined gate is resolved to an answer that admits the "
                     "offer; a missing price to the quote that would win (Directive 2014/24/EU "
                     "art. 56(3): written clarification requests)."))
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
    out.add("\n" + (_("Pairs of answers ({tried} pairs tried, {left} left by the time "
                      "budget):") if left else _("Pairs of answers ({tried} pairs tried):"))
            .format(tried=tried, left=left))
    if not pairs:
        out.add("  " + _("no pair of these answers changes the winner when resolved together."))
    for p in pairs:
        (o1, q1, v1), (o2, q2, v2) = p.first, p.second
        out.add("  " + _("{o1} {q1} = {v1} and {o2} {q2} = {v2} -> winner {winner}").format(
            o1=o1, q1=q1, v1=_said(v1), o2=o2, q2=q2, v2=_said(v2), winner=p.new_winner))
    return out.text()
