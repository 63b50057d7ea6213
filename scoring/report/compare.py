"""Scenario against scenario: the policy view of the replay (rank in each scenario, rank
change, pillar deltas, which gates differ, laws that changed), with the same vendor matched
across eras (the 2019 "ovh" offer and the 2026 "ovhcloud" offer are one vendor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..engine import Evaluation
from ..i18n import _, format_date
from .numbers import percent
from .text import Lines, fmt, table


def compare_data(evs: Sequence[Evaluation]) -> dict[str, Any]:
    """The ``hostwise compare --json`` contract: several evaluations side by side."""
    names = [e.scenario.id for e in evs]
    # every pillar of the scenarios' catalogues, in first-seen order (None where a scenario's
    # catalogue lacks it)
    pillars = list(dict.fromkeys(p for e in evs for p in e.pillars))
    # One row per vendor when it bids one offer per scenario (the 2019 "ovh" offer and the 2026
    # "ovhcloud" offer are the same vendor across the replay); else one row per offer.
    per_vendor: dict[str, list[set[str]]] = {}
    for e in evs:
        for r in e.results:
            per_vendor.setdefault(r.offer.vendor_id, [set() for _ in evs])
        for r in e.results:
            per_vendor[r.offer.vendor_id][evs.index(e)].add(r.offer.offer_id)
    offers: dict[str, dict[str, Any]] = {}
    for e in evs:
        for r in e.results:
            v = r.offer.vendor_id
            single = all(len(x) <= 1 for x in per_vendor[v])
            key = v if single else f"{v}/{r.offer.offer_id}"
            label = (" / ".join(sorted(set().union(*per_vendor[v]))) if single
                     else r.offer.offer_id)
            row = offers.setdefault(key, {"vendor": v, "offer": label, "by_scenario": {}})
            row["by_scenario"][e.scenario.id] = {
                "rank": r.rank, "eligible": r.eligible, "total": r.total,
                "excluded_by": list(r.excluded_by),
                "pillars": {p: r.pillars.get(p) for p in pillars},
                "legal_laws": None if r.legal is None else r.legal.laws,
            }
    for row in offers.values():
        s = row["by_scenario"]
        first, last = names[0], names[-1]
        if first in s and last in s and first != last:
            a, b = s[first], s[last]
            row["rank_change"] = (None if a["rank"] is None or b["rank"] is None
                                  else a["rank"] - b["rank"])
            row["pillar_delta"] = {p: (None if a["pillars"][p] is None
                                       or b["pillars"][p] is None
                                       else b["pillars"][p] - a["pillars"][p]) for p in pillars}
            row["gates_differ"] = sorted(set(a["excluded_by"]) ^ set(b["excluded_by"]))
    leads = [lead_of(e) for e in evs]
    out: dict[str, Any] = {
        "scenarios": [{"id": e.scenario.id, "hash": e.hash,
                       "evaluation_date": e.evaluation_date.isoformat(),
                       "leader": " = ".join(r.offer_id for r in e.leaders()) or None,
                       "lead": ld}
                      for e, ld in zip(evs, leads, strict=True)],
        "offers": sorted(offers.values(), key=lambda r: (r["vendor"], r["offer"])),
    }
    a, b = leads[0], leads[-1]
    if len(evs) > 1 and a and b and a["leader"] == b["leader"] and a["margin"] > 0:
        # How much of the first scenario's lead the difference between the two carries: the
        # counterfactual's question ("how much of Azure's lead is the contract vehicle?").
        carried = a["margin"] - b["margin"]
        out["lead_change"] = {"leader": a["leader"], "from": a["margin"], "to": b["margin"],
                              "carried": carried, "share": carried / a["margin"]}
    return out


def lead_of(e: Evaluation) -> dict[str, Any] | None:
    """The leader's margin over the best other passing offer (0 for a tie group), or None."""
    top = e.leaders()
    if not top:
        return None
    others = [r for r in e.results if r.eligible and r not in top and r.total is not None]
    runner = others[0] if others else None
    margin = 0.0 if len(top) > 1 or runner is None else (top[0].total or 0.0) - (
        runner.total or 0.0)
    return {"leader": " = ".join(r.offer_id for r in top),
            "runner_up": None if runner is None else runner.offer_id, "margin": margin}


def compare_text(data: dict[str, Any]) -> str:
    """Scenarios side by side: rank per scenario, rank change, pillar deltas, gates that differ
    (words in the run's language; ids as written)."""
    out = Lines()
    names = [s["id"] for s in data["scenarios"]]
    for s in data["scenarios"]:
        ld = s.get("lead")
        ahead = (_(", ahead of {runner_up} by {margin} points").format(
            runner_up=ld["runner_up"], margin=fmt(ld["margin"], 2))
            if ld and ld["runner_up"] and ld["margin"] > 0 else "")
        out.add(_("{id}: evaluation date {date}, leader {leader}{ahead}  (hash {hash})").format(
            id=s["id"], date=format_date(dt.date.fromisoformat(s["evaluation_date"])),
            leader=s["leader"] or _("none"), ahead=ahead, hash=s["hash"][:12]))
    lc = data.get("lead_change")
    if lc:
        out.add(_("{leader}'s lead: {lead} points in {first}, {to} in {last}: the difference "
                  "between the two scenarios carries {carried} points ({share}) of it.").format(
            leader=lc["leader"], lead=fmt(lc["from"], 2), first=names[0], to=fmt(lc["to"], 2),
            last=names[-1], carried=fmt(lc["carried"], 2), share=percent(lc["share"])))
    rows = []
    for o in data["offers"]:
        cells = []
        for n in names:
            x = o["by_scenario"].get(n)
            if x is None:
                cells.append(_("n/a"))
            elif x["eligible"]:
                cells.append(f"#{x['rank']} ({fmt(x['total'])})")
            else:
                cells.append(_("excl: {gates}").format(gates=",".join(x["excluded_by"])))
        delta = o.get("rank_change")
        gd = ",".join(o.get("gates_differ", [])) or ""
        pd_ = o.get("pillar_delta", {})
        pdt = " ".join(f"{_(p)[:4]}{v:+.0f}" for p, v in pd_.items() if v)
        rows.append([o["vendor"], o["offer"], *cells, "" if delta is None else f"{delta:+d}",
                     pdt, gd])
    out.add()
    out.add(table(rows, [_("vendor"), _("offer"), *names, _("rank chg"),
                         _("pillar deltas (last - first)"), _("gates differ")]))
    return out.text()
