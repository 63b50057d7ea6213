"""Pillars → totals → ranks: the one scoring path used by the CLI, the app and the exports.

Aggregation is a hierarchical weighted sum (pillar → criterion → question; Keeney & Raiffa 1976,
additive value model) by default, or TOPSIS (Hwang & Yoon 1981, vector normalisation) over the
same leaf utilities and global weights. Weights are taken as given and normalised explicitly at
each level; the normalisation is part of the result (``Evaluation.weights``).

Missing answers follow the scenario's policy: ``worst`` (utility 0, the default for tenders: a
bidder gets no credit for what it did not demonstrate) or ``exclude`` (weights renormalised over
the answered questions, level by level, shown per offer as ``coverage``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .catalogue import load_catalogue
from .cost import CostResult, annual_cost, price_notes
from .errors import Problem, ScenarioError
from .gates import HDS_V1_DEADLINE, GateResult, check_gate
from .legal import LegalExposure, LegalTimeline, _add_years, exposure, load_timeline
from .models import PILLARS, Catalogue, Offer, Question
from .questionnaire import load_offers
from .scenario import CriterionWeight, Scenario, load_scenario
from .sovereignty import DEFAULT_WEIGHTS, OBJECTIVES, ObjectiveLevel, objective_levels, overall_seal

if TYPE_CHECKING:
    import pandas as pd

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


def build_leaves(sc: Scenario, cat: Catalogue, file: str = "<scenario>") -> list[Leaf]:
    """Turn the scenario's weight tree into normalised leaves; reject unknown criteria."""
    problems: list[Problem] = []
    pillars = _norm({p: sc.weights[p].weight for p in sc.weights}, "weights", file)
    leaves: list[Leaf] = []
    for p in PILLARS:
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
        # technical: criteria from the catalogue
        qs_by_crit: dict[str, list[Question]] = {}
        for q in cat.questions:
            if q.pillar == p and q.scored:
                qs_by_crit.setdefault(q.criterion, []).append(q)
        spec = pw.criteria or {c: 1.0 for c in qs_by_crit}
        cw_raw: dict[str, float] = {}
        for c, cw in spec.items():
            if c not in qs_by_crit:
                problems.append(Problem(file, "", f"weights.{p}.criteria.{c}",
                                        f"unknown criterion (known: {', '.join(qs_by_crit)})"))
                continue
            cw_raw[c] = cw.weight if isinstance(cw, CriterionWeight) else float(cw)
        if problems:
            break
        cws = _norm(cw_raw, f"weights.{p}.criteria", file)
        for c, wc in cws.items():
            cw = spec[c]
            qspec = cw.questions if isinstance(cw, CriterionWeight) and cw.questions else None
            ids = [q.id for q in qs_by_crit[c]]
            if qspec:
                bad = [q for q in qspec if q not in ids]
                for q in bad:
                    problems.append(Problem(file, "", f"weights.{p}.criteria.{c}.questions.{q}",
                                            f"not a scored question of criterion {c}"))
                qraw = {q: float(qspec.get(q, 0.0)) for q in ids}
            else:
                qraw = {q: 1.0 for q in ids}
            if sum(qraw.values()) <= 0:
                problems.append(Problem(file, "", f"weights.{p}.criteria.{c}",
                                        "question weights sum to zero"))
                continue
            qn = _norm(qraw, f"weights.{p}.criteria.{c}", file)
            for q in ids:
                leaves.append(Leaf(p, c, q, qn[q], wc, wp, f"{cw_raw[c]:g}"))
    if problems:
        raise ScenarioError(problems)
    return leaves


# ---------------------------------------------------------------- utilities of answers at a date


def answer_utility(q: Question, offer: Offer, on: dt.date) -> tuple[float | None, str]:
    """0-100 utility of an answer through the catalogue's rule, on the evaluation date."""
    from .gates import hds_status_on
    from .legal import snc_status_on

    a = offer.answer(q.id)
    if q.id == "cert.hds":
        ok, why = hds_status_on(offer, on)
        return (None if ok is None else (100.0 if ok else 0.0)), why
    if q.id == "cert.secnumcloud":
        status, why = snc_status_on(offer, on)
        return (None if status is None else float((q.options or {}).get(status) or 0.0)), why
    if not a.known:
        return None, "unknown"
    if q.dated:
        if a.since is not None and on < a.since:
            return 0.0, f"only from {a.since}"
        if a.until is not None and on >= a.until:
            return 0.0, f"lapsed on {a.until}"
        if a.since is None and on < offer.as_of:
            return None, f"known on {offer.as_of} (file date), not before"
    v = a.value
    if q.type == "bool":
        return (100.0 if v else 0.0), str(v).lower()
    if q.type == "enum":
        u = (q.options or {}).get(str(v))
        return (None if u is None else float(u)), str(v)
    if q.type == "level":
        return 25.0 * int(v), f"SEAL-{v}"
    if q.type in ("number", "percent") and q.scale is not None:
        lo, hi = q.scale.worst, q.scale.best
        u = (float(v) - lo) / (hi - lo) * 100.0
        return max(0.0, min(100.0, u)), f"{v:g}{' ' + q.unit if q.unit else ''}"
    return None, "not scored"


# ---------------------------------------------------------------- aggregation (pure numpy)


def leaf_weights(leaves: Sequence[Leaf]) -> np.ndarray:
    """Global weight of each leaf (product of the normalised weights down the tree)."""
    return np.fromiter((lf.weight for lf in leaves), dtype=float, count=len(leaves))


def totals_only(utilities: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted-sum totals under the ``worst`` policy (unknown = 0): the hot path used by
    sensitivity sweeps, with the leaf weights computed once by ``leaf_weights``."""
    totals = utilities @ weights
    if np.isnan(totals).any():  # NaN propagates: only then is the mask needed
        totals = np.where(np.isnan(utilities), 0.0, utilities) @ weights
    return totals


def aggregate(
    utilities: np.ndarray, leaves: Sequence[Leaf], policy: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted sum over the criteria tree.

    ``utilities``: offers × leaves, NaN where unknown. Returns (totals, effective weights
    offers × leaves, coverage per offer). With ``exclude``, weights are renormalised level by
    level (question within criterion, criterion within pillar, pillar within total) over what is
    known; with ``worst``, unknown counts as 0 and weights stay as given.
    """
    m, n = utilities.shape
    wg = leaf_weights(leaves)
    if policy == "worst" or m == 0:
        eff = np.broadcast_to(wg, (m, n))  # read-only view: the weights are the same per offer
        totals = utilities @ wg
        # NaN propagates through the product, so a NaN-free result proves a complete matrix:
        # the common case costs one matrix product.
        if not np.isnan(totals).any():
            return totals, eff, np.ones(m)
        unknown = np.isnan(utilities)
        coverage = 1.0 - unknown @ wg / max(wg.sum(), 1e-300)
        return np.where(unknown, 0.0, utilities) @ wg, eff, coverage
    known = ~np.isnan(utilities)
    u0 = np.where(known, utilities, 0.0)
    coverage = known @ wg / max(wg.sum(), 1e-300)
    crit_keys = sorted({(lf.pillar, lf.criterion) for lf in leaves})
    pil_keys = sorted({lf.pillar for lf in leaves})
    ci = {k: i for i, k in enumerate(crit_keys)}
    pi = {k: i for i, k in enumerate(pil_keys)}
    mqc = np.zeros((n, len(crit_keys)))
    mcp = np.zeros((len(crit_keys), len(pil_keys)))
    wq = np.array([lf.w_question for lf in leaves])
    wc = np.zeros(len(crit_keys))
    wp = np.zeros(len(pil_keys))
    for j, lf in enumerate(leaves):
        c, p = ci[(lf.pillar, lf.criterion)], pi[lf.pillar]
        mqc[j, c] = 1.0
        mcp[c, p] = 1.0
        wc[c] = lf.w_criterion
        wp[p] = lf.w_pillar
    sc = (known * wq) @ mqc  # offers × criteria: known question weight
    avail_c = sc > 0
    sp = (avail_c * wc) @ mcp  # offers × pillars
    avail_p = sp > 0
    sall = (avail_p * wp).sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        qf = np.where(known, wq / (sc @ mqc.T), 0.0)
        cf = np.where(avail_c, wc / (sp @ mcp.T), 0.0) @ mqc.T
        pf = np.where(avail_p, wp / sall, 0.0) @ (mcp.T @ mqc.T)
    eff = np.nan_to_num(qf * cf * pf)
    return (u0 * eff).sum(axis=1), eff, coverage


# ---------------------------------------------------------------- the evaluation


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


def result_hash(sc: Scenario, method: str, cat: Catalogue, tl: LegalTimeline,
                offers: Sequence[Offer]) -> str:
    """SHA-256 over content only (never file paths): the same inputs give the same hash on any
    machine. Offers are taken in key order."""
    return hashlib.sha256("|".join([
        sc.canonical(), method, "timeline=" + tl.sha256, "catalogue=" + cat.sha256,
        "offers=" + ",".join(o.sha256 for o in sorted(offers, key=lambda o: o.key)),
    ]).encode()).hexdigest()


def resolve_offers(sc: Scenario, base: Path, cat: Catalogue) -> tuple[list[Offer], dict[str, str]]:
    """Load the offers a scenario names (paths relative to the scenario file)."""
    paths = [(base / p).resolve() for p in sc.offers.paths]
    loaded = load_offers(paths, cat)
    offers = [o for o in loaded.offers
              if (sc.offers.include is None or o.offer_id in sc.offers.include)
              and o.offer_id not in sc.offers.exclude]
    if sc.offers.include:
        missing = set(sc.offers.include) - {o.offer_id for o in offers}
        if missing:
            raise ScenarioError([Problem("", "", "offers.include",
                                         f"no such offer: {', '.join(sorted(missing))}")])
    return offers, dict(loaded.files)


def evaluate_path(path: str | Path, method: str | None = None) -> Evaluation:
    """Load a scenario file and everything it names, then evaluate it."""
    sc, base = load_scenario(path)
    cat = load_catalogue()
    offers, files = resolve_offers(sc, base, cat)
    return evaluate(sc, offers, cat=cat, timeline=load_timeline(), method=method,
                    scenario_file=str(path), input_files=files)


def evaluate(
    sc: Scenario,
    offers: Sequence[Offer],
    *,
    cat: Catalogue | None = None,
    timeline: LegalTimeline | None = None,
    method: str | None = None,
    scenario_file: str = "<scenario>",
    input_files: dict[str, str] | None = None,
) -> Evaluation:
    """Score every offer of a scenario: gates, four pillars, totals, ranks, reasons."""
    cat = cat or load_catalogue()
    tl = timeline or load_timeline()
    method = method or sc.method
    if method not in ("wsm", "topsis"):
        raise ScenarioError([Problem(scenario_file, "", "method",
                                     f"unknown method {method!r} (wsm or topsis)")])
    for g in sc.gates:
        if g.kind == "min_pillar" and g.pillar == "cost":
            raise ScenarioError([Problem(scenario_file, "", f"gates.{g.id}",
                                         "a minimum on the cost note depends on the competing "
                                         "offers; use a budget rule instead")])
    on = sc.evaluation_date
    leaves = build_leaves(sc, cat, scenario_file)
    offers = sorted(offers, key=lambda o: o.key)
    qmap = {q.id: q for q in cat.questions}
    rates = {k: r.value for k, r in sc.rates.items()}
    term_end = _add_years(on, max(1, math.ceil(sc.workload.contract_years)))

    legal = {o.key: exposure(o, tl, on, sc.missing_policy, sc.legal_model) for o in offers}
    costs = {o.key: annual_cost(o, sc.workload.annual, sc.workload.one_off,
                                sc.workload.contract_years, sc.currency, rates, on)
             for o in offers}
    seals = {o.key: objective_levels(o, on, sc.sovereignty.derive_from_facts) for o in offers}

    # Utilities per leaf (cost filled once the eligible set is known).
    m, n = len(offers), len(leaves)
    util = np.full((m, n), np.nan)
    why: list[list[str]] = [[""] * n for _ in range(m)]
    for i, o in enumerate(offers):
        lv = {x.objective: x for x in seals[o.key]}
        for j, lf in enumerate(leaves):
            if lf.question == LEGAL_LEAF:
                util[i, j] = legal[o.key].utility
                why[i][j] = "; ".join(f"{f.label} {f.points:+g}" for f in legal[o.key].findings
                                      if f.points) or "no non-EU law reaches the offer"
            elif lf.pillar == "sovereignty":
                x = lv[lf.criterion]
                if x.level is not None:
                    util[i, j] = 25.0 * x.level
                why[i][j] = f"{x.origin}: {x.reason}"
            elif lf.question != COST_LEAF:
                u, w = answer_utility(qmap[lf.question], o, on)
                if u is not None:
                    util[i, j] = u
                why[i][j] = w

    def pillar_scores(i: int, eff: np.ndarray, u: np.ndarray) -> dict[str, float | None]:
        out: dict[str, float | None] = {}
        for p in PILLARS:
            idx = [j for j, lf in enumerate(leaves) if lf.pillar == p]
            if not idx:
                out[p] = None
                continue
            k = ~np.isnan(u[i, idx])
            if not k.any():
                out[p] = None
                continue
            if sc.missing_policy == "worst":
                ws = np.array([leaves[j].w_criterion * leaves[j].w_question for j in idx])
                out[p] = float(np.nan_to_num(u[i, idx]) @ ws / ws.sum())
            else:
                ws = eff[i, idx]
                out[p] = float(np.nan_to_num(u[i, idx]) @ ws / ws.sum()) if ws.sum() else None
        return out

    # Gates that do not depend on the cost note.
    gate_res: dict[str, list[GateResult]] = {}
    _, eff0, _ = aggregate(util, leaves, sc.missing_policy)
    for i, o in enumerate(offers):
        ps = pillar_scores(i, eff0, util)
        ov, _ = overall_seal(seals[o.key])
        gate_res[o.key] = [
            check_gate(g, o, on, pillars=ps,
                       seal_levels={x.objective: x.level for x in seals[o.key]},
                       seal_overall=ov, costable=costs[o.key].costable,
                       missing_cost=costs[o.key].missing)
            for g in sc.gates
        ]
    eligible = {k: all(g.passed for g in v) for k, v in gate_res.items()}

    # Cost note against the eligible, costable offers (the competing bids).
    jc = next((j for j, lf in enumerate(leaves) if lf.question == COST_LEAF), None)
    if jc is not None:
        ref = [costs[o.key].annual_cost for o in offers
               if eligible[o.key] and costs[o.key].costable]
        ref = [c for c in ref if c and c > 0]
        for i, o in enumerate(offers):
            c = costs[o.key]
            if c.costable and c.annual_cost and ref:
                note = price_notes([c.annual_cost], sc.price_formula.kind, 100.0,
                                   sc.price_formula.n, reference=ref)[0]
                util[i, jc] = note
                why[i][jc] = (f"€{c.annual_cost:,.0f}/year ({sc.workload.label}); "
                              f"{sc.price_formula.kind} note vs lowest €{min(ref):,.0f}")
            elif c.costable:
                why[i][jc] = "no competing costable offer to note against"
            else:
                why[i][jc] = "not costable: missing " + ", ".join(c.missing)

    totals, eff, coverage = aggregate(util, leaves, sc.missing_policy)
    if method == "topsis":
        totals = _topsis_totals(util, leaves, [eligible[o.key] for o in offers])

    # Ranks among eligible offers: total descending, then offer key (deterministic tie-break).
    elig_idx = [i for i, o in enumerate(offers) if eligible[o.key] and not np.isnan(totals[i])]
    order = sorted(elig_idx, key=lambda i: (-round(float(totals[i]), 9), offers[i].key))
    rank = {offers[i].key: r + 1 for r, i in enumerate(order)}

    results: list[OfferResult] = []
    rows: list[dict[str, Any]] = []
    for i, o in enumerate(offers):
        t = None if np.isnan(totals[i]) else float(totals[i])
        ties = tuple(offers[k].offer_id for k in elig_idx
                     if k != i and eligible[o.key] and t is not None
                     and abs(float(totals[k]) - t) < 1e-9)
        ov, complete = overall_seal(seals[o.key])
        warn = list(_evidence_warnings(o, on, term_end)) + list(costs[o.key].warnings)
        if sc.missing_policy == "exclude" and coverage[i] < 0.5:
            warn.append(f"only {coverage[i]:.0%} of the weight is answered: the total rests on "
                        "few facts")
        if costs[o.key].costable and jc is not None:
            warn.append(f"cost depends on {sc.workload.label}")
        results.append(OfferResult(
            offer=o, eligible=eligible[o.key],
            excluded_by=tuple(g.gate for g in gate_res[o.key] if not g.passed),
            pillars=pillar_scores(i, eff, util), total=t, rank=rank.get(o.key),
            coverage=float(coverage[i]), cost=costs[o.key], legal=legal[o.key],
            seal_levels=tuple(seals[o.key]), seal_overall=ov, seal_complete=complete,
            gates=tuple(gate_res[o.key]), warnings=tuple(dict.fromkeys(warn)), tied_with=ties,
        ))
        for j, lf in enumerate(leaves):
            a = o.answer(lf.question) if lf.question in qmap else None
            u = None if np.isnan(util[i, j]) else float(util[i, j])
            rows.append({
                "offer": o.offer_id, "vendor": o.vendor_name, "pillar": lf.pillar,
                "criterion": lf.criterion, "question": lf.question,
                "answer": (str(a.value) if a is not None and a.known else
                           ("unknown" if a is not None else "")),
                "confidence": a.confidence if a is not None else "computed",
                "utility": u, "weight": lf.weight, "effective_weight": float(eff[i, j]),
                "contribution": (u or 0.0) * float(eff[i, j]), "reason": why[i][j],
            })
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.offer.key))
    inputs = dict(sorted((input_files or {}).items()))
    inputs["timeline"] = tl.sha256
    inputs["catalogue"] = cat.sha256
    h = result_hash(sc, method, cat, tl, offers)
    return Evaluation(sc, scenario_file, h, method, tuple(leaves), tuple(results), tuple(rows),
                      inputs)


def _topsis_totals(util: np.ndarray, leaves: Sequence[Leaf], eligible: list[bool]) -> np.ndarray:
    """TOPSIS closeness × 100 among eligible offers (unknown utilities count as 0)."""
    from .methods.topsis import topsis

    out = np.full(util.shape[0], np.nan)
    idx = [i for i, e in enumerate(eligible) if e]
    if not idx:
        return out
    w = np.array([lf.weight for lf in leaves])
    keep = w > 0
    mat = np.nan_to_num(util[np.ix_(idx, np.flatnonzero(keep))])
    res = topsis(mat, w[keep], np.ones(int(keep.sum()), dtype=bool))
    out[idx] = np.asarray(res.closeness) * 100.0
    return out


def _evidence_warnings(o: Offer, on: dt.date, term_end: dt.date) -> list[str]:
    """Certifications that have expired or lapse within the contract term."""
    out: list[str] = []
    hds = o.answer("cert.hds")
    if hds.known and hds.value is True:
        if hds.version != "v2" and on < HDS_V1_DEADLINE <= term_end:
            ver = hds.version or "version not stated"
            out.append(f"HDS ({ver}) lapses on {HDS_V1_DEADLINE} unless renewed on v2, within "
                       "the contract term")
        if hds.until and on <= hds.until < term_end:
            out.append(f"HDS certificate ends {hds.until}, within the contract term")
    snc = o.answer("cert.secnumcloud")
    if snc.known and snc.value == "qualified" and snc.since:
        end = snc.until or _add_years(snc.since, 3)
        if end <= o.as_of and not snc.until:
            out.append(f"SecNumCloud first qualified {snc.since}; renewed by {o.as_of}, current "
                       "expiry date not stated")
        elif end <= on:
            out.append(f"SecNumCloud qualification of {snc.since} expired on {end}")
        elif end < term_end:
            out.append(f"SecNumCloud qualification expires {end}, within the contract term "
                       "(renewal needed)")
    if snc.known and snc.value == "in_process":
        out.append("SecNumCloud in process only: qualification not obtained on the evaluation "
                   "date")
    return out
