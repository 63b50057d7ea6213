"""The bid documents component (AppTest): sealed documents listed by name, size and salted
SHA-256 with nothing to read; after opening a "Read" button that logs the reading and offers
the file as a download, never as page content; a conflicted member sees none of the
conflicted bidder's documents; a file name is never rendered as Markdown."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.committee import Store, audit, bids, documents, workflow
from tests.committee.conftest import ALICE, BIDDER, BOB, CHAIR, Run, bid_offers

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
TRAP = "**Bold** [click](evil.example) <b>x<b>.pdf"


def _script() -> None:
    import streamlit as st

    from scoring.committee import Person
    from ui.components.bid_documents import bid_documents

    name = st.session_state.get("who")
    bid_documents(Person(name) if name else None, int(st.session_state["tid"]),
                  st.session_state.get("offer"))


def show(tid: int, who: str | None, offer: str | None = None) -> AppTest:
    at = AppTest.from_function(_script, default_timeout=60)
    at.session_state["tid"] = tid
    at.session_state["who"] = who
    at.session_state["offer"] = offer
    return at.run()


def frame(at: AppTest) -> str:
    return "\n".join(df.value.to_string() for df in at.dataframe)


def rendered(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in (*at.markdown, *at.caption, *at.success,
                                             *at.error, *at.info))


def received(store: Store) -> tuple[Run, documents.DocumentInfo, documents.DocumentInfo]:
    run = Run(store).to("published")
    for o in bid_offers():
        bids.submit_bid(store, BIDDER, run.tid, o)
    a = documents.attach(store, BIDDER, run.tid, "alpha", TRAP, PDF)
    g = documents.attach(store, BIDDER, run.tid, "gamma", "prix.pdf", PDF)
    return run, a, g


def test_sealed_documents_show_name_size_and_salted_hash_only(store: Store) -> None:
    run, a, _g = received(store)
    at = show(run.tid, CHAIR.name)
    assert not at.exception
    assert TRAP in frame(at) and a.sha256 in frame(at) and str(len(PDF)) in frame(at)
    assert "salt" not in at.dataframe[0].value.columns
    assert "Sealed: nobody, the chair included" in rendered(at)
    assert not [b for b in at.button if b.label.startswith("Read")]
    assert "Bold" not in rendered(at)  # the name is never Markdown
    assert [b.label for b in at.button] == ["Attach the documents"]  # the bid desk's form


def test_after_opening_read_logs_and_offers_a_download(store: Store) -> None:
    run, a, g = received(store)
    workflow.seal(store, CHAIR, run.tid, now=run.after_deadline)
    run.to("opened")
    run.declare()
    at = show(run.tid, ALICE.name)
    assert "salt" in at.dataframe[0].value.columns
    assert [b.label for b in at.button] == [f"Read document {a.id}", f"Read document {g.id}"]
    assert not at.get("download_button")
    at = at.button(key=f"c.doc.read.{a.id}").click().run()
    assert not at.exception
    downloads = at.get("download_button")
    assert len(downloads) == 1 and f"Download document {a.id}" in str(downloads[0].proto)
    last = audit.records(store, run.tid)[-1]
    assert (last.action, last.actor) == ("document.read", ALICE.name)
    assert "Bold" not in rendered(at) and "%PDF" not in rendered(at)
    bob = show(run.tid, BOB.name)
    assert "prix.pdf" not in frame(bob) and TRAP in frame(bob)
    assert [b.label for b in bob.button] == [f"Read document {a.id}"]
