"""Audit page: the tender's append-only log, the verification of the whole hash chain, and the
award report as Markdown, DOCX and PDF (``scoring.committee.audit`` and ``report``)."""

from __future__ import annotations

import json

import streamlit as st

from scoring import i18n
from scoring.committee import audit, report
from scoring.errors import HostwiseError
from ui.components.committee import role_of, start, store, table

who, tid = start("Every step is a record that hashes the one before it: an edited, "
                 "inserted or deleted record breaks the chain.")
if tid is None:
    st.stop()
chain = audit.verify(store())
(st.success if chain.ok else st.error)(chain.text())
st.subheader("The log")
table([{"record": r.seq, "when (UTC)": r.at,
        "who": r.actor + ("" if r.authenticated else " (not authenticated)"),
        "what": r.action, "detail": json.dumps(json.loads(r.detail_json), ensure_ascii=False),
        "hash": r.hash[:12] + "…"} for r in audit.records(store(), tid)], "No record.")
st.subheader("Award report")
if who is None or role_of(who, tid) not in ("chair", "observer"):
    st.info("The award report is for the chair and the observers of the tender.")
    st.stop()
lang = i18n.language()  # the user's language: the report is written in it
try:
    md = report.award_markdown(store(), who, tid, lang)
    st.download_button("Award report (Markdown)", md.encode(), f"award-report-{tid}.md",
                       "text/markdown", key="c.md")
    st.download_button("Award report (DOCX)", report.award_docx(store(), who, tid, lang),
                       f"award-report-{tid}.docx", "application/vnd.openxmlformats-"
                       "officedocument.wordprocessingml.document", key="c.docx")
    if st.button("Prepare the PDF (LibreOffice)", key="c.pdf.make"):
        st.session_state[f"hw.c.pdf.{tid}"] = report.award_pdf(store(), who, tid, lang)
    pdf = st.session_state.get(f"hw.c.pdf.{tid}")
    if pdf:
        st.download_button("Award report (PDF)", pdf, f"award-report-{tid}.pdf",
                           "application/pdf", key="c.pdf")
    with st.expander("Read the report here"):
        st.text(md)
except HostwiseError as exc:
    st.error(f"The award report could not be prepared: {exc}")
