"""A tender created in French from a bundled catalogue owns French texts (task h-catfr): its
copy is written from the bundled translation (catalogue.fr.yaml), keeps every id, type, weight,
grid level and utility, scores the offers exactly as the English copy does, keeps its French
texts when the committee edits it (the sidecar, display only, would stop applying at the first
edit), and the bidders' template generated from it is French. English creation is unchanged
byte for byte."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from scoring.committee import Store, audit, authoring
from scoring.committee.catalogue import tender_catalogue
from scoring.committee.errors import CommitteeError
from scoring.committee.models import Tender
from scoring.engine.load import resolve_gates, resolve_offers
from scoring.engine.pipeline import evaluate
from scoring.i18n import use_language
from scoring.io.catalogue import CATALOGUES_DIR, load_catalogue, parse_catalogue
from scoring.io.catalogue_text import bundled_text, label
from scoring.io.catalogue_translate import translated_document
from scoring.io.catalogue_yaml import catalogue_document
from scoring.io.excel_layout import sheet_title
from scoring.models import Catalogue
from scoring.scenario.load import load_scenario

from .conftest import CHAIR


def _own(store: Store, tid: int) -> tuple[str, Catalogue]:
    with store.read() as s:
        t = s.get(Tender, tid)
        assert t is not None and t.catalogue_yaml is not None
        return t.catalogue_yaml, tender_catalogue(t)


def _scored(cat: Catalogue) -> dict[str, Any]:
    """Everything of a catalogue that is scored or checked, none of its words."""
    doc = cat.model_dump(mode="json", exclude={"sha256", "title", "lang", "version"})
    for p in doc["pillars"].values():
        p["label"] = None
        p["criteria"] = sorted(p["criteria"])
    for q in doc["questions"]:
        q["help"] = None
        for g in (q.get("grid") or {}).values():
            g["descriptor"] = None
    for item in doc["price_items"].values():
        item["help"] = None
    for g in doc["gates"]:
        g["label"] = None
    return doc


@pytest.mark.parametrize("cid", ["ght-dpi", "hdh"])
def test_the_french_copy_has_the_french_texts_and_the_same_rules(sqlite_store: Store,
                                                                 cid: str) -> None:
    bundled = load_catalogue(cid)
    fr = bundled_text(bundled, "fr")
    assert fr is not None
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", cid, lang="fr")
    text, own = _own(sqlite_store, tid)
    assert own.lang == "fr" and yaml.safe_load(text)["lang"] == "fr"
    assert own.sha256 != bundled.sha256  # its bytes are its own
    assert _scored(own) == _scored(bundled)  # ids, types, grids' levels, utilities, modules
    # every translated text is the copy's own text now (label falls back to the copy's words)
    assert own.title == fr.texts[("title",)]
    for pid, p in own.pillars.items():
        assert p.label == fr.texts[("pillar", pid)]
        for c, words in p.criteria.items():
            assert words == fr.texts.get(("criterion", pid, c), c)
    for q in own.questions:
        assert q.help == fr.texts[("question", q.id)]
        for level, g in (q.grid or {}).items():
            assert g.descriptor == fr.texts[("grid", q.id, level)]
    for item, p in own.price_items.items():
        assert p.help == fr.texts[("price_item", item)]
    for g in own.gates:
        assert g.label == fr.texts[("gate", g.id)]
    # all the sidecar's texts but the options' names (the format holds no name for an option)
    seen = {("title",), *(("pillar", p) for p in own.pillars),
            *(("criterion", p, c) for p, d in own.pillars.items() for c in d.criteria),
            *(("question", q.id) for q in own.questions),
            *(("grid", q.id, lv) for q in own.questions for lv in q.grid or {}),
            *(("price_item", i) for i in own.price_items), *(("gate", g.id) for g in own.gates)}
    assert {k for k in fr.texts if k[0] != "option"} <= seen


def test_the_offers_score_the_same_against_the_french_copy(sqlite_store: Store) -> None:
    """The scores of the bundled ght-dpi demo's offers, evaluated against the English and the
    French copy: same pillars, totals, eligibility and ranks; only the words differ."""
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="fr")
    _, french = _own(sqlite_store, tid)
    english = load_catalogue("ght-dpi")
    sc, base = load_scenario("data/scenarios/ght-dpi-demo.yaml")

    def results(cat: Catalogue) -> list[tuple[Any, ...]]:
        s = resolve_gates(sc, cat, "x")
        offers, files = resolve_offers(s, base, cat, "x")
        ev = evaluate(s, offers, cat=cat, scenario_file="x", input_files=files)
        return [(r.offer.offer_id, r.eligible, r.excluded_by, r.pillars, r.total, r.rank)
                for r in ev.results]

    en, fr = results(english), results(french)
    assert len(en) >= 3 and any(r[4] is not None for r in en)
    assert fr == en


def test_english_creation_is_unchanged_byte_for_byte(sqlite_store: Store) -> None:
    raw = (CATALOGUES_DIR / "ght-dpi" / "catalogue.yaml").read_text(encoding="utf-8")
    for lang in (None, "en"):
        tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang=lang)
        text, own = _own(sqlite_store, tid)
        assert text == raw and own.lang is None
        assert own.sha256 == load_catalogue("ght-dpi").sha256
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "hdh", "hdh-2026", lang="en")
    text, _ = _own(sqlite_store, tid)
    assert text == authoring.dump(catalogue_document(load_catalogue("hdh")))
    with pytest.raises(CommitteeError, match="not a language of the app"):
        authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="de")


def test_the_audit_says_the_texts_were_written_in_french(sqlite_store: Store) -> None:
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="fr")
    en = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi")
    detail = {r.tender_id: json.loads(r.detail_json) for r in audit.records(sqlite_store)
              if r.action == "tender.catalogue"}
    assert detail[tid]["lang"] == "fr"
    assert "from the bundled translation catalogue.fr.yaml" in detail[tid]["texts"]
    assert "lang" not in detail[en] and "texts" not in detail[en]


def test_an_edit_keeps_the_french_texts(sqlite_store: Store) -> None:
    """The bug: the sidecar stopped applying at the first edit and everything turned English.
    The copy's own texts are French, so they stay French after any edit."""
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="fr")
    d = authoring.read_draft(sqlite_store, tid)
    authoring.edit(sqlite_store, CHAIR, tid, d.version, "add", authoring.add_question(
        "service", "support", "svc.extra", "bool", "Une question de plus", "RC §1"), {})
    _, own = _own(sqlite_store, tid)
    assert own.lang == "fr" and bundled_text(own, "fr") is None  # no longer the bundled bytes
    with use_language("en"):  # whoever reads it: the tender's words
        assert label(own, "pillar", "governance") == "Réversibilité et gouvernance"
        assert label(own, "question", "rev.plan").startswith("Plan de réversibilité")
        assert label(own, "grid", "rev.plan", 0) == "absent"
    assert own.question("svc.extra").help == "Une question de plus"


def test_the_template_of_the_french_tender_is_french(sqlite_store: Store) -> None:
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="fr")
    d = authoring.read_draft(sqlite_store, tid)
    authoring.edit(sqlite_store, CHAIR, tid, d.version, "rename", authoring.rename_criterion(
        "service", "support", "Support et niveaux de service (24 h/24)"), {})
    _, own = _own(sqlite_store, tid)
    fr = bundled_text(load_catalogue("ght-dpi"), "fr")
    assert fr is not None
    with use_language("fr"):
        _, template = authoring.downloads(sqlite_store, tid)
    wb = openpyxl.load_workbook(io.BytesIO(template))
    for p in own.pillars:
        if p in ("cost",):
            continue
        ws = wb[sheet_title(own.pillars[p].label)]  # the sheets are named in French
        for row in ws.iter_rows(min_row=2, values_only=True):
            if row[0] is None or row[0] not in {q.id for q in own.questions}:
                continue
            q = own.question(str(row[0]))
            assert row[2] == fr.texts[("question", q.id)]
            for level in q.grid or {}:
                assert f"{level}={fr.texts[('grid', q.id, level)]}" in str(row[5])
    prices = "\n".join(str(c) for r in wb["Prix"].iter_rows(values_only=True) for c in r if c)
    assert fr.texts[("price_item", "storage.backup")] in prices
    assert "Backup storage in a second data centre" not in prices


def test_translation_leaves_the_document_it_reads_alone() -> None:
    cat = load_catalogue("ght-dpi")
    doc = yaml.safe_load(Path(CATALOGUES_DIR / "ght-dpi" / "catalogue.yaml").read_text("utf-8"))
    before = yaml.safe_dump(doc)
    fr = bundled_text(cat, "fr")
    assert fr is not None
    out = translated_document(doc, fr)
    assert yaml.safe_dump(doc) == before and list(out)[:4] == ["version", "id", "title", "lang"]
    assert parse_catalogue(authoring.dump(out).encode(), "fr.yaml", "ght-dpi").lang == "fr"


def test_the_french_tender_s_template_filled_reads_back_as_the_offer(sqlite_store: Store
                                                                     ) -> None:
    """A bidder fills the French tender's template (its sheets named by the copy's French
    labels): it imports, in either language of the import, to the offer its YAML states."""
    from scoring.io.excel import parse_workbook
    from scoring.io.excel_layout import layout
    from scoring.io.questionnaire import parse_questionnaire
    from tests.test_template_french import GHT_OFFER, fill

    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="fr")
    _, own = _own(sqlite_store, tid)
    doc = yaml.safe_load(GHT_OFFER.read_bytes())
    with use_language("fr"):
        _, blank = authoring.downloads(sqlite_store, tid)
    book = fill(blank, doc, layout("fr", own))
    want = parse_questionnaire(GHT_OFFER.read_bytes(), str(GHT_OFFER), own)
    for lang in ("en", "fr"):
        with use_language(lang):
            got = parse_workbook(book, "offre.xlsx", own)
        assert got.model_dump(exclude={"sha256", "file"}) == want.model_dump(
            exclude={"sha256", "file"})


def test_the_french_tender_s_criteria_workbook_makes_a_french_tender_again(
        sqlite_store: Store) -> None:
    """The workbook road: the French tender's criteria workbook says the language of its texts
    (a "lang" setting), and a draft made from it is French with the same texts; an English
    tender's workbook has no such row (unchanged)."""
    tid = authoring.create_from_catalogue(sqlite_store, CHAIR, "T", "ght-dpi", lang="fr")
    _, own = _own(sqlite_store, tid)
    grid, _ = authoring.downloads(sqlite_store, tid)
    rd = authoring.read_workbook(grid, "grille.xlsx")
    assert rd.doc is not None and rd.doc["lang"] == "fr" and not rd.problems
    again = authoring.create_from_workbook(sqlite_store, CHAIR, "T2", grid, "grille.xlsx")
    _, copy = _own(sqlite_store, again)
    assert copy.lang == "fr" and copy.title == own.title
    assert [q.help for q in copy.questions] == [q.help for q in own.questions]
    en = authoring.create_from_catalogue(sqlite_store, CHAIR, "T3", "ght-dpi")
    grid_en, _ = authoring.downloads(sqlite_store, en)
    rd_en = authoring.read_workbook(grid_en, "grid.xlsx")
    assert rd_en.doc is not None and "lang" not in rd_en.doc
    wb = openpyxl.load_workbook(io.BytesIO(grid_en))
    keys = [r[0] for ws in wb.worksheets for r in ws.iter_rows(values_only=True)]
    assert "lang" not in keys and "language of the texts" not in keys


def test_a_catalogue_in_an_unknown_language_is_refused() -> None:
    from scoring.errors import CatalogueError

    raw = (CATALOGUES_DIR / "ght-dpi" / "catalogue.yaml").read_text("utf-8")
    with pytest.raises(CatalogueError, match="lang: 'de': the language of its texts"):
        parse_catalogue(raw.replace("modules:", "lang: de\nmodules:", 1).encode(), "c.yaml")
    v1 = (CATALOGUES_DIR / "hdh" / "catalogue.yaml").read_text("utf-8")
    with pytest.raises(CatalogueError, match="lang: a version-2 key"):
        parse_catalogue(v1.replace("version: 1", "version: 1\nlang: fr", 1).encode(), "c.yaml",
                        "hdh")
