"""The ranking: the ``hostwise rank --json`` contract and the text a committee reads."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from ..engine import Evaluation, OfferResult
from ..engine.admission import Admission, admissions
from ..engine.policy import has_intervals
from ..i18n import N_, _, format_date, ngettext
from ..messages import render
from ..methods.registry import METHODS
from ..scenario.model import DEMO_LABEL
from ..scenario.texts import gate_label
from ..scenario.texts import text as sc_text
from .numbers import percent
from .text import Lines, fmt, table

#: How a gate's question reads in a sentence ("S3NS: eligibility undetermined (HDS unknown)").
_SHORT = {"cert.hds": "HDS", "cert.secnumcloud": "SecNumCloud"}
_CONFIRM = {"cert.hds": N_("HDS certification"),
            "cert.secnumcloud": N_("SecNumCloud qualification")}


def names(xs: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    if len(xs) == 1:
        return xs[0]
    return _("{names} and {last}").format(names=", ".join(xs[:-1]), last=xs[-1])


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
            parts.append(f"{short}: {render(g.reason)}" if known
                         else _("{question} unknown").format(question=short))
    return "; ".join(dict.fromkeys(parts))


def admission_words(ev: Evaluation, a: Admission) -> str:
    """"S3NS could lead if its HDS certification is confirmed" (or "could tie for first")."""
    r = ev.result(a.offer)
    things = [_(_CONFIRM[q]) if q == "cert.hds" or v == "qualified" else
              _("SecNumCloud process (J0)") if q == "cert.secnumcloud"
              else _("answer {question} = {value!r}").format(question=q, value=v)
              for q, v in a.answers.items()]
    who = f"{r.offer.vendor_name} ({a.offer})"
    if a.alone:
        said = ngettext("{who} could lead if its {things} is confirmed",
                        "{who} could lead if its {things} are confirmed", len(things))
    else:
        said = ngettext("{who} could tie for first if its {things} is confirmed",
                        "{who} could tie for first if its {things} are confirmed", len(things))
    return said.format(who=who, things=names(things))


def leader_words(ev: Evaluation) -> str:
    """The verdict in one sentence: the leader among the passing offers, or the tie group that
    shares first place (no member named ahead of the others), or that none passes."""
    top = ev.leaders()
    if not top:
        return _("No offer passes every gate.")
    if len(top) == 1:
        return _("Leader: {who}, total {total}").format(who=_who(top[0]),
                                                        total=fmt(top[0].total, 2))
    return _("{names} tie for first, total {total} (equal under the ranking rule: no leader "
             "among them)").format(names=names([_who(r) for r in top]),
                                   total=fmt(top[0].total, 2))


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


def _window(qid: str, start: dt.date | None, until: dt.date | None) -> str:
    """A question's validity window in words: "tech.gpu_h100 (from 22 March 2022)"."""
    if start is not None:
        return _("{question} (from {date})").format(question=qid, date=format_date(start))
    if until is not None:
        return _("{question} (until {date})").format(question=qid, date=format_date(until))
    return qid


def rank_text(ev: Evaluation) -> str:
    """The ranking table, the leader (or the tie group) in words, the undetermined offers and
    which of them could lead if admitted, every exclusion with its reasons. Headings, labels
    and sentences in the run's language (``HOSTWISE_LANG``); ids, vendor text and scenario
    text as written."""
    out = Lines()
    sc = ev.scenario
    out.add(sc_text(sc, "title") + "\n" + _(
        "scenario {id}  evaluation date {date}  method {method}  "
        "missing answers: {policy}").format(
        id=sc.id, date=format_date(sc.evaluation_date), method=_(METHODS[ev.method].label),
        policy=_(sc.missing_policy)) + "\n" + _("hash {hash}").format(hash=ev.hash) + "\n")
    rows = []
    # Under the uncertain policy the range columns are always shown, whatever the method.
    ranged = has_intervals(sc.missing_policy) or any(r.total_range is not None
                                                     for r in ev.results)
    outer = any(r.range_exact is False for r in ev.results)
    seal = ev.catalogue is None or ev.catalogue.uses("sovereignty")
    status = {"pass": _("yes"), "fail": _("EXCLUDED"), "undetermined": _("UNDETERMINED")}
    for r in ev.results:
        extra = []
        if ranged:
            tr = r.total_range
            label = r.rank_range_label  # "1-excluded": the engine's word, said in the language
            if label.endswith("excluded"):
                label = label.removesuffix("excluded") + _("excluded")
            extra = ["-" if tr is None else f"{fmt(tr[0])}-{fmt(tr[1])}", label]
        rows.append([r.rank_label, r.offer.vendor_name, r.offer.offer_id,
                     *[fmt(r.pillars.get(p)) for p in ev.pillars], fmt(r.total, 2), *extra,
                     percent(r.coverage), *(["-" if r.seal_overall is None else
                     f"{r.seal_overall}{'' if r.seal_complete else '?'}"] if seal else []),
                     status[r.eligibility]])
    out.add(table(rows, [_("rank"), _("vendor"), _("offer"), *(_(p) for p in ev.pillars),
                         _("total"),
                         *([_("total range"), _("rank range")] if ranged else []),
                         _("answered"), *(["SEAL"] if seal else []), _("eligible")]))
    if ranged:
        out.add("\n" + _("Unknown answers are intervals (policy uncertain, prior {prior}).")
                .format(prior=sc.uncertain_prior) + "\n"
                + _("point total: each unknown at the middle of its interval (one "
                    "configuration among many, not a likelier one).") + "\n"
                + (_("total range: an OUTER BOUND under this method: every total the unknowns "
                     "can give lies inside, its ends may not be reached; rank range: from "
                     "these bounds, so it may be wider than the true one.") if outer else
                   _("total range: the lowest and highest total the unknowns can give "
                     "(exact); rank range: best / worst possible rank.")))
    if ev.not_applicable:
        out.add("\n" + _("Not applicable on {date} (out of the weight tree for every offer): "
                         "{questions}").format(
            date=format_date(ev.evaluation_date),
            questions="; ".join(_window(q.id, q.applies_from, q.applies_until)
                                for q in ev.not_applicable)))
    if seal:
        out.add("\n" + _("SEAL: overall level = lowest objective; '?' = some objectives "
                         "unknown (a ceiling)."))
    if any(r.shared_rank is not None and r.tied_with for r in ev.results):
        out.add(_("'1=': a rank shared by offers whose totals are equal under the ranking "
                  "rule."))
    top = ev.leaders()
    words = leader_words(ev)
    if len(top) == 1:
        best = sorted(((p, top[0].pillars.get(p) or 0.0) for p in ev.pillars),
                      key=lambda x: -x[1])
        words += _("; strongest pillars: {pillars}").format(pillars=", ".join(
            f"{_(p)} {v:.0f}" + (" " + _("(rests on {ids})").format(ids=", ".join(ids))
                                 if (ids := ev.pillar_assumptions(p)) else "")
            for p, v in best[:2]))
    out.add("\n" + words)
    undetermined = ev.undetermined()
    if undetermined:
        out.add("\n" + _("Eligibility undetermined (unknown answers or dates; policy uncertain: "
                         "not excluded, not ranked until answered; '(n)' = rank if "
                         "admitted):"))
        for r in undetermined:
            out.add("  " + _("{vendor}: eligibility undetermined ({why})").format(
                vendor=r.offer.vendor_name, why=undetermined_words(r)))
        adm = admissions(ev)
        lead = [a for a in adm if a.leads]
        for a in lead:
            out.add(f"  {admission_words(ev, a)}.")
        if top and not lead:
            out.add("  " + _("None of them would rank first if admitted (other unknowns at the "
                             "middle of their intervals)."))
        skipped = [a.offer for a in adm if not a.assessed]
        if skipped:
            out.add("  " + _("Not assessed (no single answer admits them): {offers}.").format(
                offers=", ".join(skipped)))
    excluded = [r for r in ev.results if r.eligibility == "fail"]
    if excluded:
        out.add("\n" + _("Excluded:"))
        for r in excluded:
            reasons = "; ".join(_("{gate}: {reason}").format(
                gate=gate_label(sc, g.gate, g.label), reason=render(g.reason))
                for g in r.gates if g.failed)
            also = [gate_label(sc, g.gate, g.label) for g in r.undetermined_by]
            out.add(f"  {r.offer.offer_id}: {reasons}"
                    + (" " + _("(also undetermined: {gates})").format(gates="; ".join(also))
                       if also else ""))
    out.add("\n" + _("Workload: {label} - {reasoning}").format(
        label=sc_text(sc, "workload.label"),
        reasoning=sc_text(sc, "workload.reasoning").strip().splitlines()[0]))
    legal = ""
    if ev.legal_label and "legal" in {lf.pillar for lf in ev.leaves}:
        legal = "; " + _("{label} (the points each foreign law takes off the legal score: "
                         "Hostwise's weighting, not a legal fact)").format(
            label=ev.legal_label.removeprefix("ASSUMPTION "))
    out.add(_("Labelled assumptions behind these numbers: {assumptions}").format(
        assumptions=", ".join(f"{a.id} ({sc_text(sc, f'assumptions.{a.id}.text')})"
                              for a in sc.assumptions)) + legal)
    late = [r for r in ev.results if r.cost.price_after_evaluation_date]
    if late:
        drift = ("; " + _("under the uncertain policy their cost notes are widened by "
                          "{drift}").format(drift=sc_text(sc, "price_drift.label"))
                 if sc.price_drift is not None and ev.bounds is not None else "")
        out.add(_("WARNING: prices read after the evaluation date {date} (the committee could "
                  "not have read them then): {offers}").format(
            date=format_date(ev.evaluation_date), offers=", ".join(
                _("{offer} ({days} days later)").format(offer=r.offer_id,
                                                         days=r.cost.late_days)
                for r in late)) + drift + ".")
    return out.text()
