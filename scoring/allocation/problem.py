"""The input of the award optimiser: lots, bids and business rules (``AllocationProblem``).

Pure data with validation at construction: every problem of the input is listed at once as a
located ``Problem`` (lot or offer, field, what is wrong), in the project's one error tree
(``AllocationInputError`` is a ``ProblemsError``), so the scenario loader can re-locate them in
the scenario file (``scoring.award``) and the CLI prints them like any other bad input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ..errors import Problem, ProblemsError

_V = TypeVar("_V")
Objective = Literal["max_value", "min_cost"]
FloorKind = Literal["seal", "legal"]
SEAL_LEVELS = (0, 1, 2, 3, 4)


class FrozenDict(Mapping[str, _V]):
    """An immutable, hashable, picklable mapping (``MappingProxyType`` is neither hashable nor
    picklable, which Streamlit caching and multiprocessing need). Insertion order is kept."""

    __slots__ = ("_d",)

    def __init__(self, data: Mapping[str, _V] | Iterable[tuple[str, _V]] = ()) -> None:
        self._d: dict[str, _V] = dict(data)

    def __getitem__(self, key: str) -> _V:
        return self._d[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        return hash(frozenset(self._d.items()))

    def __repr__(self) -> str:
        return f"FrozenDict({self._d!r})"

    def __reduce__(self) -> tuple[type, tuple[dict[str, _V]]]:
        return (FrozenDict, (self._d,))


def empty_map() -> FrozenDict[Any]:
    """``default_factory`` of the mapping fields of the frozen dataclasses: an empty
    ``FrozenDict`` (the one meaning of this helper)."""
    return FrozenDict()


class AllocationInputError(ProblemsError, ValueError):
    """The allocation problem itself is malformed (unknown lot, duplicate bid, NaN cost...).

    A ``ProblemsError`` whose problems name the lot (field path ``lots.<id>.<field>``), the
    offer of a bid (``vendor``) or the rule (``allocation.<rule>``); ``file`` is empty until a
    loader that knows the file re-locates them. A ``ValueError`` too, for numeric callers."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        super().__init__(tuple(problems), "Invalid allocation problem")


@dataclass(frozen=True)
class Bid:
    """One offer's bid for one lot.

    ``cost`` is the annual cost in EUR of the whole lot on this offer (price sheet x demand);
    ``value`` the 0-100 quality of the offer for this lot (from the scoring engine). A bid that
    fails the lot's gates stays in the problem with ``eligible=False`` and its ``reasons``, so
    an infeasibility can say why nobody qualifies. ``seal=None`` (unknown) fails any SEAL floor,
    ``legal_utility=None`` any legal floor: unknown is never presumed compliant.
    ``legal_utility`` is the 0-100 legal utility (higher = less exposed to non-EU law).

    ``unpriced``: the price items the offer has no price for, when that is all that keeps it
    from the lot (it passes the lot's gates). Such a bid is not eligible (never priced at zero)
    but it is *waiting for a quote*: ``cost`` is then the annual cost of the lines it does price,
    and ``scoring.allocation.quotes`` says which quote would win it the lot.
    """

    offer: str
    lot: str
    cost: float
    value: float
    eligible: bool = True
    reasons: tuple[str, ...] = ()
    seal: int | None = None
    legal_utility: float | None = None
    unpriced: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lot:
    """A part of the workload awarded as a unit (or split, when ``splittable``).

    ``min_share`` is the minimum share of each offer that takes part in a split lot.
    ``min_seal`` / ``min_legal`` are the lot's sovereignty floors (a SEAL level; a minimum legal
    utility, 0-100, higher = less exposed); ``min_value`` its value floor, applied under both
    objectives (it is the constraint of ``min_cost``). ``weight`` weighs the lot's value in the
    ``max_value`` objective (default: lots weigh equally).
    """

    id: str
    name: str = ""
    splittable: bool = False
    min_share: float = 0.0
    min_seal: int | None = None
    min_legal: float | None = None
    min_value: float | None = None
    incumbent: str | None = None
    migration_cost: float = 0.0
    weight: float = 1.0


@dataclass(frozen=True)
class Rules:
    """Business rules of the award; each is optional and named in results.

    "Vendor" in every vendor rule means vendor group: ``groups`` maps offer -> group (two offers
    of one parent count as one vendor); an offer missing from the map is its own group.
    ``max_spend_share_per_vendor`` is a fraction of total bid spend (migration excluded).
    """

    budget: float | None = None
    max_lots_per_vendor: int | None = None
    max_spend_share_per_vendor: float | None = None
    min_vendors: int | None = None
    max_vendors: int | None = None
    separations: tuple[tuple[str, str], ...] = ()
    groups: Mapping[str, str] = field(default_factory=empty_map)
    objective: Objective = "max_value"

    def __post_init__(self) -> None:
        object.__setattr__(self, "groups", FrozenDict(self.groups))
        pairs = tuple(dict.fromkeys((a, b) for a, b in self.separations))  # drop duplicates
        object.__setattr__(self, "separations", pairs)

    def group(self, offer: str) -> str:
        """The vendor group of an offer (itself when unmapped)."""
        return self.groups.get(offer, offer)


@dataclass(frozen=True)
class AllocationProblem:
    """Lots, bids and rules: everything ``solve`` and ``frontier`` need, nothing else."""

    lots: tuple[Lot, ...]
    bids: tuple[Bid, ...]
    rules: Rules = Rules()

    def __post_init__(self) -> None:
        object.__setattr__(self, "lots", tuple(self.lots))
        object.__setattr__(self, "bids", tuple(self.bids))
        problems = input_problems(self.lots, self.bids, self.rules)
        if problems:
            raise AllocationInputError(problems)


def _finite(x: object) -> bool:
    return x is None or (isinstance(x, int | float) and math.isfinite(x))


def _lot_problems(lots: Iterable[Lot]) -> list[Problem]:
    out: list[Problem] = []
    ids = [lot.id for lot in lots]
    for i in sorted({i for i in ids if ids.count(i) > 1}):
        out.append(Problem("", "", f"lots.{i}.id", f"duplicate lot ids: {i}"))
    for lot in lots:

        def bad(name: str, message: str, lot: Lot = lot) -> None:
            out.append(Problem("", "", f"lots.{lot.id}.{name}", message))

        if not lot.id:
            bad("id", "a lot has an empty id")
        if not _finite(lot.min_share) or not 0.0 <= lot.min_share <= 1.0:
            bad("min_share", f"min_share {lot.min_share} outside [0, 1]")
        if lot.min_seal is not None and lot.min_seal not in SEAL_LEVELS:
            bad("min_seal", f"min_seal {lot.min_seal} is not a SEAL level 0-4")
        for name in ("min_legal", "min_value"):
            if not _finite(getattr(lot, name)):
                bad(name, f"{name} is not a finite number")
        if not _finite(lot.migration_cost) or lot.migration_cost < 0:
            bad("migration_cost", "migration_cost must be a finite number >= 0")
        if not _finite(lot.weight) or lot.weight < 0:
            bad("weight", "weight must be a finite number >= 0")
    return out


def _bid_problems(bids: Iterable[Bid], known: set[str]) -> list[Problem]:
    out: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for b in bids:

        def bad(name: str, message: str, b: Bid = b) -> None:
            out.append(Problem("", b.offer, f"lots.{b.lot}.bids.{name}", message))

        if b.lot not in known:
            bad("lot", f"bid {b.offer} on lot {b.lot}: unknown lot")
        if (b.offer, b.lot) in seen:
            bad("offer", f"bid {b.offer} on lot {b.lot}: duplicate bid")
        seen.add((b.offer, b.lot))
        if not _finite(b.cost) or b.cost < 0:
            bad("cost", "cost must be a finite number >= 0")
        if not _finite(b.value):
            bad("value", "value is not a finite number")
        if b.seal is not None and b.seal not in SEAL_LEVELS:
            bad("seal", f"seal {b.seal} is not a SEAL level 0-4")
        if not _finite(b.legal_utility):
            bad("legal_utility", "legal_utility is not a finite number")
        if b.unpriced and b.eligible:
            bad("unpriced", f"bid {b.offer} on lot {b.lot}: unpriced items but eligible")
    return out


def _rule_problems(r: Rules, known: set[str]) -> list[Problem]:
    out: list[Problem] = []

    def bad(name: str, message: str) -> None:
        out.append(Problem("", "", f"allocation.{name}", message))

    if r.budget is not None and (not _finite(r.budget) or r.budget < 0):
        bad("budget", "budget must be a finite number >= 0")
    for name in ("max_lots_per_vendor", "min_vendors", "max_vendors"):
        v = getattr(r, name)
        if v is not None and (isinstance(v, bool) or not isinstance(v, int) or v < 0):
            bad(name, f"{name} must be an integer >= 0")
    share = r.max_spend_share_per_vendor
    if share is not None and (not _finite(share) or not 0 < share <= 1):
        bad("max_spend_share_per_vendor", "max_spend_share_per_vendor must be in (0, 1]")
    for a, b in r.separations:
        if a not in known or b not in known:
            bad("separations", f"separation ({a} vs {b}) names an unknown lot")
        elif a == b:
            bad("separations", f"separation ({a} vs {b}) separates a lot from itself")
    if r.objective not in ("max_value", "min_cost"):
        bad("objective", f"unknown objective {r.objective!r}")
    return out


def input_problems(
    lots: Iterable[Lot], bids: Iterable[Bid] = (), rules: Rules | None = None
) -> list[Problem]:
    """All problems of the input at once (bad-inputs rule), not the first one only. Callable
    before the bids exist (a loader checks lots and rules before running the engine)."""
    lots = tuple(lots)
    known = {lot.id for lot in lots}
    out = _lot_problems(lots) + _bid_problems(bids, known)
    if rules is not None:
        out += _rule_problems(rules, known)
    return out


__all__ = [
    "AllocationInputError",
    "AllocationProblem",
    "Bid",
    "FloorKind",
    "FrozenDict",
    "Lot",
    "Objective",
    "Rules",
    "empty_map",
    "input_problems",
]
