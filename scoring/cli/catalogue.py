"""``hostwise catalogue validate | template | workbook | import``: a tender's catalogue on the
command line (docs/catalogue.md).

``validate`` checks a catalogue (exit 0, or 2 with every problem located); ``template`` writes
the bidders' questionnaire template generated from it; ``workbook`` writes it as the buyer's
criteria workbook; ``import`` reads such a workbook back into a catalogue, and its weight
column into a scenario ``weights:`` block or against a scenario's weights. A file is written
only when the whole input is valid.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import CatalogueError, Problem
from ..i18n import _, format_number, ngettext


def register(sub: Any) -> None:
    c = sub.add_parser("catalogue", help=_("check, export and import a tender's catalogue"))
    cs = c.add_subparsers(dest="catalogue_command", required=True, metavar=_("COMMAND"))
    v = cs.add_parser("validate", help=_("check a catalogue file (exit 2 with every problem)"))
    v.add_argument("file", metavar=_("file"),
                   help=_("a catalogue file, or a bundled id such as hdh"))
    v.add_argument("--show", action="store_true", help=_("print the declarations as read"))
    v.set_defaults(func=cmd_validate)
    t = cs.add_parser("template", help=_("write the bidders' questionnaire template (.xlsx)"))
    _catalogue_argument(t)
    _output_option(t, _("the .xlsx file to write"))
    t.add_argument("--era", default=None, metavar=_("YEAR"),
                   help=_("era (year) written into the template"))
    t.set_defaults(func=cmd_template)
    w = cs.add_parser("workbook", help=_("write the catalogue as a criteria workbook (.xlsx)"))
    _catalogue_argument(w)
    _output_option(w, _("the .xlsx file to write"))
    w.add_argument("--scenario", default=None, metavar=_("FILE"),
                   help=_("fill the weight column from this scenario's weights"))
    w.set_defaults(func=cmd_workbook)
    i = cs.add_parser("import", help=_("read a criteria workbook into a catalogue (YAML)"))
    i.add_argument("workbook", metavar=_("workbook"),
                   help=_("the criteria workbook (.xlsx) to read"))
    _output_option(i, _("the catalogue .yaml to write"))
    g = i.add_mutually_exclusive_group()
    g.add_argument("--weights-out", default=None, metavar=_("FILE"),
                   help=_("write the weight column as a scenario weights: block"))
    g.add_argument("--check-scenario", default=None, metavar=_("FILE"),
                   help=_("compare the weight column with this scenario's weights (exit 2 if "
                          "they differ)"))
    i.set_defaults(func=cmd_import)


def _catalogue_argument(parser: Any) -> None:
    parser.add_argument("file", metavar=_("file"),
                        help=_("a catalogue file, or a bundled id such as hdh"))


def _output_option(parser: Any, what: str) -> None:
    parser.add_argument("-o", "--output", required=True, metavar=_("FILE"), help=what)


def _load(ref: str) -> Any:
    from ..io.catalogue import load_catalogue

    return load_catalogue(ref)


def cmd_validate(args: argparse.Namespace) -> int:
    cat = _load(args.file)
    scored = sum(q.scored for q in cat.questions)
    grades = sum(q.type == "grade" for q in cat.questions)
    print(_("{file}: valid catalogue {id} (version {version}): {pillars}, {questions} "
            "({scored} scored, {graded} graded by the committee), modules: {modules}").format(
        file=args.file, id=cat.id, version=cat.version,
        pillars=ngettext("{n} pillar", "{n} pillars", len(cat.pillars)).format(
            n=len(cat.pillars)),
        questions=ngettext("{n} question", "{n} questions", len(cat.questions)).format(
            n=len(cat.questions)),
        scored=scored, graded=grades, modules=", ".join(cat.modules) or _("none")))
    from ..io.catalogue import catalogue_path
    from ..io.catalogue_text import missing_texts, sidecars

    ref = Path(args.file)
    path = catalogue_path(args.file) if not ref.suffix and str(ref) == ref.name else ref
    for text in sidecars(path, cat):  # display texts: checked, not hashed
        gaps = missing_texts(cat, text)
        print("  " + _("texts in {lang}: {state}").format(lang=text.lang, state=ngettext(
            "{n} item without a translation (shown in the catalogue's words), first: {first}",
            "{n} items without a translation (shown in the catalogue's words), first: {first}",
            len(gaps)).format(n=len(gaps), first=" ".join(str(k) for k in gaps[0]))
            if gaps else _("every item translated")))
    if args.show:
        for p, d in cat.pillars.items():
            print(f"  {p}: {d.label}" + (" [" + _("module") + "]" if p in cat.modules else ""))
            for c, label in d.criteria.items():
                print(f"    {c}: {label}")
        if cat.gates:
            print("  " + _("gates: {gates}").format(
                gates=", ".join(f"{g.id} ({g.kind})" for g in cat.gates)))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..report.questionnaire_template import template_workbook
    from .excel import _write, check_output

    check_output(args.output)
    _write(args.output, template_workbook(args.era, _load(args.file)))
    print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    return 0


def cmd_workbook(args: argparse.Namespace) -> int:
    from ..report.criteria_workbook import criteria_workbook
    from .excel import _write, check_output

    check_output(args.output)
    weights = None
    if args.scenario:
        from ..scenario.catalogue import scenario_catalogue
        from ..scenario.load import load_scenario

        sc, base = load_scenario(args.scenario)
        weights = sc.weights
        cat = _load(args.file)
        if scenario_catalogue(sc, base).sha256 != cat.sha256:
            raise CatalogueError([Problem(args.scenario, "", "catalogue", _(
                "the scenario names {catalogue}, not {file}").format(
                    catalogue=repr(sc.catalogue), file=args.file))])
    else:
        cat = _load(args.file)
    _write(args.output, criteria_workbook(cat, weights))
    print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    import yaml

    from ..io.catalogue import parse_catalogue
    from ..io.catalogue_yaml import catalogue_yaml
    from ..io.criteria_workbook import MAX_BYTES, read_criteria_workbook
    from .excel import _write, check_output

    check_output(args.output)
    path = Path(args.workbook)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CatalogueError([Problem(str(path), "", "file", _(
                "the file is larger than {most} bytes").format(
                    most=format_number(MAX_BYTES, 0)))])
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError([Problem(str(path), "", "file", _("cannot read: {why}").format(
            why=exc.strerror))]) from None
    rd = read_criteria_workbook(data, str(path))
    text = yaml.safe_dump(rd.doc, sort_keys=False, allow_unicode=True)
    cat = parse_catalogue(text.encode(), str(path))  # every catalogue rule, located by item
    if args.check_scenario:
        from ..report.criteria_workbook import weight_differences
        from ..scenario.load import load_scenario

        sc, _base = load_scenario(args.check_scenario)
        diffs = weight_differences(rd.weights, rd.where, sc.weights, str(path),
                                   args.check_scenario)
        if diffs:
            raise CatalogueError(diffs)
        print(_("the weight column agrees with {scenario}").format(
            scenario=args.check_scenario), file=sys.stderr)
    elif args.weights_out:
        if not rd.weights:
            raise CatalogueError([Problem(str(path), "", "Criteria.weight", _(
                "the weight column is empty: nothing to write"))])
        check_output(args.weights_out)
        _write(args.weights_out, ("# the criteria workbook's weight column, as a scenario "
                                  "weights: block\n" + yaml.safe_dump(
                                      {"weights": rd.weights}, sort_keys=False)).encode())
        print(_("wrote {path}").format(path=args.weights_out), file=sys.stderr)
    elif rd.weights:
        print(_("note: the weight column is filled; weights live in the scenario: write them "
                "with --weights-out FILE or compare them with --check-scenario FILE"),
              file=sys.stderr)
    _write(args.output, catalogue_yaml(cat).encode())
    print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    return 0
