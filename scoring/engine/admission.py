"""Who could lead if admitted: the undetermined offers (``uncertain`` policy) that would rank
first were their undetermined gates resolved in their favour.

Why: under ``uncertain`` a gate on an unknown answer or date is undetermined, so the leader is
named among the offers that *pass*. That verdict is honest only if it also says which offers
stand outside it for want of an answer and could overturn it: "S3NS could lead if its HDS
certification is confirmed". The rule, stated once:

    an undetermined offer *could lead* when, for some combination of admitting answers (each
    undetermined gate's question set to a value that makes it pass, ``rules.gates.
    admitting_answers``), the scenario re-scored with that offer so answered puts it in the
    first tie group of the passing offers; every other offer stays as it is (other undetermined
    offers are not admitted), every other unknown stays an interval scored at its middle.

The re-scoring is the engine's own (``evaluate``), so whatever the answer moves beyond the gate
(the certification leaf, the legal exposure, the SEAL levels, the competing set of the cost note)
moves too. An offer whose undetermined gates admit no single answer (a SEAL ceiling, a pillar
minimum, missing prices) is reported as not assessed, never as unable to lead.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ..models import Answer, Catalogue
from ..rules.gates import admitting_answers
from ..rules.legal import LegalTimeline, load_timeline
from ..scenario.catalogue import scenario_catalogue
from .facts import Memo
from .pipeline import evaluate
from .result import Evaluation, OfferResult

__all__ = ["Admission", "admissions", "could_lead"]


@dataclass(frozen=True)
class Admission:
    """One undetermined offer's admission what-if. ``leads``: some admitting answers put it in
    the first tie group; ``alone``: first on its own (not tied); ``answers``: the first such
    combination (question -> value); ``assessed``: False when no admitting answer exists."""

    offer: str
    questions: tuple[str, ...]
    leads: bool
    alone: bool
    answers: dict[str, Any]
    assessed: bool = True


_CACHE: dict[str, tuple[Admission, ...]] = {}


def _combinations(ev: Evaluation, r: OfferResult, cat: Catalogue
                  ) -> list[dict[str, Answer]] | None:
    """Every combination of admitting answers over the offer's undetermined gates, or None when
    one of them admits no single answer."""
    per_q: dict[str, list[Answer]] = {}
    gates = {g.id: g for g in ev.scenario.gates}
    for gr in r.undetermined_by:
        gate = gates.get(gr.gate)
        if gate is None:
            return None
        q = cat.question(gate.question) if gate.question else None
        opts = (None if cat.certifications is None else
                admitting_answers(gate, r.offer, ev.evaluation_date, cat.certifications, q))
        if opts is None:
            return None
        for qid, answers in opts.items():
            if qid in per_q:  # two gates on one question: the answers both admit
                keep = {repr(a.value) for a in answers}
                per_q[qid] = [a for a in per_q[qid] if repr(a.value) in keep]
            else:
                per_q[qid] = list(answers)
    keys = sorted(per_q)
    return [dict(zip(keys, combo, strict=True))
            for combo in itertools.product(*(per_q[k] for k in keys))]


def admissions(ev: Evaluation, *, cat: Catalogue | None = None,
               timeline: LegalTimeline | None = None) -> tuple[Admission, ...]:
    """The admission what-if of every undetermined offer (empty under ``worst`` and
    ``exclude``, which have none). Cached by the evaluation's content hash."""
    undetermined = ev.undetermined()
    if not undetermined:
        return ()
    if ev.hash in _CACHE:
        return _CACHE[ev.hash]
    cat = cat or ev.catalogue or scenario_catalogue(ev.scenario)
    tl = timeline or load_timeline()
    memo = Memo(ev.offers)
    out: list[Admission] = []
    for r in undetermined:
        qs = tuple(dict.fromkeys(q for g in r.undetermined_by for q in g.questions))
        combos = _combinations(ev, r, cat)
        if combos is None:
            out.append(Admission(r.offer_id, qs, False, False, {}, assessed=False))
            continue
        found: Admission | None = None
        for combo in combos:
            changed = r.offer.model_copy(update={"answers": {**r.offer.answers, **combo}})
            offers = [changed if o.offer_id == r.offer_id else o for o in ev.offers]
            ev2 = evaluate(ev.scenario, offers, cat=cat, timeline=tl, method=ev.method,
                           memo=memo, scenario_file=ev.scenario_file)
            r2 = ev2.result(r.offer_id)
            if r2.eligibility == "pass" and r2.shared_rank == 1:
                values = {q: a.value for q, a in combo.items()}
                alone = not r2.tied_with
                if found is None or (alone and not found.alone):
                    found = Admission(r.offer_id, qs, True, alone, values)
                if alone:
                    break
        out.append(found or Admission(r.offer_id, qs, False, False, {}))
    result = tuple(out)
    if len(_CACHE) > 32:
        _CACHE.clear()
    _CACHE[ev.hash] = result
    return result


def could_lead(ev: Evaluation, **kw: Any) -> tuple[Admission, ...]:
    """The undetermined offers that could lead (or tie for first) if admitted."""
    return tuple(a for a in admissions(ev, **kw) if a.leads)
