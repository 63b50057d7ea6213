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


def register(sub: Any) -> None:
    c = sub.add_parser("catalogue", help="check, export and import a tender's catalogue")
    cs = c.add_subparsers(dest="catalogue_command", required=True)
    v = cs.add_parser("validate", help="check a catalogue file (exit 2 with every problem)")
    v.add_argument("file", help="a catalogue file, or a bundled id such as hdh")
    v.add_argument("--show", action="store_true", help="print the declarations as read")
    v.set_defaults(func=cmd_validate)
    t = cs.add_parser("template", help="write the bidders' questionnaire template (.xlsx)")
    t.add_argument("file")
    t.add_argument("-o", "--output", required=True)
    t.add_argument("--era", default=None, help="era (year) written into the template")
    t.set_defaults(func=cmd_template)
    w = cs.add_parser("workbook", help="write the catalogue as a criteria workbook (.xlsx)")
    w.add_argument("file")
    w.add_argument("-o", "--output", required=True)
    w.add_argument("--scenario", default=None, help="fill the weight column from this "
                   "scenario's weights")
    w.set_defaults(func=cmd_workbook)
    i = cs.add_parser("import", help="read a criteria workbook into a catalogue (YAML)")
    i.add_argument("workbook")
    i.add_argument("-o", "--output", required=True, help="the catalogue .yaml to write")
    g = i.add_mutually_exclusive_group()
    g.add_argument("--weights-out", default=None, metavar="FILE",
                   help="write the weight column as a scenario weights: block")
    g.add_argument("--check-scenario", default=None, metavar="FILE",
                   help="compare the weight column with this scenario's weights (exit 2 if "
                   "they differ)")
    i.set_defaults(func=cmd_import)


def _load(ref: str) -> Any:
    from ..io.catalogue import load_catalogue

    return load_catalogue(ref)


def cmd_validate(args: argparse.Namespace) -> int:
    cat = _load(args.file)
    scored = sum(q.scored for q in cat.questions)
    grades = sum(q.type == "grade" for q in cat.questions)
    print(f"{args.file}: valid catalogue {cat.id} (version {cat.version}): "
          f"{len(cat.pillars)} pillars, {len(cat.questions)} questions ({scored} scored, "
          f"{grades} graded by the committee), modules: {', '.join(cat.modules) or 'none'}")
    from ..io.catalogue import catalogue_path
    from ..io.catalogue_text import missing_texts, sidecars

    ref = Path(args.file)
    path = catalogue_path(args.file) if not ref.suffix and str(ref) == ref.name else ref
    for text in sidecars(path, cat):  # display texts: checked, not hashed
        gaps = missing_texts(cat, text)
        print(f"  texts in {text.lang}: " + (f"{len(gaps)} item(s) without a translation "
                                              f"(shown in the catalogue's words), first: "
                                              f"{' '.join(str(k) for k in gaps[0])}"
                                              if gaps else "every item translated"))
    if args.show:
        for p, d in cat.pillars.items():
            print(f"  {p}: {d.label}" + (" [module]" if p in cat.modules else ""))
            for c, label in d.criteria.items():
                print(f"    {c}: {label}")
        if cat.gates:
            print("  gates: " + ", ".join(f"{g.id} ({g.kind})" for g in cat.gates))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from ..report.questionnaire_template import template_workbook
    from .excel import _write, check_output

    check_output(args.output)
    _write(args.output, template_workbook(args.era, _load(args.file)))
    print(f"wrote {args.output}", file=sys.stderr)
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
            raise CatalogueError([Problem(args.scenario, "", "catalogue", f"the scenario "
                                          f"names {sc.catalogue!r}, not {args.file}")])
    else:
        cat = _load(args.file)
    _write(args.output, criteria_workbook(cat, weights))
    print(f"wrote {args.output}", file=sys.stderr)
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
            raise CatalogueError([Problem(str(path), "", "file", "the file is larger than "
                                          f"{MAX_BYTES:,} bytes")])
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogueError([Problem(str(path), "", "file", f"cannot read: {exc.strerror}")]
                             ) from None
    rd = read_criteria_workbook(data, str(path))
    text = yaml.safe_dump(rd.doc, sort_keys=False, allow_unicode=True)
    cat = parse_catalogue(text.encode(), str(path))  # every catalogue rule, located by item
    if args.check_scenario:
        from ..report.criteria_workbook import weight_differences
        from ..scenario.load import load_scenario

        sc, _ = load_scenario(args.check_scenario)
        diffs = weight_differences(rd.weights, rd.where, sc.weights, str(path),
                                   args.check_scenario)
        if diffs:
            raise CatalogueError(diffs)
        print(f"the weight column agrees with {args.check_scenario}", file=sys.stderr)
    elif args.weights_out:
        if not rd.weights:
            raise CatalogueError([Problem(str(path), "", "Criteria.weight", "the weight column "
                                          "is empty: nothing to write")])
        check_output(args.weights_out)
        _write(args.weights_out, ("# the criteria workbook's weight column, as a scenario "
                                  "weights: block\n" + yaml.safe_dump(
                                      {"weights": rd.weights}, sort_keys=False)).encode())
        print(f"wrote {args.weights_out}", file=sys.stderr)
    elif rd.weights:
        print("note: the weight column is filled; weights live in the scenario: write them "
              "with --weights-out FILE or compare them with --check-scenario FILE",
              file=sys.stderr)
    _write(args.output, catalogue_yaml(cat).encode())
    print(f"wrote {args.output}", file=sys.stderr)
    return 0
