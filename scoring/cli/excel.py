"""``hostwise export | template | import``: Excel both ways on the command line (issue 12).

``export`` writes the summary workbook of a scenario (live formulas over the weights);
``template`` writes the questionnaire template; ``import`` validates a filled template exactly
like a YAML questionnaire and writes the equivalent YAML. A file is written only when the whole
input is valid (nothing half-written: the bytes go to a temporary file renamed into place).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import HostwiseError
from ..i18n import _, format_number
from .options import scenario_argument

MAX_UPLOAD = 10 * 1024 * 1024


def register(sub: Any) -> None:
    e = sub.add_parser("export", help=_("write the summary workbook (.xlsx) of a scenario"))
    scenario_argument(e)
    e.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                   help=_("the .xlsx file to write"))
    e.add_argument("--method", default=None, metavar=_("METHOD"),
                   help=_("aggregation method (default: the scenario's)"))
    e.add_argument("--samples", type=int, default=2_000, metavar=_("SAMPLES"),
                   help=_("SMAA samples (seed 0)"))
    e.add_argument("--clarify", action="store_true",
                   help=_("also compute the clarification list (slower)"))
    e.set_defaults(func=cmd_export)
    t = sub.add_parser("template", help=_("write the questionnaire template (.xlsx)"))
    t.add_argument("--era", default=None, metavar=_("YEAR"),
                   help=_("era (year) written into the template"))
    t.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                   help=_("the .xlsx file to write"))
    t.add_argument("--catalogue", default=None, metavar=_("ID|FILE"),
                   help=_("the tender's catalogue (default: the bundled hdh)"))
    t.set_defaults(func=cmd_template)
    i = sub.add_parser("import", help=_("validate a filled questionnaire template and write "
                                        "YAML"))
    i.add_argument("workbook", metavar=_("workbook"),
                   help=_("the filled questionnaire template (.xlsx)"))
    i.add_argument("-o", "--output", default=None, metavar=_("FILE"),
                   help=_("YAML file (default: standard output)"))
    i.add_argument("--catalogue", default=None, metavar=_("ID|FILE"),
                   help=_("the tender's catalogue (default: the bundled hdh)"))
    i.set_defaults(func=cmd_import)


def check_output(path: str | None) -> None:
    """Refuse an output file that cannot be written (a folder, a missing folder) before any
    work: a long export should not fail at its very end."""
    if path is None:
        return
    target = Path(path)
    if target.is_dir():
        raise HostwiseError(_("{path} is a folder: give a file name").format(path=path))
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise HostwiseError(_("cannot write {path}: the folder {folder} does not exist (create "
                              "it first)").format(path=path, folder=folder))


def _write(path: str, data: bytes) -> None:
    """Write atomically: a crash never leaves a half-written file under ``path``."""
    check_output(path)
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".hostwise-", suffix=target.suffix)
    except OSError as exc:
        raise HostwiseError(_("cannot write {path}: {why}").format(path=path,
                                                                  why=exc.strerror)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise HostwiseError(_("cannot write {path}: {why}").format(path=path,
                                                                  why=exc.strerror)) from None


def cmd_export(args: argparse.Namespace) -> int:
    from ..engine import evaluate_path
    from ..report.excel import summary_workbook
    from ..robustness.scenario import check_samples

    check_output(args.output)
    check_samples(args.samples)
    ev = evaluate_path(args.scenario, args.method)
    clar = None
    if args.clarify:
        from ..robustness.clarify import clarify

        clar = clarify(ev)
    award = args.scenario if ev.scenario.lots else None
    _write(args.output, summary_workbook(ev, clarifications=clar, award=award,
                                         samples=args.samples))
    print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..io.catalogue import load_catalogue
    from ..report.questionnaire_template import template_workbook

    check_output(args.output)
    _write(args.output, template_workbook(args.era, load_catalogue(args.catalogue)))
    print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..errors import Problem, QuestionnaireError
    from ..io.catalogue import load_catalogue
    from ..io.excel import parse_workbook, read_workbook, workbook_to_yaml

    check_output(args.output)
    path = Path(args.workbook)
    name = str(path)
    try:
        if not path.is_file():
            raise QuestionnaireError([Problem(name, "", "file", _("no such file"))])
        if path.stat().st_size > MAX_UPLOAD:
            raise QuestionnaireError([Problem(name, "", "file", _(
                "the file is larger than {most} bytes").format(
                    most=format_number(MAX_UPLOAD, 0)))])
        data = path.read_bytes()
    except OSError as exc:
        raise QuestionnaireError([Problem(name, "", "file", _("cannot read: {why}").format(
            why=exc.strerror))]) from None
    cat = load_catalogue(args.catalogue)
    parse_workbook(data, name, cat)  # every problem at once, or a valid offer
    text = workbook_to_yaml(read_workbook(data, name, cat).doc)
    if args.output:
        _write(args.output, text.encode())
        print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
