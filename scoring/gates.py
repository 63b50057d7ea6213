"""Eligibility gates: pass/fail before scoring, each with the answer that decided it.

Order of a public award (EU Financial Regulation art. 167; Directive 2014/24 art. 56-58): minimum
requirements, then exclusion and selection, then award. A gate on an answer that is unknown
*fails*: a requirement the bidder did not demonstrate is not met (unknown is not "yes").
An excluded offer keeps its scores for display, marked excluded, with every failed gate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .legal import snc_status_on
from .models import Offer
from .scenario import Gate

HDS_V1_DEADLINE = dt.date(2026, 5, 16)  # arrêté of 26 Apr 2024: v1 holders recertify by then


@dataclass(frozen=True)
class GateResult:
    offer: str
    gate: str
    label: str
    passed: bool
    reason: str
    question: str = ""


def hds_status_on(offer: Offer, on: dt.date) -> tuple[bool | None, str]:
    """HDS in force on a date: certified, started by then, not lapsed; a v1 certificate (or one
    whose version is not stated) no longer counts from 2026-05-16 (HDS v2 transition)."""
    a = offer.answer("cert.hds")
    if not a.known:
        return None, "HDS status unknown"
    if a.value is False:
        return False, "not HDS-certified"
    if a.since is not None and on < a.since:
        return False, f"HDS-certified only from {a.since}"
    if a.since is None and on < offer.as_of:
        return None, f"HDS-certified on {offer.as_of} (file date), start date unknown"
    if a.until is not None and on >= a.until:
        return False, f"HDS certificate lapsed on {a.until}"
    if on >= HDS_V1_DEADLINE and a.version != "v2":
        ver = a.version or "version not stated"
        return False, f"HDS {ver}: v1 certificates lapsed on {HDS_V1_DEADLINE} without v2 renewal"
    ver = f" {a.version}" if a.version else ""
    return True, f"HDS{ver} certified" + (f" since {a.since}" if a.since else "")


def check_gate(
    gate: Gate,
    offer: Offer,
    on: dt.date,
    *,
    pillars: dict[str, float] | None = None,
    seal_levels: dict[str, int | None] | None = None,
    seal_overall: int | None = None,
    costable: bool | None = None,
    missing_cost: tuple[str, ...] = (),
) -> GateResult:
    """Evaluate one gate for one offer. Inputs computed elsewhere are passed in explicitly."""
    label = gate.label or gate.id

    def res(ok: bool, why: str, q: str = "") -> GateResult:
        return GateResult(offer.key, gate.id, label, ok, why, q)

    if gate.kind == "hds":
        ok, why = hds_status_on(offer, on)
        if ok is None:
            return res(False, why + " (not demonstrated)", "cert.hds")
        return res(ok, why, "cert.hds")
    if gate.kind == "immunity":
        status, why = snc_status_on(offer, on)
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
        need = gate.minimum or 0.0
        if score is None:
            return res(False, f"{gate.pillar} score unavailable")
        return res(score >= need, f"{gate.pillar} score {score:.1f}, minimum {need:g}")
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
