"""Eligibility gates: pass, fail or undetermined before scoring, each with the answer that
decided it.

Order of a public award (EU Financial Regulation art. 167; Directive 2014/24 art. 56-58): minimum
requirements, then exclusion and selection, then award. What a gate on an unknown answer (or on
a status whose start date nobody published) means depends on the missing-answer policy:

* two-valued (``worst`` and ``exclude``, the tender rule): it *fails*; a requirement the bidder
  did not demonstrate is not met (unknown is not "yes");
* three-valued (``uncertain``, the market study): it is *undetermined*; unknown is not "no"
  either, so the offer is neither excluded nor admitted, and the questions that would decide it
  are named (``GateResult.questions``) for the clarification list.

An excluded offer keeps its scores for display, marked excluded, with every failed gate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from ..i18n import N_
from ..messages import Msg, joined, word
from ..models import Answer, CertificationRules, Gate, Offer, Question
from .certifications import hds_status_on, snc_status_on

__all__ = ["Gate", "GateResult", "GateStatus", "accepted_snc", "admitting_answers", "check_gate"]

GateStatus = Literal["pass", "fail", "undetermined"]


@dataclass(frozen=True)
class GateResult:
    """One gate for one offer. ``passed`` is True only for a pass (a two-valued reader sees an
    undetermined gate as not passed, which is what the tender rule means); ``undetermined`` marks
    a gate that depends on unknown answers or dates, ``questions`` the answers that decide it."""

    offer: str
    gate: str
    label: str
    passed: bool
    reason: str
    question: str = ""
    undetermined: bool = False
    questions: tuple[str, ...] = ()

    @property
    def status(self) -> GateStatus:
        return "pass" if self.passed else "undetermined" if self.undetermined else "fail"

    @property
    def failed(self) -> bool:
        """Failed for certain (the answers given exclude the offer)."""
        return not self.passed and not self.undetermined


def check_gate(
    gate: Gate,
    offer: Offer,
    on: dt.date,
    *,
    rules: CertificationRules | None,
    pillars: dict[str, float | None] | None = None,
    seal_levels: dict[str, int | None] | None = None,
    seal_overall: int | None = None,
    costable: bool | None = None,
    missing_cost: tuple[str, ...] = (),
    seal_questions: dict[str, str] | None = None,
    three_valued: bool = False,
) -> GateResult:
    """Evaluate one gate for one offer. Inputs computed elsewhere are passed in explicitly.

    ``three_valued`` (the ``uncertain`` policy; ask ``engine.policy.three_valued_gates``): a
    gate that depends on an unknown answer or date is undetermined, never failed; otherwise it
    fails ("not demonstrated"). ``seal_questions`` maps a SEAL objective to its question, so an
    undetermined SEAL gate names what would decide it."""
    label = gate.label or gate.id

    def res(ok: bool, why: str, q: str = "") -> GateResult:
        return GateResult(offer.offer_id, gate.id, label, ok, why, q)

    def unknown(why: str, q: str, qs: tuple[str, ...] | None = None) -> GateResult:
        if three_valued:
            return GateResult(offer.offer_id, gate.id, label, False, why, q, undetermined=True,
                              questions=qs if qs is not None else ((q,) if q else ()))
        return res(False, Msg(N_("{why} (not demonstrated)"), why=why), q)

    if gate.kind in ("hds", "immunity") and rules is None:  # refused by the catalogue checks
        raise AssertionError(f"a {gate.kind} gate needs the catalogue's certification rules")
    if gate.kind == "hds" and rules is not None:
        ok, why = hds_status_on(offer, on, rules, gate.require_v2_after)
        if ok is None:
            return unknown(why, "cert.hds")
        return res(ok, why, "cert.hds")
    if gate.kind == "immunity" and rules is not None:
        status, why = snc_status_on(offer, on, rules)
        if status is None:
            return unknown(why, "cert.secnumcloud")
        return res(status in accepted_snc(gate), why, "cert.secnumcloud")
    if gate.kind == "min_seal":
        need = gate.level or 0
        sq = seal_questions or {}
        if gate.objective in (None, "overall"):
            lvl = seal_overall
            name: str = Msg(N_("overall SEAL"))
            open_qs = tuple(q for o, q in sq.items() if (seal_levels or {}).get(o) is None)
        else:
            lvl = (seal_levels or {}).get(gate.objective)
            name = Msg(N_("{objective} SEAL"), objective=gate.objective)
            open_qs = tuple(q for o, q in sq.items() if o == gate.objective)
        if lvl is None:
            if three_valued:
                return unknown(Msg(N_("{name} unknown; SEAL-{need} required"), name=name,
                                   need=need), "", open_qs)
            return res(False, Msg(N_("{name} unknown (not demonstrated); SEAL-{need} required"),
                                  name=name, need=need))
        if three_valued and lvl >= need and open_qs and gate.objective in (None, "overall"):
            # The overall level is the lowest objective: with some unknown it is a ceiling.
            return unknown(Msg(N_("{name} at most {level} (some objectives unknown); "
                                  "SEAL-{need} required"), name=name, level=lvl, need=need),
                           "", open_qs)
        return res(lvl >= need, Msg(N_("{name} {level}, SEAL-{need} required"), name=name,
                                    level=lvl, need=need))
    if gate.kind == "min_pillar":
        pillar = str(gate.pillar)
        score = (pillars or {}).get(gate.pillar or "")
        minimum = gate.minimum or 0.0
        if score is None:
            if three_valued:
                return unknown(Msg(N_("{pillar} score unavailable"), pillar=word(pillar)), "",
                               (f"pillar:{gate.pillar}",))
            return res(False, Msg(N_("{pillar} score unavailable"), pillar=word(pillar)))
        return res(score >= minimum, Msg(N_("{pillar} score {score:.1f}, minimum {minimum:g}"),
                                         pillar=word(pillar), score=score, minimum=minimum))
    if gate.kind == "costable":
        if costable:
            return res(True, Msg(N_("all prices the workload needs are on the price sheet")))
        why = Msg(N_("not costable: missing {items}"), items=joined(", ", missing_cost))
        if three_valued and missing_cost and not any("no rate" in m for m in missing_cost):
            # Prices nobody published are unknown, not absent; a missing rate is the
            # scenario's own gap and stays a failure.
            return GateResult(offer.offer_id, gate.id, label, False,
                              Msg(N_("prices not published: {items}"),
                                  items=joined(", ", missing_cost)),
                              undetermined=True,
                              questions=tuple(f"price:{m.split(' (')[0]}" for m in missing_cost))
        return res(False, why)
    if gate.kind == "answer":
        q = gate.question or ""
        a = offer.answer(q)
        if not a.known:
            return unknown(Msg(N_("{question} unknown"), question=q), q)
        if gate.allowed is not None and a.value not in gate.allowed:
            return res(False, Msg(N_("{question} = {value}, required one of {allowed}"),
                                  question=q, value=repr(a.value), allowed=str(gate.allowed)), q)
        if gate.minimum is not None and not (isinstance(a.value, int | float)
                                             and a.value >= gate.minimum):
            return res(False, Msg(N_("{question} = {value}, minimum {minimum:g}"), question=q,
                                  value=repr(a.value), minimum=gate.minimum), q)
        return res(True, f"{q} = {a.value!r}", q)
    raise AssertionError(gate.kind)  # pragma: no cover - the model restricts kinds


def accepted_snc(gate: Gate) -> tuple[str, ...]:
    """The SecNumCloud statuses an immunity gate accepts."""
    return ("qualified",) if gate.mode != "qualified_or_in_process" else (
        "qualified", "in_process")


def admitting_answers(gate: Gate, offer: Offer, on: dt.date, rules: CertificationRules,
                      question: Question | None = None) -> dict[str, list[Answer]] | None:
    """The answers that would make an undetermined gate pass, per question: the "admissible
    values" a committee could receive in reply to its clarification request. None when the gate
    cannot be resolved by one answer (a SEAL ceiling, a pillar minimum, missing prices).

    Why these and no others: a certification gate passes only with the status in force on the
    evaluation date, so a dated answer is dated the day before it (and HDS on v2 once the v1
    deadline has passed); an answer gate passes with each allowed value, or with a number at its
    minimum and at the top of its domain (the two ends that move a total the most).
    """
    day_before = on - dt.timedelta(days=1)

    def made(q: str, value: Any, **extra: Any) -> Answer:
        return Answer(question=q, value=value, confidence="recalled",
                      note="admission what-if", **extra)

    if gate.kind == "hds":
        a = offer.answer("cert.hds")
        deadline = gate.require_v2_after or rules.hds_v1_valid_until
        version = "v2" if on >= deadline else a.version if a.known else None
        return {"cert.hds": [made("cert.hds", True, since=day_before, version=version)]}
    if gate.kind == "immunity":
        a = offer.answer("cert.secnumcloud")
        scope = a.scope if a.known else None
        return {"cert.secnumcloud": [made("cert.secnumcloud", s, since=day_before, scope=scope)
                                     for s in accepted_snc(gate)]}
    if gate.kind == "answer" and gate.question:
        q = gate.question
        values: list[Any]
        if gate.allowed is not None:
            values = [v for v in gate.allowed if gate.minimum is None
                      or (isinstance(v, int | float) and v >= gate.minimum)]
        elif question is not None and question.type == "bool":
            values = [False, True]
        elif question is not None and question.type == "enum":
            values = list(question.options or {})
        elif gate.minimum is not None:
            top = question.max if question is not None and question.max is not None else None
            values = [gate.minimum] + ([top] if top is not None and top > gate.minimum else [])
        else:
            return None
        extra = {"since": day_before} if question is not None and question.dated else {}
        return {q: [made(q, v, **extra) for v in values]}
    return None
