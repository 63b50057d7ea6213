"""What the optimiser returns: ``AllocationResult`` (one award), ``Relaxation`` and ``Fix`` (why
no award exists and what would make one), ``FrontierPoint`` (the price of sovereignty).

Plain frozen data: equality ignores timings, so the same problem gives equal results.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..highs import Status
from .problem import FloorKind, Objective, empty_map


@dataclass(frozen=True)
class Award:
    """One allocation: whole lots in ``assignment``, lots split over several offers in
    ``shares`` (each lot appears in exactly one of the two). Costs in EUR, from the input data
    (never from the solver's objective), so they carry no solver tolerance."""

    assignment: Mapping[str, str]
    shares: Mapping[str, Mapping[str, float]]
    cost: float
    value: float
    migration_cost: float
    spend_by_vendor: Mapping[str, float]

    def to_dict(self) -> dict[str, object]:
        return {
            "assignment": dict(self.assignment),
            "shares": {lot: dict(s) for lot, s in self.shares.items()},
            "cost": self.cost,
            "value": self.value,
            "migration_cost": self.migration_cost,
            "spend_by_vendor": dict(self.spend_by_vendor),
        }


@dataclass(frozen=True)
class Fix:
    """One way out of a conflict, checked by a re-solve.

    ``rule`` is the rule key, ``amount`` how much it gives (in ``Relaxation.unit`` of that rule:
    EUR added to the budget, lots / vendors allowed, the new share, the new floor, points off a
    value floor; None when the rule must be dropped), ``text`` the words. ``alone`` is True when
    the fix, applied with every other rule as stated, makes an award possible (lots without any
    eligible offer aside); otherwise ``together_with`` names the rule keys whose relaxation it
    was verified with (an empty tuple: no verified combination was found)."""

    rule: str
    amount: float | None
    text: str
    alone: bool
    together_with: tuple[str, ...] = ()
    together_amounts: tuple[float | None, ...] = ()
    together_text: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "amount": self.amount,
            "text": self.text,
            "alone": self.alone,
            "together_with": list(self.together_with),
            "together_amounts": list(self.together_amounts),
            "together_text": self.together_text,
        }


@dataclass(frozen=True)
class Relaxation:
    """One reason an award is impossible: the rule keys involved, the sentence, and for a
    single rule how much it must give (``amount`` in ``unit``: EUR, lots, vendors, points,
    share, SEAL level or legal utility). ``fixes``: each fix offered, verified (see ``Fix``).
    ``detail``: the long form when the message is a summary (every offer's reason)."""

    rules: tuple[str, ...]
    message: str
    amount: float | None = None
    unit: str = ""
    fixes: tuple[Fix, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Quote:
    """The winning quote of one offer for one lot (``quotes.winning_quote``): ``price`` is the
    highest annual price of its missing lines at which the offer is awarded the lot, None when
    no price wins it, ``math.inf`` when any price does."""

    lot: str
    offer: str
    price: float | None

    def to_dict(self) -> dict[str, object]:
        wins = "never" if self.price is None else "any_price" if math.isinf(self.price) else "up_to"
        price = self.price if wins == "up_to" else None
        return {"lot": self.lot, "offer": self.offer, "max_annual_price": price, "wins": wins}


@dataclass(frozen=True)
class Cause:
    """One cause of "no award", in one line (``message``), grouped over the lots it concerns.

    ``kind``: ``unpriced`` (offers that pass the gates have no price for some of the lots'
    items: ask them for quotes; ``winning_quotes`` says which quote would win each lot),
    ``coverage`` (a lot nobody can take) or ``rules`` (rules that conflict; ``rules`` names
    their keys, the verified fixes are in the matching ``Relaxation``). ``detail``: the long
    form, when the message is a summary."""

    kind: str
    message: str
    lots: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    winning_quotes: tuple[Quote, ...] = ()
    detail: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "lots": list(self.lots),
            "offers": list(self.offers),
            "items": list(self.items),
            "rules": list(self.rules),
            "message": self.message,
            "winning_quotes": [q.to_dict() for q in self.winning_quotes],
        }


@dataclass(frozen=True)
class AllocationResult:
    """What ``solve`` returns.

    ``status``: ``optimal`` (proven), ``feasible`` (time limit reached, best found: ``message``
    says so and the tie / binding analyses are skipped), ``infeasible`` (``relaxations`` says in
    words which rules must give, ``relaxation_details`` by how much; cost, value and assignment
    are empty, never garbage; ``causes`` says the same in one grouped line per cause, missing
    prices first, with the quote that would win each lot) or ``unknown`` (time limit reached
    before any award was found).
    ``cost`` includes migration (``migration_cost``); ``spend_by_vendor`` is bid spend per
    vendor group. ``binding`` names the rules that bind at the optimum ("budget (slack €7.6 k)",
    "max 2 lots per vendor"), ``binding_keys`` the same rules as keys: ``budget``, ``max_lots``,
    ``spend_share``, ``min_vendors``, ``max_vendors``, ``separation:A|B``, ``seal:LOT``,
    ``legal:LOT``, ``value:LOT`` (the keys of ``Relaxation.rules`` too, plus ``coverage:LOT``).
    ``binding_checked`` says whether the binding analysis ran (it is skipped on request, on an
    unproven optimum and when the time budget runs out); ``cut_short`` names each analysis the
    time budget of the call cut short (``ties``, ``tie_break``, ``binding``, ``explain``).
    ``timings``: seconds per stage (build, solve, ties, tie_break, binding, explain); it is
    left out of equality, so the same problem gives equal results.
    """

    status: Status
    objective: Objective
    assignment: Mapping[str, str] = field(default_factory=empty_map)
    shares: Mapping[str, Mapping[str, float]] = field(default_factory=empty_map)
    cost: float | None = None
    value: float | None = None
    migration_cost: float | None = None
    spend_by_vendor: Mapping[str, float] = field(default_factory=empty_map)
    binding: tuple[str, ...] = ()
    binding_keys: tuple[str, ...] = ()
    relaxations: tuple[str, ...] = ()
    relaxation_details: tuple[Relaxation, ...] = ()
    causes: tuple[Cause, ...] = ()
    ties: bool = False
    alternative: Award | None = None
    message: str = ""
    notes: tuple[str, ...] = ()
    binding_checked: bool = False
    cut_short: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=empty_map, compare=False, hash=False)

    def to_dict(self) -> dict[str, object]:
        """The JSON form of the result (plus shares, alternative and notes)."""
        return {
            "status": self.status,
            "objective": self.objective,
            "assignment": dict(self.assignment),
            "shares": {lot: dict(s) for lot, s in self.shares.items()},
            "cost": self.cost,
            "value": self.value,
            "migration_cost": self.migration_cost,
            "binding": list(self.binding),
            "binding_keys": list(self.binding_keys),
            "binding_checked": self.binding_checked,
            "relaxations": list(self.relaxations),
            "fixes": [[f.to_dict() for f in r.fixes] for r in self.relaxation_details],
            "causes": [c.to_dict() for c in self.causes],
            "ties": self.ties,
            "alternative": None if self.alternative is None else self.alternative.to_dict(),
            "message": self.message,
            "notes": list(self.notes),
            "cut_short": list(self.cut_short),
        }


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the price-of-sovereignty frontier: the optimal award when every lot must
    meet ``floor`` (a SEAL level or a minimum legal utility, ``kind``) within ``budget``.
    ``dominated`` marks points another point beats (floor >=, cost <=, value >=, one strictly);
    dominated and infeasible points are kept, marked, so the sweep reads as a table. A point the
    time budget of the call did not reach has status ``unknown`` and says so."""

    kind: FloorKind
    floor: float | None
    budget: float | None
    status: Status
    cost: float | None = None
    value: float | None = None
    assignment: Mapping[str, str] = field(default_factory=empty_map)
    shares: Mapping[str, Mapping[str, float]] = field(default_factory=empty_map)
    dominated: bool = False
    message: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "floor": self.floor,
            "budget": self.budget,
            "status": self.status,
            "cost": self.cost,
            "value": self.value,
            "assignment": dict(self.assignment),
            "shares": {lot: dict(s) for lot, s in self.shares.items()},
            "dominated": self.dominated,
            "message": self.message,
        }


def pareto_set(points: Iterable[FrontierPoint]) -> list[FrontierPoint]:
    """The non-dominated feasible points of a frontier, in sweep order."""
    return [p for p in points if p.cost is not None and not p.dominated]


__all__ = [
    "AllocationResult",
    "Award",
    "Cause",
    "Fix",
    "FrontierPoint",
    "Quote",
    "Relaxation",
    "pareto_set",
]
