"""The ranking: the ``hostwise rank --json`` contract and the text a committee reads."""

from __future__ import annotations

import math
from typing import Any

from ..engine import Evaluation
from ..engine.policy import has_intervals
from ..methods.registry import METHODS
from ..models import PILLARS
from .text import Lines, fmt, table


def _round(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, 6)


def rank_json(ev: Evaluation) -> dict[str, Any]:
    """The stable ``hostwise rank --json`` contract (keys are added, never renamed)."""
    return {
        "scenario": ev.scenario.id,
        "hash": ev.hash,
        "evaluation_date": ev.evaluation_date.isoformat(),
        "method": ev.method,
        "policy": ev.policy,
        "assumptions": list(ev.scenario.assumption_ids),
        "not_applicable": [
            {"question": q.id, "applies_from": q.applies_from and q.applies_from.isoformat(),
             "applies_until": q.applies_until and q.applies_until.isoformat(),
             "source": q.applies_source}
            for q in ev.not_applicable
        ],
        "results": [
            {
                "vendor": r.offer.vendor_id,
                "offer": r.offer.offer_id,
                "eligible": r.eligible,
                "excluded_by": list(r.excluded_by),
                "pillars": {p: _round(r.pillars.get(p)) for p in PILLARS},
                "total": _round(r.total),
                "rank": r.rank,
                "coverage": _round(r.coverage),
                "total_range": (None if r.total_range is None
                                else [_round(r.total_range[0]), _round(r.total_range[1])]),
                "rank_range": None if r.rank_range is None else list(r.rank_range),
                # True: total_range is the exact range; False: an outer bound (TOPSIS)
                "range_exact": r.range_exact,
            }
            for r in ev.results
        ],
    }


def rank_text(ev: Evaluation) -> str:
    """The ranking table, the leader in words, every exclusion with its reasons."""
    out = Lines()
    sc = ev.scenario
    out.add(f"{sc.title}\nscenario {sc.id}  evaluation date {sc.evaluation_date}  method "
          f"{METHODS[ev.method].label}  missing answers: {sc.missing_policy}\nhash {ev.hash}\n")
    rows = []
    # Under the uncertain policy the range columns are always shown, whatever the method.
    ranged = has_intervals(sc.missing_policy) or any(r.total_range is not None
                                                     for r in ev.results)
    outer = any(r.range_exact is False for r in ev.results)
    for r in ev.results:
        extra = []
        if ranged:
            tr, rr = r.total_range, r.rank_range
            extra = ["-" if tr is None else f"{tr[0]:.1f}-{tr[1]:.1f}",
                     "-" if rr is None else (f"{rr[0]}" if rr[0] == rr[1] else f"{rr[0]}-{rr[1]}")]
        rows.append([str(r.rank or "-"), r.offer.vendor_name, r.offer.offer_id,
                     *[fmt(r.pillars.get(p)) for p in PILLARS], fmt(r.total, 2), *extra,
                     f"{r.coverage:.0%}", "-" if r.seal_overall is None else
                     f"{r.seal_overall}{'' if r.seal_complete else '?'}",
                     "yes" if r.eligible else "EXCLUDED"])
    out.add(table(rows, ["rank", "vendor", "offer", *PILLARS, "total",
                         *(["total range", "rank range"] if ranged else []), "answered", "SEAL",
                         "eligible"]))
    if ranged:
        out.add("\nUnknown answers are intervals (policy uncertain, prior "
                f"{sc.uncertain_prior}).\npoint total: each unknown at the middle of its "
                "interval (one configuration among many, not a likelier one).\n"
                + ("total range: an OUTER BOUND under this method: every total the unknowns "
                   "can give lies inside, its ends may not be reached; rank range: from these "
                   "bounds, so it may be wider than the true one." if outer else
                   "total range: the lowest and highest total the unknowns can give (exact); "
                   "rank range: best / worst possible rank."))
    if ev.not_applicable:
        out.add("\nNot applicable on " f"{ev.evaluation_date} (out of the weight tree for every "
                "offer): " + "; ".join(
                    f"{q.id} (from {q.applies_from})" if q.applies_from else
                    f"{q.id} (until {q.applies_until})" for q in ev.not_applicable))
    out.add("\nSEAL: overall level = lowest objective; '?' = some objectives unknown (a ceiling).")
    leader = ev.leader()
    if leader:
        top = sorted(((p, leader.pillars.get(p) or 0.0) for p in PILLARS),
                     key=lambda x: -x[1])
        out.add(f"\nLeader: {leader.offer.vendor_name} ({leader.offer.offer_id}), total "
              f"{leader.total:.2f}; strongest pillars: "
              + ", ".join(f"{p} {v:.0f}" for p, v in top[:2]))
        if leader.tied_with:
            out.add(f"  tied with {', '.join(leader.tied_with)} (tie broken by offer id)")
    else:
        out.add("\nNo offer passes every gate.")
    excluded = [r for r in ev.results if not r.eligible]
    if excluded:
        out.add("\nExcluded:")
        for r in excluded:
            reasons = "; ".join(f"{g.label}: {g.reason}" for g in r.gates if not g.passed)
            out.add(f"  {r.offer.offer_id}: {reasons}")
    out.add(f"\nWorkload: {sc.workload.label} - {sc.workload.reasoning.strip().splitlines()[0]}")
    out.add("Labelled assumptions behind these numbers: " + ", ".join(
        f"{a.id} ({a.text})" for a in sc.assumptions))
    return out.text()
