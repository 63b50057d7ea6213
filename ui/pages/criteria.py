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
from scoring.io.catalogue_text import label
from scoring.io.yamlsafe import YamlReadError, load_yaml
from scoring.methods.registry import DEFAULT_METHOD, METHODS
from scoring.scenario.model import MAX_SCENARIO_BYTES
from ui import state
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
    st.subheader("Pillars", help="Weights are relative: the share is what counts.")
    total = sum(_weight(weights.get(p)) for p in weights) or 1.0
    df = pd.DataFrame([{"pillar": p, "weight": _weight(weights.get(p)),
                        "share": _weight(weights.get(p)) / total} for p in weights])
    out = st.data_editor(df, key="crit.pillars", hide_index=True, disabled=["pillar", "share"],
                         column_config={"weight": st.column_config.NumberColumn(
                             min_value=0.0, step=1.0, format="%.2f"),
                             "share": st.column_config.NumberColumn(format="percent")})
    st.caption(f"Sum of weights {df['weight'].sum():.2f}; shares are normalised to 100%.")
    changed = [(p, w) for p, w, old in zip(out["pillar"], out["weight"], df["weight"],
                                            strict=True) if w != old]
    if changed:
        new = copy.deepcopy(weights)
        for p, w in changed:
            val = None if pd.isna(w) else float(w)
            node = new.get(p)
            new[p] = {**node, "weight": val} if isinstance(node, dict) else {"weight": val}
        _apply(("weights",), new, "; ".join(f"{p} weight -> {w}" for p, w in changed))
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
    st.subheader("Criteria within each pillar",
                 help="A criterion's share of the total = pillar share × its share in the "
                      "pillar. Sovereignty criteria are the EU CSF objectives SOV-1..SOV-8 "
                      "(scenario field sovereignty.weights).")
    ptotal = sum(_weight(weights.get(p)) for p in weights) or 1.0
    cat = state.catalogue()  # its words for each criterion, in the run's language
    rows = []
    for p in weights:
        vals, _given = _criteria_of(p, weights, sov, leaves)
        if len(vals) < 2:
            continue
        s = sum(vals.values()) or 1.0
        for c, v in vals.items():
            rows.append({"pillar": p, "criterion": c,
                         "label": label(cat, "criterion", p, c) if p in cat.pillars and c in
                         cat.pillars[p].criteria else c,
                         "weight": v, "share in pillar": v / s,
                         "share of total": _weight(weights.get(p)) / ptotal * v / s})
    if not rows:
        return
    df = pd.DataFrame(rows)
    out = st.data_editor(df, key="crit.criteria", hide_index=True,
                         disabled=["pillar", "criterion", "label", "share in pillar",
                                   "share of total"],
                         column_config={"weight": st.column_config.NumberColumn(
                             min_value=0.0, step=1.0, format="%.2f"),
                             "share in pillar": st.column_config.NumberColumn(format="percent"),
                             "share of total": st.column_config.NumberColumn(format="percent")})
    st.caption("Criteria not written in the scenario show the weights the core used (equal, or "
               "the EU CSF defaults); editing one writes them all for that pillar.")
    diff = out["weight"].to_numpy() != df["weight"].to_numpy()
    for p in sorted(set(out.loc[diff, "pillar"])):
        part = out[out["pillar"] == p]
        crit = {c: (None if pd.isna(w) else float(w))
                for c, w in zip(part["criterion"], part["weight"], strict=True)}
        words = f"{p} criteria -> " + ", ".join(f"{c} {w}" for c, w in crit.items())
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
    st.subheader("Gates", help=helptext("gate"))
    on = list(w.doc.get("gates") or [])
    rows = [{"on": True, "gate": g.get("id"), "label": g.get("label") or "",
             "reason": g.get("reason") or ""} for g in on]
    rows += [{"on": False, "gate": g.get("id"), "label": g.get("label") or "",
              "reason": g.get("reason") or ""} for g in w.gates_off]
    if not rows:
        st.caption("This scenario has no gates.")
        return
    df = pd.DataFrame(rows)
    out = st.data_editor(safe_frame(df), key="crit.gates", hide_index=True,
                         disabled=["gate", "label", "reason"],
                         column_config={"reason": st.column_config.TextColumn(width="large")})
    if list(out["on"]) != list(df["on"]):
        keep_on = [g for g, flag in zip(on + w.gates_off, out["on"], strict=True) if flag]
        off = [g for g, flag in zip(on + w.gates_off, out["on"], strict=True) if not flag]
        try:
            state.edit(("gates",), keep_on, "gates on: " + (", ".join(
                str(g.get("id")) for g in keep_on) or "none"))
            w.gates_off = off
        except HostwiseError as exc:
            st.session_state[ERR] = exc
        del st.session_state["crit.gates"]
        st.rerun()


def _rules(w: state.Working) -> None:
    st.subheader("Rules")
    doc = w.doc
    c1, c2, c3 = st.columns(3)
    day = dt.date.fromisoformat(str(doc.get("evaluation_date")))
    new_day = c1.date_input("Evaluation date", value=day, min_value=dt.date(2010, 1, 1),
                            max_value=dt.date(2035, 12, 31), help=helptext("evaluation date"))
    if new_day != day:
        _apply(("evaluation_date",), new_day.isoformat(), f"evaluation date -> {new_day}")
        st.rerun()
    methods = list(METHODS)
    current = str(doc.get("method", DEFAULT_METHOD))
    m = c2.selectbox("Method", methods, index=methods.index(current),
                     format_func=lambda x: METHODS[x].label, help=method_help())
    if m != current:
        _apply(("method",), m, f"method -> {METHODS[m].label}")
        st.rerun()
    policies = ["worst", "exclude", "uncertain"]
    pol = c3.radio("Missing answers", policies,
                   index=policies.index(str(doc.get("missing_policy", "worst"))),
                   help=helptext("missing-answer policy"))
    if pol != doc.get("missing_policy", "worst"):
        _apply(("missing_policy",), pol, f"missing-answer policy -> {pol}")
        st.rerun()
    c4, c5, c6 = st.columns(3)
    pf = dict(doc.get("price_formula") or {})
    kinds = ["proportional", "linear", "relevance"]
    kind = c4.selectbox("Price formula", kinds, index=kinds.index(pf.get("kind", "proportional")),
                        help=helptext("price formula"))
    n = c5.number_input("Price formula n", value=float(pf.get("n", 2.0)), step=0.5,
                        disabled=kind == "proportional")
    if kind != pf.get("kind", "proportional") or n != float(pf.get("n", 2.0)):
        _apply(("price_formula",), {"kind": kind, "n": n}, f"price formula -> {kind}, n={n}")
        st.rerun()
    mc = doc.get("min_coverage")
    cov = c6.number_input("Minimum coverage (0 = none)", min_value=0.0, max_value=1.0,
                          value=float(mc or 0.0), step=0.05, format="%.2f",
                          help=helptext("min coverage", "coverage"))
    if cov != float(mc or 0.0):
        _apply(("min_coverage",), cov or None, f"minimum coverage -> {cov:.0%}")
        st.rerun()


def _files(w: state.Working) -> None:
    st.subheader("The working scenario as a file")
    c1, c2, c3 = st.columns([1, 2, 1])
    c1.download_button("Download YAML", yaml.safe_dump(w.doc, sort_keys=False,
                                                       allow_unicode=True),
                       file_name=f"{w.doc.get('id', 'scenario')}-working.yaml",
                       mime="application/x-yaml")
    up = c2.file_uploader("Upload a scenario (YAML, at most 256 KiB)", type=["yaml", "yml"],
                          key="crit.upload")
    if up is not None and st.session_state.get("crit.loaded") != up.file_id:
        st.session_state["crit.loaded"] = up.file_id
        _upload(up.name, up.getvalue())
    if c3.button("Reset to the bundled scenario", disabled=w.bundled is None and not w.edits):
        state.reset()
        st.rerun()


def _upload(name: str, data: bytes) -> None:
    """Server-side checks again (size, extension, content), then the core's strict reader."""
    if not name.lower().endswith((".yaml", ".yml")):
        st.error("A scenario must be a .yaml or .yml file.")
        return
    if len(data) > MAX_SCENARIO_BYTES:
        st.error(f"This file is {len(data):,} bytes; a scenario may hold at most "
                 f"{MAX_SCENARIO_BYTES:,}.")
        return
    try:
        doc = load_yaml(data, MAX_SCENARIO_BYTES)
    except YamlReadError as exc:
        st.error("This file is not a scenario the strict YAML reader accepts:")
        st.text("\n".join(f"{loc}: {msg}" for loc, msg in exc.problems))
        return
    if not isinstance(doc, dict):
        st.error("A scenario file must hold a mapping (keys such as id, title, weights).")
        return
    try:
        state.use_uploaded(doc, name)
    except HostwiseError as exc:
        show_error(exc, "This scenario was not loaded (the working scenario is unchanged):")
        return
    st.rerun()


ev = state.evaluation()  # the header above it is app.py's
w = state.working()
if (err := st.session_state.pop(ERR, None)) is not None:
    what = ("That change was refused; the working scenario is as it was:"
            if isinstance(err, ScenarioError | HostwiseError) else "That change was refused:")
    show_error(err, what)
weights = dict(w.doc.get("weights") or {})
left, right = st.columns([2, 3])
with left:
    _pillar_table(weights)
with right:
    _criteria_table(weights, w.doc.get("sovereignty"), list(dict.fromkeys(
        (lf.pillar, lf.criterion, lf.w_criterion) for lf in ev.leaves)))
with st.expander("Set the pillar weights by pairwise comparison (AHP)"):
    pillars = [p for p in ev.pillars if p in weights]
    if len(pillars) >= 2:
        ahp_entry(pillars, weights)
_gates(w)
_rules(w)
_files(w)
if w.edits:
    st.subheader("Changes in this session")
    st.text("\n".join(f"{i}. {e}" for i, e in enumerate(w.edits, 1)))
