"""Award allocation: the best award of lots to offers, as a mixed-integer programme (MILP).

Why a MILP. Award optimisers (Keelvar, SAP Ariba optimised award, Coupa) solve the combinatorial
award problem of procurement: split the need into lots, let every offer bid on every lot, and
pick the award that is best overall under the buyer's business rules (budget, vendor caps, number
of vendors, "not the backup with the primary storage vendor"). That is the winner-determination
problem of combinatorial auctions (Sandholm 2002), NP-hard in general, small enough here for an
exact MILP. Hostwise adds what those tools lack: sovereignty floors (SEAL level, legal utility)
as constraints, the price of each floor (``frontier``) and reasons in words when no award exists.

Pure: this package imports nothing from the scoring engine. The caller turns scenario, price
sheets and scores into an explicit ``AllocationProblem``; ``solve`` returns an explicit
``AllocationResult``. Nothing raises on an infeasible problem: infeasibility is a result.

Modules, in reading order:

- ``problem``  the input (``Lot``, ``Bid``, ``Rules``, ``AllocationProblem``) and its validation;
- ``results``  the output (``AllocationResult``, ``Award``, ``Relaxation``, ``Fix``,
  ``FrontierPoint``);
- ``checks``   solver-free pre-checks (lots nobody can take, how many vendors can win);
- ``build``    the MILP, one builder function per rule family;
- ``model``    the MILP loaded once into HiGHS (``scoring.highs``) and edited in place;
- ``bounds``   its LP relaxation: bound and reduced-cost proofs before a cut-off run;
- ``solve`` and ``stages``   the optimum, ties, tie-break, binding rules;
- ``explain``  why no award exists, what must give, each fix verified;
- ``optimum``  the award (``solve`` adds the causes of "no award" on top);
- ``quotes``   the winning quote of an offer that lacks prices for a lot;
- ``causes``   "no award" in one grouped line per cause, missing prices first;
- ``frontier`` the price of sovereignty.
"""

from __future__ import annotations

from ..highs import HighsSolver, RunOutcome, new_highs, run_highs, solve_lp
from .causes import find_causes, price_gaps
from .explain import explain_infeasibility
from .frontier import frontier
from .problem import (
    AllocationInputError,
    AllocationProblem,
    Bid,
    FloorKind,
    FrozenDict,
    Lot,
    Objective,
    Rules,
    input_problems,
)
from .quotes import QuoteUndecided, winning_quote
from .results import (
    AllocationResult,
    Award,
    Cause,
    Fix,
    FrontierPoint,
    Quote,
    Relaxation,
    pareto_set,
)
from .solve import DEFAULT_TIME_LIMIT, solve
from .words import eur

_eur = eur  # the name the tests and older callers use

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "AllocationInputError",
    "AllocationProblem",
    "AllocationResult",
    "Award",
    "Bid",
    "Cause",
    "Fix",
    "FloorKind",
    "FrontierPoint",
    "FrozenDict",
    "HighsSolver",
    "Lot",
    "Objective",
    "Quote",
    "QuoteUndecided",
    "Relaxation",
    "Rules",
    "RunOutcome",
    "eur",
    "explain_infeasibility",
    "find_causes",
    "frontier",
    "input_problems",
    "new_highs",
    "pareto_set",
    "price_gaps",
    "run_highs",
    "solve",
    "solve_lp",
    "winning_quote",
]
