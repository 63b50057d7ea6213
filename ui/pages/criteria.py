"""Criteria & weights: the working scenario, edited.

Every change goes through ``state.edit``: the core (``parse_scenario_doc``) checks the whole
scenario before the change is kept, and a refused change is shown as the core's located problem
in plain words (the working scenario stays as it was). The page computes no score; the shares
shown are the weights normalised (what the core does with them: weights are relative).
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pandas as pd
import streamlit as st
import yaml

from scoring.errors import HostwiseError, ScenarioError
from scoring.i18n import _, format_number, language
from scoring.io.catalogue_text import label
from scoring.io.yamlsafe import YamlReadError, load_yaml
from scoring.methods.registry import DEFAULT_METHOD, METHODS
from scoring.scenario.model import MAX_SCENARIO_BYTES
from ui import state
from ui.components import fmt as f
from ui.components.ahp_entry import ahp_entry
from ui.components.glossary import helptext, method_help
from ui.components.header import show_error
from ui.components.safe import safe_frame

ERR = "crit.error"


def _apply(path: tuple[str, ...], value: Any, words: str) -> None:
    """One edit; a refusal is kept for the next run to show (the page reruns after an edit)."""
    try:
        state.edit(path, value, words)
    except HostwiseError as exc:
        st.session_state[ERR] = exc


def _weight(node: Any) -> float:
    if isinstance(node, dict):
        return float(node.get("weight", 0) or 0)
    return float(node or 0)


def _pillar_table(weights: dict[str, Any]) -> None:
    st.subheader(_("Pillars"), help=_("Weights are relative: the share is what counts."))
    P, W, S = _("pillar"), _("weight"), _("share")
    total = sum(_weight(weights.get(p)) for p in weights) or 1.0
    df = pd.DataFrame([{P: _(p), W: _weight(weights.get(p)),
                        S: _weight(weights.get(p)) / total} for p in weights])
    out = st.data_editor(df, key="crit.pillars", hide_index=True, disabled=[P, S],
                         column_config={W: st.column_config.NumberColumn(
                             min_value=0.0, step=1.0, format="%.2f"),
                             S: st.column_config.NumberColumn(format="percent")})
    st.caption(_("Sum of weights {sum}; shares are normalised to 100%.").format(
        sum=f.decimal(f"{df[W].sum():.2f}")))
    changed = [(p, w) for p, w, old in zip(list(weights), out[W], df[W], strict=True)
               if w != old]
    if changed:
        new = copy.deepcopy(weights)
        for p, w in changed:
            val = None if pd.isna(w) else float(w)
            node = new.get(p)
            new[p] = {**node, "weight": val} if isinstance(node, dict) else {"weight": val}
        _apply(("weights",), new, "; ".join(_("{pillar} weight -> {weight}").format(
            pillar=_(p), weight=w) for p, w in changed))
        del st.session_state["crit.pillars"]
        st.rerun()


def _criteria_of(p: str, weights: dict[str, Any], sov: Any,
                 leaves: list[tuple[str, str, float]]) -> tuple[dict[str, float], bool]:
    """A pillar's criteria with their weights as written (or the defaults the core used, from
    the evaluated leaves: equal, or the EU CSF weights for sovereignty), and whether written."""
    node = weights.get(p)
    given = node.get("criteria") if isinstance(node, dict) else None
    if p == "sovereignty" and isinstance(sov, dict) and isinstance(sov.get("weights"), dict):
        given = sov["weights"]
    if isinstance(given, dict):
        return {c: _weight(v) for c, v in given.items()}, True
    return {c: round(w * 100, 4) for q, c, w in leaves if q == p}, False


def _criteria_table(weights: dict[str, Any], sov: Any,
                    leaves: list[tuple[str, str, float]]) -> None:
    st.subheader(_("Criteria within each pillar"),
                 help=_("A criterion's share of the total = pillar share × its share in the "
                        "pillar. Sovereignty criteria are the EU CSF objectives SOV-1..SOV-8 "
                        "(scenario field sovereignty.weights)."))
    P, C, L, W = _("pillar"), _("criterion"), _("label"), _("weight")
    SP, ST = _("share in pillar"), _("share of total")
    ptotal = sum(_weight(weights.get(p)) for p in weights) or 1.0
    cat = state.catalogue()  # its words for each criterion, in the run's language
    rows = []
    ids: list[str] = []
    for p in weights:
        vals, _given = _criteria_of(p, weights, sov, leaves)
        if len(vals) < 2:
            continue
        s = sum(vals.values()) or 1.0
        for c, v in vals.items():
            rows.append({P: _(p), C: c,
                         L: label(cat, "criterion", p, c) if p in cat.pillars and c in
                         cat.pillars[p].criteria else c,
                         W: v, SP: v / s, ST: _weight(weights.get(p)) / ptotal * v / s})
            ids.append(p)
    if not rows:
        return
    df = pd.DataFrame(rows)
    out = st.data_editor(df, key="crit.criteria", hide_index=True,
                         disabled=[P, C, L, SP, ST],
                         column_config={W: st.column_config.NumberColumn(
                             min_value=0.0, step=1.0, format="%.2f"),
                             SP: st.column_config.NumberColumn(format="percent"),
                             ST: st.column_config.NumberColumn(format="percent")})
    st.caption(_("Criteria not written in the scenario show the weights the core used (equal, "
                 "or the EU CSF defaults); editing one writes them all for that pillar."))
    out = out.assign(_id=ids)  # the pillar ids behind the translated names
    diff = out[W].to_numpy() != df[W].to_numpy()
    for p in sorted(set(out.loc[diff, "_id"])):
        part = out[out["_id"] == p]
        crit = {c: (None if pd.isna(w) else float(w))
                for c, w in zip(part[C], part[W], strict=True)}
        words = _("{pillar} criteria -> {weights}").format(
            pillar=_(p), weights=", ".join(f"{c} {w}" for c, w in crit.items()))
        if p == "sovereignty":
            _apply(("sovereignty", "weights"), crit, words)
            continue
        got = weights.get(p)
        pnode: dict[str, Any] = got if isinstance(got, dict) else {"weight": _weight(got)}
        old: dict[str, Any] = (pnode["criteria"] if isinstance(pnode.get("criteria"), dict)
                               else {})
        merged = {c: ({**old[c], "weight": w} if isinstance(old.get(c), dict) else w)
                  for c, w in crit.items()}
        _apply(("weights",), {**weights, p: {**pnode, "criteria": merged}}, words)
    if diff.any():
        del st.session_state["crit.criteria"]
        st.rerun()


def _gates(w: state.Working) -> None:
    st.subheader(_("Gates"), help=helptext("gate"))
    ON, G, L, R = _("on"), _("gate"), _("label"), _("reason")
    on = list(w.doc.get("gates") or [])
    rows = [{ON: True, G: g.get("id"), L: g.get("label") or "",
             R: g.get("reason") or ""} for g in on]
    rows += [{ON: False, G: g.get("id"), L: g.get("label") or "",
              R: g.get("reason") or ""} for g in w.gates_off]
    if not rows:
        st.caption(_("This scenario has no gates."))
        return
    df = pd.DataFrame(rows)
    out = st.data_editor(safe_frame(df), key="crit.gates", hide_index=True,
                         disabled=[G, L, R],
                         column_config={R: st.column_config.TextColumn(width="large")})
    if list(out[ON]) != list(df[ON]):
        keep_on = [g for g, flag in zip(on + w.gates_off, out[ON], strict=True) if flag]
        off = [g for g, flag in zip(on + w.gates_off, out[ON], strict=True) if not flag]
        try:
            state.edit(("gates",), keep_on, _("gates on: {gates}").format(gates=", ".join(
                str(g.get("id")) for g in keep_on) or _("none")))
            w.gates_off = off
        except HostwiseError as exc:
            st.session_state[ERR] = exc
        del st.session_state["crit.gates"]
        st.rerun()


def _rules(w: state.Working) -> None:
    st.subheader(_("Rules"))
    doc = w.doc
    c1, c2, c3 = st.columns(3)
    day = dt.date.fromisoformat(str(doc.get("evaluation_date")))
    new_day = c1.date_input(_("Evaluation date"), value=day, min_value=dt.date(2010, 1, 1),
                            max_value=dt.date(2035, 12, 31), help=helptext("evaluation date"),
                            format="DD/MM/YYYY" if language() == "fr" else "YYYY/MM/DD")
    if new_day != day:
        _apply(("evaluation_date",), new_day.isoformat(),
               _("evaluation date -> {date}").format(date=f.date(new_day)))
        st.rerun()
    methods = list(METHODS)
    current = str(doc.get("method", DEFAULT_METHOD))
    m = c2.selectbox(_("Method"), methods, index=methods.index(current),
                     format_func=lambda x: _(METHODS[x].label), help=method_help())
    if m != current:
        _apply(("method",), m, _("method -> {method}").format(method=_(METHODS[m].label)))
        st.rerun()
    policies = ["worst", "exclude", "uncertain"]
    pol = c3.radio(_("Missing answers"), policies,
                   index=policies.index(str(doc.get("missing_policy", "worst"))),
                   format_func=_, help=helptext("missing-answer policy"))
    if pol != doc.get("missing_policy", "worst"):
        _apply(("missing_policy",), pol,
               _("missing-answer policy -> {policy}").format(policy=_(pol)))
        st.rerun()
    c4, c5, c6 = st.columns(3)
    pf = dict(doc.get("price_formula") or {})
    kinds = ["proportional", "linear", "relevance"]
    kind = c4.selectbox(_("Price formula"), kinds,
                        index=kinds.index(pf.get("kind", "proportional")), format_func=_,
                        help=helptext("price formula"))
    n = c5.number_input(_("Price formula n"), value=float(pf.get("n", 2.0)), step=0.5,
                        disabled=kind == "proportional")
    if kind != pf.get("kind", "proportional") or n != float(pf.get("n", 2.0)):
        _apply(("price_formula",), {"kind": kind, "n": n},
               _("price formula -> {kind}, n={n}").format(kind=_(kind), n=n))
        st.rerun()
    mc = doc.get("min_coverage")
    cov = c6.number_input(_("Minimum coverage (0 = none)"), min_value=0.0, max_value=1.0,
                          value=float(mc or 0.0), step=0.05, format="%.2f",
                          help=helptext("min coverage", "coverage"))
    if cov != float(mc or 0.0):
        _apply(("min_coverage",), cov or None,
               _("minimum coverage -> {share}").format(share=f.pct(cov)))
        st.rerun()


def _files(w: state.Working) -> None:
    st.subheader(_("The working scenario as a file"))
    c1, c2, c3 = st.columns([1, 2, 1])
    c1.download_button(_("Download YAML"), yaml.safe_dump(w.doc, sort_keys=False,
                                                       allow_unicode=True),
                       file_name=f"{w.doc.get('id', 'scenario')}-working.yaml",
                       mime="application/x-yaml", on_click="ignore")
    up = c2.file_uploader(_("Upload a scenario (YAML, at most 256 KiB)"), type=["yaml", "yml"],
                          key="crit.upload")
    if up is not None and st.session_state.get("crit.loaded") != up.file_id:
        st.session_state["crit.loaded"] = up.file_id
        _upload(up.name, up.getvalue())
    if c3.button(_("Reset to the bundled scenario"),
                 disabled=w.bundled is None and not w.edits):
        state.reset()
        st.rerun()


def _upload(name: str, data: bytes) -> None:
    """Server-side checks again (size, extension, content), then the core's strict reader."""
    if not name.lower().endswith((".yaml", ".yml")):
        st.error(_("A scenario must be a .yaml or .yml file."))
        return
    if len(data) > MAX_SCENARIO_BYTES:
        st.error(_("This file is {size} bytes; a scenario may hold at most {most}.").format(
            size=format_number(len(data), 0), most=format_number(MAX_SCENARIO_BYTES, 0)))
        return
    try:
        doc = load_yaml(data, MAX_SCENARIO_BYTES)
    except YamlReadError as exc:
        st.error(_("This file is not a scenario the strict YAML reader accepts:"))
        st.text("\n".join(f"{loc}: {msg}" for loc, msg in exc.problems))
        return
    if not isinstance(doc, dict):
        st.error(_("A scenario file must hold a mapping (keys such as id, title, weights)."))
        return
    try:
        state.use_uploaded(doc, name)
    except HostwiseError as exc:
        show_error(exc, _("This scenario was not loaded (the working scenario is unchanged):"))
        return
    st.rerun()


ev = state.evaluation()  # the header above it is app.py's
w = state.working()
if (err := st.session_state.pop(ERR, None)) is not None:
    what = (_("That change was refused; the working scenario is as it was:")
            if isinstance(err, ScenarioError | HostwiseError) else _("That change was refused:"))
    show_error(err, what)
weights = dict(w.doc.get("weights") or {})
left, right = st.columns([2, 3])
with left:
    _pillar_table(weights)
with right:
    _criteria_table(weights, w.doc.get("sovereignty"), list(dict.fromkeys(
        (lf.pillar, lf.criterion, lf.w_criterion) for lf in ev.leaves)))
with st.expander(_("Set the pillar weights by pairwise comparison (AHP)")):
    pillars = [p for p in ev.pillars if p in weights]
    if len(pillars) >= 2:
        ahp_entry(pillars, weights)
_gates(w)
_rules(w)
_files(w)
if w.edits:
    st.subheader(_("Changes in this session"))
    st.text("\n".join(f"{i}. {e}" for i, e in enumerate(w.edits, 1)))
