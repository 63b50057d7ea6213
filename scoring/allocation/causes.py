"""Why no award exists, in one grouped line per cause (``Cause``), missing prices first.

Why a separate layer. ``explain`` answers "which rules must give, by how much": correct, but on
a tender where most offers still lack prices it answers the wrong question (the rules are not
the problem, the price sheets are), in as many sentences as there are conflicts and offers.
Here the causes are stated the way a buyer acts on them:

- ``unpriced``: offers pass a lot's gates and floors but have no price for some of its items,
  so they cannot be awarded it. Lots with the same offers priced and unpriced share one line:
  who is eligible, who has prices, whom to ask for quotes, and per lot the winning quote
  (``quotes.winning_quote``: the highest annual price at which the offer would be awarded the
  lot). Stated only when prices are the way out: with every such offer priced at 0 an award
  exists (a price is never below 0, and the budget only tightens as it rises), and a line is
  given only when some quote would win one of its lots or one of them has no priced offer at
  all; its other lots are named with "no price wins", so that nobody asks for a useless quote.
  A winning quote is that of one offer on one lot, every other bid as it is: when two lots or
  more can only go to offers without prices, no single quote gives an award, so the line says
  that each of them needs a quote instead of printing quotes that would all read "no price".
- ``coverage``: lots nobody can take (``checks.coverage_issues``), one line for the lots with
  the same reasons, unless the line above already says it (its eligible offers lack prices).
- ``rules``: each remaining conflict of ``explain``, its sentence as is (the verified fixes stay
  in the ``Relaxation``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .checks import bids_by_lot, effective_floors, quotable
from .model import Deadline
from .optimum import optimum
from .problem import AllocationProblem, Bid
from .quotes import QuoteUndecided, winning_quote
from .results import Cause, Quote, Relaxation
from .words import and_list, eur, plural


@dataclass(frozen=True)
class PriceGap:
    """One lot's offers that pass its gates and floors: those with prices, those without
    (``waiting``, in bid order) and the items the latter miss."""

    lot: str
    priced: tuple[str, ...]
    waiting: tuple[str, ...]
    items: tuple[str, ...]


def price_gaps(problem: AllocationProblem) -> list[PriceGap]:
    """The lots where some offer passing the gates and floors has no price, in lot order."""
    out = []
    by_lot = bids_by_lot(problem)
    for lot in problem.lots:
        seal, legal = effective_floors(lot, None, None)
        bids = by_lot[lot.id]
        waiting = [b for b in bids if quotable(b, seal, legal)]
        if not waiting:
            continue
        passing = [b for b in bids if b.eligible and _meets(b, seal, legal)]
        items = tuple(dict.fromkeys(i for b in waiting for i in b.unpriced))
        out.append(PriceGap(lot.id, tuple(b.offer for b in passing),
                            tuple(b.offer for b in waiting), items))
    return out


def _meets(b: Bid, seal: int | None, legal: float | None) -> bool:
    if seal is not None and (b.seal is None or b.seal < seal):
        return False
    return legal is None or (b.legal_utility is not None and b.legal_utility >= legal - 1e-9)


def all_priced_at_zero(problem: AllocationProblem, gaps: list[PriceGap]) -> AllocationProblem:
    """The problem with every waiting offer's missing lines priced at 0."""
    waiting = {(o, g.lot) for g in gaps for o in g.waiting}

    def priced(b: Bid) -> Bid:
        if (b.offer, b.lot) not in waiting:
            return b
        return replace(b, eligible=True, reasons=(), unpriced=())

    return AllocationProblem(problem.lots, tuple(priced(b) for b in problem.bids), problem.rules)


def find_causes(
    problem: AllocationProblem, relaxations: tuple[Relaxation, ...], deadline: Deadline
) -> tuple[tuple[Cause, ...], bool]:
    """The causes of "no award" (module text), and whether the analysis finished in time."""
    gaps = price_gaps(problem)
    coverage = {k.split(":", 1)[1] for r in relaxations for k in r.rules
                if k.startswith("coverage:")}
    complete = True
    out: list[Cause] = []
    said: set[str] = set()
    if gaps:
        zero = optimum(all_priced_at_zero(problem, gaps), max(deadline.left(), 0.0),
                       check_ties=False, find_binding=False, explain=False)
        quotes_help = zero.status in ("optimal", "feasible")
        if zero.status == "unknown":
            complete = False
        # Two lots or more that only unpriced offers can take: no single quote gives an award
        # (every one would read "no price wins"), so none is computed; the line says why.
        waiting_only = [g.lot for g in gaps if g.lot in coverage]
        each = waiting_only if len(waiting_only) > 1 else []
        quotes: dict[tuple[str, str], float | None] = {}
        if quotes_help and not each:
            for g in gaps:
                for o in g.waiting:
                    if deadline.expired():
                        complete = False
                        break
                    try:
                        quotes[o, g.lot] = winning_quote(problem, o, g.lot,
                                                         time_limit=deadline.left())
                    except QuoteUndecided:
                        complete = False
        for group in _groups(gaps):
            if not any(g.lot in coverage or any(quotes.get((o, g.lot)) is not None
                                                 for o in g.waiting) for g in group):
                continue
            out.append(_unpriced(group, quotes, quotes_help, each))
            said |= {g.lot for g in group}
    uncovered: dict[str, list[tuple[str, Relaxation]]] = {}  # same words -> lots
    conflicts = []
    for r in relaxations:
        lots = [k.split(":", 1)[1] for k in r.rules if k.startswith("coverage:")]
        if not lots:
            conflicts.append(Cause("rules", r.message, rules=r.rules, detail=r.detail))
        elif lots[0] not in said:
            shape = r.message.replace(f"lot {lots[0]}", "lot {}", 1)
            uncovered.setdefault(shape, []).append((lots[0], r))
    out += [_coverage(shape, found) for shape, found in uncovered.items()]
    return (*out, *conflicts), complete


def _coverage(shape: str, found: list[tuple[str, Relaxation]]) -> Cause:
    """Lots nobody can take for the same reasons, in one line."""
    lots = [lot for lot, _ in found]
    if len(lots) == 1:
        text = found[0][1].message
    else:
        text = shape.replace("lot {}", "lots " + and_list(lots), 1)
        text = text.replace("the lot's gates", "each lot's gates")
    detail = "\n".join(r.detail or r.message for _, r in found)
    return Cause("coverage", text, lots=tuple(lots), detail=detail)


def _groups(gaps: list[PriceGap]) -> list[list[PriceGap]]:
    """Lots with the same priced and waiting offers, together (in lot order)."""
    groups: dict[tuple[tuple[str, ...], tuple[str, ...]], list[PriceGap]] = {}
    for g in gaps:
        groups.setdefault((tuple(sorted(g.priced)), tuple(sorted(g.waiting))), []).append(g)
    return list(groups.values())


def quote_words(price: float | None) -> str:
    """`` ≤ €63.6 k/year`` (rounded down, so the figure shown still wins), ``: no price wins``,
    ``: any price wins``."""
    if price is None:
        return ": no price wins"
    if math.isinf(price):
        return ": any price wins"
    return f" ≤ {eur(price, down=True)}/year"


def _lot_quote(g: PriceGap, quotes: dict[tuple[str, str], float | None]) -> str:
    shown = {o: quote_words(quotes[o, g.lot]) if (o, g.lot) in quotes else ": not computed"
             for o in g.waiting}
    if len(set(shown.values())) == 1:
        return g.lot + next(iter(shown.values()))
    return f"{g.lot}: " + ", ".join(f"{o}{w}" for o, w in shown.items())


def _unpriced(
    lots: list[PriceGap],
    quotes: dict[tuple[str, str], float | None],
    quotes_help: bool,
    each: list[str],
) -> Cause:
    priced = list(lots[0].priced)
    waiting = list(lots[0].waiting)
    items = list(dict.fromkeys(i for g in lots for i in g.items))
    n = len(priced) + len(waiting)
    where = and_list([g.lot for g in lots])
    head = f"{plural(n, 'eligible offer')} for {where}; "
    if priced:
        verb = "has" if len(priced) == 1 else "have"
        head += f"only {and_list(priced)} {verb} prices for {and_list(items)}"
    else:
        head += f"none has prices for {and_list(items)}"
    text = f"{head}: ask {and_list(waiting)} for quotes"
    if quotes_help and each:
        text += f" (no award before each of {and_list(each)} has a quote)"
    elif quotes_help:
        text += " (winning quote per lot: " + "; ".join(_lot_quote(g, quotes) for g in lots) + ")"
    else:
        text += " (quotes alone give no award: the other causes must be resolved too)"
    found = tuple(Quote(g.lot, o, quotes[o, g.lot]) for g in lots for o in g.waiting
                  if (o, g.lot) in quotes)
    return Cause("unpriced", text, lots=tuple(g.lot for g in lots), offers=tuple(waiting),
                 items=tuple(items), winning_quotes=found)


__all__ = ["PriceGap", "all_priced_at_zero", "find_causes", "price_gaps", "quote_words"]
