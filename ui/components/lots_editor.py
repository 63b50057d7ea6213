"""Editing the working scenario's lots and award rules (the ``lots`` and ``allocation`` keys),
through ``ui.state.edit``: the core checks every edit before it is kept (a bad value shows the
located problems and leaves the scenario as it was).

Two forms (one lot at a time; the rules), so that a change is applied once, on "Apply", and
not at every keystroke. Widget keys carry the evaluation hash: after an edit (or a reset) the
widgets start from the scenario's new values, never from a stale one.
"""

from __future__ import annotations

import copy
from itertools import combinations
from typing import Any

import pandas as pd
import streamlit as st

from scoring.errors import HostwiseError
from scoring.i18n import N_, _, decimal_mark, format_number
from scoring.scenario.texts import text as sc_text
from ui import state
from ui.components.fmt import DASH, money
from ui.components.glossary import helptext
from ui.components.safe import safe_frame

NONE = N_("none")


def _show_error(exc: HostwiseError) -> None:
    try:
        from ui.components.header import show_error
    except ImportError:
        st.error(_("That change was refused; the scenario is as it was:"))
        st.text(str(exc))
        return
    show_error(exc, _("That change was refused; the scenario is as it was:"))


def _apply(path: tuple[str, ...], value: Any, words: str) -> None:
    try:
        state.edit(path, value, words)
    except HostwiseError as exc:
        st.session_state["hw.b.lot_error"] = exc
    else:
        st.session_state.pop("hw.b.lot_error", None)


def _f(x: Any) -> float | None:
    return None if x is None else float(x)


def lots_frame(lots: list[dict[str, Any]], currency: str,
               names: dict[str, str] | None = None) -> pd.DataFrame:
    """The lots as a table; ``names``: lot id -> name in the run's language (``lot_names``)."""
    shown = names or {}

    def opt(x: Any) -> str:
        return DASH if x is None else decimal_mark(str(x))

    return pd.DataFrame({
        _("lot"): [lot["id"] for lot in lots],
        _("name"): [shown.get(lot["id"], lot.get("name", "")) for lot in lots],
        _("demand (per year)"): [", ".join(f"{k} {format_number(float(v), 0)}" for k, v in
                                           (lot.get("demand") or {}).items()) for lot in lots],
        _("gates"): [_("all") if lot.get("gates") is None else ", ".join(lot["gates"])
                     or _(NONE) for lot in lots],
        _("split allowed"): [_("yes") if lot.get("splittable") else _("no") for lot in lots],
        _("SEAL floor"): [opt(lot.get("min_seal")) for lot in lots],
        _("legal floor"): [opt(lot.get("min_legal")) for lot in lots],
        _("value floor"): [opt(lot.get("min_value")) for lot in lots],
        _("incumbent"): [lot.get("incumbent") or DASH for lot in lots],
        _("migration (one-off)"): [money(lot.get("migration_cost"), currency) for lot in lots],
    })


def lot_names() -> dict[str, str]:
    """Lot id -> its name in the run's language (the scenario's sidecar), when the working
    scenario reads; empty otherwise (the lots' own names are shown)."""
    try:
        sc = state.scenario()
    except HostwiseError:
        return {}
    return {lot.id: sc_text(sc, f"lots.{lot.id}.name") for lot in sc.lots}


def lot_form(lots: list[dict[str, Any]], tag: str, names: dict[str, str] | None = None) -> None:
    """Edit one lot: demand quantities, SEAL / legal / value floors, split and minimum share."""
    ids = [lot["id"] for lot in lots]
    shown = names or {}
    pick = st.selectbox(_("Lot to edit"), ids, key="al.lot",
                        format_func=lambda i: f"{i}: " + shown.get(
                            i, lots[ids.index(i)].get("name", "")))
    lot = lots[ids.index(pick)]
    with st.form(f"al.form.lot.{tag}.{pick}"):
        demand = dict(lot.get("demand") or {})
        cols = st.columns(max(len(demand), 1))
        new_demand = {item: cols[k].number_input(_("{item} per year").format(item=item),
                                                 min_value=0.0,
                                                 value=float(q), step=1000.0,
                                                 key=f"al.{tag}.{pick}.d.{item}")
                      for k, (item, q) in enumerate(demand.items())}
        c1, c2, c3 = st.columns(3)
        seal_opts = [NONE, 0, 1, 2, 3, 4]
        cur = lot.get("min_seal")
        seal = c1.selectbox(_("SEAL floor (every bid on this lot)"), seal_opts,
                            index=seal_opts.index(cur) if cur in seal_opts else 0,
                            format_func=lambda x: _(x) if x == NONE else str(x),
                            key=f"al.{tag}.{pick}.seal", help=helptext("SEAL"))
        legal = c2.number_input(_("Legal floor (minimum legal utility, 0-100)"), min_value=0.0,
                                max_value=100.0, value=_f(lot.get("min_legal")),
                                key=f"al.{tag}.{pick}.legal",
                                help=_("Empty: no floor. Higher = less exposed to non-EU law."))
        value = c3.number_input(_("Value floor (minimum total, 0-100)"), min_value=0.0,
                                max_value=100.0, value=_f(lot.get("min_value")),
                                key=f"al.{tag}.{pick}.value", help=_("Empty: no floor."))
        c4, c5 = st.columns(2)
        split = c4.checkbox(_("Lot may be split between offers"),
                            value=bool(lot.get("splittable")), key=f"al.{tag}.{pick}.split")
        share = c5.number_input(_("Minimum share of each offer in a split lot"), min_value=0.0,
                                max_value=1.0, value=float(lot.get("min_share") or 0.0),
                                step=0.05, key=f"al.{tag}.{pick}.share")
        if st.form_submit_button(_("Apply to this lot"), type="primary"):
            new = copy.deepcopy(lot)
            new["demand"] = new_demand
            for k, v in (("min_seal", None if seal == NONE else int(str(seal))),
                         ("min_legal", legal), ("min_value", value)):
                if v is None:
                    new.pop(k, None)
                else:
                    new[k] = v
            if bool(split) != bool(lot.get("splittable")):
                new["splittable"] = bool(split)
            if float(share) != float(lot.get("min_share") or 0.0):
                new["min_share"] = float(share)
            changed = [k for k in {**lot, **new} if new.get(k) != lot.get(k)]
            if changed:
                all_lots = [new if x["id"] == pick else x for x in lots]
                _apply(("lots",), all_lots, _("lot {lot}: {changes}").format(
                    lot=pick, changes=", ".join(f"{k} {new.get(k)}" for k in changed)))
                st.rerun()


def _opt_int(container: Any, label: str, value: Any, key: str, help_: str) -> int | None:
    x = container.number_input(label, min_value=0, value=value, step=1, key=key, help=help_)
    return None if x is None else int(x)


def rules_form(rules: dict[str, Any], lot_ids: list[str], tag: str) -> None:
    """Edit the award rules: objective, budget, vendor caps, number of vendors, separations."""
    with st.form(f"al.form.rules.{tag}"):
        c1, c2 = st.columns(2)
        objs = ["max_value", "min_cost"]
        objective = c1.radio(_("Objective"), objs, horizontal=True,
                             index=objs.index(rules.get("objective", "max_value")),
                             format_func={"max_value": _("best value"),
                                          "min_cost": _("lowest cost")}.get,
                             key=f"al.{tag}.objective")
        budget = c2.number_input(_("Annual budget (€, empty: none)"), min_value=0.0,
                                 value=_f(rules.get("budget")), step=50_000.0,
                                 key=f"al.{tag}.budget")
        c3, c4, c5, c6 = st.columns(4)
        max_lots = _opt_int(c3, _("Max lots per vendor"), rules.get("max_lots_per_vendor"),
                            f"al.{tag}.maxlots", _("Empty: no cap."))
        share = c4.number_input(_("Max share of spend per vendor (0-1)"), min_value=0.0,
                                max_value=1.0, value=_f(rules.get("max_spend_share_per_vendor")),
                                step=0.05, key=f"al.{tag}.share", help=_("Empty: no cap."))
        min_v = _opt_int(c5, _("Min vendors"), rules.get("min_vendors"), f"al.{tag}.minv",
                         _("Empty: no minimum."))
        max_v = _opt_int(c6, _("Max vendors"), rules.get("max_vendors"), f"al.{tag}.maxv",
                         _("Empty: no maximum."))
        pairs = [f"{a} | {b}" for a, b in combinations(lot_ids, 2)]
        cur = [f"{a} | {b}" if f"{a} | {b}" in pairs else f"{b} | {a}"
               for a, b in rules.get("separations") or []]
        seps = st.multiselect(_("Lots that must go to different vendors"), pairs,
                              placeholder=_("Choose options"),
                              default=[p for p in cur if p in pairs], key=f"al.{tag}.seps")
        if st.form_submit_button(_("Apply the rules"), type="primary"):
            new = copy.deepcopy(rules)
            for k, v in (("objective", objective), ("budget", budget),
                         ("max_lots_per_vendor", max_lots),
                         ("max_spend_share_per_vendor", share), ("min_vendors", min_v),
                         ("max_vendors", max_v)):
                if v is None:
                    new.pop(k, None)
                else:
                    new[k] = v
            new["separations"] = [p.split(" | ") for p in seps]
            if new != rules:
                changed = [k for k in new if new.get(k) != rules.get(k)]
                _apply(("allocation",), new, _("award rules: {changes}").format(
                    changes=", ".join(changed)))
                st.rerun()


def edit_section(tag: str) -> None:
    """Both forms, with the last refused change (if any) explained above them."""
    doc = state.working().doc
    lots = list(doc.get("lots") or [])
    err = st.session_state.pop("hw.b.lot_error", None)
    if err is not None:
        _show_error(err)
    names = lot_names()
    st.dataframe(safe_frame(lots_frame(lots, str(doc.get("currency", "EUR")), names)),
                 hide_index=True, width="stretch", key="al.lots.table")
    lot_form(lots, tag, names)
    rules_form(dict(doc.get("allocation") or {}), [lot["id"] for lot in lots], tag)
