"""Scenario texts in French (``data/scenarios/text/<name>.fr.yaml`` sidecars,
scoring/scenario/texts.py): every bundled scenario's free text is translated and fresh (each
entry's English is the scenario's text now), every number of the English is kept in the French,
a stale or misplaced entry is reported (located) and never shown, the texts never reach a hash,
and the text reports, the Excel summary and the CLI show them under French."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from scoring.engine import evaluate_path
from scoring.errors import ScenarioError
from scoring.i18n import use_language
from scoring.report.excel import summary_workbook
from scoring.report.ranking import rank_json, rank_text
from scoring.scenario.load import load_scenario
from scoring.scenario.texts import (
    SCENARIOS_DIR,
    check_sidecars,
    file_texts,
    missing_texts,
    norm,
    parse_scenario_text,
    sidecar_path,
    text,
    text_fields,
    title_of_file,
)

BUNDLED = sorted(p.name for p in SCENARIOS_DIR.glob("*.yaml"))
EN_NUM = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")
FR_NUM = re.compile(r"\d{1,3}(?: \d{3})+(?:,\d+)?|\d+(?:[,.]\d+)?")  # § 6.1 keeps its dot


def _numbers(s: str, pat: re.Pattern[str], thousands: str, decimal: str) -> list[float]:
    return sorted(float(m.replace(thousands, "").replace(decimal, "."))
                  for m in pat.findall(s))


def test_sidecars_are_not_taken_for_scenarios() -> None:
    """The pickers and the golden files list ``data/scenarios/*.yaml``: no sidecar there."""
    assert len(BUNDLED) >= 9
    assert not [n for n in BUNDLED if n.count(".") > 1]


@pytest.mark.parametrize("name", BUNDLED)
def test_every_text_of_a_bundled_scenario_has_fresh_french(name: str) -> None:
    path = SCENARIOS_DIR / name
    assert sidecar_path(path, "fr").is_file(), f"no {sidecar_path(path, 'fr')}"
    check_sidecars(path)  # raises on a stale entry or an unknown path
    sc, _base = load_scenario(path)
    assert missing_texts(sc, file_texts(path, "fr")) == []


@pytest.mark.parametrize("name", BUNDLED)
def test_french_keeps_every_number_and_assumption_id(name: str) -> None:
    """Translate, don't paraphrase: the numbers of each English text are in its French (decimal
    comma, space as thousands separator), and each assumption id is written as is."""
    sc, _base = load_scenario(SCENARIOS_DIR / name)
    for path, en in text_fields(sc).items():
        fr = text(sc, path, lang="fr")
        assert _numbers(norm(en), EN_NUM, ",", ".") == _numbers(fr, FR_NUM, " ", ","), path
        for aid in re.findall(r"\b[A-Z]+(?:-[A-Z0-9]+)+\b", en):
            assert aid in fr, (path, aid)
        if "ASSUMPTION" in en:
            assert "ASSUMPTION" not in fr and "HYPOTHÈSE" in fr, path


def test_french_differs_and_english_is_untouched() -> None:
    sc, _base = load_scenario(SCENARIOS_DIR / "hdh-2026.yaml")
    assert text(sc, "title", lang="en") == sc.title
    assert text(sc, "workload.label", lang="fr") == "HYPOTHÈSE HDH-W26"
    assert text(sc, "workload.reasoning", lang="fr").startswith(
        "La volumétrie du HDH n'est pas publique")
    with use_language("fr"):
        assert title_of_file(SCENARIOS_DIR / "ght-dpi-demo.yaml").startswith(
            "GHT Démonstration Val-de-Brume : hébergement HDS")
    with use_language("en"):
        assert title_of_file(SCENARIOS_DIR / "ght-dpi-demo.yaml") == (
            "GHT Démonstration Val-de-Brume: HDS hosting of the patient-record system "
            "(demonstration data, fictional vendors)")


def test_a_child_inherits_its_parents_translations() -> None:
    """cf-2019-offers-2026-rules translates only its title; the rest is hdh-2026's words."""
    sc, _base = load_scenario(SCENARIOS_DIR / "cf-2019-offers-2026-rules.yaml")
    assert text(sc, "assumptions.HDH-WT26.text", lang="fr").startswith(
        "Pondérations du rejeu 2026")
    assert text(sc, "title", lang="fr").startswith("Contrefactuel")


def _copy(tmp_path: Path, name: str) -> Path:
    """The scenario, the file it extends and their sidecars, in a scratch folder."""
    for n in (name, "hdh-2026.yaml"):
        for f in (SCENARIOS_DIR / n, sidecar_path(SCENARIOS_DIR / n, "fr")):
            dest = tmp_path / f.relative_to(SCENARIOS_DIR)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dest)
    return tmp_path / name


def test_a_stale_sidecar_is_reported_and_not_shown(tmp_path: Path) -> None:
    """The English changed after the translation: the entry is named, located, and the
    scenario's own (new) words are shown, never the translation of the old ones."""
    p = _copy(tmp_path, "hdh-2026-j0.yaml")
    p.write_text(p.read_text().replace("(replay; immunity", "(replay, revised; immunity"))
    with pytest.raises(ScenarioError) as exc:
        check_sidecars(p)
    (prob,) = exc.value.problems
    assert prob.file.endswith("hdh-2026-j0.fr.yaml") and prob.question == "texts.title.en"
    assert "stale translation" in prob.message and "revised" in prob.message
    sc, _base = load_scenario(p)
    texts = file_texts(p, "fr")
    assert missing_texts(sc, texts) == ["title"]


def test_an_unknown_path_and_bad_entries_are_all_reported(tmp_path: Path) -> None:
    p = _copy(tmp_path, "hdh-2026-j0.yaml")
    side = sidecar_path(p, "fr")
    side.write_text(side.read_text() + '  gates.nosuch.label:\n    en: "x"\n    fr: "y"\n')
    with pytest.raises(ScenarioError) as exc:
        check_sidecars(p)
    assert [x.question for x in exc.value.problems] == ["texts.gates.nosuch.label"]
    bad = (b'lang: fr\ntexts:\n  title: {en: "A", fr: ""}\n  description: "only one"\n'
           b'  workload.label: {en: "B", fr: "C\\u202eD"}\nextra: 1\n')
    with pytest.raises(ScenarioError) as exc2:
        parse_scenario_text(bad, "x.fr.yaml")
    fields = {x.question for x in exc2.value.problems}
    assert {"texts.title.fr", "texts.description", "texts.workload.label.fr", "extra"} <= fields


def test_the_hash_is_the_same_in_both_languages() -> None:
    with use_language("en"):
        en = evaluate_path(SCENARIOS_DIR / "ght-dpi-demo.yaml")
        en_json = rank_json(en)
    with use_language("fr"):
        fr = evaluate_path(SCENARIOS_DIR / "ght-dpi-demo.yaml")
        fr_json = rank_json(fr)
    assert en.scenario.hash == fr.scenario.hash and en.hash == fr.hash
    assert en_json == fr_json  # JSON stays English
    assert en_json["demo"]["reason"].startswith("Fictional tender")


def test_text_report_and_excel_summary_in_french() -> None:
    ev = evaluate_path(SCENARIOS_DIR / "hdh-2026.yaml")
    with use_language("fr"):
        out = rank_text(ev)
        data = summary_workbook(ev)
    assert out.startswith("Hébergeur cible du Health Data Hub, avril 2026")
    assert "HYPOTHÈSE HDH-W26" in out and "ASSUMPTION HDH-W26" not in out
    assert "Cinq lots répartissant HDH-W26" in out
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(c.startswith("Hébergeur cible du Health Data Hub") for c in cells)
    with use_language("en"):
        assert rank_text(ev).startswith("Health Data Hub target host, April 2026")


def test_the_cli_in_french_names_a_stale_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    """HOSTWISE_LANG=fr: the bundled scenario's title in French and no note; a copy whose title
    changed shows its own (English) title and a note naming the untranslated text."""
    from scoring.cli.main import main

    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    assert main(["rank", str(SCENARIOS_DIR / "hdh-2026-j0.yaml")]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Hébergeur cible du Health Data Hub, avril 2026 (rejeu ; immunité")
    assert "note" not in err
    p = _copy(tmp_path, "hdh-2026-j0.yaml")
    for n in ("hdh-2026.yaml", "hdh-2026-j0.yaml"):
        f = tmp_path / n
        f.write_text(f.read_text().replace("../vendors", str(SCENARIOS_DIR.parent / "vendors"))
                     .replace("(replay; immunity", "(replay, revised; immunity"))
    assert main(["rank", str(p)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Health Data Hub target host, April 2026 (replay, revised; immunity")
    assert "hdh-2026-j0" in err and err.rstrip().endswith(": title")
    monkeypatch.setenv("HOSTWISE_LANG", "en")
    assert main(["rank", str(p)]) == 0
    assert "note" not in capsys.readouterr().err


def test_text_by_id_for_a_published_scenario_and_no_path_from_an_id() -> None:
    """A committee's published scenario is a mapping with an id: its gate label in French when
    it is the bundled scenario's words, as written otherwise; an id is never a path."""
    from scoring.scenario.texts import bundled_file, text_by_id

    assert text_by_id("hdh-2026", "gates.hds.label", "HDS certification in force", "fr") == (
        "Certification HDS en vigueur")
    assert text_by_id("hdh-2026", "gates.hds.label", "HDS in force", "fr") == "HDS in force"
    assert text_by_id("hdh-2026", "gates.hds.label", "HDS certification in force", "en") == (
        "HDS certification in force")
    for bad in ("../scenarios/hdh-2026", "/etc/passwd", "..", "text/hdh-2026.fr", ""):
        assert bundled_file(bad) is None
        assert text_by_id(bad, "title", "x", "fr") == "x"
