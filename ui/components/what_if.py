"""The clarification list with "what if": set an unknown answer to a value it could take, see the
ranking the engine gives then, undo.

The list is ``scoring.robustness.clarify.clarify`` (the CLI's ``hostwise clarify``); the new
ranking is ``scoring.engine.evaluate`` on the offers with ``with_answer`` applied, exactly as
the clarification list itself re-scores an answer. The what-if answers stay on this page: the
working scenario and its offers are not changed (a committee asks; the bidder answers).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from scoring.engine import Evaluation
from scoring.i18n import _, format_number
from scoring.robustness.clarify import ClarificationItem
from ui.components import robustness_analyses as rb
from ui.components.fmt import DASH, answer_value, rank_span, score, signed, span
from ui.components.glossary import helptext
from ui.components.safe import safe_frame

K_WHATIF = "hw.b.whatif"  # evaluation hash -> list of (offer, question, value)
SHOWN = 30


def _answers(ev: Evaluation) -> list[rb.WhatIf]:
    store: dict[str, list[rb.WhatIf]] = st.session_state.setdefault(K_WHATIF, {})
    return store.setdefault(ev.hash, [])


def _value(v: Any) -> str:
    return answer_value(v)


def clarify_frame(items: tuple[ClarificationItem, ...]) -> pd.DataFrame:
    return pd.DataFrame({
        _("offer"): [it.offer for it in items],
        _("question"): [it.question for it in items],
        _("could be"): [" / ".join(_value(v) for v in it.could_be) for it in items],
        _("offer total"): [span(it.total_range) for it in items],
        _("offer rank"): [rank_span(it.rank_range) + (_(" or excluded") if it.excluded_at_an_end
                                                      else "") for it in items],
        _("changes the winner"): [_("yes: {winner} (if {value})").format(
            winner=it.new_winner, value=_value(it.set_to))
            if it.changes_winner else _("no") for it in items],
    })


def compare_frame(before: Evaluation, after: Evaluation) -> pd.DataFrame:
    """Rank and total of every offer without and with the what-if answers."""
    now, then = rb.ranking_rows(before), rb.ranking_rows(after)
    order = [r.offer.offer_id for r in after.results]
    rows = []
    for o in order:
        r0, t0 = now.get(o, (None, None))
        r1, t1 = then[o]
        move = DASH if r0 is None or r1 is None else signed(r0 - r1, 0) if r0 != r1 else "="
        rows.append({_("offer"): o, _("rank now"): DASH if r0 is None else str(r0),
                     _("total now"): score(t0), _("rank with the answers"): DASH if r1 is None
                     else str(r1), _("total with the answers"): score(t1),
                     _("rank change"): move})
    return pd.DataFrame(rows)


def what_if_section(ev: Evaluation) -> None:
    st.caption(_("Every unknown answer, resolved alone to each end of what it could be, "
                 "everything else as it is: the written clarification requests a committee "
                 "may send bidders (Directive 2014/24/EU art. 56(3)).") + " "
               + helptext("unknown"))
    with st.spinner(_("Re-scoring every unknown answer (at most {seconds} s)…").format(
            seconds=f"{rb.CLARIFY_BUDGET_S:.0f}")):
        c = rb.clarifications(ev)
    n_win = sum(it.changes_winner for it in c.items)
    st.text(_("{n} items (unknown answers, undetermined gates, missing prices); {n_win} could "
              "change the winner on their own (leader now: {leader}).").format(
        n=format_number(len(c.items), 0), n_win=n_win, leader=c.winner or _("none")))
    if c.not_assessed:
        st.caption(_("{n} answers not assessed within the time budget.").format(
            n=len(c.not_assessed)))
    if not c.items:
        return
    shown = c.items[:SHOWN]
    st.dataframe(safe_frame(clarify_frame(shown)), hide_index=True, width="stretch",
                 key="rb.clarify.table")
    if len(c.items) > SHOWN:
        st.caption(_("The first {shown} of {n} (all in the Export page's JSON).").format(
            shown=SHOWN, n=len(c.items)))

    st.subheader(_("What if this answer were known?"))
    answers = _answers(ev)
    settable = [it for it in shown if it.kind == "answer"]  # gates and prices: ask the bidder
    if not settable:
        return
    c1, c2 = st.columns([3, 2])
    i = c1.selectbox(_("Unknown answer"), range(len(settable)), key="rb.wi.item",
                     format_func=lambda k: f"{settable[k].offer} · {settable[k].question}")
    item = settable[int(i)]
    v = c2.radio(_("Set it to"), range(len(item.could_be)), horizontal=True, key="rb.wi.value",
                 format_func=lambda k: _value(item.could_be[k]))
    b1, b2, b3 = st.columns(3)
    if b1.button(_("Apply this answer"), key="rb.wi.apply", type="primary"):
        answers[:] = [a for a in answers if (a[0], a[1]) != (item.offer, item.question)]
        answers.append((item.offer, item.question, item.could_be[int(v)]))
    if b2.button(_("Undo the last answer"), key="rb.wi.undo", disabled=not answers):
        answers.pop()
    if b3.button(_("Clear all"), key="rb.wi.clear", disabled=not answers):
        answers.clear()
    if not answers:
        st.caption(_("No answer set: the ranking is the scenario's."))
        return
    st.text(_("Answers set here (the scenario's files are unchanged):") + "\n" + "\n".join(
        f"  {o} · {q} = {_value(val)}" for o, q, val in answers))
    after = rb.with_answers(ev, tuple(answers))
    w0 = _(" and ").join(r.offer_id for r in ev.leaders()) or _("none")
    top1 = after.leaders()
    w1 = _(" and ").join(r.offer_id for r in top1) or _("none")
    if len(top1) > 1:  # a tie is a tie: no leader named
        said = (_("With these answers {offers} tie for first.") if w0 == w1 else
                _("With these answers {offers} tie for first (instead of {before})."))
    else:
        said = (_("With these answers {offers} leads.") if w0 == w1 else
                _("With these answers {offers} leads (instead of {before})."))
    st.text(said.format(offers=w1, before=w0))
    st.dataframe(safe_frame(compare_frame(ev, after)), hide_index=True, width="stretch",
                 key="rb.wi.table")
