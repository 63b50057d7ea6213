"""Replay (landing page): the Health Data Hub decision in one screen.

The legal timeline with the two historical choices; the 2019 ranking beside the 2026 one (the
same vendor matched across eras by ``scoring.report.compare.compare_data``); one sentence per era
(who leads, by how much, how sure: SMAA-2 rank-1 acceptability, seeded, and the total and rank
range under the uncertain policy), said in plain words with the terms of art left to the
glossary (issue 19: "SMAA rank-1 acceptability", "J0", "excl. hds" stopped a committee
member); the laws that reach each vendor on each date; the top of each
era's clarification list. The historical choices are stated as history, not as a verdict of the
model. The replay runs on the bundled scenarios and data only (uploads never reach it), so its
heavy work is cached by content and shared between sessions.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from scoring.engine import Evaluation
from scoring.engine.policy import has_intervals
from scoring.errors import HostwiseError
from scoring.i18n import N_, _, format_date
from scoring.report.clarify import clarify_json
from scoring.report.compare import compare_data
from scoring.robustness.clarify import clarify
from scoring.robustness.scenario import smaa_for
from scoring.rules.legal import load_timeline
from scoring.scenario.texts import gate_label
from scoring.scenario.texts import text as sc_text
from ui import state
from ui.components import charts
from ui.components import fmt as f
from ui.components.compare_tables import vendor_names, vendor_ranks
from ui.components.glossary import helptext
from ui.components.header import show_error
from ui.components.safe import safe_frame
from ui.components.words import display_names, era_sentence
from ui.state import content_key

SAMPLES = 2_000  # modest: the rank-1 shares move by at most ±2.2 points (95%) at this size
ERA_2019 = "hdh-2019.yaml"
ERAS_2026 = ["hdh-2026-j0.yaml", "hdh-2026.yaml"]
NO_VEHICLE = "cf-2019-no-vehicle.yaml"
HISTORY = {
    ERA_2019: N_("History: in 2019 the Health Data Hub chose Microsoft Azure, through the UGAP "
                 "contract vehicle (a central purchasing body's existing contract) rather than "
                 "a long tender."),
    "2026": N_("History: on 23 April 2026 Scaleway was selected through the UGAP 'Nuage public' "
               "consultation, while its SecNumCloud qualification was still under way: ANSSI "
               "had formally opened it (the step called J0), but not granted it."),
}
CHOICES = [(dt.date(2019, 2, 28), N_("2019: Azure chosen")),
           (dt.date(2026, 4, 23), N_("Apr 2026: Scaleway selected"))]
GATE_CHOICES = {"hdh-2026-j0.yaml": N_("SecNumCloud qualified, or qualification formally "
                                       "opened by ANSSI (J0)"),
                "hdh-2026.yaml": N_("SecNumCloud qualified only")}


@st.cache_resource(show_spinner=False, max_entries=8)
def _smaa_rank1(name: str, key: str) -> dict[str, float]:
    """Rank-1 acceptability per offer (SMAA-2, seed 0); ``key`` = content hash of the data."""
    sm = smaa_for(state.bundled_evaluation(name), samples=SAMPLES, seed=0)
    return {o: float(sm.acceptability[i, 0]) for i, o in enumerate(sm.offers)}


@st.cache_resource(show_spinner=False, max_entries=8)
def _clarify_top(name: str, key: str, top: int = 6) -> dict[str, object]:
    ev = state.bundled_evaluation(name)
    return clarify_json(ev, clarify(ev, budget_s=5.0), top=top)


def _timeline() -> None:
    tl = load_timeline()
    events = [(e.date, e.until, e.kind, e.title) for e in sorted(tl.events, key=lambda e: e.date)]
    choices = [(d, _(what)) for d, what in CHOICES]
    st.plotly_chart(charts.timeline(events, choices, dt.date(2015, 1, 1), dt.date(2027, 1, 1)),
                    width="stretch")
    st.caption(_("Bars run from the date a law, ruling or rule takes effect to its end (or "
                 "today); colour = kind. Older laws (EO 12333, 1981; FISA 702, 2008) start off "
                 "the left edge."),
               help=helptext("CLOUD Act", "FISA 702", "SREN art. 31", "Cloud au centre",
                             "SecNumCloud", "HDS"))


def _era_table(ev: Evaluation, unc: Evaluation) -> pd.DataFrame:
    rows = []
    names = display_names(ev.results)
    for r in ev.results:
        try:
            u = unc.result(r.offer.offer_id)
        except KeyError:
            u = None
        failed = ", ".join(gate_label(ev.scenario, g.gate, g.label) for g in r.gates
                           if g.failed) or ", ".join(r.excluded_by)
        rank = {"pass": r.rank_label,  # "4=" for a tie: no order among equals
                "undetermined": _("{rank} if admitted").format(rank=r.rank_label),
                "fail": _("excluded: {gates}").format(gates=failed)}[r.eligibility]
        rows.append({_("rank"): rank,
                     _("vendor"): names[r.offer.offer_id], _("total"): f.score(r.total),
                     _("range"): f.span(u.total_range if u else None),
                     _("ranks"): f.rank_span(u.rank_range if u else None)})
    return safe_frame(pd.DataFrame(rows))


def _era(col: st.delta_generator.DeltaGenerator, name: str, history: str) -> Evaluation:
    ev = state.bundled_evaluation(name)
    unc = state.bundled_evaluation(name, policy="uncertain")
    rank1 = _smaa_rank1(name, content_key([state.DATA]))
    with col:
        st.subheader(format_date(ev.evaluation_date, "MMMM yyyy"))
        st.text(sc_text(ev.scenario, "title"))
        with st.container(border=True):
            st.text(era_sentence(ev, rank1, unc, SAMPLES))
            st.caption(_(history))
            if name == ERA_2019:
                _vehicle_share(ev)
        st.dataframe(_era_table(ev, unc), hide_index=True, width="stretch", height=300,
                     column_config={_("rank"): st.column_config.TextColumn(width="medium"),
                                    _("range"): st.column_config.TextColumn(
                         help=_("Total range: every unknown answer at its worst / best")),
                         _("ranks"): st.column_config.TextColumn(
                             help=_("Rank range over the same intervals"))})
    return ev


def _vehicle_share(ev: Evaluation) -> None:
    """How much of the 2019 leader's lead the contract-vehicle criterion carries: the same
    replay without it (``cf-2019-no-vehicle``), compared by the core (``compare_data``)."""
    lc = compare_data([ev, state.bundled_evaluation(NO_VEHICLE)]).get("lead_change")
    if lc:
        who = ev.result(lc["leader"]).offer.vendor_name
        st.text(_("Of {who}'s {lead}-point lead, {carried} points ({share}) come from the "
                  "'existing purchasing vehicle' question alone: the no-tender route this "
                  "replay exists to judge (the same replay without it: cf-2019-no-vehicle).")
                .format(who=who, lead=f.score(lc["from"]), carried=f.score(lc["carried"]),
                        share=f.pct(lc["share"])))


def _bump(evs: list[Evaluation]) -> None:
    """One line per vendor (joined by vendor id, at its best-ranked offer), as on Compare."""
    data = compare_data(evs)
    eras = [format_date(e.evaluation_date, "MMM yyyy") for e in evs]
    worst = max((r.rank or 0) for e in evs for r in e.results) + 1
    ranks = vendor_ranks(data, vendor_names(evs), worst)
    st.plotly_chart(charts.bump(eras, ranks, worst), width="stretch")
    st.caption(_("The same vendor across eras (OVH in 2019 and OVHcloud in 2026 are one vendor, "
                 "at its best-ranked offer). Only vendors ranked in at least one era are "
                 "drawn."), help=helptext("gate"))


def _laws(evs: list[Evaluation]) -> None:
    data = compare_data(evs)
    names = {r.offer.vendor_id: r.offer.vendor_name for e in evs for r in e.results}
    rows = []
    for row in data["offers"]:
        rec: dict[str, str] = {_("vendor"): names.get(row["vendor"], row["vendor"]),
                               _("offer"): row["offer"]}
        for e in evs:
            x = row["by_scenario"].get(e.scenario.id)
            rec[format_date(e.evaluation_date)] = (_("did not bid") if x is None else
                                                   "; ".join(x["legal_laws"]) or _("none"))
        rows.append(rec)
    wide = {format_date(e.evaluation_date): st.column_config.TextColumn(width="large")
            for e in evs}
    st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch",
                 column_config=wide)


def _clarify(col: st.delta_generator.DeltaGenerator, name: str) -> None:
    d = _clarify_top(name, content_key([state.DATA]))
    items = d["items"]
    assert isinstance(items, list)
    with col:
        st.caption(_("{n} unknown answers; the first ones matter most.").format(n=d["count"]),
                   help=helptext("clarification"))
        rows = [{_("offer"): it["offer"], _("question"): it["question"],
                 _("could be"): " / ".join(f.answer_value(v) for v in it["could_be"]),
                 _("offer total"): f.span(it["total_range"]),
                 _("offer rank"): f.rank_span(it["rank_range"]),
                 _("changes the winner"): (
                     _("yes → {winner} (if {value})").format(
                         winner=it["new_winner"], value=f.answer_value(it["set_to"]))
                     if it["changes_winner"] else _("no"))} for it in items]
        if rows:
            st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch")


def _overview() -> None:
    """The working scenario evaluates another tender than the replayed one (the ``ght-dpi``
    demonstration): its result at a glance, in the words and table of one era of the replay
    (who leads, by how much, how sure), instead of history that is not its own."""
    ev = state.evaluation()
    unc = ev if has_intervals(ev.policy) else state.working_variant(missing_policy="uncertain")

    def shares() -> dict[str, float]:
        sm = smaa_for(ev, samples=SAMPLES, seed=0)
        return {o: float(sm.acceptability[i, 0]) for i, o in enumerate(sm.offers)}

    rank1 = state.memo(("overview.smaa", ev.hash, SAMPLES), shares)
    st.caption(_("The working scenario is a tender of its own: its result at a glance. "
                 "Ranking, Robustness and Allocation go further; pick a replay scenario in "
                 "the sidebar for the historical replay."))
    with st.container(border=True):
        st.text(era_sentence(ev, rank1, unc, SAMPLES))
    st.dataframe(_era_table(ev, unc), hide_index=True, width="stretch",
                 column_config={_("range"): st.column_config.TextColumn(
                     help=_("Total range: every unknown answer at its worst / best")),
                     _("ranks"): st.column_config.TextColumn(
                         help=_("Rank range over the same intervals"))})


if not state.is_replay_tender():
    try:
        _overview()
    except HostwiseError as exc:
        show_error(exc, _("The working scenario could not be scored:"))
    st.stop()
st.caption(_("The two historical decisions, replayed on public sources with the law in force "
             "on each date. The bundled scenarios and data only (uploads and edits do not "
             "change this page)."))
st.subheader(_("The legal timeline"))
_timeline()
pick = st.radio(_("2026: which hosts may bid (immunity to non-EU law)"), ERAS_2026,
                horizontal=True, key=state.keep("replay.2026", ERAS_2026[0], ERAS_2026),
                format_func=lambda n: _(GATE_CHOICES[n]),
                help=helptext("J0", "SREN art. 31"))
try:
    with st.spinner(_("Replaying both eras (random weightings, intervals)...")):
        left, right = st.columns(2)
        evs = [_era(left, ERA_2019, HISTORY[ERA_2019]), _era(right, pick, HISTORY["2026"])]
except HostwiseError as exc:
    show_error(exc, _("The bundled replay could not be scored:"))
    st.stop()
st.subheader(_("How the ranks moved"))
_bump(evs)
st.subheader(_("Laws that reach each vendor on each date"),
             help=helptext("CLOUD Act", "FISA 702"))
_laws(evs)
st.subheader(_("What to ask first: the top of each era's clarification list"))
with st.spinner(_("Ranking the unknown answers...")):
    a, b = st.columns(2)
    _clarify(a, ERA_2019)
    _clarify(b, pick)
