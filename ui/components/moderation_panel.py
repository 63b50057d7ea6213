"""The Moderation page's sections (chair): disagreements with spread and Kendall's W, the
moderated consensus and its reason (``panel.moderate``), written clarification requests picked
from the clarification list and their replies (``clarifications``), and the ranking before and
after each reply.

Why Kendall's W is shown next to the spread: the spread flags one item, W says whether the
evaluators rank the bids alike at all on a question (Kendall & Babington Smith 1939).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from scoring.committee import Person, clarifications, panel
from scoring.committee.access import load_tender
from scoring.committee.clarifications import Request
from scoring.committee.evaluation import tender_catalogue
from scoring.errors import HostwiseError
from scoring.models import Catalogue
from ui.components.committee import act, store, table
from ui.components.fmt import score


def disagreements(who: Person, tid: int, state: str) -> None:
    p = panel.panel(store(), who, tid)
    table([{"bid": it.offer_id, "question": it.question, "scale": it.scale,
            "scores": ", ".join(f"{k}: {x:g}" for k, x in it.scores.items()),
            p.aggregation: it.aggregate, "spread": it.spread, "flags": "; ".join(it.flags),
            "consensus": it.consensus, "consensus reason": it.reason}
           for it in p.items], "No submitted sheet yet.")
    table([{"question": q, "Kendall's W": w} for q, w in p.kendall_w.items()], "")
    for n in p.notes:
        st.caption(n)
    todo = [it for it in p.items if it.flags and it.moderated is None]
    if not todo or state != "technical_evaluation":
        return
    labels = {f"{it.offer_id} / {it.question}": it for it in todo}
    with st.form("c.moderate"):
        st.markdown("**Record a consensus score**")
        pick = st.selectbox("Item flagged for moderation", list(labels), key="c.mod.item")
        value = st.number_input("Consensus score", 0, 100, 0, key="c.mod.value")
        reason = st.text_area("Reason (written in the award report)", key="c.mod.reason")
        if st.form_submit_button("Record the consensus"):
            it = labels[pick]
            act("Recording the consensus",
                lambda: panel.moderate(store(), who, tid, it.offer_id, it.question,
                                       float(value), reason),
                f"The consensus of {pick} was recorded.")


def _value_input(qid: str, key: str, cat: Catalogue) -> Any:
    """An input matching the question's type, starting empty: there is no default answer (a
    value starting at 0 once silently lowered an offer's total, issue 18). None until the
    chair enters one; the service refuses None and re-checks the value."""
    q = cat.question(qid)
    if q.type == "bool":
        return st.selectbox("Value", [True, False], index=None, key=key,
                            placeholder="Choose what the reply says",
                            format_func=lambda b: "yes" if b else "no")
    if q.type == "level":
        level = st.number_input("Value (0-4)", 0, 4, None, key=key, placeholder="Enter 0-4")
        return None if level is None else int(level)
    if q.type in ("number", "percent"):
        number = st.number_input(f"Value{f' ({q.unit})' if q.unit else ''}", value=None,
                                 key=key, placeholder="Enter the value of the reply")
        return None if number is None else float(number)
    if q.type == "enum":
        return st.selectbox("Value", list(q.options or {}), index=None, key=key,
                            placeholder="Choose what the reply says")
    typed = st.text_input("Value", key=key)
    return typed.strip() or None


def _catalogue(tid: int) -> Catalogue:
    """The catalogue the tender's scenario names (its questions' types)."""
    with store().read() as s:
        return tender_catalogue(load_tender(s, tid))


def request_form(who: Person, tid: int) -> None:
    try:
        items = clarifications.candidates(store(), who, tid, budget_s=5.0)
    except HostwiseError as exc:
        st.caption(f"Clarification list unavailable: {exc}")
        return
    if not items:
        st.caption("The clarification list is empty: no unknown answer could move the result.")
        return
    table([{"bid": i.offer, "question": i.question, "now": i.current,
            "total range": f"{score(i.total_range[0])} – {score(i.total_range[1])}",
            "could change the winner": i.changes_winner} for i in items], "")
    labels = {f"{i.offer} / {i.question}": i for i in items}
    with st.form("c.clar.req"):
        st.markdown("**Write a clarification request to a bidder**")
        pick = st.selectbox("Item of the clarification list", list(labels), key="c.clar.item")
        text = st.text_area("Question to the bidder", key="c.clar.text")
        due = st.date_input("Deadline", value=dt.date.today() + dt.timedelta(days=7),
                            key="c.clar.due")
        if st.form_submit_button("Send the request"):
            it = labels[pick]
            act("Sending the clarification request",
                lambda: clarifications.request(store(), who, tid, it.offer, it.question, text,
                                               due),
                f"Request about {pick} recorded.")


def _ranks(rank: dict[str, Any] | None) -> dict[str, str]:
    return {r["offer"]: f"{r['rank']} ({score(r['total'])})" if r.get("total") is not None
            else str(r["rank"]) for r in (rank or {}).get("results", [])}


def requests(who: Person, tid: int, state: str) -> None:
    reqs: list[Request] = clarifications.requests(store(), who, tid)
    table([{"#": r.id, "bid": r.offer_id, "question": r.question, "request": r.text,
            "deadline": r.deadline, "reply": r.reply_text or "", "value": r.reply_value,
            "received on": r.received_on} for r in reqs], "No clarification request yet.")
    for r in reqs:
        if r.rank_after is not None:
            before, after = _ranks(r.rank_before), _ranks(r.rank_after)
            st.caption(f"Ranking before and after the reply to request #{r.id}:")
            table([{"bid": o, "rank before": before.get(o, ""), "rank after": after.get(o, "")}
                   for o in sorted(set(before) | set(after))], "")
    open_ = [r for r in reqs if r.received_on is None]
    if not open_ or state != "clarification":
        return
    by = {f"#{r.id} {r.offer_id} / {r.question}": r for r in open_}
    pick = st.selectbox("Request answered", list(by), key="c.rep.pick")
    r = by[pick]
    with st.form("c.reply"):
        st.markdown("**Record the bidder's written reply**")
        text = st.text_area("Reply as written", key="c.rep.text")
        value = _value_input(r.question, f"c.rep.value.{r.id}", _catalogue(tid))
        on = st.date_input("Received on", value=dt.date.today(), key="c.rep.on")
        checked = st.form_submit_button("Check the effect of this reply")
    key = f"hw.c.rep.effect.{r.id}"
    if checked:
        try:
            st.session_state[key] = (value, clarifications.preview_reply(store(), who, tid,
                                                                         r.id, value))
        except HostwiseError as exc:
            st.session_state.pop(key, None)
            st.error(f"The reply cannot be recorded: {exc}")
    seen = st.session_state.get(key)
    if seen is None or seen[0] != value:
        st.caption("Check the effect first: the offer's total and rank before and after the "
                   "value entered are shown, then you confirm.")
        return
    effect: clarifications.Effect = seen[1]
    st.warning(f"Recording this reply changes {effect.text()}.")
    if st.button(f"Confirm and record the reply to request #{r.id}", key="c.rep.confirm",
                 type="primary"):
        def record() -> None:
            clarifications.record_reply(store(), who, tid, r.id, text, value, on)
            st.session_state.pop(key, None)
        act("Recording the reply", record, f"Reply to request #{r.id} recorded.")
