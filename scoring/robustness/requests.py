"""What else to ask bidders: undetermined gates and missing prices, with the quote that would win.

The clarification list (``clarify``) resolves unknown *answers*. Two other gaps decide verdicts
and belong on the same list of written requests (Directive 2014/24/EU art. 56(3)):

* an **undetermined gate** (``uncertain`` policy: the gate depends on an unknown answer or date):
  the item says which answer would admit the offer (``engine.admission``, the engine's own
  re-scoring) and whether admitting it changes the winner; excluding it never does, since the
  leader is named among the offers that pass;
* a **missing price line** of an offer that passes every gate: the item gives the *winning
  quote*, the highest annual price at which that offer would take the lead alone (ranking), and,
  when the scenario has lots, the highest annual price of its missing lines at which the award
  would give it each lot (``scoring.award.winning_quote``, by re-solving).

The ranking quote. Pricing the offer at ``p`` EUR/year sets its cost note and, as it joins the
competing set of the price formula (``rules.cost.price_notes``), may lower the lowest price and
so the other offers' notes. Under every formula Hostwise offers (proportional, linear, relevance)
the offer's own note falls as ``p`` rises and no other offer's note falls, so its lead over the
best other offer can only shrink: the prices that win form an interval ``[0, p*]``. ``p*`` is
found by bisection to EUR 1 (``QUOTE_TOLERANCE``), each step re-scoring the passing offers with
the engine's own stages (price note, missing-answer policy, the bound method), and the quote
returned is verified to win. A method that is not monotone in one offer's cost note (TOPSIS's
ideal point moves with it) is still verified at the returned price; the interval is then an
assumption the docstring of this module states rather than a proof.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..award import award_problem, winning_quote
from ..engine import Evaluation, OfferResult
from ..engine.admission import admissions
from ..engine.policy import aggregate, method_inputs, point_policy
from ..engine.tree import COST_LEAF
from ..errors import HostwiseError
from ..ranking import ranking, tied
from ..rules.cost import price_notes

QUOTE_TOLERANCE = 1.0
"""EUR per year: a quote is given to the euro."""
_PRICE_CAP = 1e12  # EUR per year: "any price" when the offer still leads at this one


@dataclass(frozen=True)
class LotQuote:
    """The highest annual price of an offer's missing lines on one lot at which the award gives
    it the lot (``price`` None: no price wins; ``math.inf``: any price does)."""

    lot: str
    price: float | None


@dataclass(frozen=True)
class PriceRequest:
    """A passing offer without a price for some items, and the quotes that would win."""

    offer: str
    items: tuple[str, ...]
    quote: float | None  # None: no price takes the lead; math.inf: any price does
    total_range: tuple[float | None, float | None]
    lots: tuple[LotQuote, ...] = ()
    rank: int | None = None


@dataclass(frozen=True)
class GateRequest:
    """An offer whose eligibility is undetermined, what would admit it, and what that does."""

    offer: str
    gates: tuple[str, ...]
    questions: tuple[str, ...]
    admitting: dict[str, Any]  # question -> an answer that admits the offer ({} if none found)
    could_lead: bool  # admitted, it would lead or tie for first
    alone: bool  # ... alone (not tied)
    assessed: bool  # False: no single answer admits it (a SEAL ceiling, missing prices)
    rank_if_admitted: int | None
    total_range: tuple[float | None, float | None]


def money(quote: float | None) -> str:
    """A winning quote in words: "€208,453/year", "any price", "no price wins". Rounded
    down to the euro, so the figure shown still wins (as ``allocation.words`` does)."""
    if quote is None:
        return "no price wins"
    if math.isinf(quote):
        return "any price"
    return f"€{math.floor(quote):,}/year"


def gate_requests(ev: Evaluation) -> tuple[GateRequest, ...]:
    """One request per undetermined offer (none under ``worst`` and ``exclude``)."""
    by_offer = {a.offer: a for a in admissions(ev)}
    out = []
    for r in ev.undetermined():
        a = by_offer.get(r.offer_id)
        out.append(GateRequest(
            offer=r.offer_id, gates=tuple(g.gate for g in r.undetermined_by),
            questions=tuple(dict.fromkeys(q for g in r.undetermined_by for q in g.questions)),
            admitting=dict(a.answers) if a else {}, could_lead=bool(a and a.leads),
            alone=bool(a and a.alone), assessed=bool(a and a.assessed),
            rank_if_admitted=r.rank_if_admitted, total_range=_range(r)))
    return tuple(out)


def _range(r: OfferResult) -> tuple[float | None, float | None]:
    return r.total_range if r.total_range is not None else (r.total, r.total)


def lead_at(ev: Evaluation) -> Callable[[int, float], bool]:
    """``leads(i, p)``: whether offer ``i`` (an index of ``ev.offers``, a passing offer) ranks
    first alone when its annual cost is ``p``, everything else as evaluated."""
    jc = next(j for j, lf in enumerate(ev.leaves) if lf.question == COST_LEAF)
    rows = [r.index for r in sorted(ev.results, key=lambda r: r.index) if r.eligible]
    cost = {r.index: r.cost.annual_cost for r in ev.results}
    base = np.array(ev.scored_utilities[rows], dtype=float)
    policy = point_policy(ev.policy)
    method = ev.bound_method
    formula = ev.scenario.price_formula

    def leads(i: int, p: float) -> bool:
        k = rows.index(i)
        u = base.copy()
        costs = [p if x == i else cost[x] for x in rows]
        ref = [c for c in costs if c is not None]
        notes = price_notes([c for c in costs if c is not None], formula.kind, 100.0,
                            formula.n, reference=ref)
        it = iter(notes)
        for n, c in enumerate(costs):
            if c is not None:
                u[n, jc] = next(it)
        eff = aggregate(u, ev.leaves, policy)[1]
        mu, w = method_inputs(method.linear, u, eff, ev.leaves, policy)
        totals = method.score(mu, w)
        order = ranking(totals)
        first = int(order[0])
        return first == k and (len(order) < 2 or not tied(totals[first], totals[order[1]]))

    return leads


def ranking_quote(leads: Callable[[int, float], bool], i: int) -> float | None:
    """The highest annual price (to EUR 1) at which offer ``i`` leads alone; None when even a
    free offer does not; ``math.inf`` when it leads at any price (see the module docstring)."""
    if not leads(i, 0.0):
        return None
    if leads(i, _PRICE_CAP):
        return math.inf
    lo, hi = 0.0, _PRICE_CAP  # leads at lo, not at hi
    while hi - lo > QUOTE_TOLERANCE:
        mid = (lo + hi) / 2
        if leads(i, mid):
            lo = mid
        else:
            hi = mid
    q = math.floor(lo / QUOTE_TOLERANCE) * QUOTE_TOLERANCE
    return q if leads(i, q) else lo


def price_requests(ev: Evaluation, *, lots: bool = True) -> tuple[PriceRequest, ...]:
    """One request per passing offer that lacks prices (when the cost pillar weighs), with its
    winning quotes; ``lots=False`` skips the award re-solves."""
    if not any(lf.question == COST_LEAF and lf.weight > 0 for lf in ev.leaves):
        return ()
    unpriced = [r for r in sorted(ev.results, key=lambda r: r.index)
                if r.eligible and r.cost.annual_cost is None and r.cost.missing]
    if not unpriced:
        return ()
    leads = lead_at(ev)
    ctx = None
    if lots and ev.scenario.lots:
        try:
            ctx = award_problem(ev.scenario, ev.offers, file=ev.scenario_file)
        except HostwiseError:
            ctx = None  # a scenario whose lots cannot be built: ``allocate`` says why
    out = []
    for r in unpriced:
        lot_quotes: tuple[LotQuote, ...] = ()
        if ctx is not None:
            lot_quotes = tuple(
                LotQuote(b.lot, winning_quote(ctx, r.offer_id, b.lot))
                for b in ctx.problem.bids if b.offer == r.offer_id and b.unpriced)
        items = tuple(m.removesuffix(" (no price)") for m in r.cost.missing)
        out.append(PriceRequest(r.offer_id, items,
                                ranking_quote(leads, r.index), _range(r), lot_quotes,
                                r.shared_rank))
    return tuple(out)


__all__ = ["GateRequest", "LotQuote", "PriceRequest", "gate_requests", "lead_at", "money",
           "price_requests", "ranking_quote"]
