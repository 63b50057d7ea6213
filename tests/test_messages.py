"""The core's reasons, flags and warnings (``scoring.messages``): English text for hashes, JSON
and golden files whatever the language; French where a person reads them (issue 19)."""

from __future__ import annotations

import ast
import copy
import datetime as dt
import json
import os
import pickle
import re
import string
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest
from pydantic import BaseModel

from scoring import i18n
from scoring.messages import Msg, joined, known, render, word

ROOT = Path(__file__).resolve().parents[1]


@cache
def templates() -> tuple[str, ...]:
    """Every ``N_("...")`` literal of the core modules that build messages (``Msg``)."""
    out: list[str] = []
    for path in sorted((ROOT / "scoring").rglob("*.py")):
        src = path.read_text(encoding="utf-8")
        if "messages import" not in src:
            continue
        for node in ast.walk(ast.parse(src)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "N_" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                out.append(node.args[0].value)
    return tuple(dict.fromkeys(out))


def _pattern(template: str) -> re.Pattern[str] | None:
    """The English sentence of a template as a regex (placeholders match anything); None for
    templates with fewer than three words of their own (too short to tell English apart)."""
    parts, words = [], 0
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        words += len(re.findall(r"[A-Za-z]{2,}", literal))
        if field is not None:
            parts.append(".+?")
    return re.compile("".join(parts)) if words >= 3 else None


@cache
def english_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((t, p) for t in templates() if (p := _pattern(t)) is not None)


def english_sentences(text: str) -> list[str]:
    """The templates whose English sentence appears in ``text``."""
    return [t for t, p in english_patterns() if p.search(text)]


# ------------------------------------------------------------------------------ the type


def test_a_message_is_its_english_text() -> None:
    m = Msg("price of {item} read on {shown}, after the evaluation date {date}",
            item="gpu.h100", shown="2026-10-06", date=dt.date(2026, 4, 23))
    english = "price of gpu.h100 read on 2026-10-06, after the evaluation date 2026-04-23"
    assert m == english and hash(m) == hash(english) and isinstance(m, str)
    assert json.dumps({"w": [m]}) == json.dumps({"w": [english]})
    for again in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert again == english and isinstance(again, Msg) and again.template == m.template


def test_english_is_left_alone_and_french_formats_dates_and_numbers() -> None:
    m = Msg("price of {item} read on {shown}, after the evaluation date {date}",
            item="gpu.h100", shown="2026-10-06", date=dt.date(2026, 4, 23))
    with i18n.use_language("en"):
        assert render(m) == str(m)
    with i18n.use_language("fr"):
        assert render(m) == ("prix de gpu.h100 relevé le 6 octobre 2026, après la date "
                             "d'évaluation du 23 avril 2026")
        cov = Msg("only {coverage:.0%} of the weight is answered: the total rests on few facts",
                  coverage=0.35)
        assert render(cov).startswith("seulement 35\u00a0% de la pondération")
        cost = Msg("€{cost:,.0f}/year ({workload}); {formula} note vs lowest €{lowest:,.0f}",
                   cost=1234567.0, workload="W", formula=word("linear"), lowest=1000.0)
        assert render(cost).startswith("1\u202f234\u202f567\u00a0€/an (W)")


def test_pydantic_makes_a_plain_str_and_the_registry_still_finds_the_message() -> None:
    class Row(BaseModel):
        reason: str

    m = Msg("HDS certificate lapsed on {until}", until="2025-02-01")
    row = Row(reason=m)
    assert type(row.reason) is str  # pydantic coerces the subclass: the registry is needed
    assert known(row.reason) is not None
    with i18n.use_language("fr"):
        assert render(row.reason) == "certificat HDS échu le 1 février 2025"
        assert render(f"{m}") == "certificat HDS échu le 1 février 2025"


def test_nested_and_joined_messages_are_rendered_part_by_part() -> None:
    parts = [Msg("{item} (no price)", item="vm.a"), Msg("{item} (no price)", item="vm.b")]
    m = Msg("not costable: missing {items}", items=joined(", ", parts))
    assert m == "not costable: missing vm.a (no price), vm.b (no price)"
    with i18n.use_language("fr"):
        assert render(m) == ("coût impossible à établir, il manque vm.a (pas de prix), "
                             "vm.b (pas de prix)")
    notes = joined("; ", [Msg("cost depends on {workload}", workload="W"), "vendor text"])
    assert notes == "cost depends on W; vendor text"
    again = pickle.loads(pickle.dumps(notes))
    with i18n.use_language("fr"):
        assert render(notes) == render(again) == "le coût dépend de W\u00a0; vendor text"


def test_text_that_is_no_message_is_its_catalogue_entry_or_itself() -> None:
    with i18n.use_language("fr"):
        assert render("unknown") == i18n._("unknown") != "unknown"
        assert render("Vendor text {not a template}") == "Vendor text {not a template}"
        braces = Msg("{item} (no price)", item="x{0}}")
        assert render(braces) == "x{0}} (pas de prix)"


def test_every_template_has_a_french_entry_with_the_same_placeholders() -> None:
    assert len(templates()) > 80  # the scan sees the rules, the engine and the award
    with i18n.use_language("fr"):
        missing = [t for t in templates() if t not in i18n._catalogue("fr")]
    assert not missing, missing


def test_the_check_sees_an_english_sentence() -> None:
    text = "- price of storage.object read from an undated page: reading date unknown"
    assert english_sentences(text) == [
        "price of {item} read from an undated page: reading date unknown"]
    with i18n.use_language("fr"):
        assert not english_sentences(render(Msg(
            "price of {item} read from an undated page: reading date unknown",
            item="storage.object")))


# ------------------------------------------------------------------------------ the CLI


def _cli(lang: str, *args: str) -> str:
    env = {**os.environ, "HOSTWISE_LANG": lang, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


SCENARIO = "data/scenarios/hdh-2026.yaml"


@pytest.mark.parametrize("args", [("explain", SCENARIO, "outscale"),
                                  ("explain", SCENARIO, "s3ns"),
                                  ("explain", SCENARIO, "aws-esc"),
                                  ("rank", SCENARIO)])
def test_the_french_cli_says_the_reasons_in_french(args: tuple[str, ...]) -> None:
    en, fr = _cli("en", *args), _cli("fr", *args)
    assert english_sentences(en), "the English output holds the core's sentences"
    assert not english_sentences(fr), english_sentences(fr)


@pytest.mark.parametrize("args", [("explain", SCENARIO, "outscale", "--json"),
                                  ("rank", SCENARIO, "--json")])
def test_json_and_hash_do_not_depend_on_the_language(args: tuple[str, ...]) -> None:
    en, fr = _cli("en", *args), _cli("fr", *args)
    assert en == fr
    assert json.loads(en)["hash"] == json.loads(fr)["hash"]


def test_a_french_problem_line_keeps_its_no_break_spaces_and_escapes_the_rest() -> None:
    from scoring.errors import Problem

    p = Problem("f.yaml", "v", "file", Msg("cannot read: {error}", error="bad\x1b[31m"))
    with i18n.use_language("fr"):
        line = p.line()
    assert line == "f.yaml: v: file: lecture impossible\u00a0: bad\\x1b[31m"
    assert p.as_dict()["message"] == "cannot read: bad\x1b[31m"  # the JSON keeps the English


def test_a_quoted_scenario_text_is_said_in_the_readers_language() -> None:
    """The engine quotes the workload label inside its sentences; the sentence's English (hash,
    JSON, golden) keeps the English label, the French reader reads the scenario's own French
    (``scenario.texts.quoted`` over the bundled sidecar)."""
    from scoring.scenario.texts import quoted

    label = quoted("hdh-2026-j0", "workload.label", "ASSUMPTION HDH-W26")
    m = Msg("cost depends on {workload}", workload=label)
    assert m == "cost depends on ASSUMPTION HDH-W26" and label == "ASSUMPTION HDH-W26"
    with i18n.use_language("fr"):
        assert render(label) == "HYPOTHÈSE HDH-W26"
        assert "HYPOTHÈSE HDH-W26" in render(m) and "ASSUMPTION" not in render(m)
        assert render(pickle.loads(pickle.dumps(label))) == "HYPOTHÈSE HDH-W26"
    assert render(label) == "ASSUMPTION HDH-W26"  # English unchanged
    # a text the sidecar does not translate exactly stays as written
    assert quoted("hdh-2026-j0", "workload.label", "ASSUMPTION X") == "ASSUMPTION X"
    assert quoted("no-such-scenario", "workload.label", "ASSUMPTION X") == "ASSUMPTION X"
