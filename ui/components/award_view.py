"""How an award reads on the page: the table of lots, cost and value, the binding rules, ties,
and, when no award exists, the reasons in words with the fixes the core verified.

All figures come from ``AllocationResult`` / ``FrontierPoint`` and the problem's bids (the
numbers of ``hostwise allocate``); this module only lays them out, formatted (€ with thousands
separators, 2-decimal values, "—" for a missing figure).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import streamlit as st

from scoring.allocation import AllocationResult, FrontierPoint
from scoring.award import AwardContext
from ui.components.award import bid_table
from ui.components.fmt import DASH, money, score
from ui.components.safe import safe_frame

_STATUS = {
    "optimal": "Best award under every rule (proven optimal).",
    "feasible": "Time limit reached: the best award found, not proven optimal.",
    "infeasible": "No award satisfies every rule.",
    "unknown": "Time limit reached before any award was found.",
}


def award_frame(ctx: AwardContext, assignment: Mapping[str, str],
                shares: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """One row per lot (one per offer for a split lot): offer, annual cost, value, SEAL."""
    bids = bid_table(ctx)
    rows = []
    for lot in ctx.scenario.lots:
        split = shares.get(lot.id)
        parts = dict(split) if split else ({assignment[lot.id]: 1.0} if lot.id in assignment
                                           else {})
        if not parts:
            rows.append({"lot": lot.id, "name": lot.name, "offer": DASH, "share": DASH,
                         "annual cost": DASH, "value": DASH, "SEAL": DASH})
        for offer, share in parts.items():
            b = bids.get((lot.id, offer))
            rows.append({
                "lot": lot.id, "name": lot.name, "offer": offer,
                "share": f"{share:.0%}",
                "annual cost": money(None if b is None else b.cost * share),
                "value": score(None if b is None else b.value),
                "SEAL": DASH if b is None or b.seal is None else str(b.seal)})
    return pd.DataFrame(rows)


def _fixes(res: AllocationResult) -> pd.DataFrame:
    rows = []
    for rel in res.relaxation_details:
        for f in rel.fixes:
            rows.append({"why no award": rel.message, "a fix": f.text,
                         "works": "alone" if f.alone else (
                             "with " + f.together_text if f.together_with
                             else "not verified")})
    return pd.DataFrame(rows)


_KIND = {"unpriced": "missing prices", "coverage": "lot nobody can take",
         "rules": "rules in conflict"}


def causes_frame(res: AllocationResult) -> pd.DataFrame:
    """One row per cause of "no award" (the core's grouped lines, ``hostwise allocate``)."""
    return pd.DataFrame([{"cause": _KIND.get(c.kind, c.kind), "lots": ", ".join(c.lots) or DASH,
                          "what must give": c.message} for c in res.causes])


def _quote(price: float | None) -> str:
    if price is None:
        return "no price wins"
    if math.isinf(price):
        return "any price wins"
    return "≤ " + money(math.floor(price))  # rounded down: the figure shown still wins


def quotes_frame(res: AllocationResult) -> pd.DataFrame:
    """One row per (lot, offer waiting for a quote): the winning quote."""
    return pd.DataFrame([{"lot": q.lot, "offer": q.offer, "winning quote (per year)":
                          _quote(q.price)} for c in res.causes for q in c.winning_quotes])


def _causes_view(res: AllocationResult) -> None:
    """The causes as a short table (one row each), the winning quotes as another; the long
    explanation (every sentence, every offer's reason, the fixes checked) behind an expander."""
    if res.causes:
        st.dataframe(safe_frame(causes_frame(res)), hide_index=True, width="stretch",
                     key="al.causes")
    quotes = quotes_frame(res)
    if not quotes.empty:
        st.caption("Winning quote: the highest annual price of the missing lines at which the "
                   "offer would be awarded the lot (found by solving the award again; the "
                   "offer's score held as it is without a price).")
        st.dataframe(safe_frame(quotes), hide_index=True, width="stretch", key="al.quotes")
    with st.expander("Every reason, and the fixes checked", expanded=not res.causes):
        st.text("\n".join(f"- {r}" for r in res.relaxations) or DASH)
        for rel in res.relaxation_details:
            if rel.detail:
                st.text(rel.detail)
        fixes = _fixes(res)
        if not fixes.empty:
            st.caption("Each fix was checked by solving again ('alone': with every other rule "
                       "as stated).")
            st.dataframe(safe_frame(fixes), hide_index=True, width="stretch", key="al.fixes")


def award_view(ctx: AwardContext, res: AllocationResult) -> None:
    sc = ctx.scenario
    if res.status != "infeasible":
        st.text(_STATUS.get(res.status, res.status)
                + (f" {res.message}" if res.message else ""))
    if res.status == "infeasible":
        st.warning("No award satisfies the rules. What must give:")
        _causes_view(res)
    else:
        st.dataframe(safe_frame(award_frame(ctx, res.assignment, res.shares)), hide_index=True,
                     width="stretch", key="al.award")
        c1, c2, c3 = st.columns(3)
        c1.metric("Annual cost", money(res.cost),
                  help=f"Includes migration spread over the term: {money(res.migration_cost)}")
        c2.metric("Value (sum of lot totals)", score(res.value))
        c3.metric("Budget", money(sc.allocation.budget))
        if sc.allocation.budget_source:
            st.caption(f"Budget source: {sc.allocation.budget_source}")
        if res.binding:
            st.text("Binding rules (relaxing one alone would improve the award):\n"
                    + "\n".join(f"- {b}" for b in res.binding))
        elif res.binding_checked:
            st.caption("No rule binds: relaxing any one alone would not improve the award.")
        if res.ties:
            alt = res.alternative
            st.warning("Tie: another award reaches the same objective. The tie was broken as "
                       "the core states; the other award is:")
            if alt is not None:
                st.dataframe(safe_frame(award_frame(ctx, alt.assignment, alt.shares)),
                             hide_index=True, width="stretch", key="al.alt")
    for n in res.notes:
        st.caption(n)
    if res.cut_short:
        st.caption("Cut short by the time limit: " + ", ".join(res.cut_short))
    st.caption(f"Depends on assumptions: {', '.join(ctx.assumption_labels)}."
               + (f" {ctx.seal_note}." if ctx.seal_note else ""))


def point_view(ctx: AwardContext, p: FrontierPoint) -> None:
    """The award at one point of the frontier (or why there is none)."""
    floor = "the lots' own floors" if p.floor is None else (
        f"SEAL ≥ {p.floor:g} on every lot" if p.kind == "seal"
        else f"legal utility ≥ {p.floor:g} on every lot")
    if p.cost is None:
        head = f"With {floor}: no award ({p.status})."
        if len(p.message) <= 300:
            st.text(f"{head} {p.message}")
        else:
            st.text(f"{head} {p.message[:300]}…")
            with st.expander("Every reason"):
                st.text(p.message)
        return
    st.text(f"With {floor}: annual cost {money(p.cost)}, value {score(p.value)}"
            + (" (dominated: another point is cheaper or better at a floor at least as high)"
               if p.dominated else ""))
    st.dataframe(safe_frame(award_frame(ctx, p.assignment, p.shares)), hide_index=True,
                 width="stretch", key="al.point.table")
