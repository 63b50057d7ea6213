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
from scoring.i18n import N_, _
from scoring.messages import render
from scoring.report.numbers import percent
from scoring.scenario.texts import text as sc_text
from ui.components.award import bid_table
from ui.components.fmt import DASH, money, score
from ui.components.safe import safe_frame

_STATUS = {
    "optimal": N_("Best award under every rule (proven optimal)."),
    "feasible": N_("Time limit reached: the best award found, not proven optimal."),
    "infeasible": N_("No award satisfies every rule."),
    "unknown": N_("Time limit reached before any award was found."),
}


def award_frame(ctx: AwardContext, assignment: Mapping[str, str],
                shares: Mapping[str, Mapping[str, float]]) -> pd.DataFrame:
    """One row per lot (one per offer for a split lot): offer, annual cost, value, SEAL."""
    bids = bid_table(ctx)
    rows = []
    for lot in ctx.scenario.lots:
        name = sc_text(ctx.scenario, f"lots.{lot.id}.name")
        split = shares.get(lot.id)
        parts = dict(split) if split else ({assignment[lot.id]: 1.0} if lot.id in assignment
                                           else {})
        if not parts:
            rows.append({_("lot"): lot.id, _("name"): name, _("offer"): DASH,
                         _("share"): DASH, _("annual cost"): DASH, _("value"): DASH,
                         "SEAL": DASH})
        for offer, share in parts.items():
            b = bids.get((lot.id, offer))
            rows.append({
                _("lot"): lot.id, _("name"): name, _("offer"): offer,
                _("share"): percent(share),
                _("annual cost"): money(None if b is None else b.cost * share),
                _("value"): score(None if b is None else b.value),
                "SEAL": DASH if b is None or b.seal is None else str(b.seal)})
    return pd.DataFrame(rows)


def _fixes(res: AllocationResult) -> pd.DataFrame:
    rows = []
    for rel in res.relaxation_details:
        for f in rel.fixes:
            rows.append({_("why no award"): render(rel.message), _("a fix"): f.text,
                         _("works"): _("alone") if f.alone else (
                             _("with {others}").format(others=f.together_text)
                             if f.together_with else _("not verified"))})
    return pd.DataFrame(rows)


_KIND = {"unpriced": N_("missing prices"), "coverage": N_("lot nobody can take"),
         "rules": N_("rules in conflict")}


def causes_frame(res: AllocationResult) -> pd.DataFrame:
    """One row per cause of "no award" (the core's grouped lines, ``hostwise allocate``)."""
    return pd.DataFrame([{_("cause"): _(_KIND.get(c.kind, c.kind)),
                          _("lots"): ", ".join(c.lots) or DASH,
                          _("what must give"): render(c.message)} for c in res.causes])


def _quote(price: float | None) -> str:
    if price is None:
        return _("no price wins")
    if math.isinf(price):
        return _("any price wins")
    return "≤ " + money(math.floor(price))  # rounded down: the figure shown still wins


def quotes_frame(res: AllocationResult) -> pd.DataFrame:
    """One row per (lot, offer waiting for a quote): the winning quote."""
    return pd.DataFrame([{_("lot"): q.lot, _("offer"): q.offer,
                          _("winning quote (per year)"): _quote(q.price)}
                         for c in res.causes for q in c.winning_quotes])


def _causes_view(res: AllocationResult) -> None:
    """The causes as a short table (one row each), the winning quotes as another; the long
    explanation (every sentence, every offer's reason, the fixes checked) behind an expander."""
    if res.causes:
        st.dataframe(safe_frame(causes_frame(res)), hide_index=True, width="stretch",
                     key="al.causes")
    quotes = quotes_frame(res)
    if not quotes.empty:
        st.caption(_("Winning quote: the highest annual price of the missing lines at which "
                     "the offer would be awarded the lot (found by solving the award again; "
                     "the offer's score held as it is without a price)."))
        st.dataframe(safe_frame(quotes), hide_index=True, width="stretch", key="al.quotes")
    with st.expander(_("Every reason, and the fixes checked"), expanded=not res.causes):
        st.text("\n".join(f"- {r}" for r in res.relaxations) or DASH)
        for rel in res.relaxation_details:
            if rel.detail:
                st.text(rel.detail)
        fixes = _fixes(res)
        if not fixes.empty:
            st.caption(_("Each fix was checked by solving again ('alone': with every other "
                         "rule as stated)."))
            st.dataframe(safe_frame(fixes), hide_index=True, width="stretch", key="al.fixes")


def award_view(ctx: AwardContext, res: AllocationResult) -> None:
    sc = ctx.scenario
    if res.status != "infeasible":
        st.text(_(_STATUS.get(res.status, res.status))
                + (f" {render(res.message)}" if res.message else ""))
    if res.status == "infeasible":
        st.warning(_("No award satisfies the rules. What must give:"))
        _causes_view(res)
    else:
        st.dataframe(safe_frame(award_frame(ctx, res.assignment, res.shares)), hide_index=True,
                     width="stretch", key="al.award")
        c1, c2, c3 = st.columns(3)
        c1.metric(_("Annual cost"), money(res.cost),
                  help=_("Includes migration spread over the term: {cost}").format(
                      cost=money(res.migration_cost)))
        c2.metric(_("Value (sum of lot totals)"), score(res.value))
        c3.metric(_("Budget"), money(sc.allocation.budget))
        if sc.allocation.budget_source:
            st.caption(_("Budget source: {source}").format(
                source=sc_text(sc, "allocation.budget_source")))
        if res.binding:
            st.text(_("Binding rules (relaxing one alone would improve the award):") + "\n"
                    + "\n".join(f"- {b}" for b in res.binding))
        elif res.binding_checked:
            st.caption(_("No rule binds: relaxing any one alone would not improve the "
                         "award."))
        if res.ties:
            alt = res.alternative
            st.warning(_("Tie: another award reaches the same objective. The tie was broken "
                         "as the core states; the other award is:"))
            if alt is not None:
                st.dataframe(safe_frame(award_frame(ctx, alt.assignment, alt.shares)),
                             hide_index=True, width="stretch", key="al.alt")
    for n in res.notes:
        st.caption(n)
    if res.cut_short:
        st.caption(_("Cut short by the time limit: {what}").format(what=", ".join(res.cut_short)))
    st.caption(_("Depends on assumptions: {labels}.").format(
        labels=", ".join(ctx.assumption_labels))
               + (f" {render(ctx.seal_note)}." if ctx.seal_note else ""))


def point_view(ctx: AwardContext, p: FrontierPoint) -> None:
    """The award at one point of the frontier (or why there is none)."""
    floor = _("the lots' own floors") if p.floor is None else (
        _("SEAL ≥ {floor} on every lot").format(floor=f"{p.floor:g}") if p.kind == "seal"
        else _("legal utility ≥ {floor} on every lot").format(floor=f"{p.floor:g}"))
    if p.cost is None:
        head = _("With {floor}: no award ({status}).").format(floor=floor, status=p.status)
        message = render(p.message)
        if len(message) <= 300:
            st.text(f"{head} {message}")
        else:
            st.text(f"{head} {message[:300]}…")
            with st.expander(_("Every reason")):
                st.text(message)
        return
    st.text(_("With {floor}: annual cost {cost}, value {value}").format(
        floor=floor, cost=money(p.cost), value=score(p.value))
            + (" " + _("(dominated: another point is cheaper or better at a floor at least "
                       "as high)") if p.dominated else ""))
    st.dataframe(safe_frame(award_frame(ctx, p.assignment, p.shares)), hide_index=True,
                 width="stretch", key="al.point.table")
