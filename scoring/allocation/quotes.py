"""The winning quote: the highest annual price at which an offer would be awarded a lot.

Why. An offer that passes a lot's gates but has no price for some of its items cannot be
awarded the lot (it is never priced at zero). The buyer then asks it for a quote, and the useful
question is "up to which price would that quote win?": ``winning_quote`` answers it by
re-solving the award (``optimum``, the same optimum, tie-break included, as ``solve``) with the
offer's missing lines priced at a candidate annual price ``p``.

Method. Split the awards in two: B, where the offer does not win the lot, and A, where it does.
Nothing in B depends on ``p``. In A, ``p`` only adds to cost (budget row, spend, cost objective),
so raising ``p`` makes every award of A costlier and shrinks the part of A the budget allows, and
the optimum (primary objective, then cost or value, then the stated lexicographic order) can only
move from A to B. Without a spend-share rule the prices that win are therefore an interval [0, p*]:
the quote is found by bisection over [0, cap] until the last winning and the first losing price are
within ``tolerance`` (each step one re-solve, so both ends are verified); the multiple of
``tolerance`` between them, when it wins, is preferred (a break-even at a round price is returned
as it is), and the price returned is re-solved once more at the end. With a budget or a spend-share
rule, no price above ``cap`` can win (the price alone exceeds the budget; the offer's share of
spend exceeds the cap); without either, winning at ``cap`` means winning at any price
(``math.inf``: the offer beats every other award on the primary objective whatever it costs, or is
the only way to an award).

A spend-share rule breaks the monotonicity at the low end (a higher quote raises total spend,
which can make room for other vendors' shares): when price 0 does not win, a grid of 16 prices
over [0, cap] is also tried before saying "no price wins", and the bisection then starts from
the highest winning grid price. The answer is still verified by re-solves at both ends.

A win is an award that gives the offer the lot and keeps the budget and the spend-share cap in
exact arithmetic (``_keeps_money_rules``): the solver's feasibility tolerance never decides.

The offer's value (its 0-100 score for the lot) is held as scored: the scoring engine gave it
without a price, so a quote that changes its cost note may move it; re-score with the quote in.
"""

from __future__ import annotations

import math
from dataclasses import replace

from .model import Deadline
from .optimum import DEFAULT_TIME_LIMIT, optimum
from .problem import AllocationProblem, Bid
from .results import AllocationResult, Quote

QUOTE_TOLERANCE = 1.0
"""EUR per year: the resolution of a winning quote (a price is quoted to the euro)."""
_GRID = 16


class QuoteUndecided(RuntimeError):
    """A re-solve of the search hit the time limit: the winning quote is not known."""


def priced_at(problem: AllocationProblem, offer: str, lot: str, price: float) -> AllocationProblem:
    """``problem`` with ``offer``'s missing lines on ``lot`` priced at ``price`` EUR/year (its
    bid becomes eligible, its cost the priced lines plus ``price``); every other bid as is."""

    def priced(b: Bid) -> Bid:
        if (b.offer, b.lot) != (offer, lot):
            return b
        return replace(b, cost=b.cost + price, eligible=True, reasons=(), unpriced=())

    return AllocationProblem(problem.lots, tuple(priced(b) for b in problem.bids), problem.rules)


def price_cap(problem: AllocationProblem) -> float:
    """A price above which the offer cannot win when a budget or a spend-share rule is in force,
    and beyond which winning means winning at any price otherwise (see the module text):
    M = every bid cost + every migration cost + the budget + 1, divided by (1 - share cap)."""
    r = problem.rules
    m = sum(b.cost for b in problem.bids) + sum(lot.migration_cost for lot in problem.lots)
    m += (r.budget or 0.0) + 1.0
    share = r.max_spend_share_per_vendor
    if share is not None and share < 1.0:
        return m / (1.0 - share) + m
    return m


def wins(problem: AllocationProblem, offer: str, lot: str, price: float, time_limit: float) -> bool:
    """Is ``offer`` awarded ``lot`` (whole, or a share of a split lot) when its missing lines
    there cost ``price`` a year? One re-solve, the tie-break of ``solve`` included."""
    res = optimum(priced_at(problem, offer, lot, price), time_limit, find_binding=False,
                  explain=False)
    if res.status not in ("optimal", "infeasible"):
        raise QuoteUndecided(f"winning quote of {offer} on {lot}: {res.status} at {price:g}")
    won = res.assignment.get(lot) == offer or offer in res.shares.get(lot, {})
    return won and _keeps_money_rules(problem, res)


def _keeps_money_rules(problem: AllocationProblem, res: AllocationResult) -> bool:
    """Does the award keep the budget and the spend-share cap in exact arithmetic (its money is
    recomputed from the input data)? The solver accepts a row violated within its feasibility
    tolerance (about 1e-6 of the largest cost): at a quote within a euro of the budget's limit
    that tolerance would decide, so such an award does not count as a win."""
    r = problem.rules
    if res.cost is None:
        return False
    if r.budget is not None and res.cost > r.budget * (1 + 1e-12):
        return False
    share = r.max_spend_share_per_vendor
    total = sum(res.spend_by_vendor.values())
    if share is None or share >= 1.0 or total <= 0:
        return True
    return max(res.spend_by_vendor.values()) <= share * total * (1 + 1e-12)


def winning_quote(
    problem: AllocationProblem,
    offer: str,
    lot: str,
    *,
    tolerance: float = QUOTE_TOLERANCE,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> float | None:
    """The highest annual price (EUR) of ``offer``'s missing lines on ``lot`` at which the award
    gives it the lot, to ``tolerance``: it wins at the returned price and loses at the returned
    price + ``tolerance`` (or lower), both verified by a re-solve. None: no price wins it (not even
    0); ``math.inf``: any price does. A bid that already has a price is searched the same way (its
    priced lines kept, the quote added on top). Method and limits: the module text.

    Raises ``ValueError`` for an unknown bid, ``QuoteUndecided`` when the search runs out of
    ``time_limit`` (seconds for the whole search, every re-solve included)."""
    bid = next((b for b in problem.bids if (b.offer, b.lot) == (offer, lot)), None)
    if bid is None:
        raise ValueError(f"no bid of {offer} on lot {lot}")
    if not bid.eligible and not bid.unpriced:
        return None  # it fails the lot's gates: no price changes that
    if tolerance <= 0:
        raise ValueError("tolerance must be > 0")

    deadline = Deadline(time_limit)

    def won(p: float) -> bool:
        if deadline.expired():
            raise QuoteUndecided(f"winning quote of {offer} on {lot}: time limit reached")
        return wins(problem, offer, lot, p, deadline.left())

    cap = price_cap(problem)
    lo = 0.0
    if not won(lo):
        share = problem.rules.max_spend_share_per_vendor
        if share is None or share >= 1.0:
            return None
        grid = [cap * k / _GRID for k in range(_GRID, 0, -1)]
        lo_found = next((p for p in grid if won(p)), None)
        if lo_found is None:
            return None
        lo = lo_found
    hi = cap
    if lo == hi or won(hi):
        return math.inf
    while hi - lo > tolerance:
        mid = (lo + hi) / 2.0
        if won(mid):
            lo = mid
        else:
            hi = mid
    even = math.floor(hi / tolerance) * tolerance  # a round price in (lo, hi), if it wins
    if lo < even < hi and won(even):
        lo = even
    if not won(lo):  # the final verification re-solve (the solver is deterministic: a guard)
        raise QuoteUndecided(f"winning quote of {offer} on {lot}: {lo:g} no longer wins")
    return lo


def winning_quotes(
    problem: AllocationProblem,
    pairs: list[tuple[str, str]],
    *,
    tolerance: float = QUOTE_TOLERANCE,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> tuple[Quote, ...]:
    """``winning_quote`` for each (offer, lot) pair, as ``Quote`` records (in the pairs' order)."""
    return tuple(
        Quote(lot, offer, winning_quote(problem, offer, lot, tolerance=tolerance,
                                        time_limit=time_limit))
        for offer, lot in pairs
    )


__all__ = [
    "QUOTE_TOLERANCE",
    "QuoteUndecided",
    "price_cap",
    "priced_at",
    "winning_quote",
    "winning_quotes",
    "wins",
]
