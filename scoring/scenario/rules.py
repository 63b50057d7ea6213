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
from ..models import PILLARS, Catalogue
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
_GATE_FIELDS = {  # the fields each gate kind reads; any other is an error (it would be ignored)
    "hds": {"require_v2_after"},
    "immunity": {"mode"},
    "min_seal": {"objective", "level"},
    "min_pillar": {"pillar", "minimum"},
    "costable": set(),
    "answer": {"question", "allowed", "minimum"},
}
_COMMON_GATE_FIELDS = {"id", "kind", "label", "reason"}


def _weight(out: list[Problem], file: str, path: str, w: float) -> None:
    if not math.isfinite(w) or w < 0:
        out.append(Problem(file, "", path, f"weight {w!r} must be a finite number >= 0"))


def _weight_problems(sc: Scenario, file: str) -> list[Problem]:
    out: list[Problem] = []
    for p, pw in sc.weights.items():
        if p not in PILLARS:
            out.append(Problem(file, "", f"weights.{p}", f"unknown pillar (known: "
                               f"{', '.join(PILLARS)})"))
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
    where = f"gates.{g.id or i}"
    out: list[Problem] = []
    given = {k for k, v in g.model_dump(exclude_defaults=True).items() if v is not None}
    for k in sorted(given - _GATE_FIELDS[g.kind] - _COMMON_GATE_FIELDS):
        out.append(Problem(file, "", f"{where}.{k}", f"not read by a {g.kind} gate (it would be "
                           f"ignored); a {g.kind} gate reads: "
                           f"{', '.join(sorted(_GATE_FIELDS[g.kind])) or 'nothing more'}"))
    if g.kind == "min_seal":
        if g.level is None or not 0 <= g.level <= 4:
            out.append(Problem(file, "", f"{where}.level", f"level {g.level!r}: a min_seal gate "
                               "needs a SEAL level from 0 to 4"))
        if g.objective not in (None, "overall", *DEFAULT_WEIGHTS):
            out.append(Problem(file, "", f"{where}.objective", f"objective {g.objective!r}: "
                               "overall or SOV-1..SOV-8"))
    if g.kind == "min_pillar":
        if g.pillar not in PILLARS:
            out.append(Problem(file, "", f"{where}.pillar", f"pillar {g.pillar!r}: one of "
                               f"{', '.join(PILLARS)}"))
        if g.minimum is None or not 0 <= g.minimum <= 100:
            out.append(Problem(file, "", f"{where}.minimum", f"minimum {g.minimum!r}: a score "
                               "from 0 to 100"))
    if g.kind == "answer" and g.allowed is None and g.minimum is None:
        out.append(Problem(file, "", where, "an answer gate needs allowed values or a minimum"))
    return out


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
    """Rules that need the question catalogue: gates on known questions, workload items that
    are price items, a cost pillar with something to cost."""
    out: list[Problem] = []
    qids = set(cat.ids)
    for i, g in enumerate(sc.gates):
        if g.kind == "answer" and g.question not in qids:
            out.append(Problem(file, "", f"gates.{g.id or i}.question", f"{g.question!r} is not "
                               "a question of the catalogue (hostwise questions lists them)"))
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
    cost = sc.weights.get("cost")
    bought = [q for q in (*wl.annual.values(), *wl.one_off.values()) if q > 0]
    if cost is not None and cost.weight > 0 and not bought:
        out.append(Problem(file, "", "workload", "the cost pillar has a weight but the workload "
                           "buys nothing: give quantities, or weight cost 0"))
    return out
