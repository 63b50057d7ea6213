"""Evaluate page (an evaluator): my declarations of interest, my scores with their written
justification, my progress, then my sheet submitted; each bid is read with a button (the reading
is recorded in the audit log). A bidder I declared a conflict with is not
shown (the services refuse it anyway: ``scoring.committee.panel`` / ``bids``)."""

from __future__ import annotations

import streamlit as st

from scoring.committee import bids, panel
from scoring.errors import HostwiseError
from scoring.i18n import _
from ui.components import score_sheets as ce
from ui.components.bid_reader import reader
from ui.components.committee import (
    member_view,
    my_declarations,
    start,
    state_label,
    store,
)
from ui.components.tender_watch import watch

who, tid = start(_("Declare your interests before seeing any bid, then score each "
                   "question with a written justification. Nobody sees your scores until you "
                   "submit your sheet."))
if who is None or tid is None:
    st.stop()
v, role = member_view(who, tid, ("evaluator", "chair"),
                      _("Only the tender's evaluators (and its chair, for declarations and "
                        "reading the bids) work here."))
watch(v)
try:
    mine = my_declarations(who, tid)
except HostwiseError as exc:
    st.error(_("The tender could not be read: {why}").format(why=exc))
    st.stop()

st.subheader(_("My declarations of interest"))
ce.declarations(who, v, mine)
try:
    visible = bids.visible_offers(store(), who, tid)
except HostwiseError as exc:
    st.error(str(exc))
    st.stop()
st.subheader(_("Read the bids"))
reader(who, v, visible)
if role != "evaluator":
    st.stop()
st.subheader(_("My scores"))
if v.state != "technical_evaluation":
    st.info(_("Scoring happens during the technical evaluation (the tender is {state}).")
            .format(state=state_label(v.state)))
try:
    rows = panel.visible_scores(store(), who, tid)
except HostwiseError as exc:
    st.error(str(exc))
    st.stop()
ce.progress(who, v, visible, rows)
if v.state == "technical_evaluation":
    ce.score_forms(who, v, visible, rows)
