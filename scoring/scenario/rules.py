"""What a scenario may say: every rule a well-formed scenario keeps, each broken rule a located
problem (file, key, value, what is allowed), all of them at once.

Why so strict: a scenario is a committee's published rules (Directive 2014/24 art. 67(5):
weights are published before opening). A typo that silently changes the ranking, such as a gate
on a question that does not exist (excluding every offer), a ``min_seal`` gate without a level
(passing every offer), a negative weight, ``contract_years: 0`` (a division by zero) or ``-1``
(a one-off cost turned into a credit), a currency typo that drops the cost pillar while a leader
is still declared, is worse than a refusal: it is a wrong award that looks right.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ..errors import Problem
from ..io.catalogue_rules import gate_problems
from ..models import MODULES, Catalogue
from ..rules.sovereignty import DEFAULT_WEIGHTS
from .model import CriterionWeight, Gate, Scenario

EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
"""Evaluation dates outside these bounds are refused: no cloud offer or law predates 1990, and
the engine adds contract terms and certificate lifetimes to dates, which must stay computable."""
MAX_CONTRACT_YEARS = 50.0
_CURRENCY = re.compile(r"[A-Z]{3}")
_NO_CRITERIA = {
    "cost": "the cost pillar has one criterion (the price note): criteria here would be "
            "ignored; remove them",
    "legal": "the legal pillar has one criterion (exposure on the evaluation date): criteria "
             "here would be ignored; remove them",
    "sovereignty": "sovereignty objectives are weighted under sovereignty.weights (SOV-1..SOV-8)"
                   ", not here: criteria here would be ignored; move them",
}
def _weight(out: list[Problem], file: str, path: str, w: float) -> None:
    if not math.isfinite(w) or w < 0:
        out.append(Problem(file, "", path, f"weight {w!r} must be a finite number >= 0"))


def _weight_problems(sc: Scenario, file: str) -> list[Problem]:
    out: list[Problem] = []
    for p, pw in sc.weights.items():
        _weight(out, file, f"weights.{p}", pw.weight)
        if pw.criteria is not None and p in _NO_CRITERIA:
            out.append(Problem(file, "", f"weights.{p}.criteria", _NO_CRITERIA[p]))
            continue
        for c, cw in (pw.criteria or {}).items():
            w = cw.weight if isinstance(cw, CriterionWeight) else cw
            _weight(out, file, f"weights.{p}.criteria.{c}", w)
            if isinstance(cw, CriterionWeight):
                for q, qw in (cw.questions or {}).items():
                    _weight(out, file, f"weights.{p}.criteria.{c}.questions.{q}", qw)
    if sum(pw.weight for pw in sc.weights.values()) <= 0:
        out.append(Problem(file, "", "weights", "all pillar weights are zero: nothing to rank on"))
    for k, w in (sc.sovereignty.weights or {}).items():
        if k not in DEFAULT_WEIGHTS:
            out.append(Problem(file, "", f"sovereignty.weights.{k}",
                               "unknown objective (SOV-1..SOV-8)"))
        _weight(out, file, f"sovereignty.weights.{k}", w)
    return out


def _gate_problems(g: Gate, i: int, file: str) -> list[Problem]:
    """A written gate's own rules; a reference to a catalogue gate (no kind) is checked once
    resolved against the scenario's catalogue (``scoring.scenario.catalogue``)."""
    if g.kind is None:
        return []
    return gate_problems(g, f"gates.{g.id or i}", file, None)


def rule_problems(sc: Scenario, file: str) -> list[Problem]:
    """Every rule a scenario breaks, without the catalogue (checked when it is parsed)."""
    out = _weight_problems(sc, file)
    if not EARLIEST_DATE <= sc.evaluation_date <= LATEST_DATE:
        out.append(Problem(file, "", "evaluation_date", f"{sc.evaluation_date}: an evaluation "
                           f"date from {EARLIEST_DATE} to {LATEST_DATE}"))
    if sc.min_coverage is not None and not 0 <= sc.min_coverage <= 1:
        out.append(Problem(file, "", "min_coverage", f"{sc.min_coverage!r}: a share of the "
                           "weight from 0 to 1 (0.5 = half the weight answered)"))
    ids = [g.id for g in sc.gates]
    for i, g in enumerate(sc.gates):
        out += _gate_problems(g, i, file)
        if ids.count(g.id) > 1 and ids.index(g.id) == i:
            out.append(Problem(file, "", f"gates.{g.id}", "gate id used twice"))
    cy = sc.workload.contract_years
    if not (math.isfinite(cy) and 0 < cy <= MAX_CONTRACT_YEARS):
        out.append(Problem(file, "", "workload.contract_years", f"{cy!r}: the contract term in "
                           f"years, more than 0 and at most {MAX_CONTRACT_YEARS:g}"))
    if not _CURRENCY.fullmatch(sc.currency):
        out.append(Problem(file, "", "currency", f"{sc.currency!r}: an ISO 4217 code such as "
                           "EUR"))
    for k, r in sc.rates.items():
        if not math.isfinite(r.value) or r.value <= 0:
            out.append(Problem(file, "", f"rates.{k}", "a rate must be a positive number"))
        if not _CURRENCY.fullmatch(k):
            out.append(Problem(file, "", f"rates.{k}", "an ISO 4217 code such as USD"))
    pf = sc.price_formula
    if not math.isfinite(pf.n) or (pf.kind == "relevance" and not 1 < pf.n <= 100):
        out.append(Problem(file, "", "price_formula.n", f"{pf.n!r}: the relevance factor is a "
                           "number greater than 1 (offers beyond n × the lowest price score 0)"))
    for lot in sc.lots:
        if not any(q > 0 for q in lot.demand.values()):
            out.append(Problem(file, "", f"lots.{lot.id}.demand", "a lot must buy something "
                               "(some quantity > 0): an empty lot would be awarded at 0"))
        for item, q in lot.demand.items():
            if not math.isfinite(q) or q < 0:
                out.append(Problem(file, "", f"lots.{lot.id}.demand.{item}",
                                   f"{q!r}: a quantity is a finite number >= 0"))
    return out


def catalogue_problems(sc: Scenario, cat: Catalogue, file: str) -> list[Problem]:
    """Rules that need the scenario's catalogue: weights on its pillars, gates it can
    support, workload items that are price items, a cost pillar with something to cost."""
    out: list[Problem] = []
    for p in sc.weights:
        if p not in cat.pillars:
            out.append(Problem(file, "", f"weights.{p}", f"unknown pillar (the catalogue "
                               f"{cat.id} declares: {', '.join(cat.pillar_ids)})"))
    for lot in sc.lots:
        for p in lot.weights or {}:
            if p not in cat.pillars:
                out.append(Problem(file, "", f"lots.{lot.id}.weights.{p}", "unknown pillar "
                                   f"(declared: {', '.join(cat.pillar_ids)})"))
    for i, g in enumerate(sc.gates):
        out += gate_problems(g, f"gates.{g.id or i}", file, cat)
    items = set(cat.price_items)
    wl = sc.workload
    for part, quantities in (("annual", wl.annual), ("one_off", wl.one_off)):
        for item in quantities:
            if item not in items:
                out.append(Problem(file, "", f"workload.{part}.{item}", "not a price item of "
                                   f"the catalogue (known: {', '.join(sorted(items))})"))
    for lot in sc.lots:
        for item in lot.demand:
            if item not in items:
                out.append(Problem(file, "", f"lots.{lot.id}.demand.{item}", "not a price item "
                                   "of the catalogue"))
    if not cat.uses("cost") and (wl.annual or wl.one_off):
        out.append(Problem(file, "", "workload", f"the catalogue {cat.id} has no cost module: "
                           "a workload would be ignored; leave annual and one_off empty"))
    cost = sc.weights.get("cost")
    bought = [q for q in (*wl.annual.values(), *wl.one_off.values()) if q > 0]
    if cost is not None and cost.weight > 0 and not bought:
        out.append(Problem(file, "", "workload", "the cost pillar has a weight but the workload "
                           "buys nothing: give quantities, or weight cost 0"))
    return out


def weight_warnings(sc: Scenario, cat: Catalogue, file: str) -> list[Problem]:
    """What the catalogue defines but the scenario's weights leave out, each weighted 0
    without a word before (issue 19, part 7): a pillar, a criterion, a scored question, a
    sovereignty objective. Warnings (a committee may mean it), located so they can be fixed;
    publishing a committee tender with one is an error (``committee.workflow``). Also a
    catalogue's gates none of which the scenario applies."""
    out: list[Problem] = []
    on = sc.evaluation_date
    for p in cat.pillar_ids:
        pw = sc.weights.get(p)
        if pw is None:
            out.append(Problem(file, "", f"weights.{p}", f"pillar {p!r} of the catalogue has "
                               "no weight: it counts 0"))
            continue
        if p == "sovereignty" and sc.sovereignty.weights is not None:
            for o in DEFAULT_WEIGHTS:
                if o not in sc.sovereignty.weights:
                    out.append(Problem(file, "", f"sovereignty.weights.{o}", f"objective {o} "
                                       "has no weight: it counts 0"))
        if p in MODULES or pw.criteria is None:
            continue
        for c in cat.criteria(p):
            qs = [q.id for q in cat.questions if q.pillar == p and q.criterion == c
                  and q.scored and q.applies_on(on)]
            if not qs:
                continue
            cw = pw.criteria.get(c)
            if cw is None:
                out.append(Problem(file, "", f"weights.{p}.criteria.{c}", f"criterion {c!r} of "
                                   "the catalogue has no weight: it counts 0"))
            elif isinstance(cw, CriterionWeight) and cw.questions:
                for q in qs:
                    if q not in cw.questions:
                        out.append(Problem(file, "", f"weights.{p}.criteria.{c}.questions.{q}",
                                           f"question {q} of the catalogue has no weight: it "
                                           "counts 0"))
    if cat.gates and not any(cat.gate(g.id) is not None for g in sc.gates):
        out.append(Problem(file, "", "gates", f"the catalogue {cat.id} defines gates ("
                           + ", ".join(g.id for g in cat.gates) + "); this scenario applies "
                           "none of them"))
    return out
