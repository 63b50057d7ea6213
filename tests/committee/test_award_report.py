"""The award report as a "rapport d'analyse des offres": its sections in order, in the
committee's language (French words, dates and decimal commas), a criterion left out of the
weights shown "not weighted", an undetermined gate never shown as a failure, ties shown as ties,
and a DOCX that is byte-identical for identical input."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import time
from typing import Any

import docx
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from scoring import i18n
from scoring.committee import (
    CommitteeError,
    bids,
    document,
    report,
    report_award,
    report_common,
    report_record,
    report_scoring,
    report_trail,
    workflow,
)
from scoring.committee.access import ROLES, STATE_LABELS
from scoring.committee.models import Tender
from scoring.io.catalogue import load_catalogue
from scoring.models import PILLARS
from tests.factories import EU_VENDOR, offer

from . import conftest
from .conftest import BIDDER, CHAIR, QUESTIONS, SCENARIO, Run, bid_offers
from .test_committee_run import _committee

FR_SECTIONS = ("1. Contexte", "2. Critères et pondérations tels que publiés",
               "3. Offres reçues", "4. Recevabilité des offres", "5. Notation",
               "6. Classement", "7. Proposition d'attribution", "8. Conflits d'intérêts",
               "9. Demandes de précisions", "10. Chronologie")
EN_SECTIONS = ("1. Context", "2. Criteria and weights as published", "3. Offers received",
               "4. Admissibility", "5. Scoring", "6. Ranking", "7. Proposed award",
               "8. Conflicts of interest", "9. Clarifications", "10. Timeline")


def _in_order(text: str, parts: tuple[str, ...]) -> None:
    at = [text.find(f"## {p}") for p in parts]
    assert -1 not in at, [p for p, i in zip(parts, at, strict=True) if i < 0]
    assert at == sorted(at)


def test_the_report_follows_the_rapport_d_analyse_in_french(run: Run) -> None:
    _committee(run)
    md = report.award_markdown(run.store, CHAIR, run.tid, lang="fr")
    assert md.startswith("# Rapport d'analyse des offres\xa0: Cloud host")
    _in_order(md, FR_SECTIONS)
    assert "date d'évaluation 23 avril 2026" in md  # format_date, French
    assert "échéance 15 mai 2026" in md and "reçue le 10 mai 2026" in md
    totals = re.findall(r"\| (beta|alpha) \| [^|]+ \| [^|]+ \| [^|]+ \| [^|]+ \| (\S+) \|", md)
    assert totals and all(re.fullmatch(r"\d+,\d\d", t) for _o, t in totals), totals
    assert "beta\xa0: RETENUE (rang 1, note globale" in md
    assert "gamma masquée à Bob Evaluator" in md
    assert "| Bob Evaluator | gamma | CONFLIT | former employee of Gamma (left in 2024) |" in md
    assert ("| 2,00 | Claire Chair | modération\xa0: Consensus: the strategic autonomy plan is "
            "credible but unfunded — Alice Evaluator: Alice Evaluator on beta/sov.sov1_strategic; "
            "Bob Evaluator: Bob Evaluator on beta/sov.sov1_strategic |") in md
    assert "la médiane 2,5 n'est pas un niveau entier" in md
    for english in ("1. Context\n", "Ranking", "SELECTED", "not weighted", "Evaluators",
                    "Proposed", "Timeline"):
        assert english not in md, english
    v = report.audit.verify(run.store)
    assert f"enregistrement {v.records}, empreinte {v.head}" in md


def test_the_language_comes_from_the_environment(run: Run,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _committee(run)
    monkeypatch.setenv("HOSTWISE_LANG", "fr_FR.UTF-8")
    assert "## 1. Contexte" in report.award_markdown(run.store, CHAIR, run.tid)
    assert "## 1. Context\n" in report.award_markdown(run.store, CHAIR, run.tid, lang="en")
    monkeypatch.setenv("HOSTWISE_LANG", "en")
    md = report.award_markdown(run.store, CHAIR, run.tid)
    _in_order(md, EN_SECTIONS)
    assert "evaluation date 23 April 2026" in md
    assert "| beta | Claire Chair | Consensus" not in md  # the moderator is in its own column
    assert re.search(r"\| sov\.sov1_strategic \| beta \| Alice Evaluator 4; Bob Evaluator 1 \| "
                     r"2\.50 \| 3 \| scores differ by 3 \(more than 1\); the median 2\.5 is "
                     r"not a whole level \| 2\.00 \| Claire Chair \| moderation: Consensus: .* — "
                     r"Alice Evaluator: Alice Evaluator on beta/sov\.sov1_strategic; Bob "
                     r"Evaluator: Bob Evaluator on beta/sov\.sov1_strategic \|", md)


def test_the_docx_is_byte_identical_and_readable(run: Run) -> None:
    _committee(run)
    first = report.award_docx(run.store, CHAIR, run.tid, lang="fr")
    time.sleep(2.1)  # the zip format dates parts to 2 s: a clock in the output would show
    assert report.award_docx(run.store, CHAIR, run.tid, lang="fr") == first
    d = docx.Document(io.BytesIO(first))
    assert d.core_properties.created.year == 2000 and d.core_properties.language == "fr-FR"
    heads = [p.text for p in d.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert heads[0].startswith("Rapport d'analyse des offres")
    assert [h.split(" ")[0] for h in heads[1:]] == [f"{i}." for i in range(1, 11)]
    text = document.docx_text(first)
    assert "former employee of Gamma" in text and "RETENUE" in text
    assert report.award_docx(run.store, CHAIR, run.tid, lang="en") != first


def test_a_criterion_weighted_zero_or_left_out_is_shown_not_weighted(sqlite_store: Any
                                                                      ) -> None:
    sc = json.loads(json.dumps(SCENARIO))
    sc["weights"]["technical"]["criteria"] = {"certifications": 2, "platform": 1,
                                              "delivery": 0, "operations": 0,
                                              "reversibility": 0}
    tid = workflow.create_tender(sqlite_store, CHAIR, "Partial weights", sc, QUESTIONS)
    workflow.publish(sqlite_store, CHAIR, tid, dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    md = report.award_markdown(sqlite_store, CHAIR, tid)
    assert "| technical | 40 | certifications | 2 |" in md
    assert "| technical | 40 | platform | 1 |" in md
    for c in ("delivery", "operations", "reversibility"):
        assert f"| technical | 40 | {c} | 0 (not weighted) |" in md
    fr = report.award_markdown(sqlite_store, CHAIR, tid, lang="fr")
    assert "| technique | 40 | delivery | 0 (non pondéré) |" in fr
    # a tender published before publication refused a left-out criterion: still said
    cat = load_catalogue()
    del sc["weights"]["technical"]["criteria"]["delivery"]
    del sc["weights"]["legal"]
    rows = document.markdown([document.Block("table", headers=("p", "w", "c", "cw"),
                                             rows=tuple(report_record.criteria_rows(sc, cat)))])
    assert "| technical | 40 | delivery | not weighted |" in rows
    assert "| legal | not weighted | - | - |" in rows


class UnknownHds(Run):
    """gamma does not say whether it holds HDS: under ``uncertain`` its gate is undetermined."""

    def _bids_and_seal(self) -> None:
        a, b, _g = bid_offers()
        g = offer("gamma", {**EU_VENDOR, "cert.hds": None}, prices={"vm.8vcpu_32gb": 0.20})
        for o in (a, b, g):
            bids.submit_bid(self.store, BIDDER, self.tid, o)
        workflow.seal(self.store, CHAIR, self.tid, now=self.after_deadline)


def test_an_undetermined_gate_is_never_shown_as_a_failure(sqlite_store: Any,
                                                          monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    monkeypatch.setitem(conftest.SCENARIO, "missing_policy", "uncertain")
    run = UnknownHds(sqlite_store).to("evaluated")
    md = report.award_markdown(run.store, CHAIR, run.tid)
    assert ("| gamma | undetermined (not a failure) | - | HDS certification in force: depends "
            "on unknown answers (cert.hds) |") in md
    assert re.search(r"\| \(3 if admitted\) \| gamma \| [\d.]+ \| [\d.]+ – [\d.]+ \| "
                     r"undetermined \|", md)
    assert "gamma: not ranked, admissibility undetermined" in md
    assert "excluded by HDS" not in md and "rejected" not in md
    assert "Proposed: beta (the leading offer(s)); not awarded yet." in md


def test_ties_are_shown_as_ties() -> None:
    rank = {"hash": "h", "method": "wsm", "policy": "worst", "results": [
        {"offer": o, "rank": 1, "tied_with": [x for x in ("alpha", "beta") if x != o],
         "total": 50.0, "total_range": None, "eligible": True, "eligibility": "pass",
         "excluded_by": [], "undetermined_by": [], "pillars": {}} for o in ("alpha", "beta")]}
    t = Tender(id=1, state="evaluated", final_rank_json=json.dumps(rank), aggregation="median",
               published_canonical="{}")
    md = document.markdown(report_award.ranking(t) + report_award.award(t))
    assert "| 1 (tie with beta) | alpha | 50.00 |" in md
    assert "| 1 (tie with alpha) | beta | 50.00 |" in md
    assert "Proposed: alpha, beta (the leading offer(s)); not awarded yet." in md
    with i18n.use_language("fr"):
        fr = document.markdown(report_award.ranking(t))
    assert "| 1 (ex aequo avec beta) | alpha | 50,00 |" in fr


def test_every_word_of_the_report_has_a_french_translation() -> None:
    with open(i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "hostwise.po", "rb") as fh:
        cat = read_po(fh)
    fr = {m.id: m.string for m in cat if m.id and m.string}
    parts = (report, report_common, report_record, report_award, report_scoring, report_trail)
    used = {m for part in parts for _l, m, _c, _x in extract_from_file(
        "python", str(part.__file__), keywords={"_": None, "N_": None})}
    shown = {*STATE_LABELS.values(), *ROLES, *PILLARS, "median", "mean",
             *(s.split(".", 1)[1] for s in report_common.STEPS)}
    missing = sorted(m for m in used | shown if m not in fr)
    assert not missing, missing
    for m in used:
        assert set(re.findall(r"\{\w+\}", m)) == set(re.findall(r"\{\w+\}", fr[m])), m


def test_the_pdf_is_the_french_docx_converted(run: Run, tmp_path: Any) -> None:
    _committee(run)
    try:
        data = report.award_pdf(run.store, CHAIR, run.tid, lang="fr")
    except CommitteeError as exc:
        pytest.skip(f"PDF not produced here: {exc}")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed: PDF text not checked")
    f = tmp_path / "r.pdf"
    f.write_bytes(data)
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(f), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for needle in ("Rapport d'analyse des offres", "1. Contexte", "Proposition d'attribution",
                   "RETENUE", "23 avril 2026", "former employee of Gamma"):
        assert needle in text, needle


def test_the_report_lists_the_documents_and_their_salts_once_opened(run: Run) -> None:
    from scoring.committee import documents

    from .test_documents import PDF, opened, received

    received(run)
    d = documents.attach(run.store, BIDDER, run.tid, "beta", "memoire.pdf", PDF)
    md = report.award_markdown(run.store, CHAIR, run.tid)
    assert f"| beta | memoire.pdf | {len(PDF)} | {d.sha256} | revealed at opening |" in md
    opened(run)
    (seen,) = documents.listing(run.store, CHAIR, run.tid)
    assert seen.salt and f"| {d.sha256} | {seen.salt} |" in report.award_markdown(
        run.store, CHAIR, run.tid)
