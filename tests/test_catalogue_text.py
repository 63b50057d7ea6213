"""Catalogue texts in French (``catalogue.fr.yaml`` sidecars, scoring/io/catalogue_text.py):
every bundled catalogue is translated item by item, a sidecar naming an item the catalogue does
not have is refused (located), the texts never reach a hash, and the questionnaire template
shows them."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from scoring.errors import CatalogueError
from scoring.i18n import use_language
from scoring.io.catalogue import CATALOGUES_DIR, load_catalogue, parse_catalogue
from scoring.io.catalogue_text import (
    bundled_text,
    label,
    missing_texts,
    parse_catalogue_text,
    sidecar_path,
)
from scoring.report.questionnaire_template import template_workbook

BUNDLED = sorted(p.parent.name for p in CATALOGUES_DIR.glob("*/catalogue.yaml"))


def test_both_bundled_catalogues_are_there() -> None:
    assert {"hdh", "ght-dpi"} <= set(BUNDLED)


@pytest.mark.parametrize("cid", BUNDLED)
def test_every_item_of_a_bundled_catalogue_has_french_text(cid: str) -> None:
    cat = load_catalogue(cid)
    text = bundled_text(cat, "fr")
    assert text is not None, f"no data/catalogues/{cid}/catalogue.fr.yaml"
    assert missing_texts(cat, text) == []
    with use_language("fr"):
        for q in cat.questions:  # French really differs from the catalogue's English
            assert label(cat, "question", q.id)
        shown = {label(cat, "pillar", p) for p in cat.pillars}
    assert shown.isdisjoint({p.label for p in cat.pillars.values()})


def test_a_missing_french_text_is_found() -> None:
    cat = load_catalogue("ght-dpi")
    text = bundled_text(cat, "fr")
    assert text is not None
    partial = type(text)(text.lang, {k: v for k, v in text.texts.items()
                                     if k != ("grid", "rev.plan", 4)})
    assert missing_texts(cat, partial) == [("grid", "rev.plan", 4)]


def test_label_in_each_language_and_fallback() -> None:
    cat = load_catalogue("ght-dpi")
    assert label(cat, "grid", "rev.plan", 0, lang="en") == "absent"
    assert label(cat, "grid", "rev.plan", 4, lang="fr") == (
        "plan testé avec une répétition complète avec le GHT")
    assert label(cat, "criterion", "governance", "reversibility", lang="fr") == (
        "Réversibilité et sortie")
    assert label(cat, "option", "sec.key_management", "byok", lang="en") == "byok"
    with use_language("fr"):
        assert label(cat, "gate", "hds") == "Certification HDS en vigueur"
    with use_language("en"):
        assert label(cat, "gate", "hds") == "HDS certification in force"
    hdh = load_catalogue("hdh")  # a version-1 catalogue: criteria are their ids in English
    assert label(hdh, "criterion", "technical", "delivery", lang="en") == "delivery"
    assert label(hdh, "criterion", "technical", "delivery", lang="fr") == "Mise en œuvre"


def test_an_edited_copy_does_not_borrow_the_bundled_words(tmp_path: Path) -> None:
    """Same id, other bytes: the sidecar translated other text, so it is not used."""
    src = CATALOGUES_DIR / "ght-dpi" / "catalogue.yaml"
    data = src.read_bytes().replace(b"Reversibility and exit", b"Exit plan")
    cat = parse_catalogue(data, "edited.yaml", "ght-dpi")
    assert bundled_text(cat, "fr") is None
    assert label(cat, "criterion", "governance", "reversibility", lang="fr") == "Exit plan"


def _sidecar(body: str) -> bytes:
    return ("lang: fr\n" + body).encode("utf-8")


def test_a_sidecar_naming_unknown_items_is_refused_with_every_problem() -> None:
    cat = load_catalogue("ght-dpi")
    bad = _sidecar(
        "pillars:\n  quality: {label: Qualité}\n"
        "  technical: {label: Technique, criteria: {speed: Vitesse}}\n"
        "questions:\n  tech.nothing: {help: Rien}\n"
        "  rev.plan: {grid: {7: sept}, colour: bleu}\n"
        "price_items: {gpu.h100: GPU}\n"
        "gates: {immunity: Immunité}\n")
    with pytest.raises(CatalogueError) as exc:
        parse_catalogue_text(bad, cat, "catalogue.fr.yaml")
    where = {p.question for p in exc.value.problems}
    assert where == {"pillars.quality.label", "pillars.technical.criteria.speed",
                     "questions.tech.nothing", "questions.rev.plan.grid.7",
                     "questions.rev.plan.colour", "price_items.gpu.h100", "gates.immunity"}
    assert all(p.file == "catalogue.fr.yaml" for p in exc.value.problems)


@pytest.mark.parametrize("body,where", [
    ("title: \"Appel \u202eoffres\"\n", "title"),  # a bidi override (Trojan Source)
    ("title: \"\"\n", "title"),
    ("title: [a, b]\n", "title"),
])
def test_bad_text_is_refused(body: str, where: str) -> None:
    with pytest.raises(CatalogueError) as exc:
        parse_catalogue_text(_sidecar(body), load_catalogue("ght-dpi"))
    assert [p.question for p in exc.value.problems] == [where]


def test_a_sidecar_in_english_or_an_unknown_language_is_refused() -> None:
    for lang in ("en", "de", None):
        with pytest.raises(CatalogueError, match="lang"):
            parse_catalogue_text(f"lang: {lang}\n".encode(), load_catalogue("ght-dpi"))


def test_texts_never_reach_a_hash(tmp_path: Path) -> None:
    """The sidecar is display only: rewording it moves no catalogue hash (so no result hash;
    the hdh file stays the bytes every published replay hashed: tests/golden)."""
    for cid in BUNDLED:
        folder = tmp_path / cid
        folder.mkdir()
        (folder / "catalogue.yaml").write_bytes((CATALOGUES_DIR / cid / "catalogue.yaml")
                                                .read_bytes())
        before = load_catalogue(folder / "catalogue.yaml").sha256
        sidecar_path(folder / "catalogue.yaml", "fr").write_text("lang: fr\ntitle: Autre\n",
                                                                 encoding="utf-8")
        assert load_catalogue(folder / "catalogue.yaml").sha256 == before
        assert before == load_catalogue(cid).sha256


def test_the_questionnaire_template_speaks_the_run_language() -> None:
    cat = load_catalogue("ght-dpi")
    with use_language("fr"):
        wb = openpyxl.load_workbook(io.BytesIO(template_workbook("2026", cat)))
    rows = {r[0].value: [c.value for c in r]
            for r in wb["Réversibilité et gouvernance"].iter_rows(min_row=2)}
    assert rows["rev.plan"][2].startswith("Plan de réversibilité")
    assert "4=plan testé avec une répétition complète avec le GHT" in rows["rev.plan"][5]
    assert rows["rev.exit_fees"][5] == "none (aucun) | reduced (réduits) | standard"
    with use_language("en"):
        wb = openpyxl.load_workbook(io.BytesIO(template_workbook("2026", cat)))
    rows = {r[0].value: [c.value for c in r] for r in wb["governance"].iter_rows(min_row=2)}
    assert rows["rev.plan"][2].startswith("Reversibility plan")
    assert rows["rev.exit_fees"][5] == "none | reduced | standard"


def test_the_template_notes_names_and_headers_are_in_the_run_language() -> None:
    """Issue 19: the instructions, help notes, the grade rows' note, and (since template
    version 2) the sheet names and column headers in French; the import reads them from the
    language the Meta sheet records (tests/test_template_french.py)."""
    cat = load_catalogue("ght-dpi")
    with use_language("fr"):
        data = template_workbook("2026", cat)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    en = openpyxl.load_workbook(io.BytesIO(template_workbook("2026", cat)))
    assert len(wb.sheetnames) == len(en.sheetnames) and "Prix" in wb.sheetnames
    first = wb[wb.sheetnames[0]]
    text = "\n".join(str(c.value) for row in first.iter_rows() for c in row if c.value)
    assert "Questionnaire Hostwise" in text and "Feuille Prix" in text
    assert "langue du modèle (Français)" in text and "Sheet Prices" not in text
    gov = wb["Réversibilité et gouvernance"]
    rows = {r[0].value: [c.value for c in r] for r in gov.iter_rows(min_row=2)}
    assert rows["rev.plan"][5].startswith("notée par la commission, pas par le soumissionnaire")
    heads = [c.value for c in next(gov.iter_rows(max_row=1))]
    assert heads[:7] == ["id", "critère", "question", "exigence", "type",
                         "valeurs admises", "réponse"]
    assert [c.value for c in next(en["governance"].iter_rows(max_row=1))][6] == "answer"
