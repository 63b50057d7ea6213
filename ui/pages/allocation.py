"""Allocation page: the best award of the working scenario's lots, and what sovereignty costs.

The lots and the award rules are edited here (``ui.state.edit`` on ``lots`` / ``allocation``);
the award is the MILP of ``scoring.allocation`` (the CLI's ``hostwise allocate``), the frontier
its ``frontier`` sweep (``hostwise frontier``). Infeasibility is a result, shown in words with
the fixes the core verified. Vendor text only through dataframes and ``st.text``.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from scoring.errors import HostwiseError
from scoring.i18n import N_, _
from scoring.messages import render
from scoring.report.allocation import frontier_json, result_json
from ui import state
from ui.components import award as aw
from ui.components import fmt as f
from ui.components.award_view import award_view, point_view
from ui.components.charts import frontier_figure
from ui.components.fmt import money, score
from ui.components.glossary import helptext
from ui.components.lots_editor import edit_section
from ui.components.safe import safe_frame

#: The solver's statuses (``scoring.allocation``), shown translated in the frontier's table.
STATUSES = (N_("optimal"), N_("feasible"), N_("infeasible"), N_("unknown"))


@st.cache_data(show_spinner=False)
def _with_lots(titles: tuple[tuple[str, str], ...]) -> list[str]:
    from scoring.scenario.load import load_scenario_doc

    return [n for n, _ in titles if load_scenario_doc(state.SCENARIOS / n).get("lots")]


ev = state.evaluation()
if not ev.scenario.lots:
    st.info(_("This scenario defines no lots, so there is no award to optimise. Lots split "
              "the workload (storage, analytics, backup...) so that each can go to a different "
              "offer under the award rules."))
    titles = state.bundled_titles()
    for name in _with_lots(tuple(titles.items())):
        if st.button(_("Start from: {title}").format(title=titles[name]), key=f"al.use.{name}"):
            state.use_bundled(name)
            st.rerun()
    st.stop()

tag = ev.hash[:10]
with st.expander(_("Lots and award rules (editable)"), expanded=False):
    edit_section(tag)

try:
    ctx = aw.award_context(ev)
except HostwiseError as exc:
    st.error(_("The award problem cannot be built from this scenario:"))
    st.text(str(exc))
    st.stop()
with st.spinner(_("Solving the award (an exact optimisation, MILP)…")):
    res = aw.award(ev, ctx)
st.subheader(_("The award"))
award_view(ctx, res)
st.download_button(_("Download this award (JSON, as hostwise allocate --json)"),
                   data=json.dumps(result_json(ctx, res), indent=2,
                                                 ensure_ascii=False),
                   file_name=f"hostwise-allocate-{ctx.hash[:12]}.json",
                   mime="application/json", key="al.dl", on_click="ignore")

st.divider()
st.subheader(_("The price of sovereignty"))
st.caption(_("The best award when every lot must meet a floor: how much each level of "
             "sovereignty costs per year. Click a point (or pick it below) to see that award.")
           + " " + helptext("SEAL"))
FLOORS = {"seal": _("sovereignty level SEAL (0-4)"),
          "legal": _("legal utility (0-100)")}
kind = st.radio(_("Floor"), ["seal", "legal"], horizontal=True, format_func=FLOORS.get,
                key=state.keep("al.kind", "seal"))
with st.spinner(_("Solving one award per floor…")):
    pts = aw.frontier_points(ev, ctx, kind)
event: Any = None
if any(p.cost is not None for p in pts):
    event = st.plotly_chart(frontier_figure(pts), on_select="rerun", selection_mode="points",
                            key=f"al.frontier.{kind}")
else:
    st.info(_("No floor gives an award under these rules (even the lowest): the reasons are "
              "in the table; relax the rules above (the award's fixes say which)."))
frame = pd.DataFrame({
    _("floor"): [f"≥ {f.decimal(f'{p.floor:g}')}" if p.floor is not None else _("lots' own")
                 for p in pts],
    _("status"): [_(p.status) for p in pts],
    _("annual cost"): [money(p.cost) for p in pts],
    _("value"): [score(p.value) for p in pts],
    _("dominated"): [_("yes") if p.dominated else "" for p in pts],
    _("award or reason"): [", ".join(f"{k}: {v}" for k, v in p.assignment.items())
                           or render(p.message) for p in pts]})
st.dataframe(safe_frame(frame), hide_index=True, width="stretch", key="al.frontier.table")
clicked = [pt.get("customdata") for pt in (getattr(event, "selection", None) or {}).get(
    "points", [])] if event else []
labels = list(frame[_("floor")])
if clicked and isinstance(clicked[0], int) and 0 <= clicked[0] < len(pts):
    state.set_kept(f"al.point.{kind}", labels[clicked[0]])
pick = st.selectbox(_("See the award at floor"), labels,
                    key=state.keep(f"al.point.{kind}", next(
                        (lb for lb, p in zip(labels, pts, strict=True) if p.cost is not None),
                        labels[0]), labels))
point_view(ctx, pts[labels.index(pick)])
st.download_button(_("Download the frontier (JSON, as hostwise frontier --json)"),
                   data=json.dumps(frontier_json(ctx, pts), indent=2,
                                                 ensure_ascii=False, default=str),
                   file_name=f"hostwise-frontier-{kind}-{ctx.hash[:12]}.json",
                   mime="application/json", key="al.dl.frontier", on_click="ignore")
