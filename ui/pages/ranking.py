"""Ranking page: who leads the working scenario and why, its exclusions, and how a total was
built under the method selected.

Display only: every number is the core's (``Evaluation``, ``scoring.report.ranking.rank_json``,
``scoring.report.explain.explain_data``), the same objects as ``hostwise rank`` and ``explain``.
Vendor text goes through dataframes and ``st.text``, never HTML or Markdown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from scoring.engine import Evaluation
from scoring.engine.admission import could_lead
from scoring.engine.policy import has_intervals
from scoring.errors import HostwiseError
from scoring.i18n import _
from scoring.methods.registry import METHODS
from scoring.report.explain import explain_data, figures_line
from scoring.report.ranking import admission_words
from scoring.scenario.texts import gate_label
from ui import state
from ui.components import charts
from ui.components import fmt as f
from ui.components.glossary import helptext, method_help
from ui.components.header import show_error
from ui.components.safe import safe_frame
from ui.components.words import display_names, gate_counts, lead_sentence


def _set_method() -> None:
    try:
        state.edit(("method",), st.session_state["rank.method"],
                   _("method set to {method}").format(
                       method=_(METHODS[st.session_state["rank.method"]].label)))
    except HostwiseError as exc:
        st.session_state["rank.error"] = exc


def _ranges(ev: Evaluation) -> tuple[Evaluation | None, str]:
    """The uncertain-policy twin of the working scenario (its total and rank ranges)."""
    if has_intervals(ev.policy):
        return ev, ""
    try:
        return state.working_variant(missing_policy="uncertain"), _(" (policy uncertain)")
    except HostwiseError:
        return None, ""


def _table(ev: Evaluation, unc: Evaluation | None, suffix: str) -> pd.DataFrame:
    rows: list[dict[str, str]] = []
    names = display_names(ev.results)
    for r in ev.results:
        u = None
        if unc is not None:
            try:
                u = unc.result(r.offer.offer_id)
            except KeyError:
                u = None
        rows.append({
            _("rank"): f.DASH if r.rank_label == "-" else r.rank_label,
            _("vendor"): names[r.offer.offer_id],
            _("offer"): r.offer.offer_id, _("total"): f.score(r.total),
            _("total range") + suffix: f.span(u.total_range if u else None),
            _("rank range") + suffix: f.rank_span(u.rank_range if u else None) + (
                _(" or excluded") if u and u.rank_range and u.eligibility == "undetermined"
                else ""),
            _("eligibility"): {"pass": _("pass"), "fail": _("excluded"),
                               "undetermined": _("undetermined")}[r.eligibility],
            _("annual cost"): f.money(r.cost.annual_cost, ev.scenario.currency),
            "SEAL": f.DASH if r.seal_overall is None else
            f"{r.seal_overall}{'' if r.seal_complete else '?'}",
            _("answered"): f.pct(r.coverage),
            **{_(p): f.score(r.pillars.get(p)) for p in ev.pillars},
            _("excluded by"): ", ".join(r.excluded_by) or f.DASH,
            _("undetermined by"): "; ".join(
                f"{gate_label(ev.scenario, g.gate, g.label)} ({', '.join(g.questions)})"
                for g in r.undetermined_by) or f.DASH,
        })
    return safe_frame(pd.DataFrame(rows))


def _bars(ev: Evaluation, unc: Evaluation | None, by_criterion: bool) -> None:
    ranked = [r for r in ev.results if r.rank is not None]
    if not ranked:
        return
    parts: dict[str, list[float]] = {}
    for r in ranked:
        for row in ev.contributions(r.offer.offer_id):
            k = f"{_(row['pillar'])}/{row['criterion']}" if by_criterion else _(row["pillar"])
            parts.setdefault(k, [0.0] * len(ranked))
            parts[k][ranked.index(r)] += row["contribution"]
    lows = highs = None
    if unc is not None:
        us = [unc.result(r.offer.offer_id) for r in ranked]
        lows = [None if u.total_range is None else u.total_range[0] for u in us]
        highs = [None if u.total_range is None else u.total_range[1] for u in us]
    totals = [r.total or 0.0 for r in ranked]
    colours = None if by_criterion else {_(p): c for p, c in charts.PILLAR_COLOURS.items()}
    fig = charts.contributions([r.offer.vendor_name for r in ranked], parts, totals, lows,
                               highs, colours)
    st.plotly_chart(fig, width="stretch")
    note = (_("Segments: weight × utility per pillar and criterion; the black tick is the "
              "total; whiskers: the total range with every unknown answer at its worst and at "
              "its best (policy uncertain).") if by_criterion else
            _("Segments: weight × utility per pillar; the black tick is the total; whiskers: "
              "the total range with every unknown answer at its worst and at its best (policy "
              "uncertain)."))
    label = _(METHODS[ev.method].label)
    if not METHODS[ev.method].linear:
        note += " " + _("Under {method} the total is not a sum of contributions: the segments "
                        "are the weighted-sum view of the same answers.").format(method=label)
    if unc is not None and any(u.range_exact is False for u in unc.results):
        note += " " + _("Under {method} the whiskers are an outer bound: every total the "
                        "unknown answers can give lies inside, the ends may not be "
                        "reached.").format(method=label)
    st.caption(note, help=helptext("total range", "utility"))


def _radar(ev: Evaluation) -> None:
    ids = [r.offer.offer_id for r in ev.results]
    names = {r.offer.offer_id: f"{r.offer.vendor_name} ({r.offer.offer_id})" for r in ev.results}
    first = [r.offer.offer_id for r in ev.results if r.rank is not None][:3] or ids[:2]
    key = state.keep("rank.radar", first)
    st.session_state[key] = [x for x in st.session_state[key] if x in ids][:4]
    pick = st.multiselect(_("Offers on the radar (up to four)"), ids, key=key, max_selections=4,
                          placeholder=_("Choose options"),
                          format_func=lambda o: names[o])
    if pick:
        series = {names[o]: [ev.result(o).pillars.get(p) for p in ev.pillars] for o in pick}
        st.plotly_chart(charts.radar([_(p) for p in ev.pillars], series), width="stretch")


def _exclusions(ev: Evaluation) -> None:
    rows = [{_("vendor"): r.offer.vendor_name, _("offer"): r.offer.offer_id,
             _("gate"): gate_label(ev.scenario, g.gate, g.label),
             _("reason"): f.reason(g.reason)}
            for r in ev.results if not r.eligible for g in r.gates if not g.passed]
    if not rows:
        return
    st.subheader(_("Exclusions"), help=helptext("gate"))
    st.caption(_("A gate fails when its answer is not demonstrated: unknown is not yes."))
    st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch",
                 column_config={_("reason"): st.column_config.TextColumn(width="large")})


def _method_section(d: dict[str, Any], md: dict[str, Any]) -> None:
    """The method's own decomposition, rendered from what the method declares (its columns,
    figures, remarks and note in ``scoring.methods.registry``): no method is known by name."""
    if not md["scored"]:
        st.text(_("{method}: not scored ({reason}).").format(method=_(md["label"]),
                                                             reason=md["reason"]))
        return
    st.text(_("How the {method} total was built: {figures}").format(
        method=_(md["label"]), figures=figures_line(md, d["total"])))
    st.caption(_(md["summary"]), help=method_help(md["method"]))
    cols = md["columns"]
    if cols:
        table = pd.DataFrame(md["leaves"])[["pillar", "question", "utility", "weight",
                                            *(c["key"] for c in cols)]]
        config = {"utility": st.column_config.NumberColumn(format="%.2f"),
                  "weight": st.column_config.NumberColumn(format="%.4f")}
        for c in cols:
            fmt_ = f"%.{c['digits']}{'e' if c['sci'] else 'f'}"
            config[c["key"]] = st.column_config.NumberColumn(c["label"], format=fmt_)
        table.columns = [_(c) if c in ("pillar", "question", "utility", "weight") else c
                         for c in table.columns]
        config = {(_(k) if k in ("utility", "weight") else k): v for k, v in config.items()}
        st.dataframe(safe_frame(table), hide_index=True, width="stretch", column_config=config)
    for line in md["remarks"]:
        st.text(line)
    rv = md["reference_view"]
    st.text(_("{view} of the same answers: total {total}, rank {rank}.").format(
        view=_(rv["label"]), total=f.score(rv["total"]), rank=f.integer(rv["rank"])))
    if md["note"]:
        st.caption(md["note"])
    st.caption(_("{view} view of the same answers (for comparison, not the ranking "
                 "shown):").format(view=_(rv["label"])))


def _explain(ev: Evaluation) -> None:
    st.subheader(_("How a total was built"), help=helptext("utility", "coverage"))
    ids = [r.offer.offer_id for r in ev.results]
    names = {r.offer.offer_id: f"{r.offer.vendor_name} ({r.offer.offer_id})" for r in ev.results}
    pick = st.selectbox(_("Offer"), ids, key=state.keep("rank.offer", ids[0], ids),
                        format_func=lambda o: names[o])
    d = explain_data(ev, pick)
    status = _("rank {rank}").format(rank=d["rank"]) if d["eligible"] else _("excluded")
    st.text(_("{vendor}: {status} under {method}, total {total} (answered weight "
              "{coverage})").format(vendor=d["vendor"], status=status,
                                    method=_(d["method_label"]), total=f.score(d["total"]),
                                    coverage=f.pct(d["coverage"])))
    md = d["method_detail"]
    if not md["linear"]:
        _method_section(d, md)
    rows = pd.DataFrame(d["rows"])[["pillar", "question", "answer", "confidence", "utility",
                                    "effective_weight", "contribution", "reason"]]
    rows["utility"] = rows["utility"].map(f.score)
    rows["answer"] = rows["answer"].map(f.core_word)
    rows["reason"] = rows["reason"].map(f.reason)
    rows["pillar"] = rows["pillar"].map(_)
    rows["confidence"] = rows["confidence"].map(lambda c: _(str(c)))
    rows["contribution"] = rows["contribution"].map(lambda x: f.score(x))
    rows["effective_weight"] = rows["effective_weight"].map(
        lambda x: f.DASH if f.missing(x) else f.decimal(f"{float(x):.4f}"))
    rows.columns = [_(c) if c != "effective_weight" else _("weight") for c in rows.columns]
    st.dataframe(safe_frame(rows), hide_index=True, width="stretch",
                 column_config={_("reason"): st.column_config.TextColumn(width="large")})
    if md["linear"]:
        st.text(_("Total = sum of contributions = {total}").format(total=f.score(d["total"])))
    lc, sc = st.columns(2)
    if d.get("legal") is not None:  # a tender without the legal module has no exposure
        with lc:
            st.text(_("Legal exposure on {date}: {utility}/100").format(
                date=f.date(d["evaluation_date"]), utility=f"{d['legal']['utility']:.0f}"))
            if d["legal"]["findings"]:
                findings = pd.DataFrame(d["legal"]["findings"])
                for col in ("label", "reason"):
                    findings[col] = findings[col].map(f.reason)
                findings["kind"] = findings["kind"].map(_)
                findings.columns = [_(c) for c in findings.columns]
                st.dataframe(safe_frame(findings), hide_index=True, width="stretch")
    if d.get("seal") is not None:  # nor SEAL levels without the sovereignty module
        with sc:
            seal = d["seal"]
            overall = f.integer(seal["overall"])
            st.text(_("EU Cloud Sovereignty Framework: overall sovereignty level (SEAL) {level} "
                      "of 4").format(level=overall) if seal["complete"] else
                    _("EU Cloud Sovereignty Framework: overall sovereignty level (SEAL) at most "
                      "{level} of 4 (some objectives unknown)").format(level=overall))
            objs = pd.DataFrame(seal["objectives"])
            if not objs.empty:
                objs["level"] = objs["level"].map(lambda v: f.DASH if v is None else str(v))
                objs["origin"] = objs["origin"].map(_)
                objs["reason"] = objs["reason"].map(f.reason)
                objs.columns = [_(c) for c in objs.columns]
                st.dataframe(safe_frame(objs), hide_index=True, width="stretch")
    if d["warnings"]:
        st.caption(_("Evidence warnings"))
        for w in d["warnings"]:
            st.text(f"- {f.reason(w)}")


ev = state.evaluation()  # the header above it is app.py's
if (err := st.session_state.pop("rank.error", None)) is not None:
    show_error(err, _("That method could not be applied to the working scenario:"))
st.session_state["rank.method"] = ev.scenario.method
st.radio(_("Aggregation method"), list(METHODS), key="rank.method", horizontal=True,
         on_change=_set_method, format_func=lambda m: _(METHODS[m].label), help=method_help())
sentence = lead_sentence(ev)
if ev.leader() is None:
    st.warning(_("No offer passes the gates, so nothing is ranked. Relax or switch off a gate "
                 "on Criteria & weights; the gates that exclude most are listed below."))
    st.dataframe(safe_frame(pd.DataFrame(gate_counts(ev),
                                         columns=[_("gate"), _("offers excluded")])),
                 hide_index=True)
with st.container(border=True):
    st.text(sentence)
    for line in [admission_words(ev, a) for a in could_lead(ev)]:
        st.text(line + ".")
unc, suffix = _ranges(ev)
by_crit = st.toggle(_("Split the bars by criterion"), key=state.keep("rank.bycrit", False))
_bars(ev, unc, by_crit)
st.dataframe(_table(ev, unc, suffix), hide_index=True, width="stretch",
             column_config={_("total"): st.column_config.TextColumn(
                 help=_("0-100, 2 decimals; '—' = not ranked (excluded)")),
                 "SEAL": st.column_config.TextColumn(help=_(
                     "Sovereignty level 0 to 4 of the EU Cloud Sovereignty Framework (the "
                     "lowest of its eight objectives); '2?' means at most 2, some objectives "
                     "being unknown.")),
                 _("answered"): st.column_config.TextColumn(help=helptext("coverage"))})
if suffix:
    st.caption(_("Total range and rank range: every unknown answer at its worst and at its "
                 "best (policy uncertain), beside the working policy's total."),
               help=helptext("total range", "rank range"))
_radar(ev)
_exclusions(ev)
st.divider()
_explain(ev)
