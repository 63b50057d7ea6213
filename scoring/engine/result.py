"""The result of an evaluation: per-offer results, the decision matrix and tidy views."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cost import CostResult
from ..gates import GateResult
from ..legal import LegalExposure
from ..models import PILLARS, Offer
from ..scenario import Scenario
from ..sovereignty import ObjectiveLevel
from .tree import Leaf

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class DecisionMatrix:
    """Eligible offers × criteria scores (0-100) with the criteria's weights: the input of the
    robustness analyses (sensitivity, stability intervals, flip, SMAA).

    ``scores[i, k]`` is NaN where criterion k is unavailable for offer i (nothing answered
    under it); ``groups[k]`` is the pillar of criterion k. The total reproduces ``aggregate``:
      - policy ``worst``:   total_i(w) = Σ_k w_k · s_ik / Σ_k w_k          (NaN counted as 0)
      - policy ``exclude``: within each pillar p, P_ip = Σ_{k∈p} w_k s_ik a_ik / Σ_{k∈p} w_k a_ik,
        then total_i = Σ_p W_p P_ip b_ip / Σ_p W_p b_ip with W_p = Σ_{k∈p} w_k and b_ip = 1
        when some criterion of p is available (a = available).
    It is linear in w under ``worst`` and piecewise linear-fractional under ``exclude``.
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
        single = w.ndim == 1
        w2 = np.atleast_2d(w)  # (N, k)
        s0 = np.nan_to_num(self.scores)
        if self.policy == "worst":
            out = (w2 @ s0.T) / w2.sum(axis=1, keepdims=True)
            return out[0] if single else out
        groups = np.asarray(self.groups or range(len(self.criteria)))
        g = np.zeros((len(self.criteria), int(groups.max()) + 1))
        g[np.arange(len(self.criteria)), groups] = 1.0  # criterion -> pillar
        avail = (~np.isnan(self.scores)).astype(float)  # (m, k)
        # (N, m, P): numerator and denominator of each pillar score
        num = np.einsum("nk,mk,kp->nmp", w2, s0 * avail, g)
        den = np.einsum("nk,mk,kp->nmp", w2, avail, g)
        wp = w2 @ g  # (N, P)
        with np.errstate(divide="ignore", invalid="ignore"):
            pscore = np.where(den > 0, num / den, 0.0)
            b = (den > 0).astype(float)
            tot = (pscore * b * wp[:, None, :]).sum(-1) / (b * wp[:, None, :]).sum(-1)
        out = np.nan_to_num(tot)
        return out[0] if single else out


@dataclass(frozen=True)
class OfferResult:
    offer: Offer
    eligible: bool
    excluded_by: tuple[str, ...]
    pillars: dict[str, float | None]
    total: float | None
    rank: int | None
    coverage: float
    cost: CostResult
    legal: LegalExposure
    seal_levels: tuple[ObjectiveLevel, ...]
    seal_overall: int | None
    seal_complete: bool
    gates: tuple[GateResult, ...]
    warnings: tuple[str, ...]
    tied_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evaluation:
    """The result of scoring a scenario: per-offer results plus tidy long tables on demand."""

    scenario: Scenario
    scenario_file: str
    hash: str
    method: str
    leaves: tuple[Leaf, ...]
    results: tuple[OfferResult, ...]  # sorted by rank, excluded last
    rows: tuple[dict[str, Any], ...]  # offer × leaf detail (answer, utility, weights, contribution)
    inputs: dict[str, str] = field(default_factory=dict)  # file -> sha256

    @property
    def evaluation_date(self) -> dt.date:
        return self.scenario.evaluation_date

    def result(self, offer_id: str) -> OfferResult:
        for r in self.results:
            if offer_id in (r.offer.offer_id, r.offer.key):
                return r
        raise KeyError(offer_id)

    def matrix(self, level: str = "pillar", eligible_only: bool = True) -> DecisionMatrix:
        """The decision matrix at pillar or criterion level (see ``DecisionMatrix``)."""
        rs = [r for r in self.results if r.eligible or not eligible_only]
        if level == "pillar":
            keys = [(p,) for p in PILLARS if any(lf.pillar == p for lf in self.leaves)]
        elif level == "criterion":
            keys = list(dict.fromkeys((lf.pillar, lf.criterion) for lf in self.leaves))
        else:
            raise ValueError("level must be 'pillar' or 'criterion'")
        w = np.zeros(len(keys))
        for lf in self.leaves:
            k = keys.index((lf.pillar,) if level == "pillar" else (lf.pillar, lf.criterion))
            w[k] += lf.weight
        s = np.full((len(rs), len(keys)), np.nan)
        by_offer: dict[str, list[dict[str, Any]]] = {}
        for row in self.rows:
            by_offer.setdefault(row["offer"], []).append(row)
        for i, r in enumerate(rs):
            acc: dict[tuple[str, ...], list[float]] = {}
            for row, lf in zip(by_offer[r.offer.offer_id], self.leaves, strict=True):
                key = (lf.pillar,) if level == "pillar" else (lf.pillar, lf.criterion)
                a = acc.setdefault(key, [0.0, 0.0])
                if self.scenario.missing_policy == "worst":
                    local = lf.weight
                    a[0] += (row["utility"] or 0.0) * local
                    a[1] += local
                elif row["utility"] is not None:
                    local = lf.w_question if level == "criterion" else row["effective_weight"]
                    a[0] += row["utility"] * local
                    a[1] += local
            for k, key in enumerate(keys):
                num, den = acc.get(key, (0.0, 0.0))
                if den > 0:
                    s[i, k] = num / den
                elif self.scenario.missing_policy == "worst":
                    s[i, k] = 0.0
        names = tuple("/".join(k) for k in keys)
        pillars = list(dict.fromkeys(k[0] for k in keys))
        groups = tuple(pillars.index(k[0]) for k in keys)
        return DecisionMatrix(tuple(r.offer.offer_id for r in rs), names, s, w,
                              self.scenario.missing_policy, groups)

    def leader(self) -> OfferResult | None:
        return next((r for r in self.results if r.rank == 1), None)

    # Tidy frames (pandas imported lazily: ranking does not need it).
    def contributions(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(list(self.rows))

    def table(self) -> pd.DataFrame:
        import pandas as pd

        recs = []
        for r in self.results:
            recs.append({
                "offer": r.offer.offer_id, "vendor": r.offer.vendor_name,
                "offer_name": r.offer.offer_name, "eligible": r.eligible,
                "excluded_by": ", ".join(r.excluded_by), "rank": r.rank, "total": r.total,
                **{p: r.pillars.get(p) for p in PILLARS},
                "annual_cost": r.cost.annual_cost, "seal": r.seal_overall,
                "coverage": r.coverage,
            })
        return pd.DataFrame(recs)

    def gate_table(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([
            {"offer": g.offer, "gate": g.gate, "label": g.label, "passed": g.passed,
             "reason": g.reason, "question": g.question}
            for r in self.results for g in r.gates
        ])

    def weight_table(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame([
            {"pillar": lf.pillar, "criterion": lf.criterion, "question": lf.question,
             "given": lf.given, "w_pillar": lf.w_pillar, "w_criterion": lf.w_criterion,
             "w_question": lf.w_question, "weight": lf.weight}
            for lf in self.leaves
        ])

    def to_json(self) -> dict[str, Any]:
        """The stable ``hostwise rank --json`` contract."""
        return {
            "scenario": self.scenario.id,
            "hash": self.hash,
            "evaluation_date": self.evaluation_date.isoformat(),
            "method": self.method,
            "results": [
                {
                    "vendor": r.offer.vendor_id,
                    "offer": r.offer.offer_id,
                    "eligible": r.eligible,
                    "excluded_by": list(r.excluded_by),
                    "pillars": {p: _round(r.pillars.get(p)) for p in PILLARS},
                    "total": _round(r.total),
                    "rank": r.rank,
                }
                for r in self.results
            ],
        }


def _round(x: float | None) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else round(x, 6)

