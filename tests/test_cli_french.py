"""The command line in French (issue 19): ``HOSTWISE_LANG=fr hostwise rank`` prints French
headings, words and number formats; ``--json`` is the same contract in every language; bad
input is refused in French with the same exit code; a command leaves the caller's language as
it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scoring import i18n
from scoring.cli.main import EXIT_BAD_INPUT, main
from scoring.engine import evaluate_path
from scoring.report.numbers import points

ROOT = Path(__file__).resolve().parents[1]
J0 = str(ROOT / "data" / "scenarios" / "hdh-2026-j0.yaml")


def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, lang: str | None,
        *argv: str) -> tuple[int, str, str]:
    if lang is None:
        monkeypatch.delenv("HOSTWISE_LANG", raising=False)
    else:
        monkeypatch.setenv("HOSTWISE_LANG", lang)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_rank_in_french(capsys: pytest.CaptureFixture[str],
                        monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = run(capsys, monkeypatch, "fr_FR.UTF-8", "rank", J0)
    assert code == 0
    head = next(ln for ln in out.splitlines() if ln.startswith("rang "))
    for word in ("fournisseur", "offre", "technique", "juridique", "souveraineté",
                 "note globale", "recevable"):
        assert word in head
    assert "date d'évaluation 23 avril 2026" in out
    assert "Offre en tête : " in out.replace("\u00a0", " ")
    lead = evaluate_path(J0).leader()
    assert lead is not None and lead.total is not None
    with i18n.use_language("en"):
        english = points(lead.total)
    assert f" {english.replace('.', ',')} " in out  # the French decimal mark, same digits
    assert i18n._current.get() is None  # the command left no language behind


def test_rank_in_english_is_unchanged_by_the_layer(capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _err = run(capsys, monkeypatch, None, "rank", J0)
    assert code == 0
    assert any(ln.startswith("rank  vendor") for ln in out.splitlines())
    assert "Leader: Scaleway (scaleway), total 74.11" in out


@pytest.mark.parametrize("argv", [("rank", J0, "--json"), ("explain", J0, "scaleway", "--json"),
                                  ("flip", J0, "outscale", "--json")])
def test_json_is_the_same_in_every_language(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch,
                                            argv: tuple[str, ...]) -> None:
    _c1, en, _e1 = run(capsys, monkeypatch, "en", *argv)
    _c2, fr, _e2 = run(capsys, monkeypatch, "fr", *argv)
    assert json.loads(en) == json.loads(fr)


def test_bad_input_is_refused_in_french(capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = run(capsys, monkeypatch, "fr", "sensitivity", J0, "--samples", "0")
    assert code == EXIT_BAD_INPUT
    assert err.startswith("erreur\u00a0: --samples doit être compris entre 1 et ")
    code, _out, err = run(capsys, monkeypatch, "en", "sensitivity", J0, "--samples", "0")
    assert code == EXIT_BAD_INPUT and err.startswith("error: --samples must be between 1 and")


def test_a_located_problem_keeps_its_place_in_french(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    bad = tmp_path / "x.yaml"
    bad.write_text("vendor: [unclosed\n", encoding="utf-8")
    code, _out, err = run(capsys, monkeypatch, "fr", "validate", str(bad))
    assert code == EXIT_BAD_INPUT
    assert str(bad) in err  # the file is named whatever the language
    assert "problème" in err.splitlines()[0]
