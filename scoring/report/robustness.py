"""Text and JSON of the robustness analyses: stability intervals, one-way paths, flip, SMAA-2,
rank reversal, and the ``hostwise sensitivity`` / ``hostwise flip`` reports.

The JSON forms are stable contracts (floats rounded to 6 decimals, weights as fractions of 1,
totals on the 0–100 scale, ``null`` where undefined); keys are added, never renamed.

``hostwise sensitivity SCENARIO [--level pillar|criterion] [--samples N] [--seed S] --json``::

    {
      "scenario": str, "hash": str, "evaluation_date": "YYYY-MM-DD",
      "level": "pillar" | "criterion", "policy": "worst" | "exclude",
      "method": str,                                                  # added
      "supported": {"stability": bool, "flip": bool, "smaa": bool,    # added
                    "reason": str | null},
      "offers": [{"offer": str, "rank": int, "total": float}],        # eligible, best first
      "excluded": [{"offer": str, "excluded_by": [str]}],             # gate ids
      "weights": {criterion: float},
      "stability": [{"criterion": str, "weight": float, "leader": str | null,
                     "leader_interval": [lo, hi], "ranking_interval": [lo, hi],
                     "leader_closed": [bool, bool], "ranking_closed": [bool, bool],  # added
                     "end_leaders": [str | null, str | null],                       # added
                     "crossovers": [{"weight": float, "from": str, "to": str,
                                     "total": float}]}],              # [] when unsupported
      "smaa": null | {"samples": int, "seed": int,
                      "engine": "smaa2" | "totals" | "method" | "uncertain", "method": str,
                      "acceptability": {offer: [share at rank 1, rank 2, ...]},
                      "central_weights": {offer: {criterion: float} | null},
                      "confidence": {offer: float | null}},
      "flip": null | <flip object below, for the runner-up>
    }

``hostwise flip SCENARIO OFFER [--level ...] [--margin M] --json``: the scenario fields
(``scenario``, ``hash``, ``evaluation_date``, ``level``, ``policy``, ``method``) plus::

    {"offer": str, "possible": bool, "reason": str, "distance": float | null,
     "moved": float | null, "method": str, "exact": bool, "margin": float,
     "supported": bool,                                               # added
     "weights_before": {criterion: float}, "weights_after": {criterion: float} | null,
     "changes": [{"criterion": str, "before": float, "after": float}],
     "totals_after": {offer: float} | null, "words": str}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..i18n import _, decimal_mark, format_date, format_number
from ..methods.registry import get_method
from ..robustness._common import tie_name, twin_groups
from ..scenario.texts import text as sc_text
from .numbers import points
from .text import table

if TYPE_CHECKING:
    from ..engine import Evaluation
    from ..robustness import (
        Crossover,
        FlipResult,
        OneWay,
        RankingChange,
        RankReversalReport,
        Reversal,
        SensitivityReport,
        SmaaSummary,
        StabilityInterval,
        WeightChange,
    )


def pct(x: float | None) -> str:
    """A weight as a percentage in words: 0.1 -> '10 %', 0.3125 -> '31.2 %'."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    s = f"{100.0 * x:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return decimal_mark(s) + " %"


def unsupported_words(label: str) -> str:
    """Why the exact analyses are not run, in the run's language (``support().reason`` keeps
    the English the JSON contract holds)."""
    return _("exact stability intervals and flip are defined for the weighted sum; this "
             "scenario uses {method}").format(method=_(label))


def r6(x: float | None) -> float | None:
    return None if x is None or not math.isfinite(x) else round(float(x), 6)


# --------------------------------------------------------------------------------------------
# Stability intervals and one-way paths
# --------------------------------------------------------------------------------------------


def crossover_json(c: Crossover) -> dict[str, Any]:
    return {"weight": r6(c.weight), "from": c.before, "to": c.after, "total": r6(c.total)}


def ranking_change_json(c: RankingChange) -> dict[str, Any]:
    return {"weight": r6(c.weight), "from": list(c.before), "to": list(c.after)}


def _range(lo: float, hi: float, closed: tuple[bool, bool]) -> str:
    """'0 % - 100 %' with the open ends marked: '0 % - <100 %', '>20 % - 60 %'."""
    return f"{'' if closed[0] else '>'}{pct(lo)} - {'' if closed[1] else '<'}{pct(hi)}"


def stability_words(s: StabilityInterval, twins: tuple[tuple[str, ...], ...] = ()) -> str:
    """One interval in a sentence, open ends and end-point leaders said plainly; a leader tied
    at every weight with others (``twins``) is named with its whole tie group."""
    crit = _(s.criterion)  # a pillar's name in the run's language; criterion ids as they are
    if s.leader is None:
        return _("{criterion}: no eligible offer").format(criterion=crit)
    who = tie_name(s.leader, twins)
    tie = who != s.leader
    lo_c, hi_c = s.leader_closed
    if s.leader_lo <= 0.0 and s.leader_hi >= 1.0 and lo_c and hi_c:
        lead = (_("{who} tie for first whatever the weight of {criterion}") if tie else
                _("{who} leads whatever the weight of {criterion}")).format(who=who,
                                                                          criterion=crit)
    else:
        low = (_("from {weight}") if lo_c else _("more than {weight}")).format(
            weight=pct(s.leader_lo))
        high = (_("up to {weight}") if hi_c else _("and less than {weight}")).format(
            weight=pct(s.leader_hi))
        lead = (_("{who} tie for first while {criterion} weighs {low} {high}") if tie else
                _("{who} leads while {criterion} weighs {low} {high}")).format(
            who=who, criterion=crit, low=low, high=high)
    ends = [_("at exactly {weight} {who} leads").format(weight=pct(t), who=who)
            for t, who, closed, edge in
            [(0.0, s.end_leaders[0], lo_c, s.leader_lo), (1.0, s.end_leaders[1], hi_c,
                                                          s.leader_hi)]
            if who is not None and who != s.leader and edge == t and not closed]
    tail = ("; " + _("{ends} (a weight of exactly 0 drops what an offer answered)").format(
        ends=", ".join(ends)) if ends else "")
    return _("{lead} (now {weight})").format(lead=lead, weight=pct(s.weight)) + tail


def stability_json(s: StabilityInterval) -> dict[str, Any]:
    return {
        "criterion": s.criterion, "weight": r6(s.weight), "leader": s.leader,
        "leader_interval": [r6(s.leader_lo), r6(s.leader_hi)],
        "ranking_interval": [r6(s.ranking_lo), r6(s.ranking_hi)],
        "crossovers": [crossover_json(c) for c in s.crossovers],
        "leader_closed": list(s.leader_closed), "ranking_closed": list(s.ranking_closed),
        "end_leaders": list(s.end_leaders),
    }


def stability_text(intervals: Sequence[StabilityInterval],
                   twins: tuple[tuple[str, ...], ...] = ()) -> str:
    """A table of the stability intervals (open ends marked < and >), then the leaders at
    the end points where they differ."""
    rows = [[_(s.criterion), pct(s.weight), _range(s.leader_lo, s.leader_hi, s.leader_closed),
             _range(s.ranking_lo, s.ranking_hi, s.ranking_closed),
             ", ".join(f"{pct(c.weight)}: {tie_name(c.before, twins)}->"
                       f"{tie_name(c.after, twins)}" for c in s.crossovers)
             or _("none")]
            for s in intervals]
    out = table(rows, [_("criterion"), _("weight"), _("same leader"), _("same ranking"),
                       _("leader changes at")])
    notes = [stability_words(s, twins) for s in intervals
             if not all(s.leader_closed) or not all(s.ranking_closed)]
    if notes:
        out += ("\n" + _("(< and >: that end is excluded)") + "\n"
                + "\n".join(f"  - {n}" for n in notes))
    return out


def one_way_json(ow: OneWay) -> dict[str, Any]:
    return {
        "criterion": ow.criterion, "weight": r6(ow.weight),
        "t": [r6(x) for x in ow.t],
        "totals": {o: [r6(x) for x in ow.totals[:, i]] for i, o in enumerate(ow.offers)},
        "ranks": {o: [int(x) for x in ow.ranks[:, i]] for i, o in enumerate(ow.offers)},
        "crossovers": [crossover_json(c) for c in ow.crossovers],
        "ranking_changes": [ranking_change_json(c) for c in ow.ranking_changes],
    }


# --------------------------------------------------------------------------------------------
# Flip
# --------------------------------------------------------------------------------------------


def weight_change_words(c: WeightChange) -> str:
    return f"{_(c.criterion)} {pct(c.before)} → {pct(c.after)}"


def flip_words(res: FlipResult) -> str:
    """The flip answer in one sentence."""
    if not res.supported:
        return _("{offer}: not computed: {reason}").format(offer=res.offer, reason=res.reason)
    if not res.possible:
        return _("{offer} cannot rank first: {reason}").format(offer=res.offer,
                                                               reason=res.reason)
    if not res.changes:
        return f"{res.offer} {res.reason}"
    moved = (res.distance or 0.0) / 2.0
    head = _("{offer} would rank first had the weights been moved by {moved} (L1 distance "
             "{distance}): ").format(offer=res.offer, moved=pct(moved),
                                     distance=decimal_mark(f"{res.distance:.4f}"))
    tail = ("" if res.exact else " " + _("[minimal up to the threshold search]")
            if res.method == "lp-threshold-search" else " " + _("[smallest change found, not "
                                                                "proven minimal]"))
    return head + "; ".join(weight_change_words(c) for c in res.changes) + tail


def flip_json(res: FlipResult) -> dict[str, Any]:
    return {
        "offer": res.offer, "possible": res.possible, "reason": res.reason,
        "distance": r6(res.distance),
        "moved": None if res.distance is None else r6(res.distance / 2.0),
        "method": res.method, "exact": res.exact, "margin": res.margin,
        "supported": res.supported,
        "weights_before": {c: r6(x) for c, x in zip(res.criteria, res.weights_before,
                                                     strict=True)},
        "weights_after": None if res.weights_after is None else {
            c: r6(x) for c, x in zip(res.criteria, res.weights_after, strict=True)},
        "changes": [{"criterion": c.criterion, "before": r6(c.before), "after": r6(c.after)}
                    for c in res.changes],
        "totals_after": None if res.totals_after is None else {
            o: r6(t) for o, t in res.totals_after},
        "words": flip_words(res),
    }


def flip_text(res: FlipResult) -> str:
    """The flip answer in words, then the weights before and after, then the new totals."""
    lines = [flip_words(res)]
    if res.possible and res.weights_after is not None and res.changes:
        rows = [[_(c), pct(b), pct(a), decimal_mark(f"{100 * (a - b):+.1f}")]
                for c, b, a in zip(res.criteria, res.weights_before, res.weights_after,
                                   strict=True)]
        lines += ["", table(rows, [_("criterion"), _("weight now"), _("weight needed"),
                                   _("change (pts)")])]
        if res.totals_after:
            tot = sorted(res.totals_after, key=lambda x: -x[1])
            lines += ["", _("Totals at these weights: {totals}").format(
                totals=", ".join(f"{o} {points(t)}" for o, t in tot))]
        said = (_("Method: {method} (proven minimal); margin {margin} points.") if res.exact
                else _("Method: {method} (not proven minimal); margin {margin} points."))
        lines.append(said.format(method=res.method,
                                 margin=decimal_mark(f"{res.margin:g}")))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# SMAA-2
# --------------------------------------------------------------------------------------------


def smaa_json(s: SmaaSummary) -> dict[str, Any]:
    return {
        "samples": s.n_samples, "seed": s.seed, "engine": s.engine, "method": s.method,
        "acceptability": {o: [r6(x) for x in s.acceptability[i]]
                          for i, o in enumerate(s.offers)},
        "central_weights": {
            o: None if np.isnan(s.central_weights[i]).all() else
            {c: r6(x) for c, x in zip(s.criteria, s.central_weights[i], strict=True)}
            for i, o in enumerate(s.offers)},
        "confidence": {o: r6(s.confidence[i]) for i, o in enumerate(s.offers)},
        "tie_groups": [list(g) for g in s.tie_groups],
    }


def acceptability_text(s: SmaaSummary, undetermined: Sequence[str] = ()) -> str:
    """Rank acceptability indices (offers × ranks, in %) with the confidence factors; an
    undetermined offer is marked "?" (its figures assume its admission), a tie group's
    members "=" (figures shared)."""
    m = len(s.offers)

    def name(o: str) -> str:
        tie = next(("=" + "=".join(x for x in g if x != o) for g in s.tie_groups if o in g), "")
        return o + tie + (" ?" if o in undetermined else "")
    rows = [[name(o), *[decimal_mark(f"{100 * s.acceptability[i, r]:.1f}") for r in range(m)],
             "-" if math.isnan(s.confidence[i]) else f"{100 * s.confidence[i]:.0f}"]
            for i, o in enumerate(s.offers)]
    out = table(rows, [_("offer"), *[_("rank {rank} %").format(rank=r + 1) for r in range(m)],
                       _("confidence %")])
    if s.tie_groups:
        out += "\n" + _("'a=b': offers tied at every weight (identical rows): one tie group, "
                        "its acceptabilities shared, none ranked ahead of the other")
    if any(o in undetermined for o in s.offers):
        out += "\n" + _("'?': eligibility undetermined; counted in every sample as if admitted "
                        "(its figures are conditional on admission; the passing offers' are "
                        "their worst case)")
    return out


def central_weights_text(s: SmaaSummary) -> str:
    """Central weight vectors (the average weights making each offer first), in %."""
    short = [_(c.split("/")[-1]) for c in s.criteria]
    rows = [[o, *([_("never first")] + [""] * (len(short) - 1)
                  if np.isnan(s.central_weights[i]).all()
                  else [decimal_mark(f"{100 * x:.1f}") for x in s.central_weights[i]])]
            for i, o in enumerate(s.offers)]
    return table(rows, [_("offer"), *short])


# --------------------------------------------------------------------------------------------
# Rank reversal
# --------------------------------------------------------------------------------------------


def reversal_words(r: Reversal) -> str:
    return (_("removing {removed} puts {after} ahead of {before}").format(
        removed=r.removed, after=r.ahead_after, before=r.ahead_before)
        + (f" ({r.cause})" if r.cause else ""))


def reversal_json(rep: RankReversalReport) -> dict[str, Any]:
    return {
        "method": rep.method, "basis": rep.basis, "order": list(rep.order),
        "checks": [{"removed": c.removed, "before": list(c.before), "after": list(c.after)}
                   for c in rep.checks],
        "reversals": [{"removed": r.removed, "ahead_before": r.ahead_before,
                       "ahead_after": r.ahead_after, "cause": r.cause}
                      for r in rep.reversals],
        "notes": list(rep.notes),
    }


def reversal_text(rep: RankReversalReport) -> str:
    """The rank-reversal report in words."""
    head = (_("Rank reversal ({method}, {basis}): none found") if not rep.found else
            _("Rank reversal ({method}, {basis}): {n} found")).format(
        method=rep.method, basis=rep.basis, n=len(rep.reversals))
    lines = [head, *[f"  - {reversal_words(r)}" for r in rep.reversals],
             *["  " + _("note: {note}").format(note=n) for n in rep.notes]]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# The two commands
# --------------------------------------------------------------------------------------------


def scenario_head(ev: Evaluation, level: str) -> dict[str, Any]:
    return {"scenario": ev.scenario.id, "hash": ev.hash,
            "evaluation_date": ev.evaluation_date.isoformat(), "level": level,
            "policy": ev.scenario.missing_policy, "method": ev.method,
            "assumptions": list(ev.assumption_ids)}


def sensitivity_json(rep: SensitivityReport) -> dict[str, Any]:
    """The ``hostwise sensitivity --json`` object (see the module docstring)."""
    ev, dm = rep.ev, rep.dm
    return {
        **scenario_head(ev, rep.level),
        "supported": {"stability": rep.support.exact, "flip": rep.support.exact,
                      "smaa": True, "reason": rep.support.reason},
        "offers": [{"offer": r.offer.offer_id, "rank": r.shared_rank,
                    "rank_label": r.rank_label,
                    "total": None if r.total is None else round(r.total, 6)}
                   for r in rep.eligible],
        "excluded": [{"offer": r.offer.offer_id, "excluded_by": list(r.excluded_by)}
                     for r in ev.results if r.eligibility == "fail"],
        "undetermined": [{"offer": r.offer.offer_id,
                          "undetermined_by": [{"gate": g.gate, "questions": list(g.questions)}
                                              for g in r.undetermined_by]}
                         for r in ev.undetermined()],
        "leaders": [r.offer.offer_id for r in ev.leaders()],
        "weights": {c: round(float(w), 6)
                    for c, w in zip(dm.criteria, dm.weights / dm.weights.sum(), strict=True)},
        "stability": [stability_json(s) for s in rep.stability or ()],
        "smaa": None if rep.smaa is None else smaa_json(rep.smaa),
        "flip": None if rep.flip is None else flip_json(rep.flip),
    }


def sensitivity_text(rep: SensitivityReport) -> str:
    """The ``hostwise sensitivity`` report for the committee."""
    ev, sc = rep.ev, rep.ev.scenario
    out = [sc_text(sc, "title") + "\n" + _(
        "scenario {id}  evaluation date {date}  level {level}  method "
        "{method}  missing answers: {policy}").format(
        id=sc.id, date=format_date(sc.evaluation_date), level=_(rep.level), method=ev.method,
        policy=_(sc.missing_policy)) + "\n" + _("hash {hash}").format(hash=ev.hash) + "\n"]
    if not rep.eligible:
        out.append(_("No offer passes every gate: nothing to compare."))
        return "\n".join(out)
    out.append(_("Ranking (eligible offers): {ranking}").format(ranking=", ".join(
        f"{r.rank_label}. {r.offer.offer_id} {points(r.total)}" for r in rep.eligible
        if r.total is not None)))
    undetermined = [r.offer.offer_id for r in ev.undetermined()]
    if undetermined:
        out.append(_("Eligibility undetermined (unknown answers or dates): {offers}").format(
            offers=", ".join(undetermined)))
    excluded = [r.offer.offer_id for r in ev.results if r.eligibility == "fail"]
    if excluded:
        out.append(_("Excluded by the gates (no weights can make them win): {offers}").format(
            offers=", ".join(excluded)))
    if len(rep.eligible) < 2:
        out.append("\n" + _("Only one eligible offer: its lead cannot be reversed by any "
                            "weights."))
        return "\n".join(out)
    if rep.stability is None:
        out.append("\n" + _("Stability intervals: not computed: {reason}.").format(
            reason=unsupported_words(rep.support.label)))
    else:
        out.append("\n" + _("Stability intervals: one weight moves from 0 to 100 %, the others "
                            "keep their proportions (exact end points):"))
        out.append(stability_text(rep.stability, twin_groups(rep.dm)))
    sm = rep.smaa
    if sm is not None:
        scored = ("" if get_method(sm.method).linear
                  else _(", scored by {method}").format(method=ev.method))
        drawn = (_(", every unknown answer drawn uniformly in its interval at the same time")
                 if sm.engine == "uncertain" else "")
        out.append("\n" + _("SMAA-2 rank acceptability: share of {n} weight vectors (uniform on "
                            "the simplex, seed {seed}{scored}{drawn}) giving each rank:").format(
            n=format_number(sm.n_samples, 0), seed=sm.seed, scored=scored, drawn=drawn))
        out.append(acceptability_text(sm, undetermined))
        out.append("\n" + _("Central weights (%): the average weights under which each offer "
                            "ranks first:"))
        out.append(central_weights_text(sm))
    top = ev.leaders()
    if len(top) > 1:
        out.append("\n" + _("{offers} tie for first: there is no leader to flip from. What "
                            "would put {second} strictly ahead of {first}:").format(
            offers=_(" and ").join(r.offer.offer_id for r in top),
            second=rep.eligible[1].offer.offer_id, first=rep.eligible[0].offer.offer_id))
        if rep.flip is not None:
            out.append(flip_text(rep.flip))
        return "\n".join(out)
    runner = rep.eligible[1].offer.offer_id
    out.append("\n" + _("What would flip the award to the runner-up ({runner}):").format(
        runner=runner))
    if rep.flip is not None:
        out.append(flip_text(rep.flip))
    return "\n".join(out)


def flip_command_json(ev: Evaluation, level: str, res: FlipResult) -> dict[str, Any]:
    """The ``hostwise flip --json`` object."""
    return {**scenario_head(ev, level), **flip_json(res)}


def flip_command_text(ev: Evaluation, level: str, res: FlipResult) -> str:
    return (_("scenario {id}  evaluation date {date}  level {level}  method {method}  missing "
              "answers: {policy}").format(id=ev.scenario.id, date=format_date(ev.evaluation_date),
                                          level=_(level), method=ev.method,
                                          policy=_(ev.scenario.missing_policy))
            + "\n\n" + flip_text(res))
