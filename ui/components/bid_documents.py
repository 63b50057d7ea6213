"""A bid's documents on screen (``scoring.committee.documents``): the list (name, size, sealed
SHA-256), the bid desk's upload while bids are received, and after opening a "Read" button per
document that logs the reading and then offers the file as a download.

Why a download and nothing else: a bidder's document is never rendered in the page (no HTML,
no Markdown, no embedded PDF viewer: a hostile PDF or DOCX must not run in the committee's
browser). Bidder text (file names, refusals quoting them) reaches the page only through the
dataframe and ``st.text``; button labels, which Streamlit renders as Markdown, name documents by
their number only. Every rule (who, when, conflicts) is the service's.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from scoring.committee import Person, documents, workflow
from scoring.errors import HostwiseError
from scoring.io.doc_guard import MAX_DOC_BYTES
from ui.components.committee import store, table

BID_DESK = Person("bid desk")  # who records bids in the app (``tender_panel``)
K_READ = "hw.c.doc.read"  # session key prefix: a document this session has read


def bid_documents(who: Person | None, tender_id: int, offer_id: str | None = None) -> None:
    """The documents of one bid (or of every bid): call it in the bids list and beside the
    criterion an evaluator scores. ``who`` is the person acting (None: not signed in)."""
    try:
        v = workflow.view(store(), tender_id)
        docs = documents.listing(store(), who or BID_DESK, tender_id, offer_id)
    except HostwiseError as exc:
        st.error("The bid documents could not be listed:")
        st.text(str(exc))
        return
    opened = v.state in documents.OPENED
    table([{"bid": d.offer_id, "document": d.filename, "bytes": d.size,
            "sealed SHA-256 (salted)": d.sha256, **({"salt": d.salt} if opened else {})}
           for d in docs], "No document attached.")
    if not opened:
        st.caption("Sealed: nobody, the chair included, can read a bid's documents before the "
                   "bids are opened. Each SHA-256 is salted, so two identical documents do not "
                   "look alike; the salts are revealed at the opening.")
        if v.state == "published" and who is not None:
            _attach(tender_id, [offer_id] if offer_id else list(v.bidders))
        return
    if who is None:
        return
    for d in docs:
        _reader(who, tender_id, d)


def _reader(who: Person, tender_id: int, d: documents.DocumentInfo) -> None:
    key = f"{K_READ}.{tender_id}.{d.id}"
    if st.button(f"Read document {d.id}", key=f"c.doc.read.{d.id}",
                 help="Reading is recorded in the audit log (who, which document, when)."):
        try:
            st.session_state[key] = documents.read(store(), who, tender_id, d.id)
        except HostwiseError as exc:
            st.error(f"Reading document {d.id} was refused:")
            st.text(str(exc))
    view = st.session_state.get(key)
    if isinstance(view, documents.DocumentView):
        st.download_button(f"Download document {view.info.id}", view.data,
                           file_name=view.info.filename, mime=view.media_type,
                           key=f"c.doc.dl.{d.id}")
        st.text(f"SHA-256 of the file: {view.content_sha256}")


def _attach(tender_id: int, offers: Sequence[str]) -> None:
    if not offers:
        return
    with st.form("c.doc.attach", clear_on_submit=True):
        st.markdown(f"**Attach documents received with a bid** (PDF, DOCX, XLSX; at most "
                    f"{MAX_DOC_BYTES // 2**20} MB each, {documents.MAX_BID_BYTES // 2**20} MB "
                    f"and {documents.MAX_FILES} files per bid)")
        offer = st.selectbox("Bid", list(offers), key="c.doc.offer")
        files = st.file_uploader("Documents", type=["pdf", "docx", "xlsx"],
                                 accept_multiple_files=True, key="c.doc.files")
        if not st.form_submit_button("Attach the documents"):
            return
    done, refused = 0, []
    for f in files or []:
        if f.size > MAX_DOC_BYTES:  # refused before its bytes are read
            refused.append(f"{f.name}: {f.size:,} bytes; the limit is {MAX_DOC_BYTES:,}")
            continue
        try:
            documents.attach(store(), BID_DESK, tender_id, str(offer), f.name, f.getvalue())
            done += 1
        except HostwiseError as exc:
            refused.append(str(exc))
    if done:
        st.success(f"{done} document(s) attached, sealed.")
    if refused:
        st.error(f"{len(refused)} document(s) refused:")
        st.text("\n".join(refused))
