"""Bid documents through the services: attached sealed before the deadline, unreadable and
unrecognisable before opening, checked at opening, read after it under the conflict rules,
every reading logged (``scoring.committee.documents``), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from scoring.cli.main import main
from scoring.committee import (
    NotFound,
    PermissionDenied,
    Person,
    Store,
    TransitionError,
    audit,
    bids,
    documents,
    opening,
    workflow,
)
from scoring.committee.documents import DocumentError

from .conftest import ALICE, BIDDER, BOB, CHAIR, DESK, OBSERVER, Run, bid_offers

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def received(run: Run) -> Run:
    """Published, the three bids received, not sealed yet."""
    run.to("published")
    for o in bid_offers():
        bids.submit_bid(run.store, BIDDER, run.tid, o)
    return run


def opened(run: Run) -> Run:
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    run.to("opened")
    run.declare()
    return run


def test_a_document_is_stored_sealed_and_identical_ones_look_different(run: Run) -> None:
    received(run)
    a = documents.attach(run.store, BIDDER, run.tid, "alpha", "memoire.pdf", PDF)
    b = documents.attach(run.store, BIDDER, run.tid, "beta", "memoire.pdf", PDF)
    assert (a.size, a.kind, a.salt) == (len(PDF), "pdf", None)
    assert a.sha256 != b.sha256 != hashlib.sha256(PDF).hexdigest()  # salted commitments
    for who in (CHAIR, ALICE, OBSERVER, BIDDER):
        seen = documents.listing(run.store, who, run.tid)
        assert [(d.offer_id, d.filename, d.size, d.salt) for d in seen] == [
            ("alpha", "memoire.pdf", len(PDF), None), ("beta", "memoire.pdf", len(PDF), None)]
    log = [r for r in audit.records(run.store, run.tid) if r.action == "document.attached"]
    assert [json.loads(r.detail_json)["sha256"] for r in log] == [a.sha256, b.sha256]
    assert hashlib.sha256(PDF).hexdigest() not in " ".join(
        (r.detail_json or "") + (r.rows_json or "") for r in audit.records(run.store))
    assert audit.verify(run.store).ok


def test_nobody_reads_a_document_before_opening(run: Run) -> None:
    received(run)
    d = documents.attach(run.store, BIDDER, run.tid, "alpha", "memoire.pdf", PDF)
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    with pytest.raises(PermissionDenied, match="sealed until the bids are opened"):
        documents.read(run.store, CHAIR, run.tid, d.id)
    assert not [r for r in audit.records(run.store) if r.action == "document.read"]


def test_attaching_is_refused_out_of_time_place_or_person(sqlite_store: Store) -> None:
    """Local mode (the rules of a shared server: ``test_desk``): the "bid desk" at the
    keyboard, no member, and only the one who recorded a bid attaches its documents."""
    run = Run(sqlite_store).to("published")
    bids.submit_bid(run.store, DESK, run.tid, bid_offers()[0])
    with pytest.raises(NotFound, match="no bid beta was received"):
        documents.attach(run.store, DESK, run.tid, "beta", "a.pdf", PDF)
    with pytest.raises(PermissionDenied, match="is a committee member"):
        documents.attach(run.store, ALICE, run.tid, "alpha", "a.pdf", PDF)
    with pytest.raises(PermissionDenied, match="recorded by bid desk; only they"):
        documents.attach(run.store, Person("Mallory"), run.tid, "alpha", "a.pdf", PDF)
    documents.attach(run.store, DESK, run.tid, "alpha", "a.pdf", PDF)
    with pytest.raises(DocumentError, match="already attached"):
        documents.attach(run.store, DESK, run.tid, "alpha", "a.pdf", PDF)
    with pytest.raises(PermissionDenied, match=r"the bid deadline passed at .* no document "
                                              r"can be attached any more"):
        documents.attach(run.store, DESK, run.tid, "alpha", "b.pdf", PDF,
                         now=run.after_deadline)
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    with pytest.raises(TransitionError, match="cannot attach a document to a bid while the "
                                              "tender is sealed"):
        documents.attach(run.store, DESK, run.tid, "alpha", "b.pdf", PDF)


def test_a_hostile_document_is_refused_located(run: Run) -> None:
    received(run)
    bad = PDF.replace(b"/Pages 2 0 R", b"/OpenAction<</S/JavaScript/JS(x)>>")
    with pytest.raises(DocumentError) as err:
        documents.attach(run.store, BIDDER, run.tid, "beta", "offre.docx", bad)
    (p,) = err.value.problems
    assert (p.file, p.vendor) == ("offre.docx", "beta")
    assert "named .docx but its content is a PDF" in p.message
    assert "offre.docx: beta: document:" in str(err.value)
    with pytest.raises(DocumentError, match="contains JavaScript"):
        documents.attach(run.store, BIDDER, run.tid, "beta", "offre.pdf", bad)
    assert documents.listing(run.store, CHAIR, run.tid) == []


def test_the_limits_per_bid(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    received(run)
    monkeypatch.setattr(documents, "MAX_FILES", 2)
    monkeypatch.setattr(documents, "MAX_BID_BYTES", 2 * len(PDF) + len(PDF) // 2)
    documents.attach(run.store, BIDDER, run.tid, "alpha", "1.pdf", PDF)
    documents.attach(run.store, BIDDER, run.tid, "alpha", "2.pdf", PDF)
    with pytest.raises(DocumentError, match="already has 2 documents; the limit is 2"):
        documents.attach(run.store, BIDDER, run.tid, "alpha", "3.pdf", PDF)
    documents.attach(run.store, BIDDER, run.tid, "beta", "1.pdf", PDF + b" " * len(PDF))
    with pytest.raises(DocumentError, match="the limit per bid is"):
        documents.attach(run.store, BIDDER, run.tid, "beta", "2.pdf", PDF)
    monkeypatch.setattr(documents, "MAX_DOC_BYTES", 10)
    with pytest.raises(DocumentError, match="the limit is 10"):
        documents.attach(run.store, BIDDER, run.tid, "gamma", "1.pdf", PDF)


def test_reading_after_opening_is_logged_and_bound_by_conflicts(run: Run) -> None:
    received(run)
    a = documents.attach(run.store, BIDDER, run.tid, "alpha", "memoire.pdf", PDF)
    g = documents.attach(run.store, BIDDER, run.tid, "gamma", "prix.pdf", PDF)
    opened(run)
    view = documents.read(run.store, BOB, run.tid, a.id)
    assert view.data == PDF and view.content_sha256 == hashlib.sha256(PDF).hexdigest()
    assert view.info.salt and documents.commitment(view.info.salt, PDF) == a.sha256
    assert view.media_type == "application/pdf"
    last = audit.records(run.store, run.tid)[-1]
    assert (last.action, last.actor) == ("document.read", BOB.name)
    assert json.loads(last.detail_json)["document"] == a.id
    with pytest.raises(PermissionDenied, match="conflict of interest with gamma"):
        documents.read(run.store, BOB, run.tid, g.id)
    assert [d.offer_id for d in documents.listing(run.store, BOB, run.tid)] == ["alpha"]
    assert [d.offer_id for d in documents.listing(run.store, ALICE, run.tid)] == ["alpha",
                                                                                  "gamma"]
    with pytest.raises(PermissionDenied, match="this needs the role chair or evaluator"):
        documents.read(run.store, OBSERVER, run.tid, a.id)
    with pytest.raises(NotFound):
        documents.read(run.store, ALICE, run.tid, 999)
    opening = next(r for r in audit.records(run.store, run.tid) if r.action == "tender.opened")
    assert json.loads(opening.detail_json)["document_salts"] == {
        str(a.id): view.info.salt, str(g.id): documents.listing(run.store, ALICE, run.tid)[1].salt}
    assert audit.verify(run.store).ok


def test_a_changed_document_blocks_the_opening(run: Run) -> None:
    received(run)
    documents.attach(run.store, BIDDER, run.tid, "beta", "memoire.pdf", PDF)
    workflow.seal(run.store, CHAIR, run.tid, now=run.after_deadline)
    with run.store.engine.begin() as c:
        c.execute(text("UPDATE bid_documents SET data = :d"), {"d": PDF + b"% changed"})
    with pytest.raises(TransitionError, match=r"hash mismatch\): beta \(document "
                                              r"'memoire.pdf'\)"):
        opening.sign_opening(run.store, ALICE, run.tid)
    assert run.state == "sealed"


def test_the_cli_attaches_and_lists(sqlite_store: Store, tmp_path: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Local mode: ``--as`` names the bid desk at the keyboard (a shared store: ``test_desk``)."""
    run = Run(sqlite_store).to("published")
    for o in bid_offers():
        bids.submit_bid(run.store, DESK, run.tid, o)
    url, tid = run.store.url, str(run.tid)
    good = tmp_path / "mémoire technique.pdf"
    good.write_bytes(PDF)
    assert main(["bid", "attach", "--db", url, tid, "alpha", str(good), "--as", "bid desk"]) == 0
    assert "attached mémoire technique.pdf to bid alpha, sealed" in capsys.readouterr().out
    bad = tmp_path / "offre.docx"
    bad.write_bytes(PDF.replace(b"/Pages 2 0 R", b"/OpenAction<</S/Launch/F(cmd)>>"))
    assert main(["bid", "attach", "--db", url, tid, "beta", str(bad), "--as", "bid desk"]) == 2
    err = capsys.readouterr().err
    assert "offre.docx: beta: document: the file is named .docx but its content is a PDF" in err
    assert main(["bid", "attach", "--db", url, tid, "beta", str(good), "--as", "Alice "
                 "Evaluator"]) == 2
    assert "committee member" in capsys.readouterr().err
    assert main(["bid", "attach", "--db", url, tid, "beta", str(tmp_path / "nope.pdf"),
                 "--as", "bid desk"]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["bid", "documents", "--db", url, tid, "--as", "Claire Chair"]) == 0
    out = capsys.readouterr().out
    assert "alpha\tmémoire technique.pdf" in out and "(sealed)" in out


def test_the_cli_checks_the_size_before_reading(run: Run, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    received(run)
    big = tmp_path / "big.pdf"
    big.write_bytes(PDF + b" " * 100)
    monkeypatch.setattr(documents, "MAX_DOC_BYTES", 50)
    monkeypatch.setattr(Path, "read_bytes", lambda _p: pytest.fail("the file was read"))
    assert main(["bid", "attach", "--db", run.store.url, str(run.tid), "alpha", str(big)]) == 2
    assert f"the file is {len(PDF) + 100:,} bytes; the limit is 50" in capsys.readouterr().err


def test_the_cli_report_in_french(run: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run.to("published")
    assert main(["audit", "report", "--db", run.store.url, str(run.tid), "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "# Rapport d'analyse des offres" in out and "## 7. Proposition d'attribution" in out
    assert "l'opérateur du serveur" in out
