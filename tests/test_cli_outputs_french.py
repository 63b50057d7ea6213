"""The normal output of a sample of commands under ``HOSTWISE_LANG=fr`` holds no English sentence
of Hostwise's own (issue 19): every phrase of the French catalogue's English side (a msgid whose
French differs) is looked for in the output, so a string printed without ``_()``, or a
``_()`` whose entry went missing, fails here. Data (scenario titles, the catalogue's own texts,
assumptions, reasons written in the questionnaires) stays as written and is not looked at."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from scoring.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "scoring" / "locale" / "fr" / "LC_MESSAGES" / "hostwise.po"
S = ROOT / "data" / "scenarios"
J0, GHT = str(S / "hdh-2026-j0.yaml"), str(S / "ght-dpi-demo.yaml")


def english_phrases() -> set[str]:
    """The literal pieces (between placeholders) of three words or more of every msgid whose
    French is different: what an untranslated line would show."""
    with PO.open("rb") as fh:
        cat = read_po(fh, locale="fr_FR")
    out: set[str] = set()
    for m in cat:
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, list | tuple) else (m.id,)
        strs = m.string if isinstance(m.string, list | tuple) else (m.string,)
        for msgid, msgstr in zip(ids, strs, strict=False):
            if msgid == msgstr:
                continue
            try:
                pieces = [lit for lit, *_rest in string.Formatter().parse(msgid)]
            except ValueError:  # argparse's %-templates
                pieces = re.split(r"%\(\w+\)[rsd]|%[rsd]", msgid)
            out.update(" ".join(p.split()) for p in pieces if len(p.split()) >= 3)
    return out


PHRASES = english_phrases()


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        *argv: str) -> tuple[int, str]:
    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def english_left(text: str) -> list[str]:
    flat = " ".join(text.split())
    return sorted(p for p in PHRASES if p in flat)


def test_the_check_sees_an_english_sentence() -> None:
    assert len(PHRASES) > 300
    assert english_left("rank the offers of a scenario") == ["rank the offers of a scenario"]
    assert english_left("classer les offres d'un scénario") == []


@pytest.mark.parametrize("argv", [
    ("rank", J0), ("explain", J0, "scaleway"), ("compare", str(S / "hdh-2019.yaml"), J0),
    ("allocate", GHT), ("frontier", GHT), ("flip", J0, "outscale"),
    ("sensitivity", J0, "--samples", "200"), ("clarify", J0, "--budget", "2", "--top", "8"),
    ("questions",), ("catalogue", "validate", "hdh", "--show"),
], ids=lambda a: a[0] if a[0] != "catalogue" else "catalogue-validate")
def test_normal_output_in_french(capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]) -> None:
    code, text = run(capsys, monkeypatch, *argv)
    assert code == 0, text
    assert english_left(text) == []


def test_written_files_are_said_in_french(capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    target = tmp_path / "modele.xlsx"
    code, text = run(capsys, monkeypatch, "template", "-o", str(target))
    assert code == 0 and target.is_file()
    assert text == f"{target} écrit\n"


def test_catalogue_validate_in_french(capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    _code, text = run(capsys, monkeypatch, "catalogue", "validate", "hdh")
    assert text.startswith("hdh\u00a0: catalogue hdh valide (version ")
    assert "4 piliers, 34 questions (" in text and "évaluées par la commission" in text
    assert "  textes en fr\u00a0: tous les éléments sont traduits" in text


def test_audit_verify_and_head_in_french(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch,
                                         tmp_path: Path) -> None:
    from scoring.committee import Store

    url = f"sqlite:///{tmp_path / 'committee.sqlite3'}"
    Store(url).dispose()  # an empty, migrated committee database
    code, text = run(capsys, monkeypatch, "audit", "verify", "--db", url)
    assert code == 0
    assert text.startswith("la chaîne d'audit est intègre et garantit chaque ligne de la "
                           "commission\u00a0: 0 enregistrement(s), 0 ligne(s)\u00a0; tête\u00a0: "
                           "enregistrement 0, empreinte 0000")
    assert english_left(text) == []
    code, text = run(capsys, monkeypatch, "audit", "head", "--db", url)
    assert code == 0 and text.startswith("tête du journal d'audit\u00a0: enregistrement 0")
    monkeypatch.setenv("HOSTWISE_LANG", "en")
    assert main(["audit", "verify", "--db", url, "--expect-count", "0"]) == 0
    assert capsys.readouterr().out.startswith(
        "audit chain holds and vouches for every committee row: 0 record(s), 0 row(s); head "
        "record 0, hash 0000")
