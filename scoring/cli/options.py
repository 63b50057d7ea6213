"""Options shared by several commands: which catalogue a command works on, and the located
warnings printed on stderr (weight gaps, unused catalogue gates: issue 19, part 7)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ..i18n import _, ngettext


def print_warnings(warnings: Sequence[Any]) -> None:
    """Located warnings (``Problem``) on stderr, one per line, after a ``warning:`` head."""
    if warnings:
        print(ngettext("warning: {n} weight gap or unused gate:",
                       "warning: {n} weight gaps or unused gates:", len(warnings)).format(
                           n=len(warnings)), file=sys.stderr)
        for w in warnings:
            print(w.line(), file=sys.stderr)


def chosen_catalogue(args: argparse.Namespace) -> Any:
    """The catalogue a command works on: ``--scenario``'s (with its weight warnings printed),
    else ``--catalogue`` (a bundled id or a file), else the bundled ``hdh``."""
    from ..io.catalogue import load_catalogue

    if getattr(args, "scenario_file", None):
        from ..scenario.catalogue import resolve_gates, scenario_catalogue
        from ..scenario.load import load_scenario
        from ..scenario.rules import catalogue_problems, weight_warnings

        sc, base = load_scenario(args.scenario_file)
        cat = scenario_catalogue(sc, base)
        sc = resolve_gates(sc, cat, args.scenario_file)
        problems = catalogue_problems(sc, cat, args.scenario_file)
        if problems:
            from ..errors import ScenarioError

            raise ScenarioError(problems)
        print_warnings(weight_warnings(sc, cat, args.scenario_file))
        return cat
    return load_catalogue(getattr(args, "catalogue", None))


def add_catalogue_options(parser: argparse.ArgumentParser, scenario: bool = False) -> None:
    parser.add_argument("--catalogue", default=None, metavar=_("ID|FILE"),
                        help=_("the tender's catalogue: a bundled id (default hdh) or a file"))
    if scenario:
        parser.add_argument("--scenario", dest="scenario_file", default=None,
                            metavar=_("FILE"), help=_("use this scenario's catalogue and check "
                                                      "its weights against it"))


def scenario_argument(parser: argparse.ArgumentParser) -> None:
    """The positional ``scenario`` of most commands, named and explained in the run's
    language."""
    parser.add_argument("scenario", metavar=_("scenario"),
                        help=_("the scenario file (YAML), e.g. data/scenarios/hdh-2026.yaml"))
