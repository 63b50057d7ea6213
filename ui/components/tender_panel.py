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

from scoring.committee import Person, authoring, bids, membership, opening, workflow
from scoring.committee.access import ROLES
from scoring.errors import HostwiseError
from scoring.i18n import _, ngettext
from ui import state
from ui.components.bid_documents import recorder
from ui.components.committee import act, role_word, select_tender, state_word, store, table
from ui.components.tender_author import located


def auditor_help() -> str:
    return _("An auditor reads everything (the log, the panel, the report) and acts on "
             "nothing.")
DEFAULT_QUESTIONS = ("sov.sov1_strategic", "sov.sov2_legal")


def scorable_questions() -> dict[str, str]:
    """Questions of the working scenario's catalogue evaluators can score (levels 0-4,
    numbers and percents 0-100, grades on their grid)."""
    return {q.id: f"{q.id}: {q.requirement}" for q in state.catalogue().questions
            if q.type in workflow.SCALES or q.type == "grade"}


def create_form(who: Person) -> None:
    """Three ways to start a draft: the working scenario (its bundled catalogue, as before), a
    bundled catalogue (the tender then owns a copy of it, with that catalogue's bundled
    scenario as starting weights, gates and lots), or the buyer's criteria workbook."""
    modes = {"scenario": _("From the working scenario"),
             "catalogue": _("From a bundled catalogue"),
             "workbook": _("From a criteria workbook (Excel)")}
    mode = st.radio(_("Start from"), list(modes), format_func=modes.__getitem__,
                    horizontal=True, key="c.new.mode")
    if mode == "catalogue":
        _from_catalogue(who)
    elif mode == "workbook":
        _from_workbook(who)
    else:
        _from_scenario(who)


def _aggregation() -> str:
    return str(st.radio(_("Aggregation of the evaluators' scores"), workflow.AGGREGATIONS,
                        horizontal=True, key="c.new.agg",
                        format_func=lambda a: {"median": _("median"),
                                               "mean": _("mean")}.get(a, a)))


def _from_scenario(who: Person) -> None:
    w = state.working()
    qs = scorable_questions()
    with st.form("c.create"):
        st.markdown(_("**Create a tender from the working scenario**"))
        st.text(_("Working scenario: {title}").format(title=w.title))
        title = st.text_input(_("Tender title"), value=w.title, key="c.new.title")
        picked = st.multiselect(_("Questions the evaluators score"), list(qs),
                                default=[q for q in DEFAULT_QUESTIONS if q in qs],
                                format_func=lambda q: qs.get(q, q), key="c.new.q")
        agg = _aggregation()
        if st.form_submit_button(_("Create the tender (you become its chair)")):
            tid = act(_("Creating the tender"), lambda: _create(who, title, w.doc, picked, agg),
                      _("The tender was created as a draft; you are its chair."))
            if tid is not None:
                select_tender(tid)


def _from_catalogue(who: Person) -> None:
    cats = authoring.bundled_catalogues()
    cid = st.selectbox(_("Bundled catalogue"), cats, key="c.new.cat",
                       index=cats.index("ght-dpi") if "ght-dpi" in cats else 0)
    scenarios = authoring.bundled_scenarios(str(cid))
    with st.form("c.create.cat"):
        st.markdown(_("**Create a tender from the catalogue {c}** (the tender owns a copy you "
                      "can edit)").format(c=cid))
        sid = st.selectbox(_("Starting weights, gates and lots from the bundled scenario"),
                           scenarios, key="c.new.cat.sc") if scenarios else None
        title = st.text_input(_("Tender title"), key="c.new.cat.title")
        agg = _aggregation()
        if st.form_submit_button(_("Create the tender (you become its chair)")):
            def go() -> int:
                tid = authoring.create_from_catalogue(
                    store(), who, title or str(cid), str(cid), sid, agg)
                select_tender(tid)
                return tid
            act(_("Creating the tender"), go,
                _("The tender was created as a draft; you are its chair."))


_K_UPLOADS = "hw.c.new.wb.n"


def _from_workbook(who: Person) -> None:
    """Upload, every problem of the workbook located at once, then create (a workbook whose
    catalogue breaks a rule still makes a draft, fixed in the editor; one that cannot be read
    makes none)."""
    n = int(st.session_state.get(_K_UPLOADS, 0))  # a new key after each draft: emptied
    up = st.file_uploader(_("Criteria workbook (.xlsx)"), type=["xlsx"], key=f"c.new.wb.{n}")
    if up is None:
        st.caption(_("The sheets Criteria and Catalogue, as `hostwise catalogue workbook` "
                     "writes them (docs/catalogue.md); the weight column becomes the draft's "
                     "weights."))
        return
    if up.size > authoring.MAX_BYTES:  # before reading it
        st.error(_("The file is larger than {n} bytes.").format(n=f"{authoring.MAX_BYTES:,}"))
        return
    data = up.getvalue()
    rd = authoring.read_workbook(data, up.name)
    if rd.problems:
        n = len(rd.problems)
        st.error(ngettext("{n} problem in the workbook:", "{n} problems in the workbook:",
                          n).format(n=n))
        located(rd.problems)
    if rd.doc is None:
        st.caption(_("Nothing can be created from this file: fix it and upload it again."))
        return
    if rd.problems:
        st.caption(_("You can create the draft and fix these problems in its editor; it "
                     "cannot be published before."))
    else:
        st.success(_("The workbook reads as a valid catalogue."))
    with st.form("c.create.wb"):
        title = st.text_input(_("Tender title"), value=str(rd.doc.get("title") or ""),
                              key="c.new.wb.title")
        agg = _aggregation()
        if st.form_submit_button(_("Create the tender (you become its chair)")):
            def go() -> int:
                tid = authoring.create_from_workbook(store(), who, title, data, up.name, agg)
                select_tender(tid)
                st.session_state[_K_UPLOADS] = n + 1
                return tid
            act(_("Creating the tender"), go,
                _("The tender was created as a draft; you are its chair."))


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
        st.warning(_("This tender changed since you loaded it (version {a} → {b}).").format(
            a=loaded, b=v.version))
        if st.button(_("Reload the tender"), key="c.reload"):
            st.session_state[key] = v.version
            st.rerun()
    with st.form("c.draft"):
        title = st.text_input(_("Title"), value=v.title, key="c.draft.title")
        if st.form_submit_button(_("Save the draft")):
            def save() -> int:
                new = workflow.update_draft(store(), who, v.id, loaded, title=title)
                st.session_state[key] = new
                return new
            act(_("Saving the draft"), save, _("The draft was saved."))


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
    invite = who.subject is not None  # logged in: by e-mail; local mode: by name
    k = "c.i" if invite else "c.m"
    with st.form("c.invite" if invite else "c.member"):
        st.markdown(_("**Invite a member by e-mail** (bound to their log-in the first time they "
                      "log in with this verified address)") if invite
                    else _("**Designate a member**"))
        c1, c2, c3 = st.columns([3, 2, 2])
        key = c1.text_input(_("E-mail") if invite else _("Name"),
                            key=f"{k}.email" if invite else f"{k}.name")
        role = c2.selectbox(_("Role"), ROLES, index=1, key=f"{k}.role",
                            format_func=role_word, help=auditor_help())
        opener = c3.checkbox(_("May open the bids"), key=f"{k}.opener")
        if st.form_submit_button(_("Invite") if invite else _("Designate")):
            def add() -> None:
                if invite:
                    membership.invite(store(), who, v.id, key, role, opener)
                else:
                    workflow.add_member(store(), who, v.id, key, role, opener)
                st.session_state[_K_MEMBER_RESET] = True
            done = (_("{who} was invited as {role}.").format(who=key.strip(),
                                                              role=role_word(role)) if invite
                    else (_("{name} was designated {role}, may open the bids.") if opener
                          else _("{name} was designated {role}.")).format(
                        name=key, role=role_word(role)))
            act(_("Inviting a member") if invite else _("Designating a member"), add, done)


def bids_form(who: Person, v: workflow.TenderView) -> None:
    """Record bids received by the bid desk: offers of the working scenario. Shown only to
    whom the service accepts as the bid desk (``bid_documents.recorder``); others read who
    records bids."""
    by = recorder(who, v.id)
    if by is None:
        st.info(_("Bids and their documents are recorded by a chair of the tender, logged in, "
                  "or by the server's operator on the command line (hostwise bid attach); "
                  "each record names who recorded it and for which bidder."))
        return
    try:
        offers = {o.offer_id: o for o in state.evaluation().offers}
    except HostwiseError as exc:
        st.error(_("The working scenario's offers could not be read:"))
        st.text(str(exc))
        return
    todo = [o for o in offers if o not in v.bidders]
    with st.form("c.bids"):
        st.markdown(_("**Record received bids** (offers of the working scenario, received "
                      "by the bid desk; stored sealed with their SHA-256)"))
        picked = st.multiselect(_("Bids"), todo, key="c.bids.pick")
        if st.form_submit_button(_("Record the bids")):
            def rec() -> None:
                for o in picked:
                    bids.submit_bid(store(), by, v.id, offers[o])
            act(_("Recording the bids"), rec,
                ngettext("{n} bid recorded, sealed.", "{n} bids recorded, sealed.",
                         len(picked)).format(n=len(picked)))


def _utc(day: dt.date, at: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, at, tzinfo=dt.UTC)


def deadline_inputs(prefix: str, start: dt.datetime | None = None) -> dt.datetime:
    """A date and a time, in UTC (stated: a deadline must mean the same for every bidder)."""
    start = start or dt.datetime.now(dt.UTC).replace(hour=12, minute=0, second=0,
                                                     microsecond=0) + dt.timedelta(days=14)
    c1, c2 = st.columns(2)
    day = c1.date_input(_("Bid deadline: date (UTC)"), value=start.date(),
                        key=f"{prefix}.day")
    at = c2.time_input(_("Bid deadline: time (UTC)"), value=start.time(),
                       key=f"{prefix}.time")
    return _utc(day, at)


def deadline_section(who: Person | None, v: workflow.TenderView, role: str | None) -> None:
    """The deadline and every change to it, for everyone; the extension form for a chair
    while it is still ahead (the service checks it all again)."""
    st.markdown(_("**Bid deadline**"))
    if v.bid_deadline is None:
        st.caption(_("No bid deadline yet: the chair sets it when publishing the tender."))
        return
    ahead = dt.datetime.fromisoformat(v.bid_deadline) > dt.datetime.now(dt.UTC)
    st.text((_("Bids are received until {when} (UTC): still ahead.") if ahead
             else _("Bids are received until {when} (UTC): passed.")).format(
                 when=v.bid_deadline))
    hist = opening.deadline_history(store(), v.id)
    what = {"deadline.set": _("set on the draft"), "tender.published": _("published"),
            "deadline.extended": _("extended")}
    table([{_("when (UTC)"): h.at[:19].replace("T", " "), _("by"): h.by,
            _("what"): what.get(h.action, h.action),
            _("deadline (UTC)"): h.deadline, _("previous"): h.previous or "",
            _("reason"): h.reason} for h in hist], "")
    if who is None or role != "chair" or v.state != "published" or not ahead:
        return
    with st.form("c.extend"):
        st.markdown(_("**Extend the bid deadline** (only before it passes; the reason is "
                      "recorded in the audit log and shown to every member)"))
        new = deadline_inputs("c.ext", dt.datetime.fromisoformat(v.bid_deadline)
                              + dt.timedelta(days=7))
        reason = st.text_area(_("Reason of the extension"), key="c.ext.reason")
        if st.form_submit_button(_("Extend the deadline")):
            act(_("Extending the bid deadline"),
                lambda: opening.extend_deadline(store(), who, v.id, new, reason),
                _("The bid deadline is now {when} (UTC).").format(when=opening.stamp(new)))


def opening_section(who: Person | None, v: workflow.TenderView) -> None:
    """Who has signed the opening and what is awaited; the signing button for a designated
    opener (each signs in their own session: ``opening.sign_opening``)."""
    status = opening.opening_status(store(), v.id)
    st.markdown(_("**Opening of the bids (two designated openers, each in their own "
                  "session)**"))
    line = status.text()
    st.text(line[:1].upper() + line[1:] + ".")
    if v.state != "sealed" or who is None or who.name not in status.openers:
        return
    if status.first == who.name:
        st.caption(_("You signed. Another designated opener confirms in their own session."))
        return
    label = (_("Sign the opening (first signature)") if status.first is None
             else _("Confirm the opening signed by {who} (second signature: the bids "
                    "open)").format(who=status.first))
    if st.button(label, key="c.sign", type="primary"):
        act(_("Signing the opening"), lambda: opening.sign_opening(store(), who, v.id),
            _("Your signature was recorded.") if status.first is None
            else _("The bids are opened."))


def next_step(who: Person, v: workflow.TenderView) -> None:
    """The next allowed step; the service says why when it refuses. The opening is not a step
    of the chair: it is signed by two openers (``opening_section``)."""
    nxt = v.next_state
    if nxt is None:
        st.info(_("The tender is awarded: its procedure is closed."))
        return
    if nxt == "opened":
        st.caption(_("The bids open when two designated openers have signed (above)."))
        return
    kw: dict[str, object] = {}
    if nxt == "published":
        kw["deadline"] = deadline_inputs("c.dl")
    elif nxt == "sealed" and v.bid_deadline:
        st.caption(_("The bids can be sealed once the deadline ({when} UTC) passed.").format(
            when=v.bid_deadline))
    elif nxt == "evaluated":
        kw["today"] = st.date_input(_("Today"), value=dt.date.today(), key="c.today")
    elif nxt == "awarded":
        kw["offer_id"] = st.selectbox(_("Award to"), v.bidders, key="c.award.offer")
        kw["reason"] = st.text_area(_("Reason (needed when not the leader)"),
                                     key="c.award.reason")
    if st.button(_("Move to the next step: {step}").format(step=state_word(nxt)), key="c.next",
                 type="primary"):
        act(_("Moving the tender to {step}").format(step=state_word(nxt)),
            lambda: workflow.advance(store(), who, v.id, nxt, **kw),
            _("The tender is now {step}.").format(step=state_word(nxt)))
