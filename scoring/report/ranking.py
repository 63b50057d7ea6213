"""The ranking: the ``hostwise rank --json`` contract and the text a committee reads."""

from __future__ import annotations

import math
from typing import Any

from ..engine import Evaluation, OfferResult
from ..engine.admission import Admission, admissions
from ..engine.policy import has_intervals
from ..methods.registry import METHODS
from ..scenario.model import DEMO_LABEL
from .text import Lines, fmt, table

#: How a gate's question reads in a sentence ("S3NS: eligibility undetermined (HDS unknown)").
_SHORT = {"cert.hds": "HDS", "cert.secnumcloud": "SecNumCloud"}
_CONFIRM = {"cert.hds": "HDS certification", "cert.secnumcloud": "SecNumCloud qualification"}


def names(xs: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " and " + xs[-1]


def _who(r: OfferResult) -> str:
    return f"{r.offer.vendor_name} ({r.offer.offer_id})"


def undetermined_words(r: OfferResult) -> str:
    """Why an offer's eligibility is undetermined, short: "HDS unknown", or the gate's reason
    when the answer is given but its date or version is not."""
    parts = []
    for g in r.undetermined_by:
        for q in g.questions or (g.gate,):
            short = _SHORT.get(q, q)
            known = r.offer.answer(q).known if "." in q and ":" not in q else False
            parts.append(f"{short}: {g.reason}" if known else f"{short} unknown")
    return "; ".join(dict.fromkeys(parts))


def admission_words(ev: Evaluation, a: Admission) -> str:
    """"S3NS could lead if its HDS certification is confirmed" (or "could tie for first")."""
    r = ev.result(a.offer)
    things = [_CONFIRM[q] if q == "cert.hds" or v == "qualified" else
              "SecNumCloud process (J0)" if q == "cert.secnumcloud" else f"answer {q} = {v!r}"
              for q, v in a.answers.items()]
    verb = "is" if len(things) == 1 else "are"
    lead = "could lead" if a.alone else "could tie for first"
    return f"{r.offer.vendor_name} ({a.offer}) {lead} if its {names(things)} {verb} confirmed"


def leader_words(ev: Evaluation) -> str:
    """The verdict in one sentence: the leader among the passing offers, or the tie group that
    shares first place (no member named ahead of the others), or that none passes."""
    top = ev.leaders()
    if not top:
        return "No offer passes every gate."
    if len(top) == 1:
        return f"Leader: {_who(top[0])}, total {fmt(top[0].total, 2)}"
    return (f"{names([_who(r) for r in top])} tie for first, total {fmt(top[0].total, 2)} "
            "(equal under the ranking rule: no leader among them)")


def _round(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, 6)


def rank_json(ev: Evaluation) -> dict[str, Any]:
    """The stable ``hostwise rank --json`` contract (keys are added, never renamed)."""
    return {
        "scenario": ev.scenario.id,
        "hash": ev.hash,
        # a demonstration scenario says so in its contract (key absent otherwise)
        **({"demo": {"label": DEMO_LABEL, "reason": ev.scenario.demo.reason}}
           if ev.scenario.demo is not None else {}),
        "evaluation_date": ev.evaluation_date.isoformat(),
        "method": ev.method,
        "policy": ev.policy,
        "assumptions": list(ev.assumption_ids),
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
                "eligibility": r.eligibility,
                "excluded_by": list(r.excluded_by),
                "undetermined_by": [{"gate": g.gate, "questions": list(g.questions)}
                                    for g in r.undetermined_by],
                "pillars": {p: _round(r.pillars.get(p)) for p in ev.pillars},
                "total": _round(r.total),
                "rank": r.shared_rank,
                "rank_label": r.rank_label,
                "position": r.rank,
                "tied_with": list(r.tied_with),
                "rank_if_admitted": r.rank_if_admitted,
                "coverage": _round(r.coverage),
                "total_range": (None if r.total_range is None
                                else [_round(r.total_range[0]), _round(r.total_range[1])]),
                "rank_range": _rank_range(r),
                # True: total_range is the exact range; False: an outer bound (TOPSIS, VIKOR)
                "range_exact": r.range_exact,
                "price_after_evaluation_date": r.cost.price_after_evaluation_date,
            }
            for r in ev.results
        ],
        "leaders": [r.offer_id for r in ev.leaders()],
        "could_lead": [{"offer": a.offer, "tie": not a.alone,
                        "if": {q: v for q, v in a.answers.items()}}
                       for a in admissions(ev) if a.leads],
        "not_assessed": [a.offer for a in admissions(ev) if not a.assessed],
    }


def _rank_range(r: OfferResult) -> list[int | str] | None:
    """[best, worst]; an undetermined offer's range ends at "excluded"."""
    if r.eligibility == "undetermined":
        return None if r.rank_range is None else [r.rank_range[0], "excluded"]
    return None if r.rank_range is None else list(r.rank_range)


def rank_text(ev: Evaluation) -> str:
    """The ranking table, the leader (or the tie group) in words, the undetermined offers and
    which of them could lead if admitted, every exclusion with its reasons."""
    out = Lines()
    sc = ev.scenario
    out.add(f"{sc.title}\nscenario {sc.id}  evaluation date {sc.evaluation_date}  method "
          f"{METHODS[ev.method].label}  missing answers: {sc.missing_policy}\nhash {ev.hash}\n")
    rows = []
    # Under the uncertain policy the range columns are always shown, whatever the method.
    ranged = has_intervals(sc.missing_policy) or any(r.total_range is not None
                                                     for r in ev.results)
    outer = any(r.range_exact is False for r in ev.results)
    seal = ev.catalogue is None or ev.catalogue.uses("sovereignty")
    for r in ev.results:
        extra = []
        if ranged:
            tr = r.total_range
            extra = ["-" if tr is None else f"{fmt(tr[0])}-{fmt(tr[1])}", r.rank_range_label]
        rows.append([r.rank_label, r.offer.vendor_name, r.offer.offer_id,
                     *[fmt(r.pillars.get(p)) for p in ev.pillars], fmt(r.total, 2), *extra,
                     f"{r.coverage:.0%}", *(["-" if r.seal_overall is None else
                     f"{r.seal_overall}{'' if r.seal_complete else '?'}"] if seal else []),
                     {"pass": "yes", "fail": "EXCLUDED",
                      "undetermined": "UNDETERMINED"}[r.eligibility]])
    out.add(table(rows, ["rank", "vendor", "offer", *ev.pillars, "total",
                         *(["total range", "rank range"] if ranged else []), "answered",
                         *(["SEAL"] if seal else []), "eligible"]))
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
    if seal:
        out.add("\nSEAL: overall level = lowest objective; '?' = some objectives unknown (a "
                "ceiling).")
    if any(r.shared_rank is not None and r.tied_with for r in ev.results):
        out.add("'1=': a rank shared by offers whose totals are equal under the ranking rule.")
    top = ev.leaders()
    words = leader_words(ev)
    if len(top) == 1:
        best = sorted(((p, top[0].pillars.get(p) or 0.0) for p in ev.pillars),
                      key=lambda x: -x[1])
        words += "; strongest pillars: " + ", ".join(
            f"{p} {v:.0f}" + (f" (rests on {', '.join(ids)})"
                              if (ids := ev.pillar_assumptions(p)) else "")
            for p, v in best[:2])
    out.add("\n" + words)
    undetermined = ev.undetermined()
    if undetermined:
        out.add("\nEligibility undetermined (unknown answers or dates; policy uncertain: not "
                "excluded, not ranked until answered; '(n)' = rank if admitted):")
        for r in undetermined:
            out.add(f"  {r.offer.vendor_name}: eligibility undetermined ({undetermined_words(r)})")
        adm = admissions(ev)
        lead = [a for a in adm if a.leads]
        for a in lead:
            out.add(f"  {admission_words(ev, a)}.")
        if top and not lead:
            out.add("  None of them would rank first if admitted (other unknowns at the middle "
                    "of their intervals).")
        skipped = [a.offer for a in adm if not a.assessed]
        if skipped:
            out.add(f"  Not assessed (no single answer admits them): {', '.join(skipped)}.")
    excluded = [r for r in ev.results if r.eligibility == "fail"]
    if excluded:
        out.add("\nExcluded:")
        for r in excluded:
            reasons = "; ".join(f"{g.label}: {g.reason}" for g in r.gates if g.failed)
            also = [g.label for g in r.undetermined_by]
            out.add(f"  {r.offer.offer_id}: {reasons}"
                    + (f" (also undetermined: {'; '.join(also)})" if also else ""))
    out.add(f"\nWorkload: {sc.workload.label} - {sc.workload.reasoning.strip().splitlines()[0]}")
    out.add("Labelled assumptions behind these numbers: " + ", ".join(
        f"{a.id} ({a.text})" for a in sc.assumptions) + (
        f"; {ev.legal_label.removeprefix('ASSUMPTION ')} (the points each foreign law takes "
        "off the legal score: Hostwise's weighting, not a legal fact)"
        if ev.legal_label and "legal" in {lf.pillar for lf in ev.leaves} else ""))
    late = [r for r in ev.results if r.cost.price_after_evaluation_date]
    if late:
        drift = (f"; under the uncertain policy their cost notes are widened by "
                 f"{sc.price_drift.label}" if sc.price_drift is not None and ev.bounds is not None
                 else "")
        out.add(f"WARNING: prices read after the evaluation date {ev.evaluation_date} (the "
                "committee could not have read them then): " + ", ".join(
                    f"{r.offer_id} ({r.cost.late_days} days later)" for r in late) + drift + ".")
    return out.text()
