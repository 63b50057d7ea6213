"""What the committee pages share: who is acting, the database, the tender in hand, and how a
refused request reaches the screen.

Identity (issues 13, 18): when ``st.secrets`` configures OIDC (an ``[auth]`` section),
``st.login`` vouches for the person (issuer + subject, verified e-mail; ``Person.authenticated``
is True), who sees only the tenders they are a member of; otherwise a local mode where the user
types a name, shown everywhere as "(not authenticated)" (``Person.label``), which a shared
server (PostgreSQL, or ``HOSTWISE_REQUIRE_LOGIN=1``) refuses outright. The database is the
committee store (``scoring.committee.Store``: embedded SQLite, or ``HOSTWISE_DB_URL``), one per
process and URL. The pages hold no rule: every check (role, state, conflict, version) is in the
services, whose ``HostwiseError`` is shown in plain words, never as a stack trace.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from scoring.committee import Person, Store, default_url, membership, workflow
from scoring.committee.access import ROLES, STATE_LABELS, STATES, declarations, load_tender
from scoring.committee.evaluation import tender_catalogue
from scoring.committee.identity import from_claims
from scoring.committee.stats import grid_levels
from scoring.errors import HostwiseError
from scoring.i18n import N_, _
from scoring.io.catalogue_text import label as catalogue_label
from scoring.scenario.model import demo_label
from ui.components.safe import literal, safe_frame

K_PERSON, K_TENDER, K_NOTICE = "hw.c.person", "hw.c.tender", "hw.c.notice"
_W_NAME, _W_TENDER = "c.name", "c.tender"


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store(url)


def store() -> Store:
    """The committee database of this process (migrated on first use)."""
    return _store(default_url())


def _oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: local mode
        return False


def login_required() -> bool:
    """A shared server (``membership.login_required``): only a log-in may act."""
    return membership.login_required(default_url(), os.environ)


def person() -> Person | None:
    """The person acting: from the OIDC log-in when ``[auth]`` is configured, else the name
    typed in the sidebar (local mode). On a shared server without ``[auth]`` the page says
    that an administrator must configure an identity provider, and stops: no typed name is
    ever accepted there."""
    if _oidc_configured():
        return _logged_in()
    if login_required():
        st.error(_("This committee workspace is shared (a PostgreSQL database or {var}=1), so "
                   "only a log-in with an identity provider may act here, and none is "
                   "configured. An administrator must configure one (an [auth] section in "
                   ".streamlit/secrets.toml: see the README, \"Shared server\"). Nothing can "
                   "be done until then.").format(var=membership.REQUIRE_LOGIN))
        st.stop()
    st.session_state.setdefault(_W_NAME, st.session_state.get(K_PERSON, ""))

    def _keep() -> None:
        st.session_state[K_PERSON] = st.session_state[_W_NAME].strip()

    st.sidebar.text_input(_("Your name (local mode: not authenticated)"), key=_W_NAME,
                          on_change=_keep, help=_("No identity provider is configured, so "
                                                  "everything you do is recorded as stated "
                                                  "by you, labelled 'not authenticated'."))
    name = st.session_state.get(K_PERSON, "").strip()
    if not name:
        return None
    try:
        return Person(name)
    except HostwiseError as exc:
        st.sidebar.error(str(exc))
        return None


def _logged_in() -> Person | None:
    """The logged-in person (``identity.from_claims``: issuer + subject, verified e-mail),
    their pending invitations bound on the way (``membership.bind``); None with a log-in
    button when nobody is logged in. A cookie Streamlit cannot verify reads as logged out."""
    user = st.user
    if user.get("is_logged_in") is not True:
        st.sidebar.button(_("Log in"), on_click=st.login, key="c.login", type="primary")
        return None
    try:
        who = from_claims(user.to_dict())
    except HostwiseError as exc:
        st.sidebar.error(str(exc))
        st.sidebar.button(_("Log out"), on_click=st.logout, key="c.logout")
        return None
    st.sidebar.text(_("Logged in as {who}").format(who=shown(who)))
    st.sidebar.button(_("Log out"), on_click=st.logout, key="c.logout")
    try:
        for tid in membership.bind(store(), who):
            st.session_state[K_NOTICE] = _("Your invitation to tender #{id} is now bound "
                                           "to this log-in.").format(id=tid)
    except HostwiseError as exc:
        st.sidebar.error(_("Your invitations could not be bound: {why}").format(why=exc))
    return who


def shown(who: Person) -> str:
    """``Person.label`` in the reader's language (the label itself stays the log's words)."""
    if not who.authenticated:
        return _("{name} (not authenticated)").format(name=who.name)
    return who.label


def act(what: str, fn: Callable[[], Any], done: str = "") -> Any:
    """Run one service call; a refusal is shown in plain words and the page goes on. On
    success the confirmation is kept for the next run and the page reruns."""
    try:
        out = fn()
    except HostwiseError as exc:
        st.error(_("{what} was refused: {why}").format(what=what, why=exc))
        return None
    st.session_state[K_NOTICE] = done or _("{what}: done.").format(what=what)
    st.rerun()
    return out


def notice() -> None:
    msg = st.session_state.pop(K_NOTICE, None)
    if msg:
        st.success(msg)


def start(intro: str) -> tuple[Person | None, int | None]:
    """What the page is for, identity, notice and the tender picker (sidebar); the title is
    drawn by ``app.py``. With a log-in the picker lists only the person's own tenders and the
    person is returned as they act in the picked one (``membership.acting``); nobody logged
    in sees no tender at all."""
    st.caption(intro)
    who = person()
    if who is None and _oidc_configured():
        st.info(_("Log in (sidebar) to see and work on your tenders."))
        st.stop()
    if who is None:
        st.info(_("State your name in the sidebar (or log in) to work on a tender."))
    else:
        st.text(_("Acting as {who} · database: {db}").format(
            who=shown(who),
            db=_("PostgreSQL (shared)") if store().dialect == "postgresql" else "SQLite"))
    notice()
    tid = pick_tender(who)
    if who is not None and tid is not None:
        who = membership.acting(store(), who, tid)
    if tid is not None:
        _demo_banner(tid)
    return who, tid


def _demo_banner(tid: int) -> None:
    """A tender made from a demonstration scenario (``demo:``, fictional vendors) says so on
    every committee page, as its award report does."""
    try:
        with store().read() as s:
            demo = json.loads(load_tender(s, tid).scenario_json or "{}").get("demo")
    except HostwiseError:
        return  # the page itself reports an unreadable tender
    if isinstance(demo, dict):
        st.warning(demo_label(), icon=":material/science:")
        st.text(" ".join(str(demo.get("reason", "")).split()))


def member_view(who: Person, tid: int, roles: tuple[str, ...], refusal: str) -> tuple[Any, str]:
    """The tender as this member may see it and their role; stops the page (with ``refusal``)
    for anyone whose role is not in ``roles``. The services check the role again."""
    try:
        v = workflow.view(store(), tid)
        role = role_of(who, tid)
    except HostwiseError as exc:
        st.error(_("The tender could not be read: {why}").format(why=exc))
        st.stop()
    st.caption(_("Tender #{id} · {state} · your role: {role}").format(
        id=v.id, state=state_label(v.state),
        role=role_word(role) if role else _("not a member")))
    if role not in roles:
        st.info(refusal)
        st.stop()
    return v, str(role)


def pick_tender(who: Person | None = None) -> int | None:
    """The tender in hand, among those the person may see (``membership.visible_tenders``)."""
    try:
        tenders = membership.visible_tenders(store(), who)
    except HostwiseError as exc:
        st.error(_("The committee database could not be read: {why}").format(why=exc))
        return None
    if not tenders:
        return None
    ids = [t[0] for t in tenders]
    labels = {t[0]: f"#{t[0]} {t[1]} ({t[2]})" for t in tenders}
    keep = st.session_state.get(K_TENDER)
    st.session_state[_W_TENDER] = keep if keep in ids else ids[-1]

    def _keep() -> None:
        st.session_state[K_TENDER] = st.session_state[_W_TENDER]

    st.sidebar.selectbox(_("Tender"), ids, key=_W_TENDER, on_change=_keep,
                         format_func=lambda i: labels.get(i, str(i)))
    st.session_state[K_TENDER] = st.session_state[_W_TENDER]
    return int(st.session_state[_W_TENDER])


def select_tender(tid: int) -> None:
    st.session_state[K_TENDER] = tid


def role_of(who: Person | None, tid: int) -> str | None:
    return membership.role(store(), who, tid)


def published_questions(tid: int) -> dict[str, str]:
    """question id -> scale, as published (empty before publication)."""
    with store().read() as s:
        pub = json.loads(load_tender(s, tid).published_canonical or "{}")
    return {q["id"]: q["scale"] for q in pub.get("questions", [])}


def grids(tid: int) -> dict[str, dict[int, str]]:
    """grade question id -> level -> its descriptor in the reader's language
    (``catalogue_text.label``): what an evaluator scores against and the chair moderates on
    (docs/catalogue.md, "grade"). Empty for a tender without grade questions."""
    with store().read() as s:
        cat = tender_catalogue(load_tender(s, tid))
    out: dict[str, dict[int, str]] = {}
    for qid, scale in published_questions(tid).items():
        levels = grid_levels(scale)
        if levels is not None:
            out[qid] = {lv: catalogue_label(cat, "grid", qid, lv) for lv in levels}
    return out


def question_texts(tid: int) -> dict[str, str]:
    """Published question id -> its text in the reader's language (the catalogue's ``help``,
    ``catalogue_text.label``): what the criterion asks, shown beside the grid."""
    with store().read() as s:
        cat = tender_catalogue(load_tender(s, tid))
    out = {}
    for qid in published_questions(tid):
        try:
            out[qid] = catalogue_label(cat, "question", qid)
        except (KeyError, ValueError):
            continue
    return out


def level_text(level: int, descriptor: str) -> str:
    """A grid level as the evaluator reads it: ``3 — satisfying``. Radio options render
    Markdown, so the descriptor (possibly from an uploaded workbook) is escaped (``literal``)."""
    return f"{level} — {literal(descriptor)}"


def my_declarations(who: Person, tid: int) -> dict[str, tuple[bool, str]]:
    with store().read() as s:
        t = load_tender(s, tid)
        return {o: (d.conflict, d.note) for o, d in declarations(s, t, who.name).items()}


STATE_WORDS = {"draft": N_("draft"), "published": N_("published"), "sealed": N_("sealed"),
               "opened": N_("opened"), "technical_evaluation": N_("technical evaluation"),
               "clarification": N_("clarification"), "evaluated": N_("evaluated"),
               "awarded": N_("awarded")}


def state_word(state: str) -> str:
    """A state in one or two words, in the reader's language (the lifecycle line, buttons
    and notices); ``state_label`` says what the state allows."""
    return _(STATE_WORDS[state]) if state in STATE_WORDS else state


def states_line(state: str) -> str:
    """The lifecycle in the reader's words, the current state in bold (the words are ours,
    never outside text, so Markdown is safe here)."""
    return " → ".join(f"**{state_word(s)}**" if s == state else state_word(s) for s in STATES)


def state_label(state: str) -> str:
    """A state in words of the reader's language."""
    return _(STATE_LABELS[state]) if state in STATE_LABELS else state


def role_word(role: str) -> str:
    """A member's role in words of the reader's language (``access.ROLES`` are marked)."""
    return _(role) if role in ROLES else role


def roster_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``membership.roster`` in the reader's words: role, opener, and how each member acts."""
    def identity(m: dict[str, Any]) -> str:
        if m["identity"] == "local":
            return _("local mode (typed name, not authenticated)")
        if m["identity"] == "invited":
            return _("invited: waiting for the first log-in")
        return _("log-in {subject} at {issuer}").format(subject=m["subject"], issuer=m["issuer"])
    return [{_("member"): m["member"], _("role"): role_word(str(m["role"])),
             _("may open bids"): bool(m["opener"]), _("identity"): identity(m)} for m in rows]


def table(rows: list[dict[str, Any]], empty: str) -> None:
    """Rows as a safe dataframe (bidder and member text is never rendered as Markdown)."""
    if not rows:
        st.caption(empty)
        return
    st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch")
