"""A light poll that tells the reader of a committee page that the tender moved on.

Why: a member's page showed the tender as it was when they last clicked; another member could
seal, open or freeze it meanwhile, and the page went on offering steps that were over (issue
18). Every few seconds a fragment (``st.fragment(run_every=...)``: only the fragment reruns, so
the rest of the page, and anything typed into it and not saved, stays as it is) reads the
tender's version and its last audit record (``workflow.pulse``, one small query) and compares
the version with the one the page was drawn with. When it differs, a notice says what changed
and by whom, and a button reloads the page when the reader chooses.
"""

from __future__ import annotations

import streamlit as st

from scoring.committee import workflow
from scoring.errors import HostwiseError
from scoring.i18n import _
from ui.components.committee import store

POLL_S = 7  # seconds between two reads: quick enough for a meeting, one query per page
_K_SEEN = "hw.c.seen.{}"


def notice_text(seen_state: str, seen_version: int, now: workflow.Pulse) -> str | None:
    """The notice for a page drawn at (``seen_state``, ``seen_version``), or None."""
    if now.version == seen_version:
        return None
    if now.state != seen_state:
        if now.by:
            return _("The tender moved on (state {old} → {new} by {who}): reload the "
                     "page.").format(old=seen_state, new=now.state, who=now.by)
        return _("The tender moved on (state {old} → {new}): reload the page.").format(
            old=seen_state, new=now.state)
    what = now.action or _("an edit")
    if now.by:
        return _("The tender changed since this page was drawn ({what} by {who}): reload the "
                 "page.").format(what=what, who=now.by)
    return _("The tender changed since this page was drawn ({what}): reload the "
             "page.").format(what=what)


def watch(v: workflow.TenderView) -> None:
    """Remember the version this page run shows, then poll (call once per page run)."""
    st.session_state[_K_SEEN.format(v.id)] = (v.state, v.version)
    _poll(v.id)


@st.fragment(run_every=POLL_S)
def _poll(tid: int) -> None:
    seen = st.session_state.get(_K_SEEN.format(tid))
    if seen is None:
        return
    try:
        msg = notice_text(seen[0], seen[1], workflow.pulse(store(), tid))
    except HostwiseError:
        return  # the page itself reports a database that cannot be read
    if msg is None:
        return
    st.warning(msg)
    if st.button(_("Reload"), key=f"c.watch.reload.{tid}"):
        st.rerun(scope="app")
