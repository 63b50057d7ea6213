"""Award allocation: the best award of lots to offers, as a mixed-integer programme (MILP).

Why a MILP. Award optimisers (Keelvar, SAP Ariba optimised award, Coupa) solve the combinatorial
award problem of procurement: split the need into lots, let every offer bid on every lot, and
pick the award that is best overall under the buyer's business rules (budget, vendor caps, number
of vendors, "not the backup with the primary storage vendor"). That is the winner-determination
problem of combinatorial auctions (Sandholm 2002), NP-hard in general, small enough here for an
exact MILP. Hostwise adds what those tools lack: sovereignty floors (SEAL level, legal exposure)
as constraints, the price of each floor (``frontier``) and reasons in words when no award exists.

Pure: this module imports nothing from the scoring engine. The caller turns scenario, price
sheets and scores into an explicit ``AllocationProblem``; ``solve`` returns an explicit
``AllocationResult``. Nothing raises on an infeasible problem: infeasibility is a result.

Model (one HiGHS column or row family per rule; ``b`` = an eligible bid of offer ``o`` on lot
``l``, ``g`` = vendor group, costs divided by the largest cost for conditioning)::

    y[b] in {0,1}      b wins (a share of) its lot
    s[b] in [0,1]      share of the lot; s = y on a non-splittable lot, else min_share*y <= s <= y
    coverage           sum_{b in l} s[b] = 1                       each lot assigned exactly once
    w[g,l]             g serves l: sum of the y of g's bids on l (a binary z when a split lot
                       holds several offers of g, z >= y, z <= sum y)
    u[g] in {0,1}      g wins something (only with a min / max vendors rule)
    budget             sum cost*s + migration <= budget
    max lots           sum_l w[g,l] <= K                           for each g
    spend share        sum_{b in g} cost*s <= alpha * T,  T = sum cost*s (bid costs only)
    min / max vendors  sum_g u[g] >= n  /  <= n
    separation (a, b)  w[g,a] + w[g,b] <= 1                       for each g
    value floor        sum_{b in l} value*s >= min_value           (both objectives)
    SEAL / legal floor bids below the lot's floor get column upper bound 0

Migration: a lot that leaves its incumbent offer adds ``migration_cost`` to cost and budget,
``migration_cost * (1 - s[incumbent])`` (pro rata on a split lot; the whole amount when the
incumbent has no eligible bid).

Every row rule has one non-negative slack column, fixed at 0. Presolve removes it; the
explanations of infeasibility and the "binding" analysis reopen it, the frontier re-bounds
columns and the budget row, so ONE model is built with pulp and only bounds, right-hand sides and
costs change between solves (pulp 3.3.2's HiGHS interface has no resolve: ``HighsSolver`` loads
the pulp model into highspy once, and the copy is edited in place). HiGHS runs with
``mip_rel_gap`` 1e-9 so that "optimal" is optimal at the 1e-6 tie tolerance, and never with a
warm start (see ``_Model.run``).

Objectives: ``max_value`` maximises sum_l weight_l * sum_b value_b * s_b (a lot fully given to an
offer adds its value); ``min_cost`` minimises cost + migration subject to the value floors.

Tie-break (deterministic, stated): (1) the objective; (2) then, among awards reaching the optimum
(to 1e-9 relative: numerical noise), the secondary criterion: lowest cost for ``max_value``,
highest value for ``min_cost``; (3) then the lexicographically smallest award: lots in problem
order, each lot's offer compared as a string (the order of ``bids`` never matters). Stage 2 is
one more solve with the objective held at its optimum, run when a tie was found (and always
when a lot is splittable, to settle the shares); stage 3 only when another award still ties
after stage 2 (one more no-good solve), then one solve per lot whose offer can still move. A
unique optimum needs no tie-break. Split lots take part in stages 1-2, not in stage 3.

Ties: after the optimum, a no-good cut (Balas & Jeroslow 1972, "Canonical cuts on the unit
hypercube") excludes the found set of winning bids and the model is re-solved; ``ties`` is True
when another set of winning bids reaches the same objective within 1e-6 relative, and
``alternative`` holds it (the one of the two optima that the tie-break did not pick).

Binding rules: a rule is reported as binding when relaxing it alone (its slack reopened, or its
floor lifted) improves the objective beyond the tie tolerance. This is the MILP meaning; a
merely tight constraint (zero slack) is not enough, and a rule with slack can still bind.

Infeasible: obvious cases first (a lot without an eligible bid at its floors, a value floor no
bid reaches, more vendors required than groups bid), then a deletion filter (Chinneck &
Dravnieks 1991, "Locating minimal infeasible constraint sets in linear programs") over the rule
families finds each irreducible conflicting set, and one elastic solve per member (its slack
reopened and minimised) says by how much it must give ("budget short by €1.2 M",
"separation rule (backup vs storage) and max-1-vendor rule conflict: drop the separation, or
allow 2 vendors").
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar

import highspy
import numpy as np
import pulp

from .errors import HostwiseError

_V = TypeVar("_V")
Objective = Literal["max_value", "min_cost"]
Status = Literal["optimal", "feasible", "infeasible", "unknown"]
FloorKind = Literal["seal", "legal"]

REL_TOL = 1e-6
"""Relative tolerance for "same objective": ties, binding rules, dominated frontier points."""
HOLD_TOL = 1e-9
"""Relative slack of an objective held at its optimum during the tie-break stages."""
MIN_SPLIT_SHARE = 1e-4
"""Smallest share of a split lot (when ``min_share`` is lower): an offer "used" with a zero
share would count against vendor rules for nothing and make a false tie."""

_INF = highspy.kHighsInf
_SEAL_LEVELS = (0, 1, 2, 3, 4)
_SOLUTION_FEASIBLE = 2  # HighsSolutionStatus kSolutionStatusFeasible


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


def _frozen() -> FrozenDict:  # default_factory of mapping fields
    return FrozenDict()


class AllocationInputError(HostwiseError, ValueError):
    """The allocation problem itself is malformed (unknown lot, duplicate bid, NaN cost...)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("Invalid allocation problem:\n" + "\n".join(f"- {p}" for p in problems))


# --------------------------------------------------------------------------------------------
# Problem
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bid:
    """One offer's bid for one lot.

    ``cost`` is the annual cost in EUR of the whole lot on this offer (price sheet x demand);
    ``value`` the 0-100 quality of the offer for this lot (from the scoring engine). A bid that
    fails the lot's gates stays in the problem with ``eligible=False`` and its ``reasons``, so
    an infeasibility can say why nobody qualifies. ``seal=None`` (unknown) fails any SEAL floor,
    ``legal_exposure=None`` any legal floor: unknown is never presumed compliant.
    """

    offer: str
    lot: str
    cost: float
    value: float
    eligible: bool = True
    reasons: tuple[str, ...] = ()
    seal: int | None = None
    legal_exposure: float | None = None


@dataclass(frozen=True)
class Lot:
    """A part of the workload awarded as a unit (or split, when ``splittable``).

    ``min_share`` is the minimum share of each offer that takes part in a split lot.
    ``min_seal`` / ``min_legal`` are the lot's sovereignty floors (legal exposure expressed as a
    minimum legal utility, 0-100, higher = less exposed); ``min_value`` its value floor, applied
    under both objectives (it is the constraint of ``min_cost``). ``weight`` weighs the lot's
    value in the ``max_value`` objective (default: lots weigh equally).
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
    groups: Mapping[str, str] = field(default_factory=_frozen)
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
        problems = _validate(self)
        if problems:
            raise AllocationInputError(problems)


def _finite(x: float | None) -> bool:
    return x is None or (isinstance(x, int | float) and math.isfinite(x))


def _validate(p: AllocationProblem) -> list[str]:
    """All problems of the input at once (bad-inputs rule), not the first one only."""
    out: list[str] = []
    ids = [lot.id for lot in p.lots]
    known = set(ids)
    if len(known) != len(ids):
        out.append("duplicate lot ids: " + ", ".join(sorted({i for i in ids if ids.count(i) > 1})))
    for lot in p.lots:
        where = f"lot {lot.id}"
        if not lot.id:
            out.append("a lot has an empty id")
        if not 0.0 <= lot.min_share <= 1.0:
            out.append(f"{where}: min_share {lot.min_share} outside [0, 1]")
        if lot.min_seal is not None and lot.min_seal not in _SEAL_LEVELS:
            out.append(f"{where}: min_seal {lot.min_seal} is not a SEAL level 0-4")
        for name in ("min_legal", "min_value"):
            if not _finite(getattr(lot, name)):
                out.append(f"{where}: {name} is not a finite number")
        if not _finite(lot.migration_cost) or lot.migration_cost < 0:
            out.append(f"{where}: migration_cost must be a finite number >= 0")
        if not _finite(lot.weight) or lot.weight < 0:
            out.append(f"{where}: weight must be a finite number >= 0")
    seen: set[tuple[str, str]] = set()
    for b in p.bids:
        where = f"bid {b.offer} on lot {b.lot}"
        if b.lot not in known:
            out.append(f"{where}: unknown lot")
        if (b.offer, b.lot) in seen:
            out.append(f"{where}: duplicate bid")
        seen.add((b.offer, b.lot))
        if not _finite(b.cost) or b.cost < 0:
            out.append(f"{where}: cost must be a finite number >= 0")
        if not _finite(b.value):
            out.append(f"{where}: value is not a finite number")
        if b.seal is not None and b.seal not in _SEAL_LEVELS:
            out.append(f"{where}: seal {b.seal} is not a SEAL level 0-4")
        if not _finite(b.legal_exposure):
            out.append(f"{where}: legal_exposure is not a finite number")
    r = p.rules
    if r.budget is not None and (not _finite(r.budget) or r.budget < 0):
        out.append("rules: budget must be a finite number >= 0")
    for name in ("max_lots_per_vendor", "min_vendors", "max_vendors"):
        v = getattr(r, name)
        if v is not None and (not isinstance(v, int) or v < 0):
            out.append(f"rules: {name} must be an integer >= 0")
    share = r.max_spend_share_per_vendor
    if share is not None and (not _finite(share) or not 0 < share <= 1):
        out.append("rules: max_spend_share_per_vendor must be in (0, 1]")
    for a, b in r.separations:
        if a not in known or b not in known:
            out.append(f"rules: separation ({a} vs {b}) names an unknown lot")
        elif a == b:
            out.append(f"rules: separation ({a} vs {b}) separates a lot from itself")
    if r.objective not in ("max_value", "min_cost"):
        out.append(f"rules: unknown objective {r.objective!r}")
    return out


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


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
class Relaxation:
    """One reason an award is impossible: the rule keys involved, the sentence, and for a
    single rule how much it must give (``amount`` in ``unit``: EUR, lots, vendors, points,
    share, SEAL level or legal utility)."""

    rules: tuple[str, ...]
    message: str
    amount: float | None = None
    unit: str = ""


@dataclass(frozen=True)
class AllocationResult:
    """What ``solve`` returns.

    ``status``: ``optimal`` (proven), ``feasible`` (time limit reached, best found: ``message``
    says so and the tie / binding analyses are skipped), ``infeasible`` (``relaxations`` says in
    words which rules must give, ``relaxation_details`` by how much; cost, value and assignment
    are empty, never garbage) or ``unknown`` (time limit reached before any award was found).
    ``cost`` includes migration (``migration_cost``); ``spend_by_vendor`` is bid spend per
    vendor group. ``binding`` names the rules that bind at the optimum ("budget (slack €7.6 k)",
    "max 2 lots per vendor"), ``binding_keys`` the same rules as keys: ``budget``, ``max_lots``,
    ``spend_share``, ``min_vendors``, ``max_vendors``, ``separation:A|B``, ``seal:LOT``,
    ``legal:LOT``, ``value:LOT`` (the keys of ``Relaxation.rules`` too, plus ``coverage:LOT``).
    ``timings``: seconds per stage (build, solve, ties, tie_break, binding, explain); it is
    left out of equality, so the same problem gives equal results.
    """

    status: Status
    objective: Objective
    assignment: Mapping[str, str] = field(default_factory=_frozen)
    shares: Mapping[str, Mapping[str, float]] = field(default_factory=_frozen)
    cost: float | None = None
    value: float | None = None
    migration_cost: float | None = None
    spend_by_vendor: Mapping[str, float] = field(default_factory=_frozen)
    binding: tuple[str, ...] = ()
    binding_keys: tuple[str, ...] = ()
    relaxations: tuple[str, ...] = ()
    relaxation_details: tuple[Relaxation, ...] = ()
    ties: bool = False
    alternative: Award | None = None
    message: str = ""
    notes: tuple[str, ...] = ()
    timings: Mapping[str, float] = field(default_factory=_frozen, compare=False, hash=False)

    def to_dict(self) -> dict[str, object]:
        """The JSON contract of ``hostwise allocate`` (plus shares, alternative and notes)."""
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
            "relaxations": list(self.relaxations),
            "ties": self.ties,
            "alternative": None if self.alternative is None else self.alternative.to_dict(),
            "message": self.message,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class FrontierPoint:
    """One point of the price-of-sovereignty frontier: the optimal award when every lot must
    meet ``floor`` (a SEAL level or a minimum legal utility, ``kind``) within ``budget``.
    ``dominated`` marks points another point beats (floor >=, cost <=, value >=, one strictly);
    dominated and infeasible points are kept, marked, so the sweep reads as a table."""

    kind: FloorKind
    floor: float | None
    budget: float | None
    status: Status
    cost: float | None = None
    value: float | None = None
    assignment: Mapping[str, str] = field(default_factory=_frozen)
    shares: Mapping[str, Mapping[str, float]] = field(default_factory=_frozen)
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


# --------------------------------------------------------------------------------------------
# Solver wrapper: pulp's HiGHS with bulk loading and an honest status
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunOutcome:
    """One HiGHS run. ``status`` is ours, not pulp's: pulp 3.x maps a time limit with an
    incumbent to "Optimal"; here it is ``feasible`` with "time limit reached, best found"."""

    status: Status
    x: np.ndarray | None
    message: str
    model_status: str
    objective: float | None = None


_BANNER_SILENCED = False
_BANNER_LOCK = threading.Lock()


def new_highs() -> highspy.Highs:
    """A silent ``highspy.Highs``. HiGHS 1.16 prints its banner on C-level stdout when the
    first instance of the process is created (before any option can be set), which would
    corrupt ``hostwise allocate --json``; that one creation runs with fd 1 on /dev/null."""
    global _BANNER_SILENCED
    with _BANNER_LOCK:
        if _BANNER_SILENCED:
            h = highspy.Highs()
        else:
            _BANNER_SILENCED = True
            sys.stdout.flush()
            try:
                saved = os.dup(1)
            except OSError:  # no usable fd 1: nothing to protect
                saved = -1
            if saved < 0:
                h = highspy.Highs()
            else:
                try:
                    with open(os.devnull, "w") as null:
                        os.dup2(null.fileno(), 1)
                        h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
    h.setOptionValue("output_flag", False)
    return h


def run_highs(h: highspy.Highs, time_limit: float | None = None) -> RunOutcome:
    """Run HiGHS and classify the result from the model status AND the solution status."""
    if time_limit is not None:
        h.setOptionValue("time_limit", max(float(time_limit), 1e-3))
    h.run()
    ms = h.getModelStatus()
    name = h.modelStatusToString(ms)
    info = h.getInfo()
    has_solution = info.primal_solution_status == _SOLUTION_FEASIBLE
    M = highspy.HighsModelStatus
    x = np.asarray(h.getSolution().col_value, dtype=float) if has_solution else None
    obj = info.objective_function_value if has_solution else None
    if ms == M.kOptimal:
        return RunOutcome("optimal", x, "", name, obj)
    if ms in (M.kInfeasible, M.kUnboundedOrInfeasible):
        return RunOutcome("infeasible", None, "infeasible", name)
    limit = "time limit reached" if ms == M.kTimeLimit else f"solver stopped ({name})"
    if has_solution and ms != M.kUnbounded:
        gap = info.mip_gap
        gap_txt = f", gap {gap:.2%}" if math.isfinite(gap) and gap > 0 else ""
        return RunOutcome("feasible", x, f"{limit}, best found{gap_txt}", name, obj)
    return RunOutcome("unknown", None, f"{limit} before any solution was found", name)


class HighsSolver(pulp.HiGHS):
    """``pulp.HiGHS`` (highspy) that loads the model in bulk and reports an honest status.

    pulp 3.3.2 adds columns and rows one ``addCol``/``addRow`` call at a time and maps
    kTimeLimit to "Optimal" (and raises KeyError on kSolutionLimit / kMemoryLimit); here the
    columns and the CSR matrix go to HiGHS in two calls, and ``outcome`` keeps our status.
    """

    def __init__(
        self, time_limit: float | None = 10.0, gap_rel: float = 1e-9, gap_abs: float = 1e-9
    ) -> None:
        super().__init__(msg=False, timeLimit=time_limit, gapRel=gap_rel, gapAbs=gap_abs)
        self.outcome: RunOutcome | None = None

    def createAndConfigureSolver(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel = new_highs()
        if self.gapRel is not None:
            h.setOptionValue("mip_rel_gap", float(self.gapRel))
        if self.gapAbs is not None:
            h.setOptionValue("mip_abs_gap", float(self.gapAbs))
        if self.timeLimit is not None:
            h.setOptionValue("time_limit", float(self.timeLimit))
        for key, value in self.optionsDict.items():
            h.setOptionValue(key, value)

    def buildSolverModel(self, lp: pulp.LpProblem) -> None:
        h = lp.solverModel
        variables = lp.variables()
        n = len(variables)
        sign = -1.0 if lp.sense == pulp.LpMaximize else 1.0
        objective = lp.objective or {}
        cost = np.zeros(n)
        lower = np.empty(n)
        upper = np.empty(n)
        integer: list[int] = []
        for i, v in enumerate(variables):
            v.index = i
            c = objective.get(v)
            if c:
                cost[i] = sign * c
            lower[i] = -_INF if v.lowBound is None else v.lowBound
            upper[i] = _INF if v.upBound is None else v.upBound
            if v.cat == pulp.LpInteger and self.mip:
                integer.append(i)
        none_i = np.zeros(0, dtype=np.int32)
        h.addCols(n, cost, lower, upper, 0, none_i, none_i, np.zeros(0))
        if integer:
            h.changeColsIntegrality(
                len(integer),
                np.asarray(integer, dtype=np.int32),
                np.full(len(integer), highspy.HighsVarType.kInteger),
            )
        constraints = list(lp._constraints.values())
        m = len(constraints)
        starts = np.empty(m, dtype=np.int32)
        row_lo = np.empty(m)
        row_up = np.empty(m)
        index: list[int] = []
        coef: list[float] = []
        for r, c in enumerate(constraints):
            c.index = r
            starts[r] = len(index)
            for v, a in c.items():
                if a:
                    index.append(v.index)
                    coef.append(a)
            lb, ub = c.getLb(), c.getUb()
            row_lo[r] = -_INF if lb is None else lb
            row_up[r] = _INF if ub is None else ub
        if m:
            h.addRows(
                m,
                row_lo,
                row_up,
                len(index),
                starts,
                np.asarray(index, dtype=np.int32),
                np.asarray(coef, dtype=float),
            )

    def load(self, lp: pulp.LpProblem) -> highspy.Highs:
        """Create the HiGHS model of ``lp`` without solving it (for in-place re-solves)."""
        lp.fixObjective()
        self.createAndConfigureSolver(lp)
        self.buildSolverModel(lp)
        return lp.solverModel

    def actualSolve(self, lp: pulp.LpProblem) -> int:  # type: ignore[override]
        h = self.load(lp)
        out = self.outcome = run_highs(h)
        C = pulp.constants
        if out.x is not None:
            values = out.x.tolist()
            for v in lp.variables():
                v.varValue = values[v.index]
        pulp_status = {
            "optimal": (C.LpStatusOptimal, C.LpSolutionOptimal),
            "feasible": (C.LpStatusOptimal, C.LpSolutionIntegerFeasible),
            "infeasible": (C.LpStatusInfeasible, C.LpSolutionInfeasible),
            "unknown": (C.LpStatusNotSolved, C.LpSolutionNoSolutionFound),
        }[out.status]
        lp.assignStatus(*pulp_status)
        return pulp_status[0]

    def actualResolve(self, lp: pulp.LpProblem, **kwargs: object) -> int:  # type: ignore[override]
        return self.actualSolve(lp)


def solve_lp(
    lp: pulp.LpProblem, time_limit: float | None = 10.0
) -> tuple[RunOutcome, float | None]:
    """Solve any pulp model with ``HighsSolver``; return our outcome and pulp's objective value.

    The same wrapper as the award model (the tests run pulp's Beer Distribution Problem
    through it as a published oracle)."""
    solver = HighsSolver(time_limit=time_limit)
    lp.solve(solver)
    out = solver.outcome
    assert out is not None
    objective = pulp.value(lp.objective) if out.x is not None else None
    return out, objective


# --------------------------------------------------------------------------------------------
# Floors and plain words
# --------------------------------------------------------------------------------------------


def _eur(amount: float, *, up: bool = False) -> str:
    """€1.2 M, €350 k, €4.5 k, €800. With ``up`` the shown figure is rounded up, so that a
    shortfall "short by €1.3 M" is enough when added to the budget."""
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
    sign = "-" if amount < 0 and q > 0 else ""
    return f"{sign}€{q:,.{digits}f}{unit}"


def _plural(n: int | float, word: str) -> str:
    return f"{n:g} {word}" + ("" if n == 1 else "s")


def _floors(
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


def _failure(bid: Bid, seal: int | None, legal: float | None) -> str | None:
    """Why ``bid`` cannot take its lot at these floors (None when it can)."""
    if not bid.eligible:
        return "; ".join(bid.reasons) or "fails the lot's gates"
    if seal is not None and (bid.seal is None or bid.seal < seal):
        return "SEAL unknown" if bid.seal is None else f"SEAL-{bid.seal}"
    if legal is not None and (bid.legal_exposure is None or bid.legal_exposure < legal - 1e-9):
        if bid.legal_exposure is None:
            return "legal exposure unknown"
        return f"legal utility {bid.legal_exposure:g}"
    return None


def _at(seal: int | None, legal: float | None) -> str:
    parts = []
    if seal is not None:
        parts.append(f"SEAL-{seal}")
    if legal is not None:
        parts.append(f"legal utility ≥ {legal:g}")
    return " at " + " and ".join(parts) if parts else ""


def _bids_by_lot(problem: AllocationProblem) -> dict[str, list[Bid]]:
    """Bids of each lot, offers in string order (one pass over the bids)."""
    out: dict[str, list[Bid]] = {lot.id: [] for lot in problem.lots}
    for b in problem.bids:
        out[b.lot].append(b)
    for bids in out.values():
        bids.sort(key=lambda b: b.offer)
    return out


def _coverage_issues(
    problem: AllocationProblem, kind: FloorKind | None = None, sweep: float | None = None
) -> dict[str, str]:
    """Pre-check: lot id -> the sentence, for each lot that cannot be covered at all (no bid
    passes its gates and floors, or none reaches its value floor)."""
    issues: dict[str, str] = {}
    by_lot = _bids_by_lot(problem)
    for lot in problem.lots:
        seal, legal = _floors(lot, kind, sweep)
        bids = by_lot[lot.id]
        passing = [b for b in bids if _failure(b, seal, legal) is None]
        if not passing:
            why = "; ".join(f"{b.offer}: {_failure(b, seal, legal)}" for b in bids) or "no bids"
            issues[lot.id] = f"no eligible offer for lot {lot.id}{_at(seal, legal)} ({why})"
            continue
        if lot.min_value is not None:
            best = min(passing, key=lambda b: (-b.value, b.offer))
            if best.value < lot.min_value - 1e-9:
                issues[lot.id] = (
                    f"no eligible offer for lot {lot.id}{_at(seal, legal)} reaches its value "
                    f"floor {lot.min_value:g} (best: {best.offer} at {best.value:g})"
                )
    return issues


def _groups_available(problem: AllocationProblem) -> int:
    """Vendor groups with at least one bid passing the gates and floors of its lot."""
    lots = {lot.id: _floors(lot, None, None) for lot in problem.lots}
    return len(
        {problem.rules.group(b.offer) for b in problem.bids if _failure(b, *lots[b.lot]) is None}
    )


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass
class _Family:
    """A named rule: a slack column (row rules) or a set of blocked bids (floor rules)."""

    key: str
    kind: str
    conflict: str  # its name inside a conflict sentence ("max-1-vendor rule")
    label: str  # its name in the binding list ("max 1 vendor")
    slack: int = -1  # HiGHS column of the slack (row rules)
    lot: int = -1
    level: float = 0.0
    active: bool = True


class _Model:
    """The award MILP, built once with pulp, then edited in place in HiGHS between solves."""

    def __init__(self, problem: AllocationProblem, time_limit: float = 10.0) -> None:
        self.problem = p = problem
        self.time_limit = time_limit
        rules = p.rules
        self.lots = lots = p.lots
        lot_pos = {lot.id: i for i, lot in enumerate(lots)}
        bids = sorted((b for b in p.bids if b.eligible), key=lambda b: (lot_pos[b.lot], b.offer))
        self.bids = bids
        nb = len(bids)
        b_lot = np.fromiter((lot_pos[b.lot] for b in bids), dtype=np.int64, count=nb)
        self.b_lot = b_lot
        self.group_names = sorted({rules.group(b.offer) for b in bids})
        gpos = {g: i for i, g in enumerate(self.group_names)}
        self.b_group = np.fromiter((gpos[rules.group(b.offer)] for b in bids), np.int64, nb)
        self.lot_bids: list[list[int]] = [[] for _ in lots]
        for k in range(nb):
            self.lot_bids[b_lot[k]].append(k)
        self.scale = scale = max(
            [1.0] + [b.cost for b in p.bids] + [lot.migration_cost for lot in lots]
        )
        self.cost = np.array([b.cost for b in bids], dtype=float) / scale
        self.b_value = np.array([b.value for b in bids], dtype=float)
        weight = np.array([lots[i].weight for i in b_lot], dtype=float)
        self.split = np.array([lots[i].splittable for i in b_lot], dtype=bool)
        self.b_seal = np.array([-1 if b.seal is None else b.seal for b in bids], dtype=float)
        self.b_legal = np.array(
            [-np.inf if b.legal_exposure is None else b.legal_exposure for b in bids], dtype=float
        )
        # Migration: cost coefficient of the incumbent's share drops by migration_cost.
        cvec = self.cost.copy()
        self.mig_const = 0.0
        for i, lot in enumerate(lots):
            if lot.incumbent is not None and lot.migration_cost > 0:
                self.mig_const += lot.migration_cost / scale
                for k in self.lot_bids[i]:
                    if bids[k].offer == lot.incumbent:
                        cvec[k] -= lot.migration_cost / scale

        lp = pulp.LpProblem("hostwise_award", pulp.LpMinimize)
        add_var = lp.add_variable
        add_row = lp.addConstraint
        Expr, Con = pulp.LpAffineExpression, pulp.LpConstraint
        LE, GE, EQ = pulp.LpConstraintLE, pulp.LpConstraintGE, pulp.LpConstraintEQ
        y = [add_var(f"y{k:06d}", 0, 1, pulp.LpInteger) for k in range(nb)]
        s = list(y)
        for k in np.flatnonzero(self.split):
            s[k] = add_var(f"s{k:06d}", 0, 1)
            add_row(Con(Expr([(s[k], 1.0), (y[k], -1.0)]), LE, f"su{k}", 0.0))
            ms = max(lots[b_lot[k]].min_share, MIN_SPLIT_SHARE)
            add_row(Con(Expr([(s[k], 1.0), (y[k], -ms)]), GE, f"sl{k}", 0.0))
        for i, ks in enumerate(self.lot_bids):
            add_row(Con(Expr([(s[k], 1.0) for k in ks]), EQ, f"cov{i}", 1.0))
        self.cov_names = [f"cov{i}" for i in range(len(lots))]

        slack_vars: dict[str, pulp.LpVariable] = {}
        fams: list[_Family] = []

        def family(key: str, kind: str, conflict: str, label: str, **kw: float) -> _Family:
            f = _Family(key, kind, conflict, label, **kw)  # type: ignore[arg-type]
            fams.append(f)
            if kind not in ("seal", "legal"):
                slack_vars[key] = add_var(f"e{len(slack_vars):04d}", 0, 0)
            return f

        # Budget row (always built, so frontier budgets can re-bound it).
        fb = family("budget", "budget", "budget", "budget")
        fb.active = rules.budget is not None
        budget_rhs = (rules.budget / scale - self.mig_const) if rules.budget is not None else None
        terms = [(s[k], cvec[k]) for k in range(nb) if cvec[k]]
        terms.append((slack_vars["budget"], -1.0))
        add_row(Con(Expr(terms), LE, "budget", budget_rhs if budget_rhs is not None else 0.0))
        self.cvec = cvec

        # Separations, then the vendor rules need w[g, l].
        seps = [(a, b) for a, b in rules.separations]
        vendor_rules = (
            rules.max_lots_per_vendor is not None
            or rules.min_vendors is not None
            or rules.max_vendors is not None
            or bool(seps)
        )
        w: dict[tuple[int, int], list[tuple[pulp.LpVariable, float]]] = {}
        if vendor_rules:
            by_gl: dict[tuple[int, int], list[int]] = {}
            for k in range(nb):
                by_gl.setdefault((int(self.b_group[k]), int(b_lot[k])), []).append(k)
            for (g, i), ks in by_gl.items():
                if len(ks) == 1 or not lots[i].splittable:
                    w[g, i] = [(y[k], 1.0) for k in ks]
                else:
                    z = add_var(f"z{g:05d}_{i:05d}", 0, 1, pulp.LpInteger)
                    for k in ks:
                        add_row(Con(Expr([(y[k], 1.0), (z, -1.0)]), LE, f"zy{k}", 0.0))
                    add_row(
                        Con(Expr([(z, 1.0)] + [(y[k], -1.0) for k in ks]), LE, f"zs{g}_{i}", 0.0)
                    )
                    w[g, i] = [(z, 1.0)]
        g_lots: dict[int, list[int]] = {}
        for g, i in sorted(w):
            g_lots.setdefault(g, []).append(i)

        for j, (a, b) in enumerate(seps):
            ia, ib = lot_pos[a], lot_pos[b]
            f = family(
                f"separation:{a}|{b}",
                "separation",
                f"separation rule ({a} vs {b})",
                f"separation ({a} vs {b})",
            )
            e = slack_vars[f.key]
            for g in range(len(self.group_names)):
                if (g, ia) in w and (g, ib) in w:
                    add_row(Con(Expr(w[g, ia] + w[g, ib] + [(e, -1.0)]), LE, f"sep{j}_{g}", 1.0))

        K = rules.max_lots_per_vendor
        if K is not None:
            f = family(
                "max_lots",
                "max_lots",
                f"max-{K}-{'lot' if K == 1 else 'lots'}-per-vendor rule",
                f"max {_plural(K, 'lot')} per vendor",
                level=K,
            )
            e = slack_vars[f.key]
            for g, ls in g_lots.items():
                if len(ls) > K:
                    add_row(
                        Con(
                            Expr([t for i in ls for t in w[g, i]] + [(e, -1.0)]),
                            LE,
                            f"ml{g}",
                            float(K),
                        )
                    )

        alpha = rules.max_spend_share_per_vendor
        if alpha is not None and alpha < 1.0:
            pct = f"{alpha:.0%}" if abs(alpha * 100 - round(alpha * 100)) < 1e-9 else f"{alpha:.1%}"
            f = family(
                "spend_share",
                "spend",
                f"max-{pct}-spend-per-vendor rule",
                f"max {pct} of spend per vendor",
                level=alpha,
            )
            e = slack_vars[f.key]
            T = add_var("t_spend", 0, None)
            add_row(
                Con(
                    Expr([(s[k], self.cost[k]) for k in range(nb)] + [(T, -1.0)]),
                    EQ,
                    "spend_total",
                    0.0,
                )
            )
            by_g: dict[int, list[int]] = {}
            for k in range(nb):
                by_g.setdefault(int(self.b_group[k]), []).append(k)
            for g, ks in by_g.items():
                add_row(
                    Con(
                        Expr([(s[k], self.cost[k]) for k in ks] + [(T, -alpha), (e, -1.0)]),
                        LE,
                        f"sp{g}",
                        0.0,
                    )
                )

        if rules.min_vendors is not None or rules.max_vendors is not None:
            u = {g: add_var(f"u{g:05d}", 0, 1, pulp.LpInteger) for g in g_lots}
            if rules.max_vendors is not None:
                for (g, i), terms in w.items():
                    add_row(Con(Expr([*terms, (u[g], -1.0)]), LE, f"wu{g}_{i}", 0.0))
            if rules.min_vendors is not None:
                for g, ls in g_lots.items():
                    neg = [(v, -c) for i in ls for v, c in w[g, i]]
                    add_row(Con(Expr([(u[g], 1.0), *neg]), LE, f"uw{g}", 0.0))
                n = rules.min_vendors
                word = "vendor" if n == 1 else "vendors"
                f = family(
                    "min_vendors",
                    "min_vendors",
                    f"min-{n}-{word} rule",
                    f"min {_plural(n, 'vendor')}",
                    level=n,
                )
                add_row(
                    Con(
                        Expr([(u[g], 1.0) for g in u] + [(slack_vars[f.key], 1.0)]),
                        GE,
                        "minv",
                        float(n),
                    )
                )
            if rules.max_vendors is not None:
                n = rules.max_vendors
                word = "vendor" if n == 1 else "vendors"
                f = family(
                    "max_vendors",
                    "max_vendors",
                    f"max-{n}-{word} rule",
                    f"max {_plural(n, 'vendor')}",
                    level=n,
                )
                add_row(
                    Con(
                        Expr([(u[g], 1.0) for g in u] + [(slack_vars[f.key], -1.0)]),
                        LE,
                        "maxv",
                        float(n),
                    )
                )

        # Floors (column bounds) and value floors (rows), lot by lot.
        for i, lot in enumerate(lots):
            ks = np.asarray(self.lot_bids[i], dtype=np.int64)
            if lot.min_seal is not None and len(ks):
                family(
                    f"seal:{lot.id}",
                    "seal",
                    f"SEAL-{lot.min_seal} floor on lot {lot.id}",
                    f"SEAL-{lot.min_seal} floor on lot {lot.id}",
                    lot=i,
                    level=lot.min_seal,
                )
            if lot.min_legal is not None and len(ks):
                family(
                    f"legal:{lot.id}",
                    "legal",
                    f"legal floor {lot.min_legal:g} on lot {lot.id}",
                    f"legal floor {lot.min_legal:g} on lot {lot.id}",
                    lot=i,
                    level=lot.min_legal,
                )
        for i, lot in enumerate(lots):
            if lot.min_value is not None and self.lot_bids[i]:
                f = family(
                    f"value:{lot.id}",
                    "value",
                    f"value floor {lot.min_value:g} on lot {lot.id}",
                    f"value floor {lot.min_value:g} on lot {lot.id}",
                    lot=i,
                    level=lot.min_value,
                )
                add_row(
                    Con(
                        Expr(
                            [(s[k], self.b_value[k]) for k in self.lot_bids[i]]
                            + [(slack_vars[f.key], 1.0)]
                        ),
                        GE,
                        f"val{i}",
                        lot.min_value,
                    )
                )

        value_coef = weight * self.b_value
        self.objective: Objective = rules.objective
        if rules.objective == "max_value":
            lp.setObjective(Expr([(s[k], -value_coef[k]) for k in range(nb) if value_coef[k]]))
        else:
            lp.setObjective(Expr([(s[k], cvec[k]) for k in range(nb) if cvec[k]]))

        # Load into HiGHS once.
        self.lp = lp
        self.solver = HighsSolver(time_limit=time_limit)
        self.h = h = self.solver.load(lp)
        self.ncol = h.getNumCol()
        self.y_col = np.fromiter((v.index for v in y), np.int32, nb)
        self.s_col = np.fromiter((v.index for v in s), np.int32, nb)
        self.all_cols = np.arange(self.ncol, dtype=np.int32)
        self.budget_row = lp._constraints["budget"].index
        self.cov_row = [lp._constraints[name].index for name in self.cov_names]
        for f in fams:
            if f.key in slack_vars:
                index = getattr(slack_vars[f.key], "index", None)
                if index is None:  # the rule produced no row (e.g. nobody bids on both lots)
                    f.active = False
                else:
                    f.slack = index
        self.families = fams
        self.by_key = {f.key: f for f in fams}
        # Objective vectors over HiGHS columns (minimisation form).
        self.c_cost = np.zeros(self.ncol)
        self.c_cost[self.s_col] = cvec
        self.c_value = np.zeros(self.ncol)
        self.c_value[self.s_col] = -value_coef
        if rules.objective == "max_value":
            self.primary, self.secondary = self.c_value, self.c_cost
        else:
            self.primary, self.secondary = self.c_cost, self.c_value
        # State.
        self.state: dict[str, str] = {f.key: "hard" for f in fams}
        self.sweep: tuple[FloorKind | None, float | None] = (None, None)
        self.budget: float | None = rules.budget
        self.dropped: set[int] = set()
        self.fixed: dict[int, int] = {}  # lot -> bid forced (lexicographic stage)
        self._cost_now: np.ndarray | None = None
        self.apply_bounds()
        self._set_budget_row()

    # -- state -----------------------------------------------------------------------------

    def floor_blocked(self, f: _Family, level: float | None = None) -> np.ndarray:
        """Bids of ``f``'s lot that fail its floor (at ``level``, default the rule's own)."""
        lvl = f.level if level is None else level
        mask = self.b_lot == f.lot
        if f.kind == "seal":
            return mask & (self.b_seal < lvl)
        return mask & (self.b_legal < lvl - 1e-9)

    def open_mask(self) -> np.ndarray:
        """Bids whose columns may be non-zero in the current state."""
        nb = len(self.bids)
        blocked = np.zeros(nb, dtype=bool)
        for f in self.families:
            if f.kind in ("seal", "legal") and self.state[f.key] == "hard":
                blocked |= self.floor_blocked(f)
        kind, sweep = self.sweep
        if sweep is not None and kind == "seal":
            blocked |= self.b_seal < math.ceil(sweep - 1e-9)
        elif sweep is not None and kind == "legal":
            blocked |= self.b_legal < sweep - 1e-9
        if self.dropped:
            blocked |= np.isin(self.b_lot, list(self.dropped))
        for i, k in self.fixed.items():
            lot_mask = self.b_lot == i
            lot_mask[k] = False
            blocked |= lot_mask
        return ~blocked

    def apply_bounds(self) -> None:
        """Push the current state (floors, sweep, fixings, slack states) to HiGHS bounds."""
        nb = len(self.bids)
        ub = self.open_mask().astype(float)
        lb = np.zeros(nb)
        for k in self.fixed.values():
            lb[k] = 1.0
        self.h.changeColsBounds(nb, self.y_col, lb, ub)
        split = np.flatnonzero(self.split)
        if len(split):
            self.h.changeColsBounds(len(split), self.s_col[split], np.zeros(len(split)), ub[split])
        slack = [f for f in self.families if f.slack >= 0]
        if slack:
            idx = np.array([f.slack for f in slack], dtype=np.int32)
            up = np.array(
                [_INF if f.active and self.state[f.key] != "hard" else 0.0 for f in slack]
            )
            self.h.changeColsBounds(len(slack), idx, np.zeros(len(slack)), up)
        for i in range(len(self.lots)):
            lo = 0.0 if i in self.dropped else 1.0
            self.h.changeRowBounds(self.cov_row[i], lo, lo)

    def set_state(self, keys: Iterable[str], state: str) -> None:
        for key in keys:
            self.state[key] = state
        self.apply_bounds()

    def _set_budget_row(self) -> None:
        if self.budget is None:
            self.h.changeRowBounds(self.budget_row, -_INF, _INF)
        else:
            rhs = self.budget / self.scale - self.mig_const
            self.h.changeRowBounds(self.budget_row, -_INF, rhs)

    def set_budget(self, budget: float | None) -> None:
        self.budget = budget
        self.by_key["budget"].active = budget is not None
        self._set_budget_row()
        self.apply_bounds()

    def set_sweep(self, kind: FloorKind | None, floor: float | None) -> None:
        self.sweep = (kind, floor)
        self.apply_bounds()

    def active_families(self) -> list[_Family]:
        return [f for f in self.families if f.active]

    # -- solving ---------------------------------------------------------------------------

    def run(self, cost: np.ndarray, *, target: float | None = None) -> RunOutcome:
        """Solve with objective ``cost`` (minimised). ``target``: stop at the first award with
        objective below it (HiGHS ``objective_target``); the caller then only asks "is there
        one?", never "which is best", and checks the objective itself.

        No warm start: with HiGHS 1.16, ``setSolution`` of the previous award on a model whose
        bounds were edited made HiGHS report that award as "Optimal" while a better one existed
        (found by the binding cross-check against enumeration)."""
        h = self.h
        if self._cost_now is None or not np.array_equal(cost, self._cost_now):
            h.changeColsCost(self.ncol, self.all_cols, cost)
            self._cost_now = cost.copy()
        if target is not None:
            h.setOptionValue("objective_target", float(target))
        try:
            return run_highs(h, self.time_limit)
        finally:
            if target is not None:
                h.setOptionValue("objective_target", -_INF)

    def push_row(self, coef: np.ndarray, lo: float, up: float) -> None:
        idx = np.flatnonzero(coef).astype(np.int32)
        self.h.addRow(lo, up, len(idx), idx, coef[idx])

    def pop_rows(self, n: int) -> None:
        m = self.h.getNumRow()
        self.h.deleteRows(n, np.arange(m - n, m, dtype=np.int32))

    def push_nogood(self, x: np.ndarray) -> None:
        """Balas & Jeroslow (1972) cut: the next award must change at least one winning bid."""
        won = x[self.y_col] > 0.5
        coef = np.zeros(self.ncol)
        coef[self.y_col] = np.where(won, -1.0, 1.0)
        self.push_row(coef, 1.0 - float(won.sum()), _INF)

    # -- reading solutions -----------------------------------------------------------------

    def pattern(self, x: np.ndarray) -> tuple[int, ...]:
        return tuple(int(k) for k in np.flatnonzero(x[self.y_col] > 0.5))

    def award(self, x: np.ndarray) -> Award:
        """The award of solution ``x``; money recomputed from the input data."""
        won = x[self.y_col] > 0.5
        share = np.where(self.split, np.clip(x[self.s_col], 0.0, 1.0), 1.0) * won
        assignment: dict[str, str] = {}
        shares: dict[str, Mapping[str, float]] = {}
        cost = mig = value = 0.0
        spend: dict[str, float] = {}
        rules = self.problem.rules
        for i, lot in enumerate(self.lots):
            ks = [k for k in self.lot_bids[i] if share[k] > 1e-9]
            if not ks:
                continue
            total = sum(share[k] for k in ks)
            part = {self.bids[k].offer: float(share[k] / total) for k in ks}
            if len(ks) == 1:
                assignment[lot.id] = self.bids[ks[0]].offer
            else:
                shares[lot.id] = FrozenDict({o: round(v, 9) for o, v in part.items()})
            for k in ks:
                b = self.bids[k]
                c = b.cost * part[b.offer]
                cost += c
                value += lot.weight * b.value * part[b.offer]
                g = rules.group(b.offer)
                spend[g] = spend.get(g, 0.0) + c
            if lot.incumbent is not None and lot.migration_cost > 0:
                mig += lot.migration_cost * (1.0 - part.get(lot.incumbent, 0.0))
        return Award(
            assignment=FrozenDict(assignment),
            shares=FrozenDict(shares),
            cost=cost + mig,
            value=value,
            migration_cost=mig,
            spend_by_vendor=FrozenDict(dict(sorted(spend.items()))),
        )

    # -- stages ----------------------------------------------------------------------------

    def refine(self, x: np.ndarray, lexicographic: bool) -> np.ndarray:
        """Tie-break stages 2 and 3 (module docstring) around the optimum ``x``."""
        opt = float(self.primary @ x)
        self.push_row(self.primary, -_INF, opt + _hold(opt))
        pushed = 1
        try:
            out = self.run(self.secondary)
            if out.x is None:
                return x
            x = out.x
            if not lexicographic:
                return x
            sec = float(self.secondary @ x)
            self.push_row(self.secondary, -_INF, sec + _hold(sec))
            self.push_nogood(x)
            pushed = 3
            other = self.run(self.secondary, target=sec + _hold(sec))
            self.pop_rows(1)
            pushed = 2
            if other.x is None:  # unique after stage 2: nothing left to break
                return x
            return self._lexicographic(x)
        finally:
            self.pop_rows(pushed)
            if self.fixed:
                self.fixed.clear()
                self.apply_bounds()

    def _lexicographic(self, x: np.ndarray) -> np.ndarray:
        """Lots in problem order: give each the smallest offer key still reaching the optimum."""
        for i, lot in enumerate(self.lots):
            if lot.splittable or not self.lot_bids[i]:
                continue
            open_ = self.open_mask()
            cands = [k for k in self.lot_bids[i] if open_[k]]  # sorted by offer already
            won = [k for k in cands if x[self.y_col[k]] > 0.5]
            if not won:
                continue
            if won[0] != cands[0]:
                rank = np.zeros(self.ncol)
                for r, k in enumerate(cands):
                    rank[self.y_col[k]] = r
                out = self.run(rank)
                if out.x is not None:
                    x = out.x
                    won = [k for k in cands if x[self.y_col[k]] > 0.5] or won
            self.fixed[i] = won[0]
            self.apply_bounds()
        return x

    def binding(self, x: np.ndarray) -> list[_Family]:
        """Rules whose relaxation alone improves the objective (MILP sense, see docstring)."""
        fams = [f for f in self.active_families() if f.kind != "budget" or self.budget is not None]
        if not fams:
            return []
        opt = float(self.primary @ x)

        def improves(keys: list[str]) -> bool:
            self.set_state(keys, "free")
            try:
                out = self.run(self.primary, target=opt - _tol(opt))
            finally:
                self.set_state(keys, "hard")
            return out.x is not None and float(self.primary @ out.x) < opt - _tol(opt)

        if not improves([f.key for f in fams]):
            return []
        return [f for f in fams if improves([f.key])]


def _tol(v: float) -> float:
    """ "Same objective" for ties, binding and dominance: 1e-6 relative."""
    return REL_TOL * max(1.0, abs(v))


def _hold(v: float) -> float:
    """Slack when an objective is held at its optimum for the next tie-break stage: numerical
    noise only (1e-9 relative), so that shares of split lots cannot trade objective away."""
    return HOLD_TOL * max(1.0, abs(v))


# --------------------------------------------------------------------------------------------
# solve
# --------------------------------------------------------------------------------------------


def solve(
    problem: AllocationProblem,
    time_limit: float = 10.0,
    *,
    check_ties: bool = True,
    find_binding: bool = True,
) -> AllocationResult:
    """The best award of ``problem`` under its rules (see the module docstring for the model,
    the tie-break rule, ties, binding rules and infeasibility explanations).

    ``time_limit`` (seconds) bounds each HiGHS run. When the first run stops at the limit with
    an award in hand the status is ``feasible`` ("time limit reached, best found") and the
    tie and binding analyses are skipped (they would compare against an unproven optimum).
    """
    objective = problem.rules.objective
    clock = _Clock()
    if not problem.lots:
        return AllocationResult(
            status="optimal", objective=objective, cost=0.0, value=0.0, migration_cost=0.0
        )
    if _obvious_issues(problem):
        return _infeasible(problem, time_limit, clock)
    model = _Model(problem, time_limit)
    clock.lap("build")
    first = model.run(model.primary)
    clock.lap("solve")
    if first.status == "infeasible":
        return _infeasible(problem, time_limit, clock)
    if first.x is None:
        return AllocationResult(
            status="unknown",
            objective=objective,
            message=first.message,
            notes=(first.message,),
            timings=FrozenDict(clock.laps),
        )
    x = first.x
    notes: list[str] = []
    ties = False
    alternative: Award | None = None
    proven = first.status == "optimal"
    if not proven:
        notes.append(first.message)
    if proven and check_ties:
        opt = float(model.primary @ x)
        model.push_nogood(x)
        try:
            second = model.run(model.primary, target=opt + _tol(opt))
        finally:
            model.pop_rows(1)
        if second.x is not None and float(model.primary @ second.x) <= opt + _tol(opt):
            ties = True
            x_b = second.x
        elif second.status not in ("optimal", "infeasible"):
            notes.append(f"tie check: {second.message}")
        clock.lap("ties")
    chosen = x
    if proven and (ties or bool(model.split.any())):
        chosen = model.refine(x, lexicographic=ties)
        clock.lap("tie_break")
    if ties:
        other = x_b if model.pattern(chosen) == model.pattern(x) else x
        alternative = model.award(other)
    award = model.award(chosen)
    binding: list[str] = []
    binding_keys: list[str] = []
    if proven and find_binding:
        for f in model.binding(chosen):
            binding_keys.append(f.key)
            if f.kind == "budget" and model.budget is not None:
                binding.append(f"budget (slack {_eur(max(model.budget - award.cost, 0.0))})")
            else:
                binding.append(f.label)
        clock.lap("binding")
    return AllocationResult(
        status=first.status,
        objective=objective,
        assignment=award.assignment,
        shares=award.shares,
        cost=award.cost,
        value=award.value,
        migration_cost=award.migration_cost,
        spend_by_vendor=award.spend_by_vendor,
        binding=tuple(binding),
        binding_keys=tuple(binding_keys),
        ties=ties,
        alternative=alternative,
        message=first.message,
        notes=tuple(notes),
        timings=FrozenDict(clock.laps),
    )


class _Clock:
    """Wall-clock laps (seconds) of the stages of ``solve``, for ``AllocationResult.timings``."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._t
        self._t = now


# --------------------------------------------------------------------------------------------
# Infeasibility explained
# --------------------------------------------------------------------------------------------


def _obvious_issues(problem: AllocationProblem) -> bool:
    if _coverage_issues(problem):
        return True
    n = problem.rules.min_vendors
    return n is not None and _groups_available(problem) < n


def _infeasible(problem: AllocationProblem, time_limit: float, clock: _Clock) -> AllocationResult:
    details = explain_infeasibility(problem, time_limit)
    clock.lap("explain")
    return AllocationResult(
        status="infeasible",
        objective=problem.rules.objective,
        relaxations=tuple(r.message for r in details),
        relaxation_details=details,
        message="no award meets all rules",
        timings=FrozenDict(clock.laps),
    )


def explain_infeasibility(
    problem: AllocationProblem, time_limit: float = 10.0
) -> tuple[Relaxation, ...]:
    """Which rules must give, and by how much (empty when the problem is feasible).

    1. Pre-checks: a lot with no eligible bid at its floors, a value floor no eligible bid
       reaches, a min-vendors rule above the number of vendor groups with an eligible bid.
       Such lots (and that rule) are set aside and the rest is analysed.
    2. Deletion filter (Chinneck & Dravnieks 1991) over the rule families: each family is
       relaxed in turn and kept relaxed when the problem stays infeasible without it; what
       remains is an irreducible conflicting set. Its members are then relaxed and the search
       repeats until the rest is feasible, so independent conflicts are all reported.
    3. For each member of a set, an elastic solve (its slack reopened and minimised, the other
       members hard) or a floor walk-down gives the amount it must give.
    """
    out: list[Relaxation] = []
    dropped: set[int] = set()
    issues = _coverage_issues(problem)
    for i, lot in enumerate(problem.lots):
        if lot.id in issues:
            out.append(Relaxation((f"coverage:{lot.id}",), issues[lot.id]))
            dropped.add(i)
    model = _Model(problem, time_limit)
    model.dropped = dropped
    model.apply_bounds()
    n = problem.rules.min_vendors
    free: set[str] = set()
    if n is not None:
        m = _groups_available(problem)
        if m < n:
            out.append(
                Relaxation(
                    ("min_vendors",),
                    f"min {_plural(n, 'vendor')} cannot be met: only {_plural(m, 'vendor group')} "
                    f"{'has' if m == 1 else 'have'} an eligible offer",
                    amount=float(n - m),
                    unit="vendors",
                )
            )
            free.add("min_vendors")
    fams = [
        f
        for f in model.active_families()
        if f.key not in free and (f.lot < 0 or f.lot not in dropped)
    ]
    for f in model.families:
        if f not in fams:
            model.state[f.key] = "free"
    model.apply_bounds()
    zero = np.zeros(model.ncol)

    def feasible() -> bool:
        return model.run(zero).x is not None

    cores: list[list[_Family]] = []
    while len(cores) <= len(fams) and not feasible():
        hard = [f for f in fams if model.state[f.key] == "hard"]
        core = list(hard)
        for f in hard:
            model.set_state([f.key], "free")
            if feasible():
                model.set_state([f.key], "hard")
            else:
                core.remove(f)
        if not core:
            break
        model.set_state([f.key for f in hard if f not in core], "hard")
        model.set_state([f.key for f in core], "free")
        cores.append(core)
    if not feasible():
        out.append(
            Relaxation(
                ("unknown",),
                "the rules cannot all be met (no explanation found within the time limit)",
            )
        )
    in_cores = {f.key for core in cores for f in core}
    for core in cores:
        fixes = []
        for f in core:
            # Others of this core hard, other cores free, the rest hard; then the rest free.
            for g in fams:
                model.state[g.key] = "free" if g.key in in_cores else "hard"
            model.set_state([g.key for g in core if g is not f], "hard")
            amount = _amount(model, f)
            if amount is None:
                model.set_state([g.key for g in fams if g.key not in in_cores], "free")
                amount = _amount(model, f)
            fixes.append((f, amount))
        out.append(_sentence(problem, model, fixes))
    return tuple(out)


def _amount(model: _Model, f: _Family) -> float | None:
    """How much ``f`` must give with the current other states (None: relaxing it is not enough)."""
    if f.kind in ("seal", "legal"):
        lot = model.lots[f.lot]
        if f.kind == "seal":
            levels: list[float] = [lv for lv in range(int(f.level) - 1, -1, -1)]
        else:
            below = {
                b.legal_exposure
                for b in model.problem.bids
                if b.lot == lot.id and b.legal_exposure is not None and b.legal_exposure < f.level
            }
            levels = sorted(below, reverse=True)
        saved = f.level
        model.state[f.key] = "hard"
        try:
            for lv in [*levels, -math.inf]:
                f.level = lv
                model.apply_bounds()
                if model.run(np.zeros(model.ncol)).x is not None:
                    return lv
        finally:
            f.level = saved
            model.state[f.key] = "free"
            model.apply_bounds()
        return None
    model.set_state([f.key], "elastic")
    cost = np.zeros(model.ncol)
    cost[f.slack] = 1.0
    out = model.run(cost)
    model.set_state([f.key], "free")
    if out.x is None:
        return None
    e = float(out.x[f.slack])
    if f.kind in ("budget",):
        return e * model.scale
    if f.kind == "spend":
        won = out.x[model.s_col] * (out.x[model.y_col] > 0.5)
        spend = np.bincount(
            model.b_group, weights=won * model.cost, minlength=len(model.group_names)
        )
        total = spend.sum()
        return float(spend.max() / total) if total > 0 else 1.0
    if f.kind in ("max_lots", "min_vendors", "max_vendors", "separation"):
        return float(math.ceil(e - 1e-6))
    return e


def _sentence(
    problem: AllocationProblem, model: _Model, fixes: list[tuple[_Family, float | None]]
) -> Relaxation:
    lot_id = {i: lot.id for i, lot in enumerate(model.lots)}

    def fix_text(f: _Family, a: float | None) -> str:
        if a is None:
            return f"relax the {f.conflict}"
        if f.kind == "budget":
            return f"raise the budget by {_eur(a, up=True)}"
        if f.kind == "max_lots":
            return f"allow {_plural(f.level + a, 'lot')} per vendor"
        if f.kind == "spend":
            return f"allow a vendor {math.ceil(a * 100 - 1e-6)}% of spend"
        if f.kind == "min_vendors":
            return f"accept {_plural(f.level - a, 'vendor')}"
        if f.kind == "max_vendors":
            return f"allow {_plural(f.level + a, 'vendor')}"
        if f.kind == "separation":
            return "drop the separation"
        if f.kind == "value":
            return f"lower the value floor on lot {lot_id[f.lot]} by {a:.3g} points"
        if f.kind == "seal":
            return (
                f"lower the floor on lot {lot_id[f.lot]} to SEAL-{a:g}"
                if a >= 0
                else f"drop the SEAL floor on lot {lot_id[f.lot]}"
            )
        return (
            f"lower the legal floor on lot {lot_id[f.lot]} to {a:g}"
            if math.isfinite(a)
            else f"drop the legal floor on lot {lot_id[f.lot]}"
        )

    keys = tuple(f.key for f, _ in fixes)
    if len(fixes) == 1:
        f, a = fixes[0]
        unit = {
            "budget": "EUR",
            "max_lots": "lots",
            "spend": "share",
            "min_vendors": "vendors",
            "max_vendors": "vendors",
            "separation": "rule",
            "value": "points",
            "seal": "SEAL",
            "legal": "legal utility",
        }[f.kind]
        if f.kind == "budget" and a is not None:
            return Relaxation(keys, f"budget short by {_eur(a, up=True)}", a, unit)
        return Relaxation(keys, f"{f.conflict} cannot be met: {fix_text(f, a)}", a, unit)
    names = [f.conflict for f, _ in fixes]
    joined = " and ".join(names) if len(names) == 2 else ", ".join(names[:-1]) + " and " + names[-1]
    text = f"{joined} conflict: " + ", or ".join(fix_text(f, a) for f, a in fixes)
    return Relaxation(keys, text)


# --------------------------------------------------------------------------------------------
# Frontier
# --------------------------------------------------------------------------------------------


def frontier(
    problem: AllocationProblem,
    floors: Sequence[float | None] = (0, 1, 2, 3, 4),
    budgets: Sequence[float | None] | None = None,
    *,
    kind: FloorKind = "seal",
    time_limit: float = 10.0,
) -> list[FrontierPoint]:
    """The price of sovereignty: the optimal award at each sovereignty floor applied to every
    lot (``kind="seal"``: SEAL levels; ``"legal"``: minimum legal utility), for each budget
    (default: the rules' budget). ``None`` in ``floors`` means "lots' own floors only".

    ONE model is built; each point only changes column upper bounds (bids below the floor ->
    0) and the budget row's right-hand side. Each point is solved for the objective, then for
    the secondary criterion (tie-break stage 2), so cost and value are both meaningful.
    All points are returned in sweep order (budgets outer, floors inner), infeasible ones with
    a reason; ``dominated`` marks points beaten by another (``pareto_set`` filters them).
    Monotone: a higher floor shrinks the feasible set, so it never costs less (``min_cost``)
    and never gives more value (``max_value``).
    """
    model = _Model(problem, time_limit)
    budget_list = [problem.rules.budget] if budgets is None else list(budgets)
    floor_list = list(floors)
    issues = {f: next(iter(_coverage_issues(problem, kind, f).values()), None) for f in floor_list}
    points: list[FrontierPoint] = []
    for budget in budget_list:
        model.set_budget(budget)
        for floor in floor_list:
            base = {"kind": kind, "floor": floor, "budget": budget}
            if issues[floor]:
                points.append(FrontierPoint(**base, status="infeasible", message=issues[floor]))
                continue
            model.set_sweep(kind, floor)
            out = model.run(model.primary)
            if out.x is None:
                msg = (
                    out.message
                    if out.status == "unknown"
                    else ("no award meets all rules at this floor and budget")
                )
                points.append(FrontierPoint(**base, status=out.status, message=msg))
                continue
            x = out.x if out.status != "optimal" else model.refine(out.x, lexicographic=False)
            a = model.award(x)
            points.append(
                FrontierPoint(
                    **base,
                    status=out.status,
                    cost=a.cost,
                    value=a.value,
                    assignment=a.assignment,
                    shares=a.shares,
                    message=out.message,
                )
            )
    return _mark_dominated(points)


def _mark_dominated(points: list[FrontierPoint]) -> list[FrontierPoint]:
    def floor_key(p: FrontierPoint) -> float:
        return -math.inf if p.floor is None else float(p.floor)

    feasible = [p for p in points if p.cost is not None and p.value is not None]
    out = []
    for p in points:
        dominated = False
        if p.cost is not None and p.value is not None:
            for q in feasible:
                if q is p:
                    continue
                assert q.cost is not None and q.value is not None
                ge = (
                    floor_key(q) >= floor_key(p)
                    and q.cost <= p.cost + _tol(p.cost)
                    and q.value >= p.value - _tol(p.value)
                )
                gt = (
                    floor_key(q) > floor_key(p)
                    or q.cost < p.cost - _tol(p.cost)
                    or q.value > p.value + _tol(p.value)
                )
                if ge and gt:
                    dominated = True
                    break
        out.append(FrontierPoint(**{**_fields(p), "dominated": dominated}))
    return out


def _fields(p: FrontierPoint) -> dict[str, object]:
    return {k: getattr(p, k) for k in p.__dataclass_fields__}


__all__ = [
    "AllocationInputError",
    "AllocationProblem",
    "AllocationResult",
    "Award",
    "Bid",
    "FrontierPoint",
    "FrozenDict",
    "HighsSolver",
    "Lot",
    "Relaxation",
    "Rules",
    "RunOutcome",
    "explain_infeasibility",
    "frontier",
    "new_highs",
    "pareto_set",
    "run_highs",
    "solve",
    "solve_lp",
]
