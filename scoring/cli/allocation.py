"""``hostwise allocate | frontier``: the award optimiser on the command line.

The commands only load, solve and print: the numbers come from ``scoring.allocation``, the JSON
and text forms from ``scoring.report.allocation``.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..i18n import _
from .options import scenario_argument


def register_allocation(sub: Any) -> None:
    a = sub.add_parser("allocate", help=_("best award of the scenario's lots (MILP)"))
    scenario_argument(a)
    a.add_argument("--json", action="store_true", help=_("machine-readable output"))
    a.set_defaults(func=cmd_allocate)
    f = sub.add_parser("frontier", help=_("what each level of sovereignty costs"))
    scenario_argument(f)
    f.add_argument("--kind", choices=["seal", "legal"], default="seal",
                   help=_("the floor swept: the SEAL level of sovereignty, or the legal "
                          "score (default seal)"))
    f.add_argument("--json", action="store_true", help=_("machine-readable output"))
    f.set_defaults(func=cmd_frontier)


register = register_allocation


def cmd_allocate(args: argparse.Namespace) -> int:
    from ..allocation import solve
    from ..award import load_award_problem
    from ..report.allocation import result_json, result_text

    ctx = load_award_problem(args.scenario)
    res = solve(ctx.problem)
    if args.json:
        print(json.dumps(result_json(ctx, res), indent=2, ensure_ascii=False))
    else:
        print(result_text(ctx, res))
    return 0


def cmd_frontier(args: argparse.Namespace) -> int:
    from ..allocation import Cause, frontier, solve
    from ..award import load_award_problem
    from ..report.allocation import frontier_json, frontier_text

    ctx = load_award_problem(args.scenario)
    spec = ctx.scenario.allocation.frontier
    module = "sovereignty" if args.kind == "seal" else "legal"
    floors: list[float | None] = (
        [None] if module not in ctx.modules  # nothing to sweep: the budgets alone
        else list(spec.floors) if args.kind == "seal" else [0, 20, 40, 60, 80, 100]
    )
    pts = frontier(ctx.problem, floors, spec.budgets, kind=args.kind)
    causes: tuple[Cause, ...] = ()
    if any(p.status == "infeasible" for p in pts):  # say why, as allocate does
        causes = solve(ctx.problem, check_ties=False, find_binding=False).causes
    if args.json:
        print(json.dumps(frontier_json(ctx, pts, causes), indent=2, ensure_ascii=False,
                         default=str))
    else:
        print(frontier_text(ctx, pts, causes))
    return 0


__all__ = ["cmd_allocate", "cmd_frontier", "register", "register_allocation"]
