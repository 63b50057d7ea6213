"""Scenario against scenario, and one offer's explanation: pure data for the CLI and the app.

``compare_data`` is the policy view of the replay (rank in each scenario, rank change, pillar
deltas, which gates differ); ``explain_data`` decomposes one offer's total (answer → utility →
weight → contribution) with the laws reaching it on the evaluation date.
"""

from __future__ import annotations

from typing import Any

from .models import PILLARS


def compare_data(paths: list[str]) -> dict[str, Any]:
    """Side-by-side view of several scenarios (pure data; the CLI and the app format it)."""
    from .engine import evaluate_path

    evs = [evaluate_path(p) for p in paths]
    names = [e.scenario.id for e in evs]
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
                "pillars": {p: r.pillars.get(p) for p in PILLARS},
                "legal_laws": r.legal.laws,
            }
    for row in offers.values():
        s = row["by_scenario"]
        first, last = names[0], names[-1]
        if first in s and last in s and first != last:
            a, b = s[first], s[last]
            row["rank_change"] = (None if a["rank"] is None or b["rank"] is None
                                  else a["rank"] - b["rank"])
            row["pillar_delta"] = {p: (None if a["pillars"][p] is None or b["pillars"][p] is None
                                       else b["pillars"][p] - a["pillars"][p]) for p in PILLARS}
            row["gates_differ"] = sorted(set(a["excluded_by"]) ^ set(b["excluded_by"]))
    return {
        "scenarios": [{"id": e.scenario.id, "hash": e.hash,
                       "evaluation_date": e.evaluation_date.isoformat(),
                       "leader": e.leader().offer.offer_id if e.leader() else None}
                      for e in evs],
        "offers": sorted(offers.values(), key=lambda r: (r["vendor"], r["offer"])),
    }


def explain_data(scenario: str, offer: str) -> dict[str, Any]:
    from .engine import evaluate_path
    from .errors import HostwiseError

    ev = evaluate_path(scenario)
    try:
        r = ev.result(offer)
    except KeyError:
        known = ", ".join(x.offer.offer_id for x in ev.results)
        raise HostwiseError(f"no offer {offer!r} in scenario {ev.scenario.id} (offers: {known})"
                            ) from None
    rows = [x for x in ev.rows if x["offer"] == r.offer.offer_id]
    return {
        "scenario": ev.scenario.id, "hash": ev.hash, "offer": r.offer.offer_id,
        "vendor": r.offer.vendor_name, "evaluation_date": ev.evaluation_date.isoformat(),
        "eligible": r.eligible, "rank": r.rank, "total": r.total, "coverage": r.coverage,
        "pillars": r.pillars,
        "gates": [{"gate": g.label, "passed": g.passed, "reason": g.reason} for g in r.gates],
        "rows": rows,
        "legal": {"utility": r.legal.utility, "us_control": r.legal.us_control,
                  "sec196_immune": r.legal.sec196.immune,
                  "findings": [{"label": f.label, "points": f.points, "reason": f.reason,
                                "kind": f.kind} for f in r.legal.findings]},
        "cost": {"annual": r.cost.annual_cost, "missing": list(r.cost.missing),
                 "lines": [{"item": li.item, "quantity": li.quantity,
                            "unit_price": li.unit_price, "currency": li.currency,
                            "amount_eur": li.amount, "price_date": li.price_date.isoformat(),
                            "confidence": li.confidence} for li in r.cost.lines],
                 "workload": ev.scenario.workload.label},
        "seal": {"overall": r.seal_overall, "complete": r.seal_complete,
                 "objectives": [{"objective": x.objective, "level": x.level,
                                 "origin": x.origin, "reason": x.reason}
                                for x in r.seal_levels]},
        "warnings": list(r.warnings),
    }
