"""The questionnaire template and the criteria workbook in French as well as English (issue 19).

A template is written in the run's language (sheet names, headers, Offer rows, allowed texts,
notes) and imported in either: a French template and an English one filled alike by openpyxl
import to the same YAML (same bytes, same hash) and the same offer, through the library, the
CLI and the service of the Offers page. Old English templates (version 1) still import. The
French words are the .po's: a header or sheet name left in English fails here.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from babel.messages.pofile import read_po

from scoring.cli.main import main
from scoring.errors import CatalogueError, QuestionnaireError
from scoring.i18n import LOCALE_DIR, use_language
from scoring.io.catalogue import load_catalogue, parse_catalogue
from scoring.io.criteria_layout import WORDS as CRITERIA_WORDS
from scoring.io.criteria_layout import criteria_layout
from scoring.io.criteria_workbook import read_criteria_workbook
from scoring.io.excel import parse_workbook, read_workbook, workbook_to_yaml
from scoring.io.excel_layout import (
    INSTRUCTIONS,
    OFFER,
    PRICES,
    SOURCES,
    WORDS,
    Layout,
    columns,
    layout,
    sheet_title,
)
from scoring.io.questionnaire import parse_questionnaire
from scoring.io.yamlsafe import load_yaml
from scoring.models import Catalogue
from scoring.report.criteria_workbook import criteria_workbook
from scoring.report.questionnaire_template import template_workbook
from scoring.scenario.load import load_scenario

ROOT = Path(__file__).resolve().parent.parent
HDH_OFFER = ROOT / "data" / "vendors" / "2019" / "scaleway.yaml"
GHT_OFFER = ROOT / "data" / "vendors" / "demo-ght" / "hexacloud.yaml"
V1 = ROOT / "tests" / "fixtures" / "template-v1-scaleway-2019.xlsx"
CASES = [(HDH_OFFER, None), (GHT_OFFER, "ght-dpi")]
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _po() -> dict[str, str]:
    with (LOCALE_DIR / "fr" / "LC_MESSAGES" / "hostwise.po").open("rb") as fh:
        cat = read_po(fh)
    return {m.id: str(m.string) for m in cat
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and not m.fuzzy}


def _blank(lang: str, cat: Catalogue, era: str) -> bytes:
    with use_language(lang):
        return template_workbook(era, cat)


def _header_cols(ws: Any) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[1] if c.value is not None}


def _text(v: Any) -> Any:
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    return v


def fill(blank: bytes, doc: dict[str, Any], lay: Layout) -> bytes:
    """The bidder's work: ``doc`` (a YAML questionnaire) typed into a blank template with
    openpyxl, every cell found by the words of the template's language."""
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    cols = columns()
    ws = wb[lay.sheet[OFFER]]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for key in cols.identity:
        cur: Any = doc
        for part in key.split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
        if cur is not None:
            ws.cell(rows[lay.word(key)], 2).value = str(_text(cur))
    pillar_of = {}
    for name in lay.pillars.values():
        pws = wb[name]
        for r in range(2, pws.max_row + 1):
            pillar_of[pws.cell(r, 1).value] = (pws, r)
    for qid, a in (doc.get("answers") or {}).items():
        pws, r = pillar_of[qid]
        head = _header_cols(pws)
        a = {"confidence": "unknown"} if a == "unknown" else a
        for k, v in a.items():
            pws.cell(r, head[lay.word("answer" if k == "value" else k)]).value = (
                str(v) if k in ("since", "until") else _text(v))
    ws = wb[lay.sheet[PRICES]]
    head = _header_cols(ws)
    free: dict[Any, int | None] = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    last = ws.max_row
    for p in doc.get("prices") or []:
        r = free.pop(p["item"], None) or last + 1
        last = max(last, r)
        for k, v in p.items():
            ws.cell(r, head[lay.word(k)]).value = str(v) if k == "date" else _text(v)
    ws = wb[lay.sheet[SOURCES]]
    head = _header_cols(ws)
    for n, (sid, s) in enumerate((doc.get("sources") or {}).items(), start=2):
        ws.cell(n, head[lay.word("id")]).value = sid
        for k, v in s.items():
            ws.cell(n, head[lay.word(k)]).value = str(v)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _filled(path: Path, cid: str | None, lang: str) -> tuple[bytes, Catalogue]:
    cat = load_catalogue(cid)
    doc = load_yaml(path.read_bytes(), 1 << 20)
    return fill(_blank(lang, cat, str(doc["era"])), doc, layout(lang, cat)), cat


# ----------------------------------------------------------------- the French words


@pytest.mark.parametrize("cid", [None, "ght-dpi"])
def test_french_template_has_no_english_sheet_or_header(cid: str | None) -> None:
    """Every sheet name, header and Offer row of the French template is the .po's French for
    its English word; one left in English (untranslated, or a word the table lacks) fails."""
    po = _po()
    cat = load_catalogue(cid)
    en, fr = layout("en", cat), layout("fr", cat)
    wb = openpyxl.load_workbook(io.BytesIO(_blank("fr", cat, "2026")))
    english = set(en.sheet.values()) | set(en.words.values())
    for sheet_id in (OFFER, PRICES, SOURCES, INSTRUCTIONS):
        assert po.get(sheet_id) and fr.sheet[sheet_id] == po[sheet_id]
        assert fr.sheet[sheet_id] in wb.sheetnames
    seen: list[str] = []
    for ws in wb.worksheets:
        if ws.title == "Meta":
            continue
        if ws.title == fr.sheet[INSTRUCTIONS]:
            continue
        seen += [str(c.value) for c in ws[1] if c.value is not None]
    offer = wb[fr.sheet[OFFER]]
    seen += [str(offer.cell(r, 1).value) for r in range(2, offer.max_row + 1)]
    by_word = {v: k for k, v in fr.words.items()}
    for h in seen:
        field = by_word.get(h)
        assert field is not None, f"{h!r}: a header with no word in excel_layout.WORDS"
        assert po.get(WORDS[field]), f"{WORDS[field]!r} has no French in hostwise.po"
        assert h == po[WORDS[field]]
        if h in english:  # the same word in both languages only where the .po says so
            assert po[WORDS[field]] == h
    assert len(set(fr.words.values())) == len(fr.words), "two fields share a French header"
    # the pillar sheets carry the French pillar labels (valid sheet names)
    for p, name in fr.pillars.items():
        assert name in wb.sheetnames and name != p and len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


def test_allowed_texts_and_notes_are_french() -> None:
    cat = load_catalogue()
    fr = layout("fr", cat)
    wb = openpyxl.load_workbook(io.BytesIO(_blank("fr", cat, "2026")))
    ws = wb[fr.pillars["technical"]]
    head = _header_cols(ws)
    allowed = {ws.cell(r, 1).value: ws.cell(r, head["valeurs admises"]).value
               for r in range(2, ws.max_row + 1)}
    assert "true ou false" in allowed.values()
    assert any(str(v).startswith("nombre") for v in allowed.values())
    text = " ".join(str(c.value) for c in wb[fr.sheet[INSTRUCTIONS]]["A"] if c.value)
    assert "Feuille Offre" in text and "Feuille Prix" in text
    assert "Sheet" not in text and "in English" not in text
    meta = {r[0].value: r[1].value for r in wb["Meta"].iter_rows()}
    assert meta["language"] == "fr"


def test_sheet_title_limits() -> None:
    assert sheet_title("Capacités techniques, certifications et mise en œuvre") == \
        "Capacités techniques"
    assert sheet_title("Cadre européen de souveraineté du cloud (SOV-1..SOV-8)") == \
        "Cadre européen de souveraineté"
    t = sheet_title("Sécurité: [cloud]/données*? " + "x" * 40)
    assert len(t) <= 31 and not set(t) & set("[]:*?/\\")


# ----------------------------------------------------------------- round trips


@pytest.mark.parametrize("path,cid", CASES, ids=["hdh", "ght-dpi"])
def test_french_and_english_templates_import_alike(path: Path, cid: str | None) -> None:
    fr_book, cat = _filled(path, cid, "fr")
    en_book, _ = _filled(path, cid, "en")
    want = parse_questionnaire(path.read_bytes(), str(path), cat)
    got = {}
    for lang in ("en", "fr"):  # the import's own language does not matter
        with use_language(lang):
            got[lang, "fr"] = parse_workbook(fr_book, "offre.xlsx", cat)
            got[lang, "en"] = parse_workbook(en_book, "offer.xlsx", cat)
    skip = {"sha256", "file"}
    for offer in got.values():
        assert offer.model_dump(exclude=skip) == want.model_dump(exclude=skip)
    yaml_fr = workbook_to_yaml(read_workbook(fr_book, "offre.xlsx", cat).doc).encode()
    yaml_en = workbook_to_yaml(read_workbook(en_book, "offer.xlsx", cat).doc).encode()
    assert hashlib.sha256(yaml_fr).hexdigest() == hashlib.sha256(yaml_en).hexdigest()


def test_template_prefilled_in_french_reads_back() -> None:
    """``template_workbook(doc=...)`` (an offer exported for editing) in French."""
    doc = load_yaml(HDH_OFFER.read_bytes(), 1 << 20)
    with use_language("fr"):
        data = template_workbook(str(doc["era"]), doc=doc)
    want = parse_questionnaire(HDH_OFFER.read_bytes(), str(HDH_OFFER))
    got = parse_workbook(data, "offre.xlsx")
    assert got.model_dump(exclude={"sha256", "file"}) == want.model_dump(
        exclude={"sha256", "file"})


def test_version_1_english_template_still_imports() -> None:
    """A template written before issue 19 (version 1: English, no language on Meta)."""
    data = V1.read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb["Meta"]["B1"].value == 1 and wb["Meta"]["A4"].value is None
    want = parse_questionnaire(HDH_OFFER.read_bytes(), str(HDH_OFFER))
    for lang in ("en", "fr"):
        with use_language(lang):
            got = parse_workbook(data, "old.xlsx")
        assert got.model_dump(exclude={"sha256", "file"}) == want.model_dump(
            exclude={"sha256", "file"})


def test_cli_french_template_filled_and_imported(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    blank = tmp_path / "modele.xlsx"
    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    assert main(["template", "--catalogue", "ght-dpi", "--era", "2026", "-o", str(blank)]) == 0
    cat = load_catalogue("ght-dpi")
    assert layout("fr", cat).sheet[OFFER] in openpyxl.load_workbook(blank).sheetnames
    doc = load_yaml(GHT_OFFER.read_bytes(), 1 << 20)
    filled = tmp_path / "offre.xlsx"
    filled.write_bytes(fill(blank.read_bytes(), doc, layout("fr", cat)))
    out_fr = tmp_path / "fr.yaml"
    assert main(["import", str(filled), "--catalogue", "ght-dpi", "-o", str(out_fr)]) == 0
    monkeypatch.setenv("HOSTWISE_LANG", "en")
    en_blank = tmp_path / "template.xlsx"
    assert main(["template", "--catalogue", "ght-dpi", "--era", "2026", "-o",
                 str(en_blank)]) == 0
    en_filled = tmp_path / "offer.xlsx"
    en_filled.write_bytes(fill(en_blank.read_bytes(), doc, layout("en", cat)))
    out_en = tmp_path / "en.yaml"
    assert main(["import", str(en_filled), "--catalogue", "ght-dpi", "-o", str(out_en)]) == 0
    assert out_fr.read_bytes() == out_en.read_bytes()
    again = parse_questionnaire(out_fr.read_bytes(), "fr.yaml", cat)
    want = parse_questionnaire(GHT_OFFER.read_bytes(), str(GHT_OFFER), cat)
    assert again.answers == want.answers and again.prices == want.prices


def test_offers_page_service_reads_a_french_template() -> None:
    from ui.components.uploads import read_questionnaires

    fr_book, cat = _filled(GHT_OFFER, "ght-dpi", "fr")
    with use_language("fr"):
        offers, problems = read_questionnaires([("offre.xlsx", fr_book)], cat)
    assert problems == [] and len(offers) == 1
    want = parse_questionnaire(GHT_OFFER.read_bytes(), str(GHT_OFFER), cat)
    assert offers[0].answers == want.answers and offers[0].file == "offre.xlsx"


# ----------------------------------------------------------------- bad inputs


def _edit(data: bytes, fn: Any) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    fn(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _problems(data: bytes, lang: str, cat: Catalogue | None = None) -> list[str]:
    with use_language(lang), pytest.raises(QuestionnaireError) as info:
        parse_workbook(data, "offre.xlsx", cat)
    return [f"{p.question}: {p.message}" for p in info.value.problems]


def test_french_template_bad_inputs_located_in_french() -> None:
    fr_book, cat = _filled(HDH_OFFER, None, "fr")
    fr = layout("fr", cat)
    tech = fr.pillars["technical"]

    def renamed(wb: openpyxl.Workbook) -> None:
        wb[fr.sheet[PRICES]].title = "Tarifs"
        wb.create_sheet("Cachée").sheet_state = "hidden"

    msgs = _problems(_edit(fr_book, renamed), "fr")
    text = " | ".join(msgs)
    assert "Prix!A1: la feuille 'Prix' manque ou a été renommée" in text
    assert "Cachée!A1: la feuille est masquée" in text
    # the same workbook, imported by an English user: the same places, English words
    en = " | ".join(_problems(_edit(fr_book, renamed), "en"))
    assert "the sheet 'Prix' is missing or renamed" in en

    def headers(wb: openpyxl.Workbook) -> None:
        ws = wb[tech]
        head = _header_cols(ws)
        ws.cell(1, head["remarque"]).value = "réponse"  # a duplicated header
        wb[fr.sheet[SOURCES]].cell(1, 2).value = "title"  # an English header in French

    msgs = _problems(_edit(fr_book, headers), "fr")
    text = " | ".join(msgs)
    assert f"{tech}!J1: la colonne 'réponse' figure deux fois (aussi colonne 7)" in text
    assert "Sources!B1: colonne inconnue 'title'" in text
    assert "Sources!1: la colonne 'titre' manque" in text


def test_formula_and_value_problems_located_at_french_cells() -> None:
    fr_book, cat = _filled(HDH_OFFER, None, "fr")
    fr = layout("fr", cat)
    tech = fr.pillars["technical"]

    def bad(wb: openpyxl.Workbook) -> None:
        ws = wb[tech]
        head = _header_cols(ws)
        ws.cell(2, head["réponse"]).value = "=1+1"
        ws.cell(3, head["fiabilité"]).value = "sûr"

    msgs = _problems(_edit(fr_book, bad), "fr")
    text = " | ".join(msgs)
    assert "la cellule contient une formule" in text
    assert any(m.startswith(f"{tech}!") and "sûr" in m for m in msgs)


def test_meta_language_and_sheets_disagree() -> None:
    """Meta says French, the sheets are the English template's: refused, located, said."""
    en_book, _cat = _filled(HDH_OFFER, None, "en")

    def lie(wb: openpyxl.Workbook) -> None:
        meta = wb["Meta"]
        for row in meta.iter_rows():
            if row[0].value == "language":
                row[1].value = "fr"
            if row[0].value == "sheet":
                row[2].value = None  # as named by the catalogue's French labels
            if row[0].value in ("page", "word"):
                row[0].value = None  # as named by hostwise.po's French

    msgs = _problems(_edit(en_book, lie), "en")
    assert any(m.startswith("Meta!B4") and "named in English" in m for m in msgs)
    assert any("'Offre' is missing" in m for m in msgs)

    def unknown(wb: openpyxl.Workbook) -> None:
        wb["Meta"]["B4"].value = "de"

    assert any(m.startswith("Meta!B4") and "'de'" in m
               for m in _problems(_edit(en_book, unknown), "en"))


def test_french_template_resaved_by_libreoffice_imports_alike(tmp_path: Path) -> None:
    """LibreOffice opens the French template (accented sheet names, validations, protection)
    and saves it again; the import of its copy equals the original's."""
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    fr_book, cat = _filled(GHT_OFFER, "ght-dpi", "fr")
    src, out = tmp_path / "in" / "offre.xlsx", tmp_path / "out"
    src.parent.mkdir()
    out.mkdir()
    src.write_bytes(fr_book)
    profile = tmp_path / "profile"
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--calc", "--convert-to", "xlsx", "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=180)
    again = (out / "offre.xlsx").read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(again))
    assert wb.sheetnames == openpyxl.load_workbook(io.BytesIO(fr_book)).sheetnames
    a = parse_workbook(again, "offre.xlsx", cat)
    b = parse_workbook(fr_book, "offre.xlsx", cat)
    assert a.model_dump(exclude={"sha256"}) == b.model_dump(exclude={"sha256"})


# ----------------------------------------------------------------- the criteria workbook


def _catalogue_of(data: bytes) -> tuple[Catalogue, Any]:
    rd = read_criteria_workbook(data, "grille.xlsx")
    return parse_catalogue(yaml.safe_dump(rd.doc, sort_keys=False).encode(), "grille.xlsx"), rd


@pytest.mark.parametrize("cid,scenario", [(None, "hdh-2026.yaml"),
                                          ("ght-dpi", "ght-dpi-demo.yaml")])
def test_criteria_workbook_round_trip_in_both_languages(cid: str | None, scenario: str) -> None:
    cat = load_catalogue(cid)
    sc, _ = load_scenario(ROOT / "data" / "scenarios" / scenario)
    read = {}
    for lang in ("en", "fr"):
        with use_language(lang):
            data = criteria_workbook(cat, sc.weights)
        for reader in ("en", "fr"):
            with use_language(reader):
                again, rd = _catalogue_of(data)
            skip = {"sha256"} if cat.version == 2 else {"sha256", "version", "title"}
            assert again.model_dump(exclude=skip) == cat.model_dump(exclude=skip)
            read[lang, reader] = (rd.doc, rd.weights)
    assert len({yaml.safe_dump(v) for v in read.values()}) == 1


def test_french_criteria_workbook_words_are_the_po() -> None:
    po = _po()
    with use_language("fr"):
        data = criteria_workbook(load_catalogue("ght-dpi"))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    fr, en = criteria_layout("fr"), criteria_layout("en")
    assert wb.sheetnames == [fr.sheet[s] for s in ("criteria", "settings", "price_items",
                                                    "certifications", "gates")]
    assert wb.sheetnames[0] == "Critères"
    by_word = {v: k for k, v in fr.words.items()}
    for ws in wb.worksheets:
        for c in ws[1]:
            field = by_word[str(c.value)]
            assert po.get(CRITERIA_WORDS[field]) == c.value, field
    head = [c.value for c in wb["Critères"][1]]
    for word in ("pilier", "critère", "pondération", "grille", "type"):
        assert word in head
    assert "weight" not in head and "pillar" not in head
    # on each sheet, no header of one language reads back as another field in the other
    from scoring.io.criteria_layout import COLUMNS, GATE_COLUMNS, PRICE_COLUMNS, SETTING_KEYS

    for want in (COLUMNS, GATE_COLUMNS, PRICE_COLUMNS, SETTING_KEYS, ("key", "value")):
        for lay in (fr, en):
            for f in want:
                assert fr.field_of(lay.word(f), want) == f
                assert en.field_of(lay.word(f), want) == f


def test_a_buyers_own_french_grille_imports(tmp_path: Path) -> None:
    """A French buyer's grille typed by hand: French sheet names and headers, columns in
    their own order and case, "Oui" for required."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Critères"
    ws.append(["Pilier", "Critère", "Identifiant de la question", "Libellé", "Type",
               "Pondération", "Grille", "Exigence", "Obligatoire"])
    ws.append(["technique", None, None, "Valeur technique", None, 70])
    ws.append(["technique", "hebergement", None, "Hébergement", None, 100])
    ws.append(["technique", "hebergement", "tech.hds", "Certifié HDS ?", "bool", 2, None,
               "Certification HDS en cours de validité", "Oui"])
    ws.append(["technique", "hebergement", "tech.memoire", "Qualité du mémoire technique",
               "grade", 1, "0=absent; 1=partiel; 2=complet", "Mémoire technique"])
    ws.append(["coût", None, None, "Coût total", "module", 30])
    s = wb.create_sheet("Catalogue")
    s.append(["Clé", "Valeur"])
    s.append(["version", 2])
    s.append(["id", "ght-test"])
    s.append(["titre", "Marché d'hébergement du GHT"])
    s.append(["modules", "coût"])
    buf = io.BytesIO()
    wb.save(buf)
    rd = read_criteria_workbook(buf.getvalue(), "grille.xlsx")
    assert rd.doc["id"] == "ght-test" and rd.doc["modules"] == ["coût"]
    q = {x["id"]: x for x in rd.doc["questions"]}
    assert q["tech.hds"]["required"] is True and q["tech.hds"]["criterion"] == "hebergement"
    assert q["tech.memoire"]["grid"] == {0: "absent", 1: "partiel", 2: "complet"}
    assert rd.weights["technique"]["weight"] == 70
    assert rd.weights["technique"]["criteria"]["hebergement"]["questions"] == {
        "tech.hds": 2, "tech.memoire": 1}


def test_french_criteria_bad_inputs_located_in_french() -> None:
    with use_language("fr"):
        data = criteria_workbook(load_catalogue())

    def bad(wb: openpyxl.Workbook) -> None:
        ws = wb["Critères"]
        ws.cell(1, 7).value = "barème"  # an unknown header
        ws.cell(2, 6).value = "beaucoup"  # a weight that is no number
        wb["Critères"].cell(5, 15).value = "peut-être"  # required: neither oui nor non

    with use_language("fr"), pytest.raises(CatalogueError) as info:
        read_criteria_workbook(_edit(data, bad), "grille.xlsx")
    msgs = [f"{p.question}: {p.message}" for p in info.value.problems]
    assert any(m.startswith("Critères!G1: colonne inconnue 'barème'") for m in msgs)
    assert any(m.startswith("Critères!F2: pondération 'beaucoup'") for m in msgs)
    assert any(m.startswith("Critères!O5: oui ou non") for m in msgs)

    other = openpyxl.Workbook()
    other.active.title = "Feuil1"
    buf = io.BytesIO()
    other.save(buf)
    with use_language("fr"), pytest.raises(CatalogueError) as info:
        read_criteria_workbook(buf.getvalue(), "grille.xlsx")
    (p,) = info.value.problems
    assert "Critères et Catalogue" in p.message and "Criteria et Catalogue" in p.message
    assert "Feuil1" in p.message


# ----------------------------------------------------------------- the summary workbook


def test_summary_sheet_names_are_french() -> None:
    from scoring.report.excel import SHEETS
    from scoring.report.excel_cells import sheet_name, sheet_ref

    po = _po()
    with use_language("fr"):
        names = [sheet_name(s) for s in SHEETS]
        refs = [sheet_ref(s) for s in SHEETS]
    for sid, name, ref in zip(SHEETS, names, refs, strict=True):
        assert po.get(sid) == name and len(name) <= 31
        if not name.isascii() or " " in name:
            assert ref == "'" + name.replace("'", "''") + "'"
    assert sum(n != s for n, s in zip(names, SHEETS, strict=True)) >= len(SHEETS) - 2


def test_app_download_follows_the_session_language() -> None:
    """The app memoises downloads process-wide: the template's key names its language, or a
    French session would be handed the English workbook an English session asked for first."""
    from types import SimpleNamespace

    from ui.components.export_files import template

    ev: Any = SimpleNamespace(hash="0" * 64)
    names = {}
    for lang in ("en", "fr"):
        with use_language(lang):
            d = template(ev, "2026")
        assert not isinstance(d, str)
        names[lang] = openpyxl.load_workbook(io.BytesIO(d.data)).sheetnames
    assert "Offer" in names["en"] and "Offre" in names["fr"]


def test_template_reads_with_its_own_recorded_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """A French entry of hostwise.po improved after the bidder got the template: the import
    reads the headers and sheet names the template recorded on its Meta sheet."""
    import scoring.io.excel_layout as excel_layout

    fr_book, cat = _filled(HDH_OFFER, None, "fr")
    want = parse_workbook(fr_book, "offre.xlsx", cat)
    real = excel_layout._
    changed = {"answer": "réponse du soumissionnaire", "Prices": "Bordereau de prix"}
    monkeypatch.setattr(excel_layout, "_", lambda m: changed.get(m) or real(m))
    with use_language("fr"):
        assert layout("fr", cat).sheet[PRICES] == "Bordereau de prix"  # the .po "now"
        got = parse_workbook(fr_book, "offre.xlsx", cat)
    assert got.model_dump(exclude={"sha256"}) == want.model_dump(exclude={"sha256"})

    def forget(wb: openpyxl.Workbook) -> None:  # a template without the record
        meta = wb["Meta"]
        for row in meta.iter_rows():
            if row[0].value in ("word", "page"):
                row[0].value = None

    msgs = _problems(_edit(fr_book, forget), "fr", cat)
    assert any("'Bordereau de prix' manque" in m for m in msgs)


def test_cli_french_grille_round_trip_and_weight_check(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]
                                                       ) -> None:
    """``hostwise catalogue workbook`` in French, imported by an English run; a weight edited
    in the French grille is reported in French by ``--check-scenario``."""
    scenario = ROOT / "data" / "scenarios" / "ght-dpi-demo.yaml"
    grille = tmp_path / "grille.xlsx"
    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    assert main(["catalogue", "workbook", "ght-dpi", "--scenario", str(scenario), "-o",
                 str(grille)]) == 0
    assert openpyxl.load_workbook(grille).sheetnames[0] == "Critères"
    monkeypatch.setenv("HOSTWISE_LANG", "en")
    out = tmp_path / "catalogue.yaml"
    assert main(["catalogue", "import", str(grille), "-o", str(out),
                 "--check-scenario", str(scenario)]) == 0
    again = load_catalogue(out)
    cat = load_catalogue("ght-dpi")
    assert again.model_dump(exclude={"sha256"}) == cat.model_dump(exclude={"sha256"})

    def heavier(wb: openpyxl.Workbook) -> None:
        ws = wb["Critères"]
        head = {c.value: c.column for c in ws[1]}
        ws.cell(2, head["pondération"]).value = 1000

    grille.write_bytes(_edit(grille.read_bytes(), heavier))
    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    capsys.readouterr()
    assert main(["catalogue", "import", str(grille), "-o", str(out),
                 "--check-scenario", str(scenario)]) == 2
    err = capsys.readouterr().err
    assert "Critères!F2" in err and "la part de pondération diffère" in err


def test_not_a_workbook_said_in_french() -> None:
    with use_language("fr"), pytest.raises(QuestionnaireError) as info:
        parse_workbook(b"%PDF-1.7 ...", "offre.xlsx")
    (p,) = info.value.problems
    assert p.message == "ce n'est pas un classeur Excel (.xlsx) mais un document PDF"
    with use_language("fr"), pytest.raises(CatalogueError) as cinfo:
        read_criteria_workbook(b"", "grille.xlsx")
    assert cinfo.value.problems[0].message == "le fichier est vide (0 octet)"


def test_pillar_sheet_names_stay_distinct_and_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two French pillar labels that cut to the same 31 characters, or name a fixed sheet,
    still give distinct, valid sheet names, and the template reads back."""
    import scoring.io.catalogue_text as catalogue_text

    real = catalogue_text.label

    def label(cat: Catalogue, kind: str, *key: Any, lang: str | None = None) -> str:
        if kind == "pillar" and (lang or "en") == "fr":
            return {"technical": "Prix"}.get(key[0], "Évaluation: exigences [techniques] et "
                                                     "juridiques du marché public")
        return real(cat, kind, *key, lang=lang)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogue_text, "label", label)
    cat = load_catalogue()
    fr = layout("fr", cat)
    names = list(fr.pillars.values())
    assert len({n.lower() for n in names} | {fr.sheet[OFFER].lower(), fr.sheet[PRICES].lower(),
                                             fr.sheet[SOURCES].lower()}) == len(names) + 3
    assert fr.pillars["technical"] == "technical"  # "Prix" is taken: the id
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    doc = load_yaml(HDH_OFFER.read_bytes(), 1 << 20)
    with use_language("fr"):
        data = template_workbook(str(doc["era"]), cat, doc)
    assert set(names) <= set(openpyxl.load_workbook(io.BytesIO(data)).sheetnames)
    got = parse_workbook(data, "offre.xlsx", cat)
    assert got.answers == parse_questionnaire(HDH_OFFER.read_bytes(), "x.yaml").answers
