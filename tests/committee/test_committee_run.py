"""A whole committee run through the services: two evaluators, one conflict, one disagreement
moderated, one clarification answered, the award, and the award report (Markdown, DOCX, PDF)
containing the conflict, the clarification and the consensus reason."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from scoring.committee import CommitteeError, audit, clarifications, document, report, workflow

from .conftest import CHAIR, OBSERVER, Run

CONFLICT = "former employee of Gamma (left in 2024)"
CONSENSUS = "Consensus: the strategic autonomy plan is credible but unfunded"
ASKED = "Do you offer a managed Kubernetes service in your French regions?"


def _committee(run: Run) -> Run:
    run.to("clarification")
    items = clarifications.candidates(run.store, CHAIR, run.tid)
    item = next(i for i in items if (i.offer, i.question) == ("beta", "tech.managed_kubernetes"))
    rid = clarifications.request(run.store, CHAIR, run.tid, item.offer, item.question, ASKED,
                                 dt.date(2026, 5, 15))
    with pytest.raises(CommitteeError, match="not a valid bool answer"):
        clarifications.record_reply(run.store, CHAIR, run.tid, rid, "yes", "yes",
                                    dt.date(2026, 5, 10))
    req = clarifications.record_reply(run.store, CHAIR, run.tid, rid,
                                      "Yes: Kapsule, in Paris since 2021", True,
                                      dt.date(2026, 5, 10))
    before = {r["offer"]: r["total"] for r in req.rank_before["results"]}
    assert req.rank_after is not None
    after = {r["offer"]: r["total"] for r in req.rank_after["results"]}
    assert after["beta"] > before["beta"] and after["alpha"] == before["alpha"]
    workflow.finish_evaluation(run.store, CHAIR, run.tid, today=dt.date(2026, 5, 20))
    run.to("awarded")
    return run


def test_a_whole_committee_run(run: Run) -> None:
    _committee(run)
    v = audit.verify(run.store)
    assert v.ok, v.text()
    md = report.award_markdown(run.store, OBSERVER, run.tid)
    for needle in (CONFLICT, CONSENSUS, ASKED, "Yes: Kapsule", "SELECTED", "HDS certification",
                   "gamma hidden from Bob Evaluator", "audit chain holds",
                   "(not authenticated)", "Kendall's W"):
        assert needle in md, needle
    text = document.docx_text(report.award_docx(run.store, CHAIR, run.tid))
    for needle in (CONFLICT, CONSENSUS, ASKED):
        assert needle in text, needle


def test_the_report_as_pdf(run: Run, tmp_path: Path) -> None:
    _committee(run)
    try:
        data = report.award_pdf(run.store, CHAIR, run.tid)
    except CommitteeError as exc:
        pytest.skip(f"PDF not produced here: {exc}")
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed: PDF text not checked")
    f = tmp_path / "r.pdf"
    f.write_bytes(data)
    text = " ".join(subprocess.run(["pdftotext", "-raw", str(f), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for needle in ("former employee of Gamma", "strategic autonomy plan", "managed Kubernetes"):
        assert needle in text, needle
