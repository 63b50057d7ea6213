"""The Tender page's sections: create a tender from the working scenario, edit the draft (with
the version it was loaded at: a stale save is refused, never overwrites), designate members,
record bids, and move the tender to its next state (``scoring.committee.workflow``).

Why the loaded version lives in the session: optimistic locking compares the version the user
saw with the one in the database when they save (issue 13); re-reading it on every rerun would
silently turn a stale edit into an overwrite.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from scoring.committee import Person, bids, workflow
from scoring.committee.access import ROLES
from scoring.errors import HostwiseError
from ui import state
from ui.components.committee import act, select_tender, store

BID_DESK = Person("bid desk")
DEFAULT_QUESTIONS = ("sov.sov1_strategic", "sov.sov2_legal")


def scorable_questions() -> dict[str, str]:
    """Questions of the working scenario's catalogue evaluators can score (levels 0-4,
    numbers and percents 0-100, grades on their grid)."""
    return {q.id: f"{q.id}: {q.requirement}" for q in state.catalogue().questions
            if q.type in workflow.SCALES or q.type == "grade"}


def create_form(who: Person) -> None:
    w = state.working()
    qs = scorable_questions()
    with st.form("c.create"):
        st.markdown("**Create a tender from the working scenario**")
        st.text(f"Working scenario: {w.title}")
        title = st.text_input("Tender title", value=w.title, key="c.new.title")
        picked = st.multiselect("Questions the evaluators score", list(qs),
                                default=[q for q in DEFAULT_QUESTIONS if q in qs],
                                format_func=lambda q: qs.get(q, q), key="c.new.q")
        agg = st.radio("Aggregation of the evaluators' scores", workflow.AGGREGATIONS,
                       horizontal=True, key="c.new.agg")
        if st.form_submit_button("Create the tender (you become its chair)"):
            tid = act("Creating the tender", lambda: _create(who, title, w.doc, picked, agg),
                      "The tender was created as a draft; you are its chair.")
            if tid is not None:
                select_tender(tid)


def _create(who: Person, title: str, doc: dict[str, object], qs: list[str], agg: str) -> int:
    tid = workflow.create_tender(store(), who, title, dict(doc), qs, agg)
    select_tender(tid)
    return tid


def version_key(tid: int) -> str:
    return f"hw.c.v.{tid}"


def draft_form(who: Person, v: workflow.TenderView) -> None:
    """Edit the draft's title, saved against the version loaded (optimistic locking)."""
    key = version_key(v.id)
    loaded = int(st.session_state.setdefault(key, v.version))
    if loaded != v.version:
        st.warning(f"This tender changed since you loaded it (version {loaded} → {v.version}).")
        if st.button("Reload the tender", key="c.reload"):
            st.session_state[key] = v.version
            st.rerun()
    with st.form("c.draft"):
        title = st.text_input("Title", value=v.title, key="c.draft.title")
        if st.form_submit_button("Save the draft"):
            def save() -> int:
                new = workflow.update_draft(store(), who, v.id, loaded, title=title)
                st.session_state[key] = new
                return new
            act("Saving the draft", save, "The draft was saved.")


def members_form(who: Person, v: workflow.TenderView) -> None:
    with st.form("c.member"):
        st.markdown("**Designate a member**")
        c1, c2, c3 = st.columns([3, 2, 2])
        name = c1.text_input("Name", key="c.m.name")
        role = c2.selectbox("Role", ROLES, index=1, key="c.m.role")
        opener = c3.checkbox("May open the bids", key="c.m.opener")
        if st.form_submit_button("Designate"):
            act("Designating a member",
                lambda: workflow.add_member(store(), who, v.id, name, role, opener),
                f"{name} was designated {role}.")


def bids_form(v: workflow.TenderView) -> None:
    """Record bids received by the bid desk: offers of the working scenario."""
    try:
        offers = {o.offer_id: o for o in state.evaluation().offers}
    except HostwiseError as exc:
        st.error(f"The working scenario's offers could not be read: {exc}")
        return
    todo = [o for o in offers if o not in v.bidders]
    with st.form("c.bids"):
        st.markdown("**Record received bids** (offers of the working scenario, received by "
                    "the bid desk; stored sealed with their SHA-256)")
        picked = st.multiselect("Bids", todo, key="c.bids.pick")
        if st.form_submit_button("Record the bids"):
            def rec() -> None:
                for o in picked:
                    bids.submit_bid(store(), BID_DESK, v.id, offers[o])
            act("Recording the bids", rec, f"{len(picked)} bid(s) recorded, sealed.")


def next_step(who: Person, v: workflow.TenderView) -> None:
    """The next allowed step; the service says why when it refuses."""
    nxt = v.next_state
    if nxt is None:
        st.info("The tender is awarded: its procedure is closed.")
        return
    kw: dict[str, object] = {}
    if nxt == "opened":
        openers = [n for n, _r, op in v.members if op]
        names = st.multiselect("Members present to open the bids (two are needed)", openers,
                               key="c.openers")
        kw["openers"] = [Person(n) for n in names]
    elif nxt == "evaluated":
        kw["today"] = st.date_input("Today", value=dt.date.today(), key="c.today")
    elif nxt == "awarded":
        kw["offer_id"] = st.selectbox("Award to", v.bidders, key="c.award.offer")
        kw["reason"] = st.text_area("Reason (needed when not the leader)", key="c.award.reason")
    if st.button(f"Move to the next step: {nxt}", key="c.next", type="primary"):
        act(f"Moving the tender to {nxt}",
            lambda: workflow.advance(store(), who, v.id, nxt, **kw),
            f"The tender is now {nxt}.")
