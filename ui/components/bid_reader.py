"""Reading a bid on screen: an explicit act, one envelope at a time, each read recorded.

Why a button: a bid's content leaves the store only through ``bids.read_bid``, which writes an
audit record (who read which bid's which envelope, and when) in the same transaction (issue 18:
the log must be able to say who saw what). So the page draws nothing of a bid until its reader
asks, and what was read is kept for this session only (not re-read, so not re-recorded, on
every rerun). The content is shown as text (``st.code``), never rendered as Markdown or HTML: a
bid is a bidder's text.
"""

from __future__ import annotations

import json

import streamlit as st

from scoring.committee import Person, bids, workflow
from scoring.committee.bids import BidView
from scoring.errors import HostwiseError
from scoring.i18n import _
from ui.components.committee import store

_K_READ = "hw.c.read.{}"  # tender id -> {(offer, envelope): BidView}


def _read(tid: int) -> dict[tuple[str, str], BidView]:
    got: dict[tuple[str, str], BidView] = st.session_state.setdefault(_K_READ.format(tid), {})
    return got


def reader(who: Person, v: workflow.TenderView, visible: list[str]) -> None:
    """One pair of buttons per bid this person may read; the content after the button."""
    if not visible:
        st.caption(_("No bid to read: bids open after the two openers sign, and each member "
                     "reads them once they declared their interests about every bidder."))
        return
    st.caption(_("Reading a bid is recorded in the audit log (who, which bid and envelope, "
                 "when). Price envelopes open once the technical scores are frozen."))
    done = _read(v.id)
    for o in visible:
        c1, c2 = st.columns(2)
        for col, env in ((c1, "technical"), (c2, "price")):
            if env == "price" and not v.technical_frozen:
                col.caption(_("{bid}: price envelope closed (two-envelope "
                              "procedure)").format(bid=o))
                continue
            if (o, env) in done:
                continue
            label = (_("Read the technical envelope of {bid}") if env == "technical"
                     else _("Read the price envelope of {bid}")).format(bid=o)
            if col.button(label, key=f"c.read.{o}.{env}"):
                try:
                    done[(o, env)] = bids.read_bid(store(), who, v.id, o, env)
                except HostwiseError as exc:
                    col.error(_("Reading was refused:"))
                    col.text(str(exc))
        for env in ("technical", "price"):
            view = done.get((o, env))
            if view is None:
                continue
            title = (_("{bid}: technical envelope (your reading is recorded)")
                     if env == "technical"
                     else _("{bid}: price envelope (your reading is recorded)")).format(bid=o)
            with st.expander(title, expanded=True):
                content = view.technical if env == "technical" else view.prices
                st.code(json.dumps(content, indent=2, ensure_ascii=False), language="json")

