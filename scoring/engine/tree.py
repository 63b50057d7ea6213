"""The criteria tree: the scenario's weights normalised level by level into scored leaves, and the
hierarchical weighted sum over them (Keeney & Raiffa 1976, additive value model).

Weights are taken as given and normalised explicitly at each level (pillar within the total,
criterion within its pillar, question within its criterion); the normalisation is part of the
result so a committee can see what its written weights became.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..errors import Problem, ScenarioError
from ..models import Catalogue, Question
from ..rules.sovereignty import DEFAULT_WEIGHTS, OBJECTIVES
from ..scenario.model import CriterionWeight, Scenario

COST_LEAF = "cost.price_note"
LEGAL_LEAF = "legal.exposure"


@dataclass(frozen=True)
class Leaf:
    """One scored leaf of the criteria tree with its weights at each level (normalised)."""

    pillar: str
    criterion: str
    question: str
    w_question: float  # within its criterion
    w_criterion: float  # within its pillar
    w_pillar: float  # within the total
    given: str  # how the weights were written in the scenario (shown in the normalisation)

    @property
    def weight(self) -> float:
        return self.w_pillar * self.w_criterion * self.w_question


def _norm(d: dict[str, float], where: str, file: str) -> dict[str, float]:
    s = sum(d.values())
    if s <= 0 or not math.isfinite(s):
        raise ScenarioError([Problem(file, "", where, "weights sum to zero: give at least one "
                                     "positive weight")])
    return {k: v / s for k, v in d.items()}


def not_applicable(cat: Catalogue, on: dt.date) -> tuple[Question, ...]:
    """The scored questions that could not be asked on ``on`` (outside their validity window:
    no H100 GPU before 2022, no Gaia-X label before December 2021). They leave the weight tree
    for every offer alike, never counted as a failure of one offer."""
    return tuple(q for q in cat.questions if q.scored and not q.applies_on(on))


def build_leaves(sc: Scenario, cat: Catalogue, file: str = "<scenario>") -> list[Leaf]:
    """Turn the scenario's weight tree into normalised leaves over the catalogue's pillars (a
    module pillar is one leaf, or the SOV objectives); reject unknown criteria. A
    question outside its validity window on the evaluation date is not a leaf; a criterion left
    without questions leaves the tree, and the weights renormalise over what remains.

    Next: ``scoring.engine.policy`` applies the missing-answer policy.
    """
    problems: list[Problem] = [
        Problem(file, "", f"weights.{p}", f"unknown pillar (the catalogue {cat.id} declares: "
                f"{', '.join(cat.pillar_ids)})") for p in sc.weights if p not in cat.pillars]
    pillars = _norm({p: sc.weights[p].weight for p in sc.weights}, "weights", file)
    leaves: list[Leaf] = []
    for p in cat.pillar_ids:  # the catalogue's pillars, in its order
        if p not in sc.weights:
            continue
        pw = sc.weights[p]
        wp = pillars[p]
        if p == "cost":
            leaves.append(Leaf(p, "price", COST_LEAF, 1.0, 1.0, wp, f"{pw.weight:g}"))
            continue
        if p == "legal":
            leaves.append(Leaf(p, "exposure", LEGAL_LEAF, 1.0, 1.0, wp, f"{pw.weight:g}"))
            continue
        if p == "sovereignty":
            given: dict[str, float] = dict(sc.sovereignty.weights or DEFAULT_WEIGHTS)
            for k in given:
                if k not in DEFAULT_WEIGHTS:
                    problems.append(Problem(file, "", f"sovereignty.weights.{k}",
                                            "unknown objective (SOV-1..SOV-8)"))
            if problems:
                break
            crit = _norm({o: given.get(o, 0.0) for o, _, _ in OBJECTIVES},
                         "sovereignty.weights", file)
            for obj, qid, _ in OBJECTIVES:
                leaves.append(Leaf(p, obj, qid, 1.0, crit[obj], wp, f"{given.get(obj, 0):g}"))
            continue
        # an ordinary pillar: criteria from the catalogue, questions applicable on the date
        on = sc.evaluation_date
        all_by_crit: dict[str, list[Question]] = {}
        qs_by_crit: dict[str, list[Question]] = {}
        for q in cat.questions:
            if q.pillar == p and q.scored:
                all_by_crit.setdefault(q.criterion, []).append(q)
                if q.applies_on(on):
                    qs_by_crit.setdefault(q.criterion, []).append(q)
        spec = pw.criteria or {c: 1.0 for c in all_by_crit}
        cw_raw: dict[str, float] = {}
        for c, cw in spec.items():
            if c not in all_by_crit:
                problems.append(Problem(file, "", f"weights.{p}.criteria.{c}",
                                        f"unknown criterion (known: {', '.join(all_by_crit)})"))
                continue
            if c not in qs_by_crit:
                continue  # every question of it is n/a on this date: out of the tree
            cw_raw[c] = cw.weight if isinstance(cw, CriterionWeight) else float(cw)
        if problems:
            break
        cws = _norm(cw_raw, f"weights.{p}.criteria", file)
        # Criteria in catalogue order, whatever order the scenario writes them in: the hash of
        # a scenario ignores key order, so its results must too (leaf order drives sampling).
        for c, wc in sorted(cws.items(), key=lambda kv: list(all_by_crit).index(kv[0])):
            cw = spec[c]
            qspec = cw.questions if isinstance(cw, CriterionWeight) and cw.questions else None
            ids = [q.id for q in qs_by_crit[c]]
            if qspec:
                known_ids = {q.id for q in all_by_crit[c]}
                for bad in (q for q in qspec if q not in known_ids):
                    problems.append(Problem(file, "", f"weights.{p}.criteria.{c}.questions.{bad}",
                                            f"not a scored question of criterion {c}"))
                qraw = {qid: float(qspec.get(qid, 0.0)) for qid in ids}
            else:
                qraw = dict.fromkeys(ids, 1.0)
            if sum(qraw.values()) <= 0:
                problems.append(Problem(file, "", f"weights.{p}.criteria.{c}",
                                        "question weights sum to zero"))
                continue
            qn = _norm(qraw, f"weights.{p}.criteria.{c}", file)
            for qid in ids:
                leaves.append(Leaf(p, c, qid, qn[qid], wc, wp, f"{cw_raw[c]:g}"))
    if problems:
        raise ScenarioError(problems)
    return leaves


def leaf_weights(leaves: Sequence[Leaf]) -> np.ndarray:
    """Global weight of each leaf (product of the normalised weights down the tree)."""
    return np.fromiter((lf.weight for lf in leaves), dtype=float, count=len(leaves))
