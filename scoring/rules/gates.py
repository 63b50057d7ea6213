"""Eligibility gates: pass/fail before scoring, each with the answer that decided it.

Order of a public award (EU Financial Regulation art. 167; Directive 2014/24 art. 56-58): minimum
requirements, then exclusion and selection, then award. A gate on an answer that is unknown
*fails*: a requirement the bidder did not demonstrate is not met (unknown is not "yes").
An excluded offer keeps its scores for display, marked excluded, with every failed gate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ..models import CertificationRules, Count, Frozen, Number, Offer
from .certifications import hds_status_on, snc_status_on


class Gate(Frozen):
    """A pass/fail rule applied before scoring (EU Directive 2014/24 art. 67; CJEU C-546/16
    Montte: minimum quality thresholds may eliminate tenders)."""

    id: str
    kind: Literal["hds", "immunity", "min_seal", "min_pillar", "costable", "answer"]
    label: str | None = None
    mode: Literal["qualified", "qualified_or_in_process"] | None = None  # immunity
    objective: str | None = None  # min_seal: "SOV-2" or "overall"
    level: Count | None = None  # min_seal
    pillar: str | None = None  # min_pillar
    minimum: Number | None = None  # min_pillar / answer (number)
    question: str | None = None  # answer
    allowed: list[Any] | None = None  # answer (enum/bool/country values)
    require_v2_after: dt.date | None = None  # hds: version v2 needed from this date
    reason: str | None = None


@dataclass(frozen=True)
class GateResult:
    offer: str
    gate: str
    label: str
    passed: bool
    reason: str
    question: str = ""


def check_gate(
    gate: Gate,
    offer: Offer,
    on: dt.date,
    *,
    rules: CertificationRules,
    pillars: dict[str, float | None] | None = None,
    seal_levels: dict[str, int | None] | None = None,
    seal_overall: int | None = None,
    costable: bool | None = None,
    missing_cost: tuple[str, ...] = (),
) -> GateResult:
    """Evaluate one gate for one offer. Inputs computed elsewhere are passed in explicitly."""
    label = gate.label or gate.id

    def res(ok: bool, why: str, q: str = "") -> GateResult:
        return GateResult(offer.offer_id, gate.id, label, ok, why, q)

    if gate.kind == "hds":
        ok, why = hds_status_on(offer, on, rules, gate.require_v2_after)
        if ok is None:
            return res(False, why + " (not demonstrated)", "cert.hds")
        return res(ok, why, "cert.hds")
    if gate.kind == "immunity":
        status, why = snc_status_on(offer, on, rules)
        accepted = ("qualified",) if gate.mode != "qualified_or_in_process" else (
            "qualified", "in_process")
        if status is None:
            return res(False, why + " (not demonstrated)", "cert.secnumcloud")
        return res(status in accepted, why, "cert.secnumcloud")
    if gate.kind == "min_seal":
        need = gate.level or 0
        if gate.objective in (None, "overall"):
            lvl = seal_overall
            name = "overall SEAL"
        else:
            lvl = (seal_levels or {}).get(gate.objective)
            name = f"{gate.objective} SEAL"
        if lvl is None:
            return res(False, f"{name} unknown (not demonstrated); SEAL-{need} required")
        return res(lvl >= need, f"{name} {lvl}, SEAL-{need} required")
    if gate.kind == "min_pillar":
        score = (pillars or {}).get(gate.pillar or "")
        minimum = gate.minimum or 0.0
        if score is None:
            return res(False, f"{gate.pillar} score unavailable")
        return res(score >= minimum, f"{gate.pillar} score {score:.1f}, minimum {minimum:g}")
    if gate.kind == "costable":
        if costable:
            return res(True, "all prices the workload needs are on the price sheet")
        return res(False, "not costable: missing " + ", ".join(missing_cost))
    if gate.kind == "answer":
        q = gate.question or ""
        a = offer.answer(q)
        if not a.known:
            return res(False, f"{q} unknown (not demonstrated)", q)
        if gate.allowed is not None and a.value not in gate.allowed:
            return res(False, f"{q} = {a.value!r}, required one of {gate.allowed}", q)
        if gate.minimum is not None and not (isinstance(a.value, int | float)
                                             and a.value >= gate.minimum):
            return res(False, f"{q} = {a.value!r}, minimum {gate.minimum:g}", q)
        return res(True, f"{q} = {a.value!r}", q)
    raise AssertionError(gate.kind)  # pragma: no cover - the model restricts kinds
