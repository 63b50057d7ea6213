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
from scoring.committee.report_scoring import common_offers, flag_words
from scoring.committee.stats import grid_levels
from scoring.errors import HostwiseError
from scoring.i18n import _
from scoring.models import Catalogue
from ui.components.committee import act, grids, level_text, store, table
from ui.components.fmt import score


def _level(x: float | None, grid: dict[int, str] | None) -> str:
    """A score or consensus as read: a grid level with its descriptor, else the number."""
    if x is None:
        return "-"
    if grid is not None and float(x).is_integer() and int(x) in grid:
        return level_text(int(x), grid[int(x)])
    return score(x)


def _scale(scale: str) -> str:
    """A scale in the reader's words: a grade's grid levels, SEAL levels or points."""
    levels = grid_levels(scale)
    if levels is not None:
        return _("grid {levels}").format(levels=", ".join(map(str, levels)))
    return _("levels 0-4") if scale == "0-4" else _("points 0-100")


def disagreements(who: Person, tid: int, state: str) -> None:
    p = panel.panel(store(), who, tid)
    gr = grids(tid)
    agg = _(p.aggregation)
    table([{_("bid"): it.offer_id, _("criterion"): it.question, _("scale"): _scale(it.scale),
            _("levels given"): "; ".join(_("{who}: {level}").format(who=k, level=f"{x:g}")
                                       for k, x in it.scores.items()),
            agg: it.aggregate, _("spread"): it.spread,
            _("flags"): "" if not it.flags else flag_words(it, p.aggregation),
            _("consensus"): _level(it.consensus, gr.get(it.question)),
            _("moderated by"): it.moderated_by, _("consensus reason"): it.reason}
           for it in p.items], _("No submitted sheet yet."))
    undefined = _("not defined: every evaluator gave every offer the same score, or fewer than "
                  "two evaluators or offers")  # W is 0/0 there (Kendall's ties correction)
    table([{_("criterion"): q, _("Kendall's W"): undefined if w is None else score(w)}
           for q, w in p.kendall_w.items()], "")
    st.caption(_("Kendall's W over the offers every evaluator scored ({offers}).").format(
        offers=", ".join(common_offers(p)) or "-"))
    todo = [it for it in p.items if it.flags and it.moderated is None]
    if not todo or state != "technical_evaluation":
        return
    labels = {f"{it.offer_id} / {it.question}": it for it in todo}
    pick = st.selectbox(_("Item flagged for moderation"), list(labels), key="c.mod.item")
    it = labels[pick]
    grid = gr.get(it.question)
    st.caption(_("Evaluators' justifications for {item}:").format(item=pick))
    table([{_("evaluator"): e, _("level given"): _level(x, grid),
            _("justification"): it.justifications.get(e, "")}
           for e, x in it.scores.items()], "")
    with st.form("c.moderate"):
        st.markdown("**" + _("Record a consensus score") + "**")
        value: float | None
        if grid is not None:
            lv = st.radio(_("Consensus level of the grid"), list(grid), index=None,
                          format_func=lambda x: level_text(x, grid[x]), key="c.mod.level")
            value = None if lv is None else float(lv)
        else:
            value = st.number_input(_("Consensus score"), 0.0, 100.0, None, key="c.mod.value",
                                    placeholder=_("Enter the consensus"))
        reason = st.text_area(_("Reason (written in the award report)"), key="c.mod.reason")
        if st.form_submit_button(_("Record the consensus")):
            if value is None:
                st.warning(_("Choose the consensus first."))
                return
            chosen = float(value)
            act(_("Recording the consensus"),
                lambda: panel.moderate(store(), who, tid, it.offer_id, it.question,
                                       chosen, reason),
                _("The consensus of {item} was recorded.").format(item=pick))


def _value_input(qid: str, key: str, cat: Catalogue) -> Any:
    """An input matching the question's type, starting empty: there is no default answer (a
    value starting at 0 once silently lowered an offer's total, issue 18). None until the
    chair enters one; the service refuses None and re-checks the value."""
    q = cat.question(qid)
    if q.type == "bool":
        return st.selectbox(_("Value"), [True, False], index=None, key=key,
                            placeholder=_("Choose what the reply says"),
                            format_func=lambda b: _("yes") if b else _("no"))
    if q.type == "level":
        level = st.number_input(_("Value (0-4)"), 0, 4, None, key=key,
                                placeholder=_("Enter 0-4"))
        return None if level is None else int(level)
    if q.type in ("number", "percent"):
        number = st.number_input(_("Value ({unit})").format(unit=q.unit) if q.unit
                                 else _("Value"), value=None, key=key,
                                 placeholder=_("Enter the value of the reply"))
        return None if number is None else float(number)
    if q.type == "enum":
        return st.selectbox(_("Value"), list(q.options or {}), index=None, key=key,
                            placeholder=_("Choose what the reply says"))
    typed = st.text_input(_("Value"), key=key)
    return typed.strip() or None


def _catalogue(tid: int) -> Catalogue:
    """The catalogue the tender's scenario names (its questions' types)."""
    with store().read() as s:
        return tender_catalogue(load_tender(s, tid))


def request_form(who: Person, tid: int) -> None:
    try:
        items = clarifications.candidates(store(), who, tid, budget_s=5.0)
    except HostwiseError as exc:
        st.caption(_("Clarification list unavailable:"))
        st.text(str(exc))
        return
    if not items:
        st.caption(_("The clarification list is empty: no unknown answer could move the "
                     "result."))
        return
    table([{_("bid"): i.offer, _("criterion"): i.question, _("now"): i.current,
            _("total range"): f"{score(i.total_range[0])} – {score(i.total_range[1])}",
            _("could change the winner"): _("yes") if i.changes_winner else _("no")}
           for i in items], "")
    labels = {f"{i.offer} / {i.question}": i for i in items}
    with st.form("c.clar.req"):
        st.markdown("**" + _("Write a clarification request to a bidder") + "**")
        pick = st.selectbox(_("Item of the clarification list"), list(labels), key="c.clar.item")
        text = st.text_area(_("Question to the bidder"), key="c.clar.text")
        due = st.date_input(_("Deadline"), value=dt.date.today() + dt.timedelta(days=7),
                            key="c.clar.due")
        if st.form_submit_button(_("Send the request")):
            it = labels[pick]
            act(_("Sending the clarification request"),
                lambda: clarifications.request(store(), who, tid, it.offer, it.question, text,
                                               due),
                _("Request about {item} recorded.").format(item=pick))


def _ranks(rank: dict[str, Any] | None) -> dict[str, str]:
    return {r["offer"]: f"{r['rank']} ({score(r['total'])})" if r.get("total") is not None
            else str(r["rank"]) for r in (rank or {}).get("results", [])}


def requests(who: Person, tid: int, state: str) -> None:
    reqs: list[Request] = clarifications.requests(store(), who, tid)
    table([{"#": r.id, _("bid"): r.offer_id, _("criterion"): r.question, _("request"): r.text,
            _("deadline"): r.deadline, _("reply"): r.reply_text or "",
            _("value"): r.reply_value, _("received on"): r.received_on} for r in reqs],
          _("No clarification request yet."))
    for r in reqs:
        if r.rank_after is not None:
            before, after = _ranks(r.rank_before), _ranks(r.rank_after)
            st.caption(_("Ranking before and after the reply to request #{id}:").format(id=r.id))
            table([{_("bid"): o, _("rank before"): before.get(o, ""),
                    _("rank after"): after.get(o, "")}
                   for o in sorted(set(before) | set(after))], "")
    open_ = [r for r in reqs if r.received_on is None]
    if not open_ or state != "clarification":
        return
    by = {f"#{r.id} {r.offer_id} / {r.question}": r for r in open_}
    pick = st.selectbox(_("Request answered"), list(by), key="c.rep.pick")
    r = by[pick]
    with st.form("c.reply"):
        st.markdown("**" + _("Record the bidder's written reply") + "**")
        text = st.text_area(_("Reply as written"), key="c.rep.text")
        value = _value_input(r.question, f"c.rep.value.{r.id}", _catalogue(tid))
        on = st.date_input(_("Received on"), value=dt.date.today(), key="c.rep.on")
        checked = st.form_submit_button(_("Check the effect of this reply"))
    key = f"hw.c.rep.effect.{r.id}"
    if checked:
        try:
            st.session_state[key] = (value, clarifications.preview_reply(store(), who, tid,
                                                                         r.id, value))
        except HostwiseError as exc:
            st.session_state.pop(key, None)
            st.error(_("The reply cannot be recorded:"))
            st.text(str(exc))
    seen = st.session_state.get(key)
    if seen is None or seen[0] != value:
        st.caption(_("Check the effect first: the offer's total and rank before and after "
                     "the value entered are shown, then you confirm."))
        return
    effect: clarifications.Effect = seen[1]
    st.warning(_("Recording this reply changes {effect}.").format(effect=effect.text()))
    if st.button(_("Confirm and record the reply to request #{id}").format(id=r.id),
                 key="c.rep.confirm",
                 type="primary"):
        def record() -> None:
            clarifications.record_reply(store(), who, tid, r.id, text, value, on)
            st.session_state.pop(key, None)
        act(_("Recording the reply"), record,
            _("Reply to request #{id} recorded.").format(id=r.id))
