"""The result of an evaluation: per-offer results, the decision matrix and tidy views."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import Problem
from ..methods.registry import Method, get_method
from ..models import PILLARS, Catalogue, Offer, Question
from ..ranking import rank_label
from ..rules.cost import CostResult
from ..rules.gates import GateResult, GateStatus
from ..rules.legal import LegalExposure
from ..rules.sovereignty import ObjectiveLevel
from ..scenario.model import Scenario
from .policy import group_scores, group_totals, method_inputs, point_policy
from .tree import COST_LEAF, LEGAL_LEAF, Leaf, leaf_weights
from .uncertainty import Bounds


@dataclass(frozen=True)
class DecisionMatrix:
    """Eligible offers × criteria scores (0-100) with the criteria's weights: the input of the
    robustness analyses (sensitivity, stability intervals, flip, SMAA).

    ``scores[i, k]`` is NaN where criterion k is unavailable for offer i (nothing answered
    under it); ``groups[k]`` is the pillar of criterion k; ``policy`` is the point policy
    (``worst`` or ``exclude``). The totals reproduce the engine's aggregation
    (``policy.group_totals``): linear in w under ``worst``, piecewise linear-fractional under
    ``exclude``.
    """

    offers: tuple[str, ...]
    criteria: tuple[str, ...]
    scores: np.ndarray
    weights: np.ndarray
    policy: str
    groups: tuple[int, ...] = ()

    def totals(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Totals for one weight vector (k,) or many (N, k) -> (m,) or (N, m)."""
        w = self.weights if weights is None else np.asarray(weights, dtype=float)
        out = group_totals(self.scores, np.atleast_2d(w), self.groups, self.policy)
        return out[0] if w.ndim == 1 else out


@dataclass(frozen=True)
class OfferResult:
    """One offer's result: eligibility with every gate, pillar scores, total, rank, and the facts
    each pillar rests on (cost lines, legal findings, SEAL levels, evidence warnings).

    ``eligible`` is True only when every gate passes (the two-valued reading, kept for
    compatibility); ``eligibility`` is three-valued: an offer whose gates depend on unknown
    answers or dates is ``undetermined`` under the ``uncertain`` policy. ``rank`` is the
    position by the ranking rule among the passing offers (ties listed in offer-id order);
    ``shared_rank`` is the rank a tie group shares, the one to show ("1=")."""

    offer: Offer
    eligible: bool
    excluded_by: tuple[str, ...]
    pillars: dict[str, float | None]
    total: float | None
    rank: int | None
    coverage: float
    cost: CostResult
    legal: LegalExposure | None  # None: the catalogue has no legal module
    seal_levels: tuple[ObjectiveLevel, ...]
    seal_overall: int | None
    seal_complete: bool
    gates: tuple[GateResult, ...]
    warnings: tuple[str, ...]
    tied_with: tuple[str, ...] = ()
    index: int = 0  # row of this offer in ``Evaluation.utilities`` (offers in id order)
    total_range: tuple[float, float] | None = None  # policy uncertain: [worst case, best case]
    rank_range: tuple[int, int] | None = None  # policy uncertain: (best rank, worst rank)
    shared_rank: int | None = None  # the rank a tie group shares (1, 1, 3)
    rank_if_admitted: int | None = None  # undetermined: shared rank if admitted alone
    # policy uncertain: True when total_range is the exact range, False for an outer bound
    # (TOPSIS: every attainable total lies inside, the ends may not be attained)
    range_exact: bool | None = None

    @property
    def offer_id(self) -> str:
        return self.offer.offer_id

    @property
    def eligibility(self) -> GateStatus:
        """``fail`` if a gate surely fails, else ``undetermined`` if one depends on unknowns,
        else ``pass``."""
        if self.eligible:
            return "pass"
        return "fail" if any(g.failed for g in self.gates) else "undetermined"

    @property
    def undetermined_by(self) -> tuple[GateResult, ...]:
        """The gates that depend on unknown answers or dates (each names its questions)."""
        return tuple(g for g in self.gates if g.undetermined)

    @property
    def rank_label(self) -> str:
        """The rank as shown: ``"1="`` when shared by a tie, ``"(2)"`` for the rank an
        undetermined offer would take if admitted, ``"-"`` otherwise."""
        if self.shared_rank is not None:
            return rank_label(self.shared_rank, bool(self.tied_with))
        if self.rank_if_admitted is not None and self.eligibility == "undetermined":
            return f"({self.rank_if_admitted})"
        return "-"

    @property
    def rank_range_label(self) -> str:
        """Best to worst rank; an undetermined offer's reaches "excluded"."""
        if self.rank_range is None:
            return "excluded?" if self.eligibility == "undetermined" else "-"
        lo, hi = self.rank_range
        if self.eligibility == "undetermined":
            return f"{lo}-excluded"
        return f"{lo}" if lo == hi else f"{lo}-{hi}"


def scored_rows(m: Method, eligible: Sequence[bool]) -> list[int]:
    """The rows a method scores: every offer when an offer's score depends on its own answers
    only (an excluded offer still shows its total), else the eligible offers (the others must
    not move the ideal, the flows or the spread)."""
    return [i for i, e in enumerate(eligible) if e or not m.depends_on_others]


# eq=False: numpy array fields make a generated ``__eq__`` ambiguous.
@dataclass(frozen=True, eq=False)
class Evaluation:
    """The result of scoring a scenario. It keeps its arrays (offers × leaves, offers in id
    order) and offers views of them: per-offer results sorted by rank, the tidy long table, the
    decision matrix of the robustness analyses, and the JSON of ``hostwise rank``.
    """

    scenario: Scenario
    scenario_file: str
    hash: str
    method: str
    leaves: tuple[Leaf, ...]
    results: tuple[OfferResult, ...]  # sorted by rank, excluded last
    offers: tuple[Offer, ...]  # in id order: the rows of the arrays
    utilities: np.ndarray  # offers × leaves, 0-100, NaN = unknown (read-only)
    effective_weights: np.ndarray  # offers × leaves after the missing-answer policy (read-only)
    reasons: tuple[tuple[str, ...], ...]  # offers × leaves: why each utility is what it is
    inputs: dict[str, str] = field(default_factory=dict)  # file -> sha256
    bounds: Bounds | None = None  # policy uncertain: offers × leaves utility intervals
    not_applicable: tuple[Question, ...] = ()  # outside their validity window on the date
    scorer: Method | None = None  # the method bound to the scenario's parameters and leaves
    legal_label: str | None = None  # the legal timeline's weighting assumption (LEGAL-PTS)
    catalogue: Catalogue | None = None  # the scenario's catalogue (docs/catalogue.md)
    # what the catalogue defines and the weights leave out (issue 19, part 7), shown by the
    # CLI on stderr and by the app beside the ranking
    weight_warnings: tuple[Problem, ...] = ()

    @property
    def pillars(self) -> tuple[str, ...]:
        """The pillars of the scenario's catalogue, in its order (the columns of every table)."""
        return self.catalogue.pillar_ids if self.catalogue is not None else PILLARS

    @property
    def evaluation_date(self) -> dt.date:
        return self.scenario.evaluation_date

    @property
    def policy(self) -> str:
        return self.scenario.missing_policy

    @property
    def assumption_ids(self) -> tuple[str, ...]:
        """Every labelled assumption these numbers rest on: the scenario's, and the legal
        points' weighting when the legal pillar weighs."""
        legal = [self.legal_label] if self.legal_label and any(
            lf.pillar == "legal" and lf.weight > 0 for lf in self.leaves) else []
        return tuple(dict.fromkeys([*self.scenario.assumption_ids,
                                    *(x.removeprefix("ASSUMPTION ") for x in legal)]))

    def pillar_assumptions(self, pillar: str) -> tuple[str, ...]:
        """The labelled assumptions one pillar's score rests on: the workload (cost), the
        legal points (legal), and every scenario assumption attached to the pillar."""
        sc = self.scenario
        out = [a.id for a in sc.assumptions if a.pillar == pillar]
        if pillar == "cost":
            out = [sc.workload.label, *out]
            if sc.price_drift is not None:
                out.append(sc.price_drift.label)
        if pillar == "legal" and self.legal_label:
            out = [self.legal_label, *out]
        return tuple(dict.fromkeys(x.removeprefix("ASSUMPTION ") for x in out))

    def result(self, offer_id: str) -> OfferResult:
        for r in self.results:
            if r.offer.offer_id == offer_id:
                return r
        raise KeyError(offer_id)

    def leader(self) -> OfferResult | None:
        """The first passing offer (its tie group is ``leaders()``: name them all)."""
        return next((r for r in self.results if r.rank == 1 and r.eligible), None)

    def leaders(self) -> tuple[OfferResult, ...]:
        """The passing offers sharing rank 1: one leader, or a tie group none of which leads
        the others."""
        return tuple(r for r in self.results if r.eligible and r.shared_rank == 1)

    def undetermined(self) -> tuple[OfferResult, ...]:
        """Offers whose eligibility depends on unknown answers or dates."""
        return tuple(r for r in self.results if r.eligibility == "undetermined")

    def contributions(self, offer_id: str) -> list[dict[str, Any]]:
        """One offer's leaves: answer -> utility -> weight -> contribution, with the reason."""
        r = self.result(offer_id)
        i, o = r.index, r.offer
        out: list[dict[str, Any]] = []
        for j, lf in enumerate(self.leaves):
            computed = lf.question in (COST_LEAF, LEGAL_LEAF) or lf.pillar == "sovereignty"
            a = None if computed else o.answer(lf.question)
            u = self.utilities[i, j]
            ew = float(self.effective_weights[i, j])
            scored = self.scored_utilities[i, j]
            out.append({
                "offer": o.offer_id, "vendor": o.vendor_name, "pillar": lf.pillar,
                "criterion": lf.criterion, "question": lf.question,
                "answer": "" if a is None else (str(a.value) if a.known else "unknown"),
                "confidence": ("computed" if a is None else
                               f"{a.confidence} (no publication cited)" if a.unsourced
                               else f"{a.confidence} (from {a.other_product})"
                               if a.from_other_product else a.confidence),
                "sources": [] if a is None else list(a.sources),
                "utility": None if np.isnan(u) else float(u), "weight": lf.weight,
                "effective_weight": ew,
                "contribution": (0.0 if np.isnan(scored) else float(scored)) * ew,
                "reason": self.reasons[i][j],
                "utility_range": (None if self.bounds is None else
                                  [float(self.bounds.lo[i, j]), float(self.bounds.hi[i, j])]),
            })
        return out

    def method_inputs(self) -> tuple[list[int], np.ndarray, np.ndarray]:
        """``(rows, utilities, weights)`` exactly as the bound method scored them: the rows
        (offer indices), the policy-completed matrix of those rows and the leaf weights."""
        m = self.bound_method
        eligible = [False] * len(self.offers)
        for r in self.results:
            eligible[r.index] = r.eligible
        rows = scored_rows(m, eligible)
        u, w = method_inputs(m.linear, self.scored_utilities[rows],
                             self.effective_weights[rows], self.leaves,
                             point_policy(self.policy))
        return rows, u, w

    @property
    def bound_method(self) -> Method:
        """The method the totals were computed with, bound to the scenario's parameters."""
        return self.scorer if self.scorer is not None else get_method(self.method)

    @property
    def scored_utilities(self) -> np.ndarray:
        """The utilities the totals are computed from: the answers, and under the ``uncertain``
        policy the middle of each unknown answer's interval (NaN = unknown otherwise)."""
        return self.utilities if self.bounds is None else self.bounds.point

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Offer × leaf detail for every offer (the tidy long table as records)."""
        return [row for o in self.offers for row in self.contributions(o.offer_id)]

    def matrix(self, level: str = "pillar", eligible_only: bool = True,
               candidates: bool = False) -> DecisionMatrix:
        """The decision matrix at pillar or criterion level (see ``DecisionMatrix``), offers in
        rank order (excluded last when ``eligible_only`` is False; ``candidates`` adds the
        undetermined offers after the passing ones, as SMAA counts them)."""
        rs = [r for r in self.results if r.eligible or not eligible_only
              or (candidates and r.eligibility == "undetermined")]
        keys: list[tuple[str, ...]]
        if level == "pillar":
            keys = [(p,) for p in dict.fromkeys(lf.pillar for lf in self.leaves)]
        elif level == "criterion":
            keys = list(dict.fromkeys((lf.pillar, lf.criterion) for lf in self.leaves))
        else:
            raise ValueError("level must be 'pillar' or 'criterion'")
        col = [keys.index((lf.pillar,) if level == "pillar" else (lf.pillar, lf.criterion))
               for lf in self.leaves]
        member = np.zeros((len(self.leaves), len(keys)))
        member[np.arange(len(self.leaves)), col] = 1.0
        w = leaf_weights(self.leaves) @ member
        rows = [r.index for r in rs]
        policy = point_policy(self.policy)
        local = (np.array([lf.w_question for lf in self.leaves]) if level == "criterion"
                 else self.effective_weights[rows])
        s = group_scores(self.scored_utilities[rows], self.leaves, member, local, policy)
        names = tuple("/".join(k) for k in keys)
        pillars = list(dict.fromkeys(k[0] for k in keys))
        groups = tuple(pillars.index(k[0]) for k in keys)
        return DecisionMatrix(tuple(r.offer.offer_id for r in rs), names, s, w, policy, groups)
