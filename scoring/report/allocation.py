"""``hostwise allocate`` and ``hostwise frontier``: the JSON contracts and the text forms.

The JSON keys are a published contract (kept, never renamed; keys may be added). The text is
for people: a table of the award, the binding rules, what must give when no award exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..allocation import AllocationResult, Cause, FrontierPoint
from ..award import AwardContext
from ..i18n import N_, _, decimal_mark, format_number
from ..messages import render
from ..scenario.texts import text as sc_text
from .text import table


def result_json(ctx: AwardContext, res: AllocationResult) -> dict[str, Any]:
    """The stable ``hostwise allocate --json`` contract (``causes``: "no award" in one grouped
    line per cause, with the winning quotes; ``relaxations`` kept as they were)."""
    return {
        "scenario": ctx.scenario.id,
        "hash": ctx.hash,
        "status": res.status,
        "objective": res.objective,
        "assignment": dict(res.assignment),
        "cost": res.cost,
        "value": res.value,
        "binding": list(res.binding),
        "relaxations": list(res.relaxations),
        "causes": [c.to_dict() for c in res.causes],
        "ties": res.ties,
        "assumptions": list(ctx.assumption_labels),
    }


def frontier_json(ctx: AwardContext, points: list[FrontierPoint],
                  causes: Sequence[Cause] = ()) -> dict[str, Any]:
    """The stable ``hostwise frontier --json`` contract (``causes``: why there is no award at
    the scenario's own floors, as ``allocate`` says it, when some point has none)."""
    return {
        "scenario": ctx.scenario.id,
        "hash": ctx.hash,
        "note": ctx.seal_note,
        "assumptions": list(ctx.assumption_labels),
        "points": [p.to_dict() for p in points],
        "causes": [c.to_dict() for c in causes],
    }


def money(x: float | None) -> str:
    """``EUR 1,234`` / ``1 234 EUR`` (``-`` when there is no figure)."""
    return "-" if x is None else _("EUR {amount}").format(amount=format_number(x, 0))


def _num(x: float | None, nd: int = 1) -> str:
    return "-" if x is None else decimal_mark(f"{x:.{nd}f}")


def _footer(ctx: AwardContext) -> str:
    note = " " + render(ctx.seal_note) + "." if ctx.seal_note else ""
    return "\n" + _("Depends on assumptions: {assumptions}.").format(
        assumptions=", ".join(ctx.assumption_labels)) + note


def result_text(ctx: AwardContext, res: AllocationResult) -> str:
    """The text form of ``hostwise allocate`` (words in the run's language)."""
    sc = ctx.scenario
    out = [sc_text(sc, "title") + "\n" + _(
        "scenario {id}  objective {objective}  hash {hash}").format(
        id=sc.id, objective=_(res.objective), hash=ctx.hash) + "\n"]
    names = {lot.id: sc_text(sc, f"lots.{lot.id}.name") for lot in sc.lots}
    seal = "sovereignty" in ctx.modules  # no SEAL column for a tender without the module
    if res.status == "infeasible":
        out.append(_("No award satisfies the rules. What must give:"))
        out += ([f"  - {render(c.message)}" for c in res.causes]
                or [f"  - {render(r)}" for r in res.relaxations])
    else:
        if res.status == "feasible":
            out.append(_("Time limit reached: best award found, not proven optimal.") + "\n")
        bids = {(b.lot, b.offer): b for b in ctx.problem.bids}
        rows = []
        for lot in sc.lots:
            o = res.assignment.get(lot.id, "")
            b = bids.get((lot.id, o))
            rows.append([lot.id, names[lot.id][:48], o, money(b.cost if b else None),
                         _num(b.value if b else None), "-" if b is None or b.seal is None
                         else str(b.seal)][:None if seal else 5])
        out.append(table(rows, [_("lot"), _("name"), _("offer"), _("annual cost"), _("value"),
                                "SEAL"][:None if seal else 5]))
        out.append("\n" + _("Total annual cost {cost} (incl. migration {migration}); value "
                            "{value}").format(cost=money(res.cost),
                                              migration=money(res.migration_cost),
                                              value=_num(res.value, 2)))
        if sc.allocation.budget is not None:
            out.append(_("Budget {budget}: {source}").format(
                budget=money(sc.allocation.budget), source=sc_text(sc, "allocation.budget_source")))
        if res.binding:
            out.append(_("Binding rules (relaxing one alone would improve the award): {rules}")
                       .format(rules="; ".join(res.binding)))
        if res.ties:
            alt = dict(res.alternative.assignment) if res.alternative else {}
            out.append(_("Another award reaches the same objective: {award} (tie broken as "
                         "stated)").format(award=alt))
    if res.cut_short:
        out.append(_("Cut short by the time limit: {what}.").format(
            what=", ".join(res.cut_short)))
    out.append(_footer(ctx))
    return "\n".join(out)


def frontier_text(ctx: AwardContext, points: list[FrontierPoint],
                  causes: Sequence[Cause] = ()) -> str:
    """The text form of ``hostwise frontier`` (with ``causes``, the lines of ``allocate``)."""
    rows = [[f"{p.kind} >= {decimal_mark(f'{p.floor:g}')}" if p.floor is not None
             else _("lots' own"),
             money(p.budget), _(p.status), money(p.cost), _num(p.value, 2),
             _("dominated") if p.dominated else "",
             ", ".join(f"{k}:{v}" for k, v in p.assignment.items()) or render(p.message)[:60]]
            for p in points]
    swept = any(p.floor is not None for p in points)
    return "\n".join([
        (_("The price of sovereignty: {title}") if swept else
         _("What each budget buys: {title}")).format(title=sc_text(ctx.scenario, "title")) + "\n"
        + _("hash {hash}").format(hash=ctx.hash) + "\n",
        table(rows, [_("floor"), _("budget"), _("status"), _("annual cost"), _("value"), "",
                     _("award")]),
        *(["\n" + _("No award at the scenario's own floors (as hostwise allocate says):")]
          + [f"  - {render(c.message)}" for c in causes] if causes else []),
        _footer(ctx),
    ])


#: Words the solver and the rules hand over as ids, said in the run's language.
WORDS = (N_("optimal"), N_("feasible"), N_("infeasible"), N_("max_value"), N_("min_cost"))

__all__ = ["frontier_json", "frontier_text", "money", "result_json", "result_text"]
