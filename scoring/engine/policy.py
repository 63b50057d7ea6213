"""The missing-answer policy, applied in one place: every other module asks this one.

A scenario says what an unknown answer means (``Scenario.missing_policy``):

* ``worst`` — utility 0, weights as written. The tender rule: a bidder gets no credit for what
  it did not demonstrate (Directive 2014/24/EU art. 56(3): missing information may be asked
  for, not assumed).
* ``exclude`` — the weights renormalise over what is known, level by level (question within
  criterion, criterion within pillar, pillar within total), so an offer is judged on what it
  answered; ``coverage`` shows how much of the weight that is.
* ``uncertain`` — an unknown answer is an interval (``engine.uncertainty``): totals get a range
  and ranks a rank range. Its *point* matrix (each unknown at the middle of its interval) has
  no gap left, so it aggregates like ``worst``.

What follows from a policy, and nothing else: which reading aggregates the point matrix
(:func:`point_policy`), whether weights renormalise (:func:`renormalises`), which readings of
an unknown legal fact to compute (:func:`legal_readings`), the effective weights and totals over
the criteria tree (:func:`aggregate`), the pillar scores (:func:`pillar_scores`) and the scores
and totals of a grouped decision matrix (:func:`group_scores`, :func:`group_totals`), and the
complete matrix an aggregation method of the registry scores (:func:`method_inputs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from .tree import Leaf, leaf_weights

PointPolicy = Literal["worst", "exclude"]

__all__ = [
    "PointPolicy",
    "aggregate",
    "group_scores",
    "group_totals",
    "has_intervals",
    "legal_readings",
    "method_inputs",
    "pillar_scores",
    "point_policy",
    "renormalises",
    "three_valued_gates",
]


def point_policy(policy: str) -> PointPolicy:
    """How the point matrix aggregates: ``exclude`` renormalises; ``worst`` and ``uncertain``
    (whose point matrix is complete) keep the weights as written."""
    return "exclude" if policy == "exclude" else "worst"


def renormalises(policy: str) -> bool:
    """Whether weights renormalise over the known answers (totals then piecewise
    linear-fractional in the weights, not linear)."""
    return point_policy(policy) == "exclude"


def has_intervals(policy: str) -> bool:
    """Whether unknown answers are intervals (totals with ranges, ranks with rank ranges)."""
    return policy == "uncertain"


def legal_readings(policy: str) -> tuple[PointPolicy, PointPolicy | None]:
    """(the reading of an unknown legal fact scored, the best-case reading or None).

    Under ``worst`` and ``uncertain`` an unknown fact counts as exposing the offer (the scored
    reading); ``uncertain`` also computes the reading where it does not (``exclude``: unknown
    facts drop out), which bounds the legal utility's interval from above."""
    return point_policy(policy), ("exclude" if has_intervals(policy) else None)


def aggregate(utilities: np.ndarray, leaves: Sequence[Leaf], policy: str
              ) -> tuple[np.ndarray, np.ndarray]:
    """Weighted sum over the criteria tree (Keeney & Raiffa 1976, additive value model).

    ``utilities``: offers × leaves, NaN where unknown. Returns (totals, effective weights
    offers × leaves). Under ``exclude`` the weights renormalise level by level over what each
    offer answered; otherwise an unknown counts as 0 and the weights stay as written.
    """
    m, n = utilities.shape
    wg = leaf_weights(leaves)
    if not renormalises(policy) or m == 0:
        eff = np.broadcast_to(wg, (m, n))  # read-only view: the weights are the same per offer
        totals = utilities @ wg
        # NaN propagates through the product, so a NaN-free result proves a complete matrix:
        # the common case costs one matrix product.
        if not np.isnan(totals).any():
            return totals, eff
        return np.where(np.isnan(utilities), 0.0, utilities) @ wg, eff
    known = ~np.isnan(utilities)
    u0 = np.where(known, utilities, 0.0)
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
    return (u0 * eff).sum(axis=1), eff


def pillar_scores(util: np.ndarray, eff: np.ndarray, leaves: Sequence[Leaf], policy: str
                  ) -> dict[str, np.ndarray]:
    """Every offer's 0-100 score per pillar (NaN when nothing under the pillar is known):
    the pillar's own weights, or under ``exclude`` the renormalised ones."""
    out: dict[str, np.ndarray] = {}
    u0 = np.nan_to_num(util)
    for p in dict.fromkeys(lf.pillar for lf in leaves):  # the catalogue's order
        idx = [j for j, lf in enumerate(leaves) if lf.pillar == p]
        if not idx:
            continue
        if renormalises(policy):
            ws = eff[:, idx]
        else:
            ws = np.broadcast_to([leaves[j].w_criterion * leaves[j].w_question for j in idx],
                                 (util.shape[0], len(idx)))
        den = ws.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(den > 0, (u0[:, idx] * ws).sum(axis=1) / np.where(den > 0, den, 1),
                             np.nan)
        score[np.isnan(util[:, idx]).all(axis=1)] = np.nan
        out[p] = score
    return out


def group_scores(u: np.ndarray, leaves: Sequence[Leaf], member: np.ndarray,
                 local_weights: np.ndarray, policy: str) -> np.ndarray:
    """Offers × groups (pillars or criteria) scores of a decision matrix: each group's weighted
    mean of its leaves. Under ``exclude`` the mean runs over the known leaves with
    ``local_weights`` (NaN where a group has none); otherwise unknown leaves count 0."""
    known = ~np.isnan(u)
    u0 = np.where(known, u, 0.0)
    if renormalises(policy):
        local = np.where(known, local_weights, 0.0)
        num, den = (u0 * local) @ member, local @ member
    else:
        lw = leaf_weights(leaves)
        num = (u0 * lw) @ member
        den = np.broadcast_to(lw @ member, num.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
    return s if renormalises(policy) else np.nan_to_num(s)


def group_totals(scores: np.ndarray, weights: np.ndarray, groups: Sequence[int], policy: str
                 ) -> np.ndarray:
    """Totals of a decision matrix for many weight vectors (N, k) -> (N, m).

    Otherwise than under ``exclude``: ``Σ_k w_k s_ik / Σ_k w_k`` (NaN counted as 0), linear in
    the weights. Under ``exclude``: within each pillar p, ``P_ip = Σ_{k∈p} w_k s_ik a_ik /
    Σ_{k∈p} w_k a_ik``, then ``Σ_p W_p P_ip b_ip / Σ_p W_p b_ip`` with ``W_p = Σ_{k∈p} w_k`` and
    ``b_ip = 1`` when some criterion of p is available (``a`` = available): the tree's own
    renormalisation, piecewise linear-fractional in the weights.
    """
    s0 = np.nan_to_num(scores)
    if not renormalises(policy):
        return (weights @ s0.T) / weights.sum(axis=1, keepdims=True)
    k = scores.shape[1]
    g_idx = np.asarray(groups or range(k))
    g = np.zeros((k, int(g_idx.max()) + 1))
    g[np.arange(k), g_idx] = 1.0  # criterion -> pillar
    avail = (~np.isnan(scores)).astype(float)  # (m, k)
    num = np.einsum("nk,mk,kp->nmp", weights, s0 * avail, g)
    den = np.einsum("nk,mk,kp->nmp", weights, avail, g)
    wp = weights @ g  # (N, P)
    with np.errstate(divide="ignore", invalid="ignore"):
        pscore = np.where(den > 0, num / den, 0.0)
        b = (den > 0).astype(float)
        tot = (pscore * b * wp[:, None, :]).sum(-1) / (b * wp[:, None, :]).sum(-1)
    return np.nan_to_num(tot)


def method_inputs(linear: bool, scored: np.ndarray, eff: np.ndarray, leaves: Sequence[Leaf],
                  policy: str) -> tuple[np.ndarray, np.ndarray]:
    """The complete matrix and the one weight vector a registry method scores, after the
    policy (the registry's contract: no NaN, global leaf weights). ``linear``: the method's
    score is linear in the weights (``Method.linear``).

    * Unknown utilities count as 0 (``worst``; ``uncertain``'s point matrix has none left).
    * ``exclude`` renormalises each offer's weights over what it answered (``eff``); for a
      method linear in the weights that is folded into the utilities, ``u_ij · eff_ij / w_j``,
      so that ``Σ_j w_j u'_ij`` is the renormalised total with one weight vector for every
      offer. The other methods have no renormalisation of their own: unknown stays 0.

    Next: ``scoring.engine.pipeline._method_totals`` scores them with the bound method.
    """
    w = leaf_weights(leaves)
    u = np.nan_to_num(scored)
    if linear and renormalises(policy):
        u = u * np.divide(eff, w, out=np.zeros(eff.shape), where=w > 0)
    return u, w


def three_valued_gates(policy: str) -> bool:
    """Whether a gate on an unknown answer or date is undetermined (``uncertain``: unknown is
    not "no") rather than failed (``worst`` and ``exclude``: the tender rule, a requirement not
    demonstrated is not met)."""
    return has_intervals(policy)
