"""The ``hostwise`` command line. It only calls the core, so it can never disagree with the app.

Heavy modules (pandas, pulp, numpy) are imported inside the commands that need them, so the CLI
starts fast. Exit codes: 0 success, 2 bad input (every ``HostwiseError`` in plain words, one
located problem per line), 1 internal error (one line and a bug-report hint). No traceback
reaches the user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..errors import HostwiseError, ProblemsError
from ..i18n import N_, _, ngettext
from ..report.text import table
from .options import add_catalogue_options, chosen_catalogue
from .parser import Parser

if TYPE_CHECKING:  # the CLI starts fast: the scenario model is imported where it is used
    from ..scenario.model import Scenario

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_BAD_INPUT = 2


def cmd_validate(args: argparse.Namespace) -> int:
    from ..io import load_offers
    from ..report.validate import validate_json, validate_text

    cat = chosen_catalogue(args)
    loaded = load_offers(args.paths, cat)
    if args.json:
        print(json.dumps(validate_json(loaded, cat), indent=2, ensure_ascii=False))
    else:
        print(validate_text(loaded, cat))
    return EXIT_OK


# The answer types of the catalogue (``scoring.models.AnswerType``) as ``questions`` lists
# them; the English words are the catalogue's own, the French ones are for people.
TYPE_WORDS = {"bool": N_("bool"), "percent": N_("percent"), "level": N_("level"),
              "date": N_("date"), "country": N_("country"), "text": N_("text")}


def cmd_questions(args: argparse.Namespace) -> int:
    cat = chosen_catalogue(args)
    if args.json:
        print(json.dumps([q.model_dump() for q in cat.questions], indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = []
    for q in cat.questions:
        kind: str = _(TYPE_WORDS.get(q.type, q.type))
        if q.type == "enum":
            kind = _("enum: {options}").format(options="|".join(q.options or {}))
        elif q.type == "number":
            kind = _("number ({unit}, {low}-{high})").format(
                unit=q.unit, low=i18n.decimal_mark(f"{q.min:g}"),
                high=i18n.decimal_mark(f"{q.max:g}"))
        elif q.type == "grade":
            kind = _("grade (committee): ") + "|".join(str(k) for k in sorted(q.grid or {}))
        rows.append([q.id, _(q.pillar), q.criterion, kind, _("yes") if q.required else "",
                     q.requirement[:60]])
    print(table(rows, ["id", _("pillar"), _("criterion"), _("type"), _("required"),
                       _("requirement")]))
    print("\n" + _("{n} questions; price items: {items}").format(
        n=len(cat.questions), items=", ".join(cat.price_items)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """Every word of the help through ``_()`` (issue 19); argparse's own words ("usage:",
    "options", its errors) follow the same language through ``Parser``."""
    p = Parser(
        prog="hostwise",
        description=_("Choose a cloud host for sensitive public data, and show the reasoning."),
    )
    sub = p.add_subparsers(dest="command", required=True, metavar=_("COMMAND"))
    v = sub.add_parser("validate", help=_("validate vendor questionnaires (files or folders)"))
    v.add_argument("paths", nargs="+", metavar=_("path"),
                   help=_("questionnaire files (YAML), or folders of them"))
    v.add_argument("--json", action="store_true", help=_("machine-readable output"))
    add_catalogue_options(v, scenario=True)
    v.set_defaults(func=cmd_validate)
    q = sub.add_parser("questions", help=_("list the question catalogue"))
    q.add_argument("--json", action="store_true", help=_("machine-readable output"))
    add_catalogue_options(q, scenario=True)
    q.set_defaults(func=cmd_questions)
    _register_scoring_commands(sub)
    return p


def _register_scoring_commands(sub: Any) -> None:
    """Commands of the scoring engine and beyond (registered here, implemented lazily)."""
    from . import allocation, bids, catalogue, committee, excel, ranking, robustness

    for module in (ranking, allocation, robustness, committee, bids, excel, catalogue):
        module.register(sub)


def named_scenarios(args: argparse.Namespace, *keys: str) -> Iterator[Scenario]:
    """The scenarios a command names (its ``keys`` and ``scenarios`` arguments) that can be read;
    one that cannot is the command's own error to report, not its banner's or notice's."""
    from ..scenario.load import load_scenario

    names = [getattr(args, k, None) for k in keys] + list(getattr(args, "scenarios", None) or [])
    for name in names:
        if not isinstance(name, str):
            continue
        try:
            sc, _base = load_scenario(name)
        except (HostwiseError, OSError):
            continue
        yield sc


def demo_banner(args: argparse.Namespace) -> str | None:
    """The "demonstration data" line of a command run on a scenario flagged ``demo`` (every
    scenario the command names is read; one that cannot be read is the command's own error to
    report, not this line's), so that a fictional result is never printed unlabelled."""
    from ..scenario.model import demo_label
    from ..scenario.texts import text as sc_text
    from ..text import printable

    reasons: list[str] = []
    for sc in named_scenarios(args, "scenario", "scenario_file", "check_scenario"):
        if sc.demo is not None:
            reasons.append(f"{sc.id}: {' '.join(sc_text(sc, 'demo.reason').split())}")
    if not reasons:
        return None
    return printable(f"*** {demo_label().upper()} *** " + "; ".join(reasons), limit=600)


def translation_notice(args: argparse.Namespace) -> str | None:
    """Under another language than English: the texts of a named scenario that its bundled
    sidecar leaves in English (missing, or stale: the English changed since it was translated),
    so that a reader knows why a sentence is not in their language
    (``scoring.scenario.texts``). None when every text is translated or no sidecar applies."""
    from ..scenario.texts import bundled_file, file_texts, missing_texts
    from ..text import printable

    lang = i18n.language()
    if lang == i18n.DEFAULT:
        return None
    lines: list[str] = []
    for sc in named_scenarios(args, "scenario", "scenario_file"):
        f = bundled_file(sc.id)
        texts = file_texts(f, lang) if f is not None else ()
        gaps = missing_texts(sc, texts) if texts else []
        if gaps:
            lines.append(ngettext(
                "note: {n} text of the scenario {id} has no current translation (missing, or "
                "its English changed since) and is shown as written: {paths}",
                "note: {n} texts of the scenario {id} have no current translation (missing, or "
                "their English changed since) and are shown as written: {paths}",
                len(gaps)).format(n=len(gaps), id=printable(sc.id),  # ids from the file:
                                  paths=printable(", ".join(gaps), limit=600)))  # escaped
    return "\n".join(lines) if lines else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    want_json = bool(getattr(args, "json", False))
    # The language of the run: HOSTWISE_LANG for the words people read; --json is a contract
    # other tools parse, so it stays English whatever the language (issue 19). Restored after
    # the command, so a caller in the same process (a test, a script) keeps its own.
    with i18n.use_language("en" if want_json else i18n.env_language()):
        return _run(args, want_json)


def _run(args: argparse.Namespace, want_json: bool) -> int:
    """The command, with every failure turned into words and an exit code."""
    banner = demo_banner(args)
    if banner:  # JSON keeps stdout a document: the line goes to stderr there
        print(banner + ("" if want_json else "\n"), file=sys.stderr if want_json else sys.stdout)
    notice = None if want_json else translation_notice(args)
    if notice:
        print(notice, file=sys.stderr)
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
            print(_("error: {message}").format(message=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` & co.: stop quietly, like Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    except MemoryError:
        print(_("error: not enough memory for this request (lower --samples or the input "
                "size)"), file=sys.stderr)
        return EXIT_INTERNAL
    except Exception as exc:  # a bug: one line and where to report it, never a traceback
        from ..text import printable

        print(_("internal error: {kind}: {message}").format(
            kind=type(exc).__name__, message=printable(str(exc))[:300]) + "\n"
            + _("This is a bug in Hostwise, not in your input. Please report it with the "
                "command you ran (set HOSTWISE_DEBUG=1 to see the traceback)."), file=sys.stderr)
        if os.environ.get("HOSTWISE_DEBUG"):
            raise
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
