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
from scoring.robustness.clarify import ClarificationItem
from ui.components import robustness_analyses as rb
from ui.components.fmt import DASH, rank_span, score, signed, span
from ui.components.glossary import helptext
from ui.components.safe import safe_frame

K_WHATIF = "hw.b.whatif"  # evaluation hash -> list of (offer, question, value)
SHOWN = 30


def _answers(ev: Evaluation) -> list[rb.WhatIf]:
    store: dict[str, list[rb.WhatIf]] = st.session_state.setdefault(K_WHATIF, {})
    return store.setdefault(ev.hash, [])


def _value(v: Any) -> str:
    return {True: "yes", False: "no"}.get(v, str(v)) if isinstance(v, bool) else str(v)


def clarify_frame(items: tuple[ClarificationItem, ...]) -> pd.DataFrame:
    return pd.DataFrame({
        "offer": [it.offer for it in items],
        "question": [it.question for it in items],
        "could be": [" / ".join(_value(v) for v in it.could_be) for it in items],
        "offer total": [span(it.total_range) for it in items],
        "offer rank": [rank_span(it.rank_range) + (" or excluded" if it.excluded_at_an_end
                                                   else "") for it in items],
        "changes the winner": [f"yes: {it.new_winner} (if {_value(it.set_to)})"
                               if it.changes_winner else "no" for it in items],
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
        rows.append({"offer": o, "rank now": DASH if r0 is None else str(r0),
                     "total now": score(t0), "rank with the answers": DASH if r1 is None
                     else str(r1), "total with the answers": score(t1), "rank change": move})
    return pd.DataFrame(rows)


def what_if_section(ev: Evaluation) -> None:
    st.caption("Every unknown answer, resolved alone to each end of what it could be, "
               "everything else as it is: the written clarification requests a committee may "
               "send bidders (Directive 2014/24/EU art. 56(3)). " + helptext("unknown"))
    with st.spinner("Re-scoring every unknown answer (at most "
                    f"{rb.CLARIFY_BUDGET_S:.0f} s)…"):
        c = rb.clarifications(ev)
    n_win = sum(it.changes_winner for it in c.items)
    st.text(f"{len(c.items)} items (unknown answers, undetermined gates, missing prices); "
            f"{n_win} could change the winner on their own "
            f"(leader now: {c.winner or 'none'}).")
    if c.not_assessed:
        st.caption(f"{len(c.not_assessed)} answers not assessed within the time budget.")
    if not c.items:
        return
    shown = c.items[:SHOWN]
    st.dataframe(safe_frame(clarify_frame(shown)), hide_index=True, width="stretch",
                 key="rb.clarify.table")
    if len(c.items) > SHOWN:
        st.caption(f"The first {SHOWN} of {len(c.items)} (all in the Export page's JSON).")

    st.subheader("What if this answer were known?")
    answers = _answers(ev)
    settable = [it for it in shown if it.kind == "answer"]  # gates and prices: ask the bidder
    if not settable:
        return
    c1, c2 = st.columns([3, 2])
    i = c1.selectbox("Unknown answer", range(len(settable)), key="rb.wi.item",
                     format_func=lambda k: f"{settable[k].offer} · {settable[k].question}")
    item = settable[int(i)]
    v = c2.radio("Set it to", range(len(item.could_be)), horizontal=True, key="rb.wi.value",
                 format_func=lambda k: _value(item.could_be[k]))
    b1, b2, b3 = st.columns(3)
    if b1.button("Apply this answer", key="rb.wi.apply", type="primary"):
        answers[:] = [a for a in answers if (a[0], a[1]) != (item.offer, item.question)]
        answers.append((item.offer, item.question, item.could_be[int(v)]))
    if b2.button("Undo the last answer", key="rb.wi.undo", disabled=not answers):
        answers.pop()
    if b3.button("Clear all", key="rb.wi.clear", disabled=not answers):
        answers.clear()
    if not answers:
        st.caption("No answer set: the ranking is the scenario's.")
        return
    st.text("Answers set here (the scenario's files are unchanged):\n" + "\n".join(
        f"  {o} · {q} = {_value(val)}" for o, q, val in answers))
    after = rb.with_answers(ev, tuple(answers))
    w0 = " and ".join(r.offer_id for r in ev.leaders()) or "none"
    top1 = after.leaders()
    w1 = " and ".join(r.offer_id for r in top1) or "none"
    verb = "tie for first" if len(top1) > 1 else "leads"  # a tie is a tie: no leader named
    st.text(f"With these answers {w1} {verb}" + ("" if w0 == w1 else f" (instead of {w0})")
            + ".")
    st.dataframe(safe_frame(compare_frame(ev, after)), hide_index=True, width="stretch",
                 key="rb.wi.table")
