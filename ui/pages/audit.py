"""Audit page: the tender's append-only log, the verification of the whole hash chain, and the
award report as Markdown, DOCX and PDF (``scoring.committee.audit`` and ``report``).

For the tender's members and its auditors only (``audit.member_records`` refuses anyone else):
the log names every member, bidder, declaration and reading, and once showed all of it to a
visitor who had typed no name (issue 18). The report is the chair's, the observers' and the
auditors'; a member who declared a conflict gets it without that bidder's detail."""

from __future__ import annotations

import streamlit as st

from scoring import i18n
from scoring.committee import PermissionDenied, audit, report, workflow
from scoring.committee.access import READERS
from scoring.errors import HostwiseError
from scoring.i18n import _
from ui.components.committee import role_of, start, store, table
from ui.components.tender_watch import watch

who, tid = start(_("Every step is a record that hashes the one before it: an edited, "
                   "inserted or deleted record breaks the chain."))
if tid is None:
    st.stop()
REFUSAL = _("The audit log is for the tender's members and auditors: state your name (or "
            "log in) as one of them. The chair can designate an auditor, who reads everything "
            "and acts on nothing.")
if who is None:
    st.warning(REFUSAL)
    st.stop()
try:
    recs = audit.member_records(store(), who, tid)
except PermissionDenied as exc:
    st.warning(f"{exc}. {REFUSAL}")
    st.stop()
except HostwiseError as exc:
    st.error(_("The audit log could not be read:"))
    st.text(str(exc))
    st.stop()
watch(workflow.view(store(), tid))
chain = audit.verify(store())
if chain.ok:
    st.success(_("audit chain holds and vouches for every committee row: {n} record(s), "
                 "{rows} row(s)").format(n=chain.records, rows=chain.rows)
               + _("; head: record {n}, hash {head}").format(n=chain.records, head=chain.head)
               + (f"; {chain.anchor}" if chain.anchor else ""))
else:
    st.error(chain.text())
st.subheader(_("The log"))
table([{_("record"): r.seq, _("when (UTC)"): r.at, _("who"): r.who, _("what"): r.action,
        _("detail"): r.detail, _("hash"): r.hash[:12] + "…"} for r in recs], _("No record."))
st.subheader(_("Award report"))
if role_of(who, tid) not in READERS:
    st.info(_("The award report is for the chair, the observers and the auditors of the "
              "tender."))
    st.stop()
lang = i18n.language()  # the user's language: the report is written in it
try:
    md = report.award_markdown(store(), who, tid, lang)
    st.download_button(_("Award report (Markdown)"), md.encode(), f"award-report-{tid}.md",
                       "text/markdown", key="c.md", on_click="ignore")
    st.download_button(_("Award report (DOCX)"), report.award_docx(store(), who, tid, lang),
                       f"award-report-{tid}.docx", "application/vnd.openxmlformats-"
                       "officedocument.wordprocessingml.document", key="c.docx", on_click="ignore")
    if st.button(_("Prepare the PDF (LibreOffice)"), key="c.pdf.make"):
        st.session_state[f"hw.c.pdf.{tid}"] = report.award_pdf(store(), who, tid, lang)
    pdf = st.session_state.get(f"hw.c.pdf.{tid}")
    if pdf:
        st.download_button(_("Award report (PDF)"), pdf, f"award-report-{tid}.pdf",
                           "application/pdf", key="c.pdf", on_click="ignore")
    with st.expander(_("Read the report here")):
        st.text(md)
except HostwiseError as exc:
    st.error(_("The award report could not be prepared:"))
    st.text(str(exc))
