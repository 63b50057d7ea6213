"""Moderation page (chair; observers read): disagreements between evaluators with spread and
Kendall's W, consensus scores with their reasons, clarification requests and replies, and the
ranking before and after each reply. Every action is a ``scoring.committee`` service."""

from __future__ import annotations

import streamlit as st

from scoring.committee import workflow
from scoring.errors import HostwiseError
from ui.components import c_moderation as cm
from ui.components.c_common import role_of, start, state_label, store

who, tid = start("Moderation", "The chair compares the submitted sheets, records a consensus "
                 "with its reason where evaluators disagree, and asks bidders to clarify in "
                 "writing.")
if who is None or tid is None:
    st.stop()
try:
    v = workflow.view(store(), tid)
    role = role_of(who, tid)
except HostwiseError as exc:
    st.error(f"The tender could not be read: {exc}")
    st.stop()
st.caption(f"Tender #{v.id} · {state_label(v.state)} · your role: {role or 'not a member'}")
if role not in ("chair", "observer"):
    st.info("Moderation is the chair's work (observers may read it).")
    st.stop()
try:
    st.subheader("Disagreements and consensus")
    cm.disagreements(who, tid, v.state)
    st.subheader("Clarifications")
    if v.technical_frozen:
        cm.requests(who, tid, v.state)
        if v.state == "clarification" and role == "chair":
            cm.request_form(who, tid)
    else:
        st.caption("Clarifications start once the technical scores are frozen.")
except HostwiseError as exc:
    st.error(f"Refused: {exc}")
