"""Pre-checks that need no solver: which bids pass a lot's floors, lots nobody can take, and how
many vendor groups can win at once.

"How many vendors can win together" is a bipartite matching (König 1931; augmenting paths,
Hopcroft & Karp 1973 for the bound): vendor groups on one side, lot slots on the other (one slot
per whole lot; a split lot holds up to ``floor(1 / min_share)`` offers). A min-vendors rule
above it can never be met, whatever the number of groups that bid (defect 10a: 2 lots, 3
vendors, "min 4" needs 2, not 3).
"""

from __future__ import annotations

import math
from dataclasses import replace

from .problem import AllocationProblem, Bid, FloorKind, Lot
from .words import and_list, at_floors, plural

MIN_SPLIT_SHARE = 1e-4
"""Smallest share of a split lot (when ``min_share`` is lower): an offer "used" with a zero
share would count against vendor rules for nothing and make a false tie."""


def effective_floors(
    lot: Lot, kind: FloorKind | None, sweep: float | None
) -> tuple[int | None, float | None]:
    """The lot's effective (SEAL, legal) floors: its own, raised by a frontier sweep floor."""
    seal, legal = lot.min_seal, lot.min_legal
    if sweep is not None and kind == "seal":
        level = math.ceil(sweep - 1e-9)
        seal = level if seal is None else max(seal, level)
    elif sweep is not None and kind == "legal":
        legal = sweep if legal is None else max(legal, sweep)
    return seal, legal


def failure(bid: Bid, seal: int | None, legal: float | None) -> str | None:
    """Why ``bid`` cannot take its lot at these floors (None when it can)."""
    if not bid.eligible:
        return "; ".join(bid.reasons) or "fails the lot's gates"
    if seal is not None and (bid.seal is None or bid.seal < seal):
        return "SEAL unknown" if bid.seal is None else f"SEAL-{bid.seal}"
    if legal is not None and (bid.legal_utility is None or bid.legal_utility < legal - 1e-9):
        if bid.legal_utility is None:
            return "legal exposure unknown"
        return f"legal utility {bid.legal_utility:g}"
    return None


def bids_by_lot(problem: AllocationProblem) -> dict[str, list[Bid]]:
    """Bids of each lot, offers in string order (one pass over the bids)."""
    out: dict[str, list[Bid]] = {lot.id: [] for lot in problem.lots}
    for b in problem.bids:
        out[b.lot].append(b)
    for bids in out.values():
        bids.sort(key=lambda b: b.offer)
    return out


SHORT_LIST = 4
"""Up to this many bids, a lot nobody can take lists every offer's reason in its one line;
beyond, the line counts them by kind (the list is the ``detail``: one screen, not several)."""


def quotable(bid: Bid, seal: int | None, legal: float | None) -> bool:
    """Does ``bid`` lack only prices at these floors (gates passed, floors met, unpriced)?"""
    return bool(bid.unpriced) and failure(replace(bid, eligible=True), seal, legal) is None


def _summary(bids: list[Bid], seal: int | None, legal: float | None) -> str:
    """The reasons nobody can take a lot, counted by kind: offers that only lack prices (named,
    with the items), offers below the floors, offers failing the lot's gates."""
    waiting = [b for b in bids if quotable(b, seal, legal)]
    gated = [b for b in bids if not b.eligible and not b.unpriced]
    below = [b for b in bids if b not in waiting and b not in gated]
    parts = []
    if waiting:
        items = list(dict.fromkeys(i for b in waiting for i in b.unpriced))
        names = and_list([b.offer for b in waiting])
        verb = "has" if len(waiting) == 1 else "have"
        parts.append(f"{names} {verb} no price for {and_list(items)}")
    if below:
        parts.append(f"{plural(len(below), 'offer')} below the floor")
    if gated:
        parts.append(f"{plural(len(gated), 'offer')} {'fails' if len(gated) == 1 else 'fail'} "
                     "the lot's gates")
    return "; ".join(parts)


def coverage_issues(
    problem: AllocationProblem, kind: FloorKind | None = None, sweep: float | None = None
) -> dict[str, str]:
    """Lot id -> the sentence, for each lot that cannot be covered at all (no bid passes its
    gates and floors, or none reaches its value floor). One line: beyond ``SHORT_LIST`` bids,
    or when some only lack prices, the reasons are counted (``coverage_details`` lists them)."""
    return _coverage(problem, kind, sweep, short=True)


def coverage_details(
    problem: AllocationProblem, kind: FloorKind | None = None, sweep: float | None = None
) -> dict[str, str]:
    """``coverage_issues`` with every offer's reason listed (the long form)."""
    return _coverage(problem, kind, sweep, short=False)


def _coverage(
    problem: AllocationProblem, kind: FloorKind | None, sweep: float | None, short: bool
) -> dict[str, str]:
    issues: dict[str, str] = {}
    by_lot = bids_by_lot(problem)
    for lot in problem.lots:
        seal, legal = effective_floors(lot, kind, sweep)
        bids = by_lot[lot.id]
        passing = [b for b in bids if failure(b, seal, legal) is None]
        if not passing:
            head = f"no eligible offer for lot {lot.id}{at_floors(seal, legal)}"
            counted = len(bids) > SHORT_LIST or any(b.unpriced for b in bids)
            if short and counted:
                issues[lot.id] = f"{head}: {_summary(bids, seal, legal)}"
                continue
            why = "; ".join(f"{b.offer}: {failure(b, seal, legal)}" for b in bids) or "no bids"
            issues[lot.id] = f"{head} ({why})"
            continue
        if lot.min_value is not None:
            best = min(passing, key=lambda b: (-b.value, b.offer))
            if best.value < lot.min_value - 1e-9:
                issues[lot.id] = (
                    f"no eligible offer for lot {lot.id}{at_floors(seal, legal)} reaches its "
                    f"value floor {lot.min_value:g} (best: {best.offer} at {best.value:g})"
                )
    return issues


def passing_groups(problem: AllocationProblem) -> dict[str, set[str]]:
    """Lot id -> vendor groups with a bid passing the lot's gates and floors."""
    floors = {lot.id: effective_floors(lot, None, None) for lot in problem.lots}
    out: dict[str, set[str]] = {lot.id: set() for lot in problem.lots}
    for b in problem.bids:
        if failure(b, *floors[b.lot]) is None:
            out[b.lot].add(problem.rules.group(b.offer))
    return out


def groups_available(problem: AllocationProblem) -> int:
    """Vendor groups with at least one bid passing the gates and floors of its lot."""
    return len(set().union(*passing_groups(problem).values()))


def max_winning_groups(problem: AllocationProblem) -> int:
    """The most vendor groups that can win at once, lots and floors considered (a maximum
    bipartite matching of groups to lot slots, by augmenting paths)."""
    by_lot = passing_groups(problem)
    slots: list[set[str]] = []
    for lot in problem.lots:
        cap = 1
        if lot.splittable:
            cap = math.floor(1.0 / max(lot.min_share, MIN_SPLIT_SHARE) + 1e-9)
        slots += [by_lot[lot.id]] * min(cap, len(by_lot[lot.id]))
    owner: dict[int, str] = {}  # slot -> group

    def augment(g: str, seen: set[int]) -> bool:
        for s, groups in enumerate(slots):
            if g in groups and s not in seen:
                seen.add(s)
                if s not in owner or augment(owner[s], seen):
                    owner[s] = g
                    return True
        return False

    groups = sorted(set().union(*by_lot.values()))
    return sum(augment(g, set()) for g in groups)


def obvious_issues(problem: AllocationProblem) -> bool:
    """True when no award can exist, without a solve (a lot nobody can take, or more vendors
    required than can win at once)."""
    if coverage_issues(problem):
        return True
    n = problem.rules.min_vendors
    return n is not None and max_winning_groups(problem) < n


__all__ = [
    "MIN_SPLIT_SHARE",
    "SHORT_LIST",
    "bids_by_lot",
    "coverage_details",
    "coverage_issues",
    "effective_floors",
    "failure",
    "groups_available",
    "max_winning_groups",
    "obvious_issues",
    "passing_groups",
    "quotable",
]
