"""Moderation page (chair; observers and auditors read): disagreements between evaluators with
spread and Kendall's W, consensus scores with their reasons, clarification requests and replies,
and the ranking before and after each reply (without the bidders the reader declared a conflict
with). Every action is a ``scoring.committee`` service."""

from __future__ import annotations

import streamlit as st

from scoring.committee.access import READERS
from scoring.errors import HostwiseError
from scoring.i18n import _
from ui.components import moderation_panel as cm
from ui.components.committee import member_view, start
from ui.components.tender_watch import watch

who, tid = start(_("The chair compares the submitted sheets, records a consensus "
                   "with its reason where evaluators disagree, and asks bidders to clarify "
                   "in writing."))
if who is None or tid is None:
    st.stop()
v, role = member_view(who, tid, READERS,
                      _("Moderation is the chair's work (observers and auditors may read "
                        "it)."))
watch(v)
try:
    st.subheader(_("Disagreements and consensus"))
    cm.disagreements(who, tid, v.state)
    st.subheader(_("Clarifications"))
    if v.technical_frozen:
        cm.requests(who, tid, v.state)
        if v.state == "clarification" and role == "chair":
            cm.request_form(who, tid)
    else:
        st.caption(_("Clarifications start once the technical scores are frozen."))
except HostwiseError as exc:
    st.error(_("Refused:"))
    st.text(str(exc))
