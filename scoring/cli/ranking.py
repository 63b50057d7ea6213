"""``hostwise rank | compare | explain``: the scoring engine on the command line.

Thin: parse arguments, evaluate, print a report from ``scoring.report``. The text forms are for
people; the ``--json`` forms are stable contracts other tools read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..i18n import _
from ..methods.registry import METHODS
from .options import scenario_argument


def register(sub: Any) -> None:
    r = sub.add_parser("rank", help=_("rank the offers of a scenario"))
    scenario_argument(r)
    r.add_argument("--method", choices=list(METHODS), default=None,
                   help=_("aggregation method (default: the scenario's)"))
    r.add_argument("--json", action="store_true", help=_("machine-readable output"))
    r.set_defaults(func=cmd_rank)
    c = sub.add_parser("compare", help=_("compare scenarios side by side (the replay)"))
    c.add_argument("scenarios", nargs="+", metavar=_("scenario"),
                   help=_("scenario files (YAML), in the order shown"))
    c.add_argument("--json", action="store_true", help=_("machine-readable output"))
    c.set_defaults(func=cmd_compare)
    e = sub.add_parser("explain", help=_("how an offer's total was built"))
    scenario_argument(e)
    e.add_argument("offer", metavar=_("offer"), help=_("the offer's id (as in `hostwise rank`)"))
    e.add_argument("--method", choices=list(METHODS), default=None,
                   help=_("aggregation method (default: the scenario's)"))
    e.add_argument("--json", action="store_true", help=_("machine-readable output"))
    e.set_defaults(func=cmd_explain)


def _dump(data: dict[str, Any]) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def cmd_rank(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.ranking import rank_json, rank_text
    from .options import print_warnings

    ev = evaluate_path(args.scenario, args.method)
    print_warnings(ev.weight_warnings)
    if args.json:
        _dump(rank_json(ev))
    else:
        print(rank_text(ev))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.compare import compare_data, compare_text

    data = compare_data([evaluate_path(p) for p in args.scenarios])
    if args.json:
        _dump(data)
    else:
        print(compare_text(data))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.explain import explain_data, explain_text

    d = explain_data(evaluate_path(args.scenario, args.method), args.offer)
    if args.json:
        _dump(d)
    else:
        print(explain_text(d))
    return 0
