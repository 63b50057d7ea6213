"""``hostwise sensitivity | flip | clarify``: how robust the award is to the weights and to
what nobody knows yet.

Thin: parse the arguments, run the analysis of ``scoring.robustness`` on the scenario's own
method, print the text or JSON of ``scoring.report.robustness`` (where the JSON contracts are
documented). An unknown scenario or offer, or a bad number, is an error (exit 2, plain words
naming the flag); an offer excluded by the gates is an answer ("possible": false, with the
gates named), exit 0.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..errors import HostwiseError
from ..i18n import _, format_number
from .options import scenario_argument


def register(sub: Any) -> None:
    s = sub.add_parser("sensitivity", help=_("stability intervals, SMAA acceptability and what "
                                             "would flip the award to the runner-up"))
    scenario_argument(s)
    _level_option(s)
    s.add_argument("--samples", type=int, default=10_000, metavar=_("SAMPLES"),
                   help=_("SMAA weight samples (1 to 10,000,000)"))
    s.add_argument("--seed", type=int, default=0, metavar=_("SEED"),
                   help=_("SMAA seed, a non-negative integer (same seed, same result)"))
    s.add_argument("--json", action="store_true", help=_("machine-readable output"))
    s.set_defaults(func=cmd_sensitivity)
    f = sub.add_parser("flip", help=_("the smallest change of the weights that makes an offer "
                                      "rank first"))
    scenario_argument(f)
    f.add_argument("offer", metavar=_("offer"), help=_("the offer's id (as in `hostwise rank`)"))
    _level_option(f)
    f.add_argument("--margin", type=float, default=1e-6, metavar=_("MARGIN"),
                   help=_("lead over every other offer, in points of the total (default 1e-6)"))
    f.add_argument("--json", action="store_true", help=_("machine-readable output"))
    f.set_defaults(func=cmd_flip)
    c = sub.add_parser("clarify", help=_("the unknown answers that could move the result most: "
                                         "the written clarification requests to send bidders"))
    scenario_argument(c)
    c.add_argument("--top", type=int, default=None, metavar=_("TOP"),
                   help=_("items to print (default: 20 in text, all in --json)"))
    c.add_argument("--pairs", action="store_true",
                   help=_("also pairs of answers that change the winner only together"))
    c.add_argument("--budget", type=float, default=10.0, metavar=_("BUDGET"),
                   help=_("seconds for the re-scored answers (and as much again for --pairs)"))
    c.add_argument("--json", action="store_true", help=_("machine-readable output"))
    c.set_defaults(func=cmd_clarify)


def _level_option(parser: Any) -> None:
    parser.add_argument("--level", choices=["pillar", "criterion"], default="pillar",
                        help=_("move the weights of the pillars, or of the criteria "
                               "(default pillar)"))


def _check_flags(samples: int, seed: int) -> None:
    from ..robustness import MAX_SAMPLES

    if not 1 <= samples <= MAX_SAMPLES:
        raise HostwiseError(_("--samples must be between 1 and {most} (got {samples})").format(
            most=format_number(MAX_SAMPLES, 0), samples=format_number(samples, 0)))
    if seed < 0:
        raise HostwiseError(_("--seed must be a non-negative integer (got {seed})").format(
            seed=seed))


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.robustness import sensitivity_json, sensitivity_text
    from ..robustness import sensitivity

    _check_flags(args.samples, args.seed)
    rep = sensitivity(evaluate_path(args.scenario), args.level, args.samples, args.seed)
    if args.json:
        print(json.dumps(sensitivity_json(rep), indent=2, ensure_ascii=False))
    else:
        print(sensitivity_text(rep))
    return 0


def cmd_flip(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.explain import find_offer
    from ..report.robustness import flip_command_json, flip_command_text
    from ..robustness import flip_for

    ev = evaluate_path(args.scenario)
    res = flip_for(ev, find_offer(ev, args.offer), args.level, args.margin)
    if args.json:
        print(json.dumps(flip_command_json(ev, args.level, res), indent=2, ensure_ascii=False))
    else:
        print(flip_command_text(ev, args.level, res))
    return 0


def cmd_clarify(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.clarify import clarify_json, clarify_text, pairs_json, pairs_text
    from ..robustness.clarify import clarify, clarify_pairs

    if args.top is not None and args.top < 1:
        raise HostwiseError(_("--top must be a positive integer (got {top})").format(top=args.top))
    if not 0 < args.budget <= 600:
        raise HostwiseError(_("--budget must be seconds between 0 and 600 (got {budget})")
                            .format(budget=args.budget))
    ev = evaluate_path(args.scenario)
    c = clarify(ev, budget_s=args.budget)
    pairs = clarify_pairs(ev, c, budget_s=args.budget) if args.pairs else None
    if args.json:
        data = clarify_json(ev, c, args.top)
        if pairs is not None:
            data["pairs"] = pairs_json(*pairs)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(clarify_text(ev, c, args.top or 20))
        if pairs is not None:
            print(pairs_text(*pairs))
    return 0
