"""AHP pairwise entry for the pillar weights (Saaty 1980; ``scoring.methods.ahp``).

One slider per pair of pillars on Saaty's 1-9 scale, read as "left is N times as important as
right" (or the reverse). The core computes the priorities, the consistency ratio (CR, Saaty's
random index) and the judgement furthest from what the priorities imply; nothing is applied to
the working scenario until the user asks, and then through ``state.edit`` like any other edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from itertools import combinations

import pandas as pd
import streamlit as st

from scoring.errors import HostwiseError
from scoring.i18n import _, decimal_mark
from scoring.methods.ahp import AhpResult, ahp_from_judgements
from scoring.report.numbers import percent
from ui import state
from ui.components.glossary import helptext

#: Slider positions: negative = the right pillar is more important.
_SCALE = [-9, -7, -5, -3, -2, 1, 2, 3, 5, 7, 9]


def _word(v: int, a: str = "", b: str = "") -> str:
    if v == 1:
        return _("equal")
    return f"{a} ×{v}" if v > 0 else f"{b} ×{-v}"


def ahp_entry(pillars: Sequence[str], weights_doc: dict[str, object]) -> None:
    """Draw the sliders, the result and the "apply" button."""
    st.caption(_("For each pair: which pillar matters more, and how many times (1 = equal, "
                 "3 = moderately, 5 = strongly, 7 = very strongly, 9 = extremely)."),
               help=helptext("AHP", "consistency ratio"))
    judgements: dict[tuple[str, str], float] = {}
    cols = st.columns(2)
    for k, (a, b) in enumerate(combinations(pillars, 2)):
        key = state.keep(f"ahp.{a}.{b}", 1, _SCALE)
        v = cols[k % 2].select_slider(_("{a} vs {b}").format(a=_(a), b=_(b)), options=_SCALE,
                                      key=key, format_func=partial(_word, a=_(a), b=_(b)))
        judgements[(a, b)] = float(v) if v > 0 else 1.0 / -v
    try:
        res: AhpResult = ahp_from_judgements(pillars, judgements)
    except (HostwiseError, ValueError) as exc:
        st.error(_("These judgements cannot be used:"))
        st.text(str(exc))
        return
    frame = pd.DataFrame({_("pillar"): [_(p) for p in pillars],
                          _("AHP weight"): [percent(p, 1) for p in res.priorities]})
    left, right = st.columns([1, 2])
    left.dataframe(frame, hide_index=True)
    cr = decimal_mark(f"{max(res.cr, 0.0):.3f}")
    said = (_("Consistency ratio CR = {cr}, consistent (≤ 0.10) (random index {ri}, table "
              "{table}).") if res.consistent else
            _("Consistency ratio CR = {cr}, inconsistent (> 0.10): revisit (random index {ri}, "
              "table {table})."))
    right.text(said.format(cr=cr, ri=decimal_mark(f"{res.ri:.2f}"), table=res.ri_table))
    j = res.most_inconsistent
    if j is not None and len(pillars) > 2 and j.log_deviation > 1e-9:
        a, b = pillars[j.row], pillars[j.col]
        right.text(_("Most inconsistent judgement: {a} vs {b}: you said {given}, the other "
                     "judgements imply {implied}.").format(
            a=_(a), b=_(b), given=decimal_mark(f"{j.given:.2f}"),
            implied=decimal_mark(f"{j.implied:.2f}")))
    if st.button(_("Apply the AHP weights to the pillars"), key="ahp.apply"):
        new = {p: {**_as_dict(weights_doc.get(p)), "weight": round(float(w) * 100, 2)}
               for p, w in zip(pillars, res.priorities, strict=True)}
        try:
            state.edit(("weights",), {**weights_doc, **new},
                       _("pillar weights set by AHP (CR {cr})").format(cr=cr))
        except HostwiseError as exc:
            st.session_state["crit.error"] = exc
        st.rerun()


def _as_dict(node: object) -> dict[str, object]:
    return dict(node) if isinstance(node, dict) else {}
