"""Ranking page: one scenario's result, its exclusions, and how any offer's total was built.

Display only: every number comes from ``scoring.engine`` and ``scoring.report`` (the CLI's
``rank`` and ``explain`` read the same objects). Vendor text goes through dataframes and
``st.text``, never HTML.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from scoring.engine import evaluate_path
from scoring.errors import HostwiseError
from scoring.methods.registry import METHODS
from scoring.report.explain import explain_data
from ui.components.safe import content_key, safe_frame

DATA = Path(__file__).resolve().parents[2] / "data"
SCENARIOS = DATA / "scenarios"


@st.cache_data(show_spinner="Scoring...", max_entries=64)
def _rank(path: str, method: str, key: str) -> tuple[dict, pd.DataFrame, pd.DataFrame, list[str]]:
    """``key`` is the content hash of the data: the cache never outlives an edited file."""
    ev = evaluate_path(path, method)
    head = {"title": ev.scenario.title, "date": ev.evaluation_date.isoformat(),
            "hash": ev.hash, "policy": ev.scenario.missing_policy,
            "workload": ev.scenario.workload.label,
            "reasoning": ev.scenario.workload.reasoning}
    table = ev.table()
    gates = ev.gate_table()
    return (head, safe_frame(table), safe_frame(gates[~gates["passed"]]),
            [r.offer.offer_id for r in ev.results])


@st.cache_data(show_spinner=False, max_entries=256)
def _explain(path: str, method: str, offer: str, key: str) -> dict:
    return explain_data(evaluate_path(path, method), offer)


st.title("Ranking")
files = sorted(p.name for p in SCENARIOS.glob("*.yaml"))
c1, c2 = st.columns([3, 1])
name = c1.selectbox("Scenario", files, index=files.index("hdh-2026-j0.yaml")
                    if "hdh-2026-j0.yaml" in files else 0)
method = c2.radio("Aggregation", list(METHODS), horizontal=True,
                  format_func=lambda m: METHODS[m].label,
                  help="\n\n".join(f"{m.label}: {m.summary}" for m in METHODS.values()))
path = str(SCENARIOS / name)
try:
    key = content_key([DATA])
    head, table, failed, offers = _rank(path, method, key)
except HostwiseError as exc:
    st.error("This scenario could not be scored:")
    st.text(str(exc))
    st.stop()

st.subheader(head["title"])
st.caption(f"Evaluation date {head['date']} · missing answers: {head['policy']} · "
           f"scenario hash {head['hash'][:16]}…")
st.info(f"Costs depend on {head['workload']}: {head['reasoning']}")
cols = ["rank", "offer", "vendor", "total", "technical", "cost", "legal", "sovereignty",
        "annual_cost", "seal", "coverage", "eligible", "excluded_by"]
show = table[cols].rename(columns={"annual_cost": "annual cost (EUR)", "seal": "overall SEAL"})
st.dataframe(show, hide_index=True, width="stretch",
             column_config={"total": st.column_config.NumberColumn(format="%.2f"),
                            "coverage": st.column_config.NumberColumn("answered",
                                                                      format="percent")})
if not failed.empty:
    st.markdown("**Why offers were excluded** (a gate fails when its answer is not "
                "demonstrated: unknown is not yes)")
    failed = failed.assign(offer=failed["offer"].str.split("/").str[-1])
    st.dataframe(failed[["offer", "label", "reason"]], hide_index=True, width="stretch")

st.divider()
st.subheader("How a total was built")
pick = st.selectbox("Offer", offers)
d = _explain(path, method, pick, key)
status = f"rank {d['rank']}" if d["eligible"] else "excluded"
total = "—" if d["total"] is None else f"{d['total']:.2f}"
st.text(f"{d['vendor']}: {status} under {d['method_label']}, total {total} "
        f"(answered weight {d['coverage']:.0%})")
tp = d.get("topsis")
if tp is not None and tp["scored"]:
    st.text(f"TOPSIS closeness = S- / (S+ + S-) = {tp['s_minus']:.4f} / ({tp['s_plus']:.4f} + "
            f"{tp['s_minus']:.4f}) = {tp['closeness']:.4f}")
    st.caption("Distance to the ideal and the anti-ideal, question by question (largest first)")
    st.dataframe(safe_frame(pd.DataFrame(tp["leaves"])), hide_index=True, width="stretch")
    st.text(f"Weighted sum of the same answers: total {tp['wsm']['total']:.2f}, rank "
            f"{tp['wsm']['rank'] or '—'}.")
    st.caption(tp["why_orders_differ"])
    st.caption("Weighted-sum view of the same answers (for comparison)")
elif tp is not None:
    st.text(f"TOPSIS: not scored ({tp['reason']}).")
rows = pd.DataFrame(d["rows"])[["pillar", "question", "answer", "confidence", "utility",
                                "effective_weight", "contribution", "reason"]]
st.dataframe(safe_frame(rows), hide_index=True, width="stretch")
lc, sc = st.columns(2)
with lc:
    st.markdown(f"**Legal exposure on {d['evaluation_date']}: {d['legal']['utility']:.0f}/100**")
    st.dataframe(safe_frame(pd.DataFrame(d["legal"]["findings"])), hide_index=True,
                 width="stretch")
with sc:
    seal = d["seal"]["overall"]
    st.markdown(f"**EU Cloud Sovereignty Framework: overall SEAL "
                f"{'-' if seal is None else seal}"
                f"{'' if d['seal']['complete'] else ' (ceiling: objectives unknown)'}**")
    st.dataframe(safe_frame(pd.DataFrame(d["seal"]["objectives"])), hide_index=True,
                 width="stretch")
if d["warnings"]:
    st.markdown("**Evidence warnings**")
    for w in d["warnings"]:
        st.text(f"- {w}")
