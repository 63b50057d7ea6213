"""A bid's documents on screen (``scoring.committee.documents``): the list (name, size, sealed
SHA-256), the bid desk's upload while bids are received, and after opening a "Read" button per
document that logs the reading and then offers the file as a download.

Who is the bid desk (``scoring.committee.desk``): on a shared server the logged-in person, and
the forms are shown only to whom the service accepts (a chair of the tender; the Tender page
tells everyone else who records bids). In local mode whoever is at the keyboard, recorded as
"bid desk" (not authenticated), as before.

Why a download and nothing else: a bidder's document is never rendered in the page (no HTML,
no Markdown, no embedded PDF viewer: a hostile PDF or DOCX must not run in the committee's
browser). Bidder text (file names, refusals quoting them) reaches the page only through the
dataframe and ``st.text``; button labels, which Streamlit renders as Markdown, name documents by
their number only. Every rule (who, when, conflicts) is the service's.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from scoring.committee import Person, desk, documents, workflow
from scoring.errors import HostwiseError
from scoring.i18n import _, ngettext
from scoring.io.doc_guard import MAX_DOC_BYTES
from ui.components.committee import store, table

BID_DESK = Person("bid desk")  # local mode: whoever is at the keyboard records the bids
K_READ = "hw.c.doc.read"  # session key prefix: a document this session has read


def recorder(who: Person | None, tender_id: int) -> Person | None:
    """Who the bid desk's forms act as, None when the service would refuse them (so the forms
    are not shown): on a shared server the logged-in person (a chair of the tender), never a
    typed name; in local mode the "bid desk" at the keyboard (``desk``)."""
    if who is None:
        return None
    acting = who if who.subject is not None and desk.shared(store()) else BID_DESK
    return acting if desk.may_record(store(), acting, tender_id) else None



def bid_documents(who: Person | None, tender_id: int, offer_id: str | None = None) -> None:
    """The documents of one bid (or of every bid): call it in the bids list and beside the
    criterion an evaluator scores. ``who`` is the person acting (None: not signed in)."""
    try:
        v = workflow.view(store(), tender_id)
        docs = documents.listing(store(), who, tender_id, offer_id)
    except HostwiseError as exc:
        st.error(_("The bid documents could not be listed:"))
        st.text(str(exc))
        return
    opened = v.state in documents.OPENED
    table([{_("bid"): d.offer_id, _("document"): d.filename, _("bytes"): d.size,
            _("sealed SHA-256 (salted)"): d.sha256, **({_("salt"): d.salt} if opened else {})}
           for d in docs], _("No document attached."))
    if not opened:
        st.caption(_("Sealed: nobody, the chair included, can read a bid's documents before "
                     "the bids are opened. Each SHA-256 is salted, so two identical documents "
                     "do not look alike; the salts are revealed at the opening."))
        if v.state == "published" and who is not None:
            by = recorder(who, tender_id)  # None: not the bid desk (the Tender page says who is)
            if by is not None:
                _attach(by, tender_id, [offer_id] if offer_id else list(v.bidders))
        return
    if who is None:
        return
    for d in docs:
        _reader(who, tender_id, d)


def _reader(who: Person, tender_id: int, d: documents.DocumentInfo) -> None:
    key = f"{K_READ}.{tender_id}.{d.id}"
    if st.button(_("Read document {id}").format(id=d.id), key=f"c.doc.read.{d.id}",
                 help=_("Reading is recorded in the audit log (who, which document, when).")):
        try:
            st.session_state[key] = documents.read(store(), who, tender_id, d.id)
        except HostwiseError as exc:
            st.error(_("Reading document {id} was refused:").format(id=d.id))
            st.text(str(exc))
    view = st.session_state.get(key)
    if isinstance(view, documents.DocumentView):
        st.download_button(_("Download document {id}").format(id=view.info.id), view.data,
                           file_name=view.info.filename, mime=view.media_type,
                           key=f"c.doc.dl.{d.id}", on_click="ignore")
        st.text(_("SHA-256 of the file: {sha}").format(sha=view.content_sha256))


def _attach(by: Person, tender_id: int, offers: Sequence[str]) -> None:
    if not offers:
        return
    with st.form("c.doc.attach", clear_on_submit=True):
        st.markdown("**" + _("Attach documents received with a bid") + "** " + _(
            "(PDF, DOCX, XLSX; at most {each} MB each, {bid} MB and {files} files per "
            "bid)").format(each=MAX_DOC_BYTES // 2**20, bid=documents.MAX_BID_BYTES // 2**20,
                           files=documents.MAX_FILES))
        offer = st.selectbox(_("Bid"), list(offers), key="c.doc.offer")
        files = st.file_uploader(_("Documents"), type=["pdf", "docx", "xlsx"],
                                 accept_multiple_files=True, key="c.doc.files")
        if not st.form_submit_button(_("Attach the documents")):
            return
    done, refused = 0, []
    for f in files or []:
        if f.size > MAX_DOC_BYTES:  # refused before its bytes are read
            refused.append(_("{name}: {size} bytes; the limit is {limit}").format(
                name=f.name, size=f"{f.size:,}", limit=f"{MAX_DOC_BYTES:,}"))
            continue
        try:
            documents.attach(store(), by, tender_id, str(offer), f.name, f.getvalue())
            done += 1
        except HostwiseError as exc:
            refused.append(str(exc))
    if done:
        st.success(ngettext("{n} document attached, sealed.", "{n} documents attached, sealed.",
                            done).format(n=done))
    if refused:
        st.error(ngettext("{n} document refused:", "{n} documents refused:",
                          len(refused)).format(n=len(refused)))
        st.text("\n".join(refused))
