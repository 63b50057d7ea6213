"""Every word of the command line's help in French (issue 19), argparse's own words included,
and argparse's errors in French with exit code 2 (``scoring/cli/parser.py``).

The help of the parser and of every sub-parser is built in English and in French; a help text,
description or argparse word of the English build found verbatim in the French help is an
untranslated string, and a line identical in both languages may hold only command names,
options, choices and one-letter metavars."""

from __future__ import annotations

import argparse
import gettext
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring import i18n
from scoring.cli.main import EXIT_BAD_INPUT, build_parser, main
from scoring.cli.parser import ARGPARSE_WORDS, Parser, argparse_words

ROOT = Path(__file__).resolve().parents[1]
J0 = str(ROOT / "data" / "scenarios" / "hdh-2026-j0.yaml")
NB = "\u00a0"


def parsers(p: argparse.ArgumentParser, path: tuple[str, ...] = ()
            ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser, dict[str, str]]]:
    """(command path, parser, {sub-command: its help}) for the parser and every sub-parser."""
    helps: dict[str, str] = {}
    subs: list[tuple[str, argparse.ArgumentParser]] = []
    for a in p._actions:
        if isinstance(a, argparse._SubParsersAction):
            helps = {c.dest: c.help or "" for c in a._choices_actions}
            subs = list(a.choices.items())
    yield path, p, helps
    for name, sp in subs:
        yield from parsers(sp, (*path, name))


def words(p: argparse.ArgumentParser, helps: dict[str, str]) -> set[str]:
    """The English texts a parser shows: description, argument help, sub-command help."""
    out = {p.description or ""} | {a.help or "" for a in p._actions} | set(helps.values())
    return {w for w in out if w and w != argparse.SUPPRESS}


def build(lang: str) -> dict[tuple[str, ...], tuple[argparse.ArgumentParser, dict[str, str]]]:
    with i18n.use_language(lang):
        return {path: (p, h) for path, p, h in parsers(build_parser())}


def flat(text: str) -> str:
    return " ".join(text.split())


def help_of(p: argparse.ArgumentParser, lang: str) -> str:
    with i18n.use_language(lang):
        return p.format_help()


def test_the_walk_sees_every_command() -> None:
    paths = set(build("en"))
    for path in [(), ("rank",), ("sensitivity",), ("audit", "verify"), ("audit", "report"),
                 ("catalogue", "import"), ("import",), ("export",)]:
        assert path in paths
    assert len(paths) > 20


def test_every_help_text_is_translated() -> None:
    en, fr = build("en"), build("fr")
    assert en.keys() == fr.keys()
    untranslated = []
    for path, (p_en, h_en) in en.items():
        p_fr = fr[path][0]
        text = flat(help_of(p_fr, "fr"))
        for w in words(p_en, h_en):
            if len(w) > 3 and flat(w) in text:
                untranslated.append((" ".join(path), w))
    assert not untranslated, untranslated


def test_argparse_words_are_french_in_every_help() -> None:
    for path, (p, _h) in build("fr").items():
        text = help_of(p, "fr")
        assert text.startswith(f"utilisation{NB}: hostwise"), path
        for english in ("usage:", "positional arguments", "show this help message",
                        "options:"):
            assert english not in text, (path, english)
        if any(a.option_strings for a in p._actions):
            assert f"options{NB}:" in text, path


def _allowed(line: str, names: set[str]) -> bool:
    """A help line that is the same in both languages holds no word of prose: option strings,
    {choices}, COMMANDS, one-letter metavars, file paths and [-h] brackets only."""
    for tok in re.sub(r"\{[^}]*\}", " ", line).replace(",", " ").split():
        tok = tok.strip("[]()")
        if not tok or tok.startswith("-") or tok in names or tok in ("N", "...") or "/" in tok:
            continue
        if re.fullmatch(r"[A-Z|]+", tok):
            continue
        return False
    return True


def test_no_line_of_the_help_is_left_in_english() -> None:
    en, fr = build("en"), build("fr")
    left = []
    for path, (p_en, h_en) in en.items():
        names = set(h_en) | set(path) | {"hostwise"}
        fr_lines = set(help_of(fr[path][0], "fr").splitlines())
        for line in help_of(p_en, "en").splitlines():
            if line in fr_lines and line.strip() and not _allowed(line, names):
                left.append((" ".join(path), line))
    assert not left, left


def test_the_line_check_can_fail() -> None:
    """An English help line would be caught (the test above is not vacuous)."""
    assert not _allowed("  --json                machine-readable output", {"rank"})
    assert _allowed("  --level {pillar,criterion}", set())
    assert _allowed("  --expect-count N", set())


def test_english_help_keeps_argparse_words() -> None:
    text = help_of(build("en")[("rank",)][0], "en")
    assert text.startswith("usage: hostwise rank [-h]")
    assert "\npositional arguments:\n" in text and "\noptions:\n" in text
    assert "show this help message and exit" in text


def test_argparse_words_are_in_the_catalogue() -> None:
    with i18n.use_language("fr"):
        assert all(i18n._(w) != w for w in ARGPARSE_WORDS if w != "options")


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str,
        *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("HOSTWISE_LANG", lang)
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("argv", "fr", "en"), [
    (["rank"], f"hostwise rank{NB}: erreur{NB}: les arguments suivants sont obligatoires{NB}: "
               "scénario",
     "hostwise rank: error: the following arguments are required: scenario"),
    (["rank", J0, "--method", "borda"],
     f"hostwise rank{NB}: erreur{NB}: argument --method{NB}: choix invalide{NB}: 'borda' "
     "(choisir parmi 'wsm', 'topsis', 'promethee', 'vikor')",
     "hostwise rank: error: argument --method: invalid choice: 'borda' (choose from 'wsm', "
     "'topsis', 'promethee', 'vikor')"),
    (["sensitivity", J0, "--samples", "many"],
     f"hostwise sensitivity{NB}: erreur{NB}: argument --samples{NB}: valeur invalide pour le "
     f"type int{NB}: 'many'",
     "hostwise sensitivity: error: argument --samples: invalid int value: 'many'"),
    (["rank", J0, "--colour"],
     f"hostwise{NB}: erreur{NB}: arguments non reconnus{NB}: --colour",
     "hostwise: error: unrecognized arguments: --colour"),
    (["audit"], f"hostwise audit{NB}: erreur{NB}: les arguments suivants sont obligatoires"
                f"{NB}: COMMANDE",
     "hostwise audit: error: the following arguments are required: COMMAND"),
    (["catalogue", "import", "x.xlsx", "-o", "y.yaml", "--weights-out", "a", "--check-scenario",
      "b"], f"hostwise catalogue import{NB}: erreur{NB}: argument --check-scenario{NB}: non "
            "autorisé avec l'argument --weights-out",
     "hostwise catalogue import: error: argument --check-scenario: not allowed with argument "
     "--weights-out"),
])
def test_argparse_errors_in_french_exit_2_on_one_line(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str],
        fr: str, en: str) -> None:
    code, out, err = run(capsys, monkeypatch, "fr", *argv)
    assert code == EXIT_BAD_INPUT and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"utilisation{NB}: hostwise")
    assert lines[-1] == fr  # one line of error, after argparse's usage
    assert sum("erreur" in ln for ln in lines) == 1
    code, _out, err = run(capsys, monkeypatch, "en", *argv)
    assert code == EXIT_BAD_INPUT and err.splitlines()[-1] == en
    assert err.startswith("usage: hostwise")


def test_help_exits_0_in_french(capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = run(capsys, monkeypatch, "fr_FR.UTF-8", "clarify", "--help")
    assert code == 0
    assert "afficher ce message d'aide et quitter" in out
    assert "recalcul des réponses" in flat(out)
    code, out, _err = run(capsys, monkeypatch, "fr", "--help")
    assert code == 0 and "les demandes de précisions écrites" in flat(out)


def test_argparse_gets_gettext_back_after_every_road(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook is scoped: after a help, an error or a command, argparse looks its words up
    with gettext again, and it still looks them up through the two names the hook rebinds (if
    a future Python stops doing so, the French tests above fail and this says why)."""
    assert vars(argparse)["_"] is gettext.gettext
    assert vars(argparse)["ngettext"] is gettext.ngettext
    for argv in (["rank", "--help"], ["rank"], ["questions", "--json"]):
        run(capsys, monkeypatch, "fr", *argv)
        assert vars(argparse)["_"] is gettext.gettext
    with argparse_words():
        assert vars(argparse)["_"] is i18n._
        with argparse_words():  # re-entrant
            assert vars(argparse)["_"] is i18n._
        assert vars(argparse)["_"] is i18n._
    assert vars(argparse)["_"] is gettext.gettext


def test_a_sub_parser_is_a_hostwise_parser() -> None:
    """argparse builds sub-parsers with the parent's class, so each speaks the run's language
    whoever formats it."""
    assert all(isinstance(p, Parser) for p, _h in build("fr").values())
