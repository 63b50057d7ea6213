"""The Tender page's sections: create a tender from the working scenario, edit the draft (with
the version it was loaded at: a stale save is refused, never overwrites), designate members,
record bids, set and extend the bid deadline, sign the opening (two openers, two sessions), and
move the tender to its next state (``scoring.committee.workflow``, ``opening``).

Why the loaded version lives in the session: optimistic locking compares the version the user
saw with the one in the database when they save (issue 13); re-reading it on every rerun would
silently turn a stale edit into an overwrite.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from scoring.committee import Person, bids, membership, opening, workflow
from scoring.committee.access import ROLES
from scoring.errors import HostwiseError
from ui import state
from ui.components.committee import act, select_tender, store, table

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


_MEMBER_KEYS = ("c.m.name", "c.m.role", "c.m.opener", "c.i.email", "c.i.role", "c.i.opener")
_OPENER_KEYS = ("c.m.opener", "c.i.opener")
_K_MEMBER_RESET = "hw.c.m.reset"


def members_form(who: Person, v: workflow.TenderView) -> None:
    """Designate a member: by e-mail invitation when people log in (the invitation is bound
    to the first log-in with that verified e-mail, ``membership``), by name in local mode.
    After each designation the form starts again empty: the "may open the bids" box once
    stayed ticked for the next member, who became an opener unticked (issue 18); forgetting the
    box's value was not enough, the browser kept showing (and sending) it ticked: it is set
    unticked. Why not ``clear_on_submit``: a refused designation keeps what was typed."""
    if st.session_state.pop(_K_MEMBER_RESET, False):
        for k in _MEMBER_KEYS:  # before the widgets exist in this run: allowed
            st.session_state.pop(k, None)
        for k in _OPENER_KEYS:  # popped only, the browser kept the box ticked: set it
            st.session_state[k] = False
    if who.subject is not None:
        with st.form("c.invite"):
            st.markdown("**Invite a member by e-mail** (bound to their log-in the first time "
                        "they log in with this verified address)")
            c1, c2, c3 = st.columns([3, 2, 2])
            email = c1.text_input("E-mail", key="c.i.email")
            role = c2.selectbox("Role", ROLES, index=1, key="c.i.role",
                                help="An auditor reads everything (the log, the panel, the "
                                     "report) and acts on nothing.")
            opener = c3.checkbox("May open the bids", key="c.i.opener")
            if st.form_submit_button("Invite"):
                def invite() -> None:
                    membership.invite(store(), who, v.id, email, role, opener)
                    st.session_state[_K_MEMBER_RESET] = True
                act("Inviting a member", invite, f"{email.strip()} was invited as {role}.")
        return
    with st.form("c.member"):
        st.markdown("**Designate a member**")
        c1, c2, c3 = st.columns([3, 2, 2])
        name = c1.text_input("Name", key="c.m.name")
        role = c2.selectbox("Role", ROLES, index=1, key="c.m.role",
                            help="An auditor reads everything (the log, the panel, the "
                                 "report) and acts on nothing.")
        opener = c3.checkbox("May open the bids", key="c.m.opener")
        if st.form_submit_button("Designate"):
            def designate() -> None:
                workflow.add_member(store(), who, v.id, name, role, opener)
                st.session_state[_K_MEMBER_RESET] = True
            act("Designating a member", designate,
                f"{name} was designated {role}" + (", may open the bids." if opener else "."))


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


def _utc(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=dt.UTC)


def deadline_inputs(prefix: str, start: dt.datetime | None = None) -> dt.datetime:
    """A date and a time, in UTC (stated: a deadline must mean the same for every bidder)."""
    start = start or dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0,
                                                     microsecond=0) + dt.timedelta(days=14)
    c1, c2 = st.columns(2)
    day = c1.date_input("Bid deadline: date (UTC)", value=start.date(), key=f"{prefix}.day")
    at = c2.time_input("Bid deadline: time (UTC)", value=start.time(), key=f"{prefix}.time")
    return _utc(day, at)


def deadline_section(who: Person | None, v: workflow.TenderView, role: str | None) -> None:
    """The deadline and every change to it, for everyone; the extension form for a chair
    while it is still ahead (the service checks it all again)."""
    st.markdown("**Bid deadline**")
    if v.bid_deadline is None:
        st.caption("No bid deadline yet: the chair sets it when publishing the tender.")
        return
    ahead = dt.datetime.fromisoformat(v.bid_deadline) > dt.datetime.now(dt.UTC)
    st.text(f"Bids are received until {v.bid_deadline} (UTC)"
            + (": still ahead." if ahead else ": passed."))
    hist = opening.deadline_history(store(), v.id)
    table([{"when (UTC)": h.at[:19].replace("T", " "), "by": h.by,
            "what": {"deadline.set": "set on the draft", "tender.published": "published",
                     "deadline.extended": "extended"}.get(h.action, h.action),
            "deadline (UTC)": h.deadline, "previous": h.previous or "", "reason": h.reason}
           for h in hist], "")
    if who is None or role != "chair" or v.state != "published" or not ahead:
        return
    with st.form("c.extend"):
        st.markdown("**Extend the bid deadline** (only before it passes; the reason is "
                    "recorded in the audit log and shown to every member)")
        new = deadline_inputs("c.ext", dt.datetime.fromisoformat(v.bid_deadline)
                              + dt.timedelta(days=7))
        reason = st.text_area("Reason of the extension", key="c.ext.reason")
        if st.form_submit_button("Extend the deadline"):
            act("Extending the bid deadline",
                lambda: opening.extend_deadline(store(), who, v.id, new, reason),
                f"The bid deadline is now {opening.stamp(new)} (UTC).")


def opening_section(who: Person | None, v: workflow.TenderView) -> None:
    """Who has signed the opening and what is awaited; the signing button for a designated
    opener (each signs in their own session: ``opening.sign_opening``)."""
    status = opening.opening_status(store(), v.id)
    st.markdown("**Opening of the bids (two designated openers, each in their own session)**")
    line = status.text()
    st.text(line[:1].upper() + line[1:] + ".")
    if v.state != "sealed" or who is None or who.name not in status.openers:
        return
    if status.first == who.name:
        st.caption("You signed. Another designated opener confirms in their own session.")
        return
    label = ("Sign the opening (first signature)" if status.first is None
             else f"Confirm the opening signed by {status.first} (second signature: the bids "
                  "open)")
    if st.button(label, key="c.sign", type="primary"):
        act("Signing the opening", lambda: opening.sign_opening(store(), who, v.id),
            "Your signature was recorded." if status.first is None
            else "The bids are opened.")


def next_step(who: Person, v: workflow.TenderView) -> None:
    """The next allowed step; the service says why when it refuses. The opening is not a step
    of the chair: it is signed by two openers (``opening_section``)."""
    nxt = v.next_state
    if nxt is None:
        st.info("The tender is awarded: its procedure is closed.")
        return
    if nxt == "opened":
        st.caption("The bids open when two designated openers have signed (above).")
        return
    kw: dict[str, object] = {}
    if nxt == "published":
        kw["deadline"] = deadline_inputs("c.dl")
    elif nxt == "sealed" and v.bid_deadline:
        st.caption(f"The bids can be sealed once the deadline ({v.bid_deadline} UTC) passed.")
    elif nxt == "evaluated":
        kw["today"] = st.date_input("Today", value=dt.date.today(), key="c.today")
    elif nxt == "awarded":
        kw["offer_id"] = st.selectbox("Award to", v.bidders, key="c.award.offer")
        kw["reason"] = st.text_area("Reason (needed when not the leader)", key="c.award.reason")
    if st.button(f"Move to the next step: {nxt}", key="c.next", type="primary"):
        act(f"Moving the tender to {nxt}",
            lambda: workflow.advance(store(), who, v.id, nxt, **kw),
            f"The tender is now {nxt}.")
