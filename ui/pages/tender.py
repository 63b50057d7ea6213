"""Tender page: create a tender from the working scenario, designate members and roles, set and
extend the bid deadline, record bids, sign the opening (two designated openers, each in their
own session), and take the tender through its states (draft → published → sealed → opened → ...
→ awarded). Each button calls one service of ``scoring.committee``; a refused step shows its
reason. A light poll tells the reader when someone else moved the tender on."""

from __future__ import annotations

import streamlit as st

from scoring.committee import bids, membership, workflow
from scoring.errors import HostwiseError
from ui.components import tender_panel as ct
from ui.components.committee import role_of, start, state_label, states_line, store, table
from ui.components.tender_watch import watch

who, tid = start("A tender's lifecycle, its members and its sealed bids. Every step "
                 "is checked by the committee services and written to the audit log.")
if who is not None:
    with st.expander("Create a tender", expanded=tid is None):
        ct.create_form(who)
if tid is None:
    st.info("No tender yet: create one from the working scenario.")
    st.stop()
try:
    v = workflow.view(store(), tid)
    receipts = bids.receipts(store(), tid)
    role = role_of(who, tid)
except HostwiseError as exc:
    st.error(f"The tender could not be read: {exc}")
    st.stop()
watch(v)

st.subheader(f"Tender #{v.id}")
st.text(v.title)
st.markdown(states_line(v.state))
st.caption(f"State: {state_label(v.state)} · version {v.version}"
           + (f" · publication hash `{v.published_hash[:16]}…`" if v.published_hash else ""))
table(membership.roster(store(), tid), "No member.")
ct.deadline_section(who, v, role)
st.caption("Each envelope's hash is SHA-256 of a random salt and its content: two identical "
           "envelopes do not show as such; the salts are revealed when the envelopes open, so "
           "every bidder can check its receipt.")
table([{"bid": r.offer_id, "vendor": r.vendor_name, "received (UTC)": r.received_at,
        "technical SHA-256": r.technical_sha256[:16] + "…",
        "price SHA-256": r.price_sha256[:16] + "…"} for r in receipts], "No bid received yet.")
if v.state in ("sealed", "opened") or v.opened_by:
    ct.opening_section(who, v)
if who is None:
    st.stop()

st.subheader("Next step")
if v.next_state:
    st.caption(f"Next allowed step: **{v.next_state}** ({state_label(v.next_state)}).")
ct.next_step(who, v)
if v.state == "draft":
    st.subheader("Draft")
    ct.draft_form(who, v)
if v.state in ("draft", "published", "sealed"):
    ct.members_form(who, v)
if v.state == "published":
    ct.bids_form(v)
