"""The Evaluate page's sections: declarations (``panel.declare``), progress, one score form per
visible bid (``panel.save_score``) and the sheet submission (``panel.submit_sheet``).

Why the list of bids comes from ``bids.visible_offers``: it already leaves out a bidder the
person declared a conflict with (Directive 2014/24/EU art. 24), so the page cannot show it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.committee import Person, panel, workflow
from scoring.i18n import _
from ui.components.committee import act, published_questions, store, table


def declarations(who: Person, v: workflow.TenderView,
                 mine: dict[str, tuple[bool, str]]) -> None:
    table([{_("bidder"): o, _("declaration"): _("conflict") if c else _("none"), _("note"): n}
           for o, (c, n) in sorted(mine.items())], _("No declaration yet."))
    todo = [o for o in v.bidders if o not in mine]
    if not todo:
        if v.bidders:
            st.caption(_("You declared about every bidder."))
        return
    with st.form("c.declare"):
        st.markdown("**" + _("Declare, for each bidder, no interest or a conflict") + "**")
        picks: dict[str, tuple[str, str]] = {}
        for o in todo:
            c1, c2 = st.columns([2, 5])
            kind = c1.radio(o, ["none", "conflict"], horizontal=True, key=f"c.decl.{o}",
                            format_func=_)
            note = c2.text_input(_("If a conflict: what it is"), key=f"c.decl.note.{o}")
            picks[o] = (kind, note)
        if st.form_submit_button(_("Record my declarations")):
            def rec() -> None:
                for o, (kind, note) in picks.items():
                    panel.declare(store(), who, v.id, o, kind == "conflict", note)
            act(_("Recording your declarations"), rec, _("Your declarations were recorded."))


def progress(who: Person, v: workflow.TenderView, visible: list[str],
             rows: list[dict[str, Any]]) -> None:
    qs = published_questions(v.id)
    mine = [r for r in rows if r["evaluator"] == who.name]
    total = len(visible) * len(qs)
    st.progress(min(1.0, len(mine) / total) if total else 0.0)
    st.caption(_("My progress: {saved} of {total} score(s) saved").format(saved=len(mine),
                                                                          total=total))
    table([{_("bid"): r["offer"], _("question"): r["question"], _("score"): r["value"],
            _("justification"): r["justification"], _("saved (UTC)"): r["saved_at"]}
           for r in mine], _("No score saved yet."))
    others = [r for r in rows if r["evaluator"] != who.name]
    if others:
        st.caption(_("Other evaluators' submitted scores (you submitted yours):"))
        table([{_("evaluator"): r["evaluator"], _("bid"): r["offer"],
                _("question"): r["question"], _("score"): r["value"]} for r in others], "")


def score_forms(who: Person, v: workflow.TenderView, visible: list[str],
                rows: list[dict[str, Any]]) -> None:
    qs = published_questions(v.id)
    saved = {(r["offer"], r["question"]): r for r in rows if r["evaluator"] == who.name}
    for o in visible:
        with st.form(f"c.score.{o}"):
            st.markdown("**" + _("Bid {bid}").format(bid=o) + "**")
            vals: dict[str, tuple[float, str]] = {}
            for q, scale in qs.items():
                old = saved.get((o, q), {})
                c1, c2 = st.columns([1, 4])
                top = 4 if scale == "0-4" else 100
                val = c1.number_input(f"{q} ({scale})", 0, top, int(old.get("value", 0)),
                                      key=f"c.s.{o}.{q}")
                why = c2.text_area(_("Justification"), value=str(old.get("justification", "")),
                                   key=f"c.j.{o}.{q}", height=68)
                vals[q] = (float(val), why)
            if st.form_submit_button(_("Save my scores for {bid}").format(bid=o)):
                def save(o: str = o, vals: dict[str, tuple[float, str]] = vals) -> None:
                    for q, (val, why) in vals.items():
                        panel.save_score(store(), who, v.id, o, q, val, why)
                act(_("Saving your scores for {bid}").format(bid=o), save,
                    _("Your scores for {bid} were saved.").format(bid=o))
    if st.button(_("Submit my sheet (final: my scores become visible to the chair)"),
                 key="c.submit"):
        act(_("Submitting your sheet"), lambda: panel.submit_sheet(store(), who, v.id),
            _("Your sheet was submitted."))
