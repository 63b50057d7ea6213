"""The Evaluate page's sections: declarations (``panel.declare``), progress, one score form per
visible bid (``panel.save_score``) with the bid's documents beside it, and the sheet submission
(``panel.submit_sheet``).

Why the list of bids comes from ``bids.visible_offers``: it already leaves out a bidder the
person declared a conflict with (Directive 2014/24/EU art. 24), so the page cannot show it.
Why a grade is chosen among its grid's levels with their descriptors, starting unchosen: the
evaluator scores against the published grid (docs/catalogue.md, "grade"), and a default level
would be a score nobody gave (a value starting at 0 once silently lowered a total, issue 18).
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from scoring.committee import Person, panel, workflow
from scoring.i18n import _
from ui.components.bid_documents import bid_documents
from ui.components.committee import (
    act,
    grids,
    level_text,
    published_questions,
    question_texts,
    store,
    table,
)
from ui.components.fmt import score
from ui.components.safe import literal


def declarations(who: Person, v: workflow.TenderView,
                 mine: dict[str, tuple[bool, str]]) -> None:
    table([{_("bidder"): o, _("declaration"): _("conflict") if c else _("no conflict"),
            _("note"): n}
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


def _shown(value: float, grid: dict[int, str] | None) -> str:
    """A saved score as the evaluator gave it: a grid level with its descriptor."""
    if grid is not None and float(value).is_integer() and int(value) in grid:
        return level_text(int(value), grid[int(value)])
    return score(value)


def progress(who: Person, v: workflow.TenderView, visible: list[str],
             rows: list[dict[str, Any]]) -> None:
    qs = published_questions(v.id)
    gr = grids(v.id)
    mine = [r for r in rows if r["evaluator"] == who.name]
    total = len(visible) * len(qs)
    st.progress(min(1.0, len(mine) / total) if total else 0.0)
    st.caption(_("My progress: {saved} of {total} score(s) saved").format(saved=len(mine),
                                                                          total=total))
    table([{_("bid"): r["offer"], _("criterion"): r["question"],
            _("score"): _shown(r["value"], gr.get(r["question"])),
            _("justification"): r["justification"], _("saved (UTC)"): r["saved_at"]}
           for r in mine], _("No score saved yet."))
    others = [r for r in rows if r["evaluator"] != who.name]
    if others:
        st.caption(_("Other evaluators' submitted scores (you submitted yours):"))
        table([{_("evaluator"): r["evaluator"], _("bid"): r["offer"],
                _("criterion"): r["question"],
                _("score"): _shown(r["value"], gr.get(r["question"]))} for r in others], "")


def _input(o: str, q: str, scale: str, grid: dict[int, str] | None,
           old: dict[str, Any], asks: str | None = None) -> float | None:
    """One criterion's score: a grade among its grid's levels (with descriptors), a SEAL level
    0-4 or a 0-100 score as a number; nothing chosen until the evaluator chooses."""
    had = old.get("value")
    if grid is not None:
        levels = list(grid)
        pick = st.radio(_("{criterion} — grid").format(criterion=q), levels,
                        index=levels.index(int(had)) if had is not None and int(had) in grid
                        else None, format_func=lambda lv: level_text(lv, grid[lv]),
                        key=f"c.s.{o}.{q}", help=literal(asks) if asks else None)
        return None if pick is None else float(pick)
    if scale == "0-4":
        lv = st.number_input(_("{criterion} — level (0-4)").format(criterion=q), 0, 4,
                             None if had is None else int(had), key=f"c.s.{o}.{q}",
                             placeholder=_("Enter 0-4"))
        return None if lv is None else float(lv)
    val = st.number_input(_("{criterion} — score (0-100)").format(criterion=q), 0.0, 100.0,
                          None if had is None else float(had), key=f"c.s.{o}.{q}",
                          placeholder=_("Enter 0-100"))
    return None if val is None else float(val)


def score_forms(who: Person, v: workflow.TenderView, visible: list[str],
                rows: list[dict[str, Any]]) -> None:
    qs = published_questions(v.id)
    gr = grids(v.id)
    asks = question_texts(v.id)
    saved = {(r["offer"], r["question"]): r for r in rows if r["evaluator"] == who.name}
    for o in visible:
        st.markdown("#### " + _("Bid {bid}").format(bid=o))
        left, right = st.columns([3, 2])
        with right:
            st.caption(_("The bid's documents (each reading is recorded):"))
            bid_documents(who, v.id, o)
        with left, st.form(f"c.score.{o}"):
            vals: dict[str, tuple[float | None, str]] = {}
            for q, scale in qs.items():
                old = saved.get((o, q), {})
                val = _input(o, q, scale, gr.get(q), old, asks.get(q))
                why = st.text_area(_("Justification for {criterion} (required)").format(
                    criterion=q), value=str(old.get("justification", "")),
                    key=f"c.j.{o}.{q}", height=68)
                vals[q] = (val, why)
            if st.form_submit_button(_("Save my scores for {bid}").format(bid=o)):
                _save(who, v, o, vals)
    if st.button(_("Submit my sheet (final: my scores become visible to the chair)"),
                 key="c.submit"):
        act(_("Submitting your sheet"), lambda: panel.submit_sheet(store(), who, v.id),
            _("Your sheet was submitted."))


def _save(who: Person, v: workflow.TenderView, o: str,
          vals: dict[str, tuple[float | None, str]]) -> None:
    """Save every criterion given a score; those left unchosen are named, not saved (no
    default score). The service checks the scale and the justification."""
    chosen = {q: (x, why) for q, (x, why) in vals.items() if x is not None}
    blank = [q for q, (x, why) in vals.items() if x is None and why.strip()]

    def save() -> None:
        for q, (x, why) in chosen.items():
            panel.save_score(store(), who, v.id, o, q, x, why)
    if not chosen:
        st.warning(_("Choose a score for at least one criterion."))
        return
    done = _("Your scores for {bid} were saved.").format(bid=o)
    if blank:
        done += " " + _("No score chosen for {criteria}: not saved.").format(
            criteria=", ".join(blank))
    act(_("Saving your scores for {bid}").format(bid=o), save, done)
