"""Tender page: create a tender (from the working scenario, a bundled catalogue or a criteria
workbook), author its criteria and weights while it is a draft (``tender_author``), designate
members and roles, set and extend the bid deadline, record bids, sign the opening (two
designated openers, each in their own session), and take the tender through its states
(draft → published → sealed → opened → ... → awarded). Each button calls one service of
``scoring.committee``; a refused step shows its reason. A light poll tells the reader when
someone else moved the tender on."""

from __future__ import annotations

import streamlit as st

from scoring.committee import bids, membership, workflow
from scoring.errors import HostwiseError
from scoring.i18n import _
from ui.components import tender_author
from ui.components import tender_panel as ct
from ui.components.bid_documents import bid_documents
from ui.components.committee import (
    role_of,
    roster_rows,
    start,
    state_label,
    state_word,
    states_line,
    store,
    table,
)
from ui.components.tender_watch import watch

who, tid = start(_("A tender's lifecycle, its members and its sealed bids. Every step "
                   "is checked by the committee services and written to the audit log."))
if who is not None:
    with st.expander(_("Create a tender"), expanded=tid is None):
        ct.create_form(who)
if tid is None:
    st.info(_("No tender yet: create one from the working scenario, a bundled catalogue or a "
              "criteria workbook."))
    st.stop()
try:
    v = workflow.view(store(), tid)
    receipts = bids.receipts(store(), tid)
    role = role_of(who, tid)
except HostwiseError as exc:
    st.error(_("The tender could not be read:"))
    st.text(str(exc))
    st.stop()
watch(v)

st.subheader(_("Tender #{n}").format(n=v.id))
st.text(v.title)
st.markdown(states_line(v.state))
st.caption(_("State: {state} · version {n}").format(state=state_label(v.state), n=v.version)
           + (_(" · publication hash `{h}…`").format(h=v.published_hash[:16])
              if v.published_hash else ""))
table(roster_rows(membership.roster(store(), tid)), _("No member."))
ct.deadline_section(who, v, role)
st.caption(_("Each envelope's hash is SHA-256 of a random salt and its content: two "
             "identical envelopes do not show as such; the salts are revealed when the "
             "envelopes open, so every bidder can check its receipt."))
table([{_("bid"): r.offer_id, _("vendor"): r.vendor_name, _("received (UTC)"): r.received_at,
        _("technical SHA-256"): r.technical_sha256[:16] + "…",
        _("price SHA-256"): r.price_sha256[:16] + "…"} for r in receipts],
      _("No bid received yet."))
if v.state in ("sealed", "opened") or v.opened_by:
    ct.opening_section(who, v)
if who is None:
    st.stop()

if v.state == "draft":
    st.subheader(_("Draft"))
    ct.draft_form(who, v)
    if role == "chair":
        tender_author.editor(who, v.id)
st.subheader(_("Next step"))
if v.next_state:
    st.caption(_("Next allowed step: **{step}**.").format(step=state_word(v.next_state)))
ct.next_step(who, v)
if v.state != "draft" or role == "chair":
    with st.expander(_("Criteria workbook and questionnaire template of this tender")):
        tender_author.downloads(v.id)
if v.state in ("draft", "published", "sealed"):
    ct.members_form(who, v)
if v.state == "published":
    ct.bids_form(who, v)
if v.bidders:  # the bids' documents: attached while published, sealed until the opening
    st.subheader(_("Bid documents"))
    bid_documents(who, v.id)
