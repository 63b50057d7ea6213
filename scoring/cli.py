"""The ``hostwise`` command line. It only calls the core, so it can never disagree with the app.

Heavy modules (pandas, pulp, numpy) are imported inside the commands that need them, so the CLI
starts fast. Every ``HostwiseError`` becomes plain words and exit code 2; no traceback reaches the
user (DEVELOPERS.md, "never a traceback in front of a user").
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from .errors import HostwiseError, ProblemsError
from .textfmt import table

EXIT_OK = 0
EXIT_BAD_INPUT = 2


def _print_table(rows: list[list[str]], header: list[str]) -> None:
    print(table(rows, header))


def _json_value(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def cmd_validate(args: argparse.Namespace) -> int:
    from .catalogue import load_catalogue
    from .questionnaire import answer_counts, load_offers

    cat = load_catalogue()
    loaded = load_offers(args.paths, cat)
    if args.json:
        out = {"offers": []}
        for o in loaded.offers:
            answers = {}
            for qid in cat.ids:
                a = o.answer(qid)
                answers[qid] = {
                    "value": _json_value(a.value) if a.known else None,
                    "confidence": a.confidence,
                    "source": ",".join(a.sources) if a.sources else None,
                }
            out["offers"].append({
                "vendor": o.vendor_id, "offer": o.offer_id, "era": o.era,
                "as_of": o.as_of.isoformat(), "file": o.file, "answers": answers,
            })
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = []
    totals = {"confirmed": 0, "recalled": 0, "conflicting": 0, "secondary": 0, "unknown": 0}
    for o in sorted(loaded.offers, key=lambda o: (o.era, o.offer_id)):
        c = answer_counts(o, cat)
        for k in totals:
            totals[k] += c[k]
        known = sum(v for k, v in c.items() if k != "unknown")
        rows.append([o.era, o.vendor_name, o.offer_id, str(o.as_of), str(known), str(c["unknown"]),
                     f"{c['confirmed']}/{c['recalled']}/{c['secondary']}/{c['conflicting']}",
                     str(len(o.prices)), str(len(o.sources))])
    _print_table(rows, ["era", "vendor", "offer", "as of", "known", "unknown",
                        "conf/rec/2nd/confl", "prices", "sources"])
    print(f"\n{len(loaded.offers)} offers loaded from {len(loaded.files)} files; answers: "
          + ", ".join(f"{v} {k}" for k, v in totals.items()))
    return EXIT_OK


def cmd_questions(args: argparse.Namespace) -> int:
    from .catalogue import load_catalogue

    cat = load_catalogue()
    if args.json:
        print(json.dumps([q.model_dump() for q in cat.questions], indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = []
    for q in cat.questions:
        kind = q.type
        if q.type == "enum":
            kind = "enum: " + "|".join(q.options or {})
        elif q.type == "number":
            kind = f"number ({q.unit}, {q.min:g}-{q.max:g})"
        rows.append([q.id, q.pillar, q.criterion, kind, "yes" if q.required else "",
                     q.requirement[:60]])
    _print_table(rows, ["id", "pillar", "criterion", "type", "required", "requirement"])
    print(f"\n{len(cat.questions)} questions; price items: {', '.join(cat.price_items)}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hostwise",
        description="Choose a cloud host for sensitive public data, and show the reasoning.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="validate vendor questionnaires (files or folders)")
    v.add_argument("paths", nargs="+")
    v.add_argument("--json", action="store_true", help="machine-readable output")
    v.set_defaults(func=cmd_validate)
    q = sub.add_parser("questions", help="list the question catalogue")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_questions)
    _register_scoring_commands(sub)
    return p


def _register_scoring_commands(sub: Any) -> None:
    """Commands of the scoring engine and beyond (registered here, implemented lazily)."""
    try:
        from . import cli_scoring
    except ImportError:  # pragma: no cover - during bootstrap only
        return
    cli_scoring.register(sub)
    from . import cli_robustness
    cli_robustness.register(sub)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    want_json = bool(getattr(args, "json", False))
    try:
        return int(args.func(args))
    except ProblemsError as exc:
        if want_json:
            print(json.dumps({"problems": [p.as_dict() for p in exc.problems]}, indent=2,
                             ensure_ascii=False))
        else:
            print(str(exc).splitlines()[0], file=sys.stderr)
            for prob in exc.problems:
                print(prob.line(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except HostwiseError as exc:
        if want_json:
            print(json.dumps({"problems": [{"file": "", "vendor": "", "question": "",
                                            "message": str(exc)}]}, ensure_ascii=False))
        else:
            print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` & co.: stop quietly, like Unix tools
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
