"""Robustness page: how firm is the working scenario's ranking?

Stability intervals, one-way sensitivity with its crossovers, SMAA-2 rank acceptability, the
smallest weight change that makes another offer lead, rank reversal, and the clarification
list with "what if". Display only: the figures are those of ``scoring.robustness`` (the CLI's
``hostwise sensitivity | flip | clarify``). When the method is not the weighted sum, the exact
analyses show the core's own reason (``scoring.robustness.support``), never a silent switch.
Vendor text only through dataframes and ``st.text``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring.i18n import _, format_number
from scoring.methods.registry import METHODS
from scoring.report.robustness import (
    flip_words,
    pct,
    reversal_words,
    stability_words,
    unsupported_words,
)
from ui import state
from ui.components import fmt as f
from ui.components import robustness_analyses as rb
from ui.components.charts import flip_figure, one_way_figure, smaa_figure, stability_figure
from ui.components.fmt import score, signed, span
from ui.components.glossary import helptext
from ui.components.safe import safe_frame
from ui.components.what_if import what_if_section

ev = state.evaluation()
sup = rb.method_support(ev)
elig = [r for r in ev.results if r.rank is not None]
label = _(METHODS[ev.method].label)
NOT_COMPUTED = _("Not computed: {reason}.")
TWO_NEEDED = _("Needs at least two eligible offers.")

if len(elig) >= 2:
    a, b = elig[0], elig[1]
    ahead = ev.bound_method.scale.ahead_by(a.total or 0.0, b.total or 0.0)
    st.text(_("{leader} leads with {total}, ahead of {second} {by} ({method}). How far can "
              "the weights move before that changes?").format(
        leader=a.offer.offer_id, total=score(a.total), second=b.offer.offer_id, by=ahead,
        method=label))
    if a.total_range is not None and b.total_range is not None:
        st.caption(_("With the unknown answers anywhere between worst and best: {leader} "
                     "{leader_range}, {second} {second_range} (the totals above are the "
                     "middle).").format(leader=a.offer.offer_id,
                                        leader_range=span(a.total_range),
                                        second=b.offer.offer_id,
                                        second_range=span(b.total_range)))
elif elig:
    st.info(_("Only one offer passes every gate: no weights can change who leads. The "
              "clarification list below says which unknown answers could admit another "
              "offer."))
else:
    st.warning(_("No offer passes every gate: there is no ranking to test. The clarification "
                 "list below says which unknown answers could admit an offer."))

level = st.radio(_("Compare weights at the level of"), ["pillar", "criterion"],
                 horizontal=True,
                 format_func={"pillar": _("pillars (4)"), "criterion": _("criteria")}.get,
                 help=_("Pillars: technical, cost, legal, sovereignty. Criteria: the weights "
                        "inside each pillar."), key=state.keep("rb.level", "pillar"))

tabs = st.tabs([_("Stability"), _("One weight at a time"), _("Random weights (SMAA)"),
                _("What would make another offer lead"), _("Unknown answers (what if)")])

with tabs[0]:
    if not sup.exact:
        st.info(NOT_COMPUTED.format(reason=unsupported_words(sup.label)))
    elif len(elig) < 2:
        st.caption(TWO_NEEDED)
    else:
        ints = rb.stability(ev, level) or ()
        st.caption(_("For each weight: how far it can move (the others keeping their "
                     "proportions) before the leader changes (light bar) or any two offers "
                     "swap (dark bar). The diamond is today's weight. Exact end points."))
        st.plotly_chart(stability_figure(ints), key="rb.stab.fig")
        st.dataframe(safe_frame(pd.DataFrame({
            _("criterion"): [f.criterion(s.criterion) for s in ints],
            _("weight now"): [pct(s.weight) for s in ints],
            _("leader kept from"): [pct(s.leader_lo) for s in ints],
            _("leader kept to"): [pct(s.leader_hi) for s in ints],
            _("in words"): [stability_words(s) for s in ints]})),
            hide_index=True, width="stretch")

with tabs[1]:
    if not sup.exact:
        st.info(NOT_COMPUTED.format(reason=unsupported_words(sup.label)))
    elif len(elig) < 2:
        st.caption(TWO_NEEDED)
    else:
        crits = list(ev.matrix(level).criteria)
        crit = st.selectbox(_("Criterion whose weight moves"), crits, format_func=f.criterion,
                            key=state.keep(f"rb.crit.{level}", crits[0], crits))
        ow = rb.one_way_path(ev, level, crit)
        if ow is not None:
            st.plotly_chart(one_way_figure(ow), key="rb.oneway.fig")
            if ow.crossovers:
                st.caption(_("Where the leader changes (× on the chart):"))
                st.dataframe(safe_frame(pd.DataFrame({
                    _("weight"): [pct(c.weight) for c in ow.crossovers],
                    _("leader before"): [c.before for c in ow.crossovers],
                    _("leader after"): [c.after for c in ow.crossovers],
                    _("total there"): [score(c.total) for c in ow.crossovers]})),
                    hide_index=True, width="stretch")
            else:
                st.caption(_("The leader is the same whatever this weight (0 to 100 %)."))

with tabs[2]:
    st.caption(_("SMAA-2 (Lahdelma & Salminen 2001): weight vectors drawn uniformly at random; "
                 "the share of them that gives each offer each rank. Same seed, same figures; "
                 "scored by {method}.").format(method=label))
    c1, c2 = st.columns(2)
    samples = int(c1.number_input(_("Weight vectors to draw"), min_value=100,
                                  max_value=rb.SMAA_CAP, step=10_000,
                                  help=_("At most {n}.").format(
                                      n=format_number(rb.SMAA_CAP, 0)) + " "
                                  + helptext("SMAA"),
                                  key=state.keep("rb.samples", rb.SMAA_DEFAULT)))
    seed = int(c2.number_input(_("Seed"), min_value=0, step=1, key=state.keep("rb.seed", 0)))
    if not elig:
        st.caption(_("No eligible offer."))
    else:
        with st.spinner(_("Drawing {n} weight vectors (seed {seed})…").format(
                n=format_number(samples, 0), seed=seed)):
            sm = rb.smaa(ev, level, samples, seed)
        st.plotly_chart(smaa_figure(sm), key="rb.smaa.fig")
        m = len(sm.offers)
        acc = pd.DataFrame({_("offer"): list(sm.offers),
                            **{_("rank {rank} %").format(rank=r + 1): [
                                round(100 * float(sm.acceptability[i, r]), 2)
                                for i in range(m)] for r in range(m)}})
        st.caption(_("{n} weight vectors, seed {seed}.").format(
            n=format_number(sm.n_samples, 0), seed=sm.seed))
        st.dataframe(safe_frame(acc), hide_index=True, width="stretch", key="rb.smaa.table")

with tabs[3]:
    if not sup.exact:
        st.info(NOT_COMPUTED.format(reason=unsupported_words(sup.label)))
    elif len(elig) < 2:
        st.caption(TWO_NEEDED)
    else:
        others = [r.offer.offer_id for r in elig[1:]]
        who = st.selectbox(_("Offer that should lead"), others,
                           key=state.keep("rb.flip.offer", others[0], others))
        res = rb.flip(ev, level, who)
        st.text(flip_words(res))
        if res.weights_after is not None:
            st.plotly_chart(flip_figure(res), key="rb.flip.fig")
            st.dataframe(safe_frame(pd.DataFrame({
                _("criterion"): [f.criterion(c) for c in res.criteria],
                _("weight now"): [pct(w) for w in res.weights_before],
                _("weight needed"): [pct(w) for w in res.weights_after],
                _("change (points of %)"): [signed(100 * (a - b), 1) for a, b in
                                            zip(res.weights_after, res.weights_before,
                                                strict=True)]})),
                hide_index=True, width="stretch")
    rev = rb.reversal(ev) if len(elig) >= 3 else None
    if rev is not None and rev.found:
        st.warning(_("Rank reversal: removing one offer changes the order of two others. "
                     "The ranking depends on which offers take part:"))
        st.text("\n".join(reversal_words(r) for r in rev.reversals))
    elif rev is not None:
        st.caption(_("No rank reversal ({method}): removing any one eligible offer leaves the "
                     "order of the others as it is.").format(method=label))

with tabs[4]:
    what_if_section(ev)
