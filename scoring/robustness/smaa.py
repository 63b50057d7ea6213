"""SMAA-2 over a scenario's decision matrix, scored by the scenario's own method.

R. Lahdelma and P. Salminen, "SMAA-2: Stochastic multicriteria acceptability analysis for group
decision making", Operations Research 49(3):444–454, 2001. Weights are sampled at the matrix's
level (pillars or criteria) with ``scoring.methods.smaa`` (uniform on the simplex, optional
bounds and order) and every sample is scored by one of three scorers, all ranked by THE rule
of ``scoring.ranking``:

* ``smaa2`` — the weighted sum with totals linear in the weights (``worst`` policy, or no answer
  missing): ``scoring.methods.smaa.smaa2`` on the scores;
* ``totals`` — the weighted sum under ``exclude`` with missing answers: the same weight stream
  scored chunk by chunk with the engine's formula (``DecisionMatrix.totals``, computed pillar
  by pillar), central weights accumulated exactly as smaa2 does;
* ``method`` — any other method of ``scoring.methods.registry`` (TOPSIS, PROMETHEE): each
  sampled level weight is spread over the scored leaves in the scenario's own proportions
  (``LeafMatrix``) and the method scores the leaf utilities, as the engine does. At the
  scenario's weights this reproduces the engine's totals (pinned by a test).

Which offers take part (``smaa_for``): the passing offers and, under ``uncertain``, every
offer whose eligibility is *undetermined*, counted as a candidate in every sample: the samples
are the world where its undetermined gates pass. Its acceptabilities are therefore conditional
on its admission, and those of the passing offers are their worst case (every undetermined
rival admitted); the report marks the undetermined offers. Offers whose rows are identical
(equal at every weight: ``_common.twin_groups``) share their acceptabilities: the ranking
rule's offer-order tie-break would otherwise hand one of them every first place.

Under the ``uncertain`` policy every unknown answer is drawn uniformly in its interval with each
weight sample (engine ``uncertain``): for the weighted sum by ``uncertain_scorer`` (one matrix
product per chunk), for every other method by ``uncertain_method_scorer``, which draws the
unknown cells of each sample (``scoring.methods.smaa.IntervalDraws``) and scores that matrix
with the method, sample by sample.

Same arguments, same result bit for bit, whatever ``chunk_size``; memory is O(chunk · m): the
chunk is capped at about 2^20 totals so that 500 offers stay far below 200 MiB.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike

from ..engine import DecisionMatrix
from ..errors import InputError
from ..methods.registry import METHODS, REFERENCE_METHOD, Method
from ._common import FloatArray, criterion_index, is_linear, totals_many, weight_bounds

if TYPE_CHECKING:
    from ..engine import Evaluation

#: Totals (samples × offers) held at once by the chunked loop.
_MAX_CHUNK_TOTALS = 1 << 20

Scorer = Callable[[FloatArray], FloatArray]


@dataclass(frozen=True, eq=False)
class SmaaSummary:
    """SMAA-2 over the decision matrix (``scoring.methods.smaa.SmaaResult`` plus names).

    ``acceptability[i, r]``: share of sampled weights giving offer i rank r + 1;
    ``central_weights[i]``: mean weights making i first (NaN if it never is);
    ``confidence[i]``: share of samples where i wins at its central weights (1/0 without
    utility noise). ``engine`` is ``smaa2``, ``totals`` or ``method`` (see the module
    docstring); ``method`` names the aggregation method that scored the samples.
    """

    offers: tuple[str, ...]
    criteria: tuple[str, ...]
    acceptability: FloatArray
    central_weights: FloatArray
    confidence: FloatArray
    n_samples: int
    seed: int
    engine: str
    method: str = REFERENCE_METHOD
    tie_groups: tuple[tuple[str, ...], ...] = ()  # offers tied at every weight (shared rows)


@dataclass(frozen=True, eq=False)
class LeafMatrix:
    """The leaf-level view of an evaluation that a non-additive method scores.

    ``utilities`` (m × L): the eligible offers (rows in ``dm.offers`` order) × scored leaves,
    unknown answers as 0 (the engine's reading for these methods); ``leaf_weights`` (L,): the
    leaves' global weights; ``column[l]``: the column of ``dm`` holding leaf l; ``share[l]``:
    the leaf's part of its column's weight, so that ``expand(dm.weights)`` gives back the
    leaf weights.
    """

    dm: DecisionMatrix
    utilities: FloatArray
    leaf_weights: FloatArray
    column: np.ndarray
    share: FloatArray
    method: Method | None = None  # the evaluation's method bound to its parameters

    def expand(self, weights: FloatArray) -> FloatArray:
        """Level weights (N, n) -> leaf weights (N, L), the scenario's proportions kept."""
        w = np.atleast_2d(weights)
        return np.asarray(w[:, self.column] * self.share[None, :])


def leaf_matrix(ev: Evaluation, level: str = "pillar", candidates: bool = False) -> LeafMatrix:
    """Build the ``LeafMatrix`` of an evaluation from its leaves and scored utilities (unknown
    answers as 0, the reading of the non-additive methods; intervals' middles under
    ``uncertain``); ``candidates`` adds the undetermined offers (``Evaluation.matrix``)."""
    dm = ev.matrix(level, candidates=candidates)
    leaves = ev.leaves
    keys = [(lf.pillar,) if level == "pillar" else (lf.pillar, lf.criterion) for lf in leaves]
    names = ["/".join(k) for k in keys]
    column = np.array([dm.criteria.index(nm) for nm in names], dtype=np.int64)
    lw = np.array([lf.weight for lf in leaves], dtype=float)
    col_w = np.bincount(column, weights=lw, minlength=len(dm.criteria))
    count = np.bincount(column, minlength=len(dm.criteria)).astype(float)
    share = np.where(col_w[column] > 0, lw / np.where(col_w[column] > 0, col_w[column], 1.0),
                     1.0 / count[column])
    rows = [ev.result(o).index for o in dm.offers]
    U = np.nan_to_num(np.asarray(ev.scored_utilities, dtype=float)[rows])
    return LeafMatrix(dm, U, lw, column, share, ev.scorer)


def _order_indices(dm: DecisionMatrix, order: Sequence[str | int] | None) -> list[int] | None:
    return None if order is None else [criterion_index(dm, c) for c in order]


def _chunked(dm: DecisionMatrix, scorer: Scorer, samples: int, seed: int | None,
             bounds: FloatArray | None, order: list[int] | None, chunk_size: int
             ) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    """Acceptability, central weights and confidence of any scorer (weights -> totals)."""
    from ..methods.smaa_rank import rank_order, winners
    from ..methods.smaa_weights import weight_stream

    m, n = dm.scores.shape
    sampler, seed_used = weight_stream(n, seed, bounds, order)
    chunk = max(1, min(chunk_size, _MAX_CHUNK_TOTALS // max(m, 1)))
    grid = float(2 ** (53 - samples.bit_length()))
    counts = np.zeros(m * m, dtype=np.int64)
    sums = np.zeros(m * n, dtype=np.float64)
    pos = np.arange(m, dtype=np.int64)
    crit = np.arange(n, dtype=np.int64)
    for start in range(0, samples, chunk):
        wc = sampler.take(min(chunk, samples - start))
        order_ = rank_order(scorer(wc))  # (k, m): offer at each rank, THE ranking rule
        counts += np.bincount((order_ * m + pos).ravel(), minlength=m * m)
        q = wc * grid
        np.rint(q, out=q)
        sums += np.bincount((order_[:, 0][:, None] * n + crit).ravel(), weights=q.ravel(),
                            minlength=m * n)
    cnt = counts.reshape(m, m)
    wins = cnt[:, 0]
    central = np.full((m, n), np.nan)
    won = wins > 0
    central[won] = sums.reshape(m, n)[won] / (wins[won, None] * grid)
    conf = np.full(m, np.nan)
    idx = np.flatnonzero(won)
    if idx.size:
        conf[idx] = (winners(scorer(central[idx])) == idx).astype(float)
    return cnt / samples, central, conf, seed_used


def smaa(
    dm: DecisionMatrix,
    samples: int = 10_000,
    seed: int | None = 0,
    *,
    weight_bounds: Mapping[str, tuple[float, float]] | ArrayLike | None = None,
    weight_order: Sequence[str | int] | None = None,
    utility_sd: ArrayLike | None = None,
    chunk_size: int = 10_000,
    engine: str = "auto",
    leaves: LeafMatrix | None = None,
    method: str = REFERENCE_METHOD,
    scorer: Scorer | None = None,
) -> SmaaSummary:
    """SMAA-2 on the decision matrix, seeded (same arguments → identical result, bit for bit).

    ``method`` (a name of ``METHODS``) scores the samples: ``wsm`` by the decision matrix
    (``engine`` ``auto`` picks ``smaa2`` when the totals are linear, else ``totals``); any
    other method needs ``leaves`` (``leaf_matrix(ev, level)``) and uses the ``method`` engine.
    Utility noise (``utility_sd``) needs the linear weighted sum. Bounds and order may name
    criteria. A given ``scorer`` (weights chunk -> totals, e.g. ``uncertain_scorer``) is used
    as is: engine ``uncertain``.
    """
    from ..methods.smaa import smaa2

    m = dm.scores.shape[0]
    if m == 0:
        raise InputError("no eligible offer: nothing to rank")
    samples, chunk_size = int(samples), int(chunk_size)
    if samples < 1 or chunk_size < 1:
        raise InputError("samples and chunk_size must be at least 1")
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}")
    bounds = None if weight_bounds is None else np.column_stack(_bounds2(dm, weight_bounds))
    order = _order_indices(dm, weight_order)
    linear = is_linear(dm)
    if engine not in ("auto", "smaa2", "totals", "method"):
        raise InputError("engine must be auto, smaa2, totals or method")
    if METHODS[method].linear:
        use = ("smaa2" if linear else "totals") if engine == "auto" else engine
    else:
        use = "method"
    if use == "smaa2" and not linear:
        raise InputError("smaa2 needs totals linear in the weights: with the exclude policy and "
                         "missing answers use engine='totals'")
    noisy = utility_sd is not None and bool(np.any(np.asarray(utility_sd, dtype=float) > 0))
    if noisy and use != "smaa2":
        raise InputError("utility noise is supported only for the weighted sum with totals "
                         "linear in the weights (worst policy or no missing answer)")
    if scorer is not None:
        use = "uncertain"
    try:
        if use == "smaa2":
            r = smaa2(np.nan_to_num(dm.scores), n_samples=samples, seed=seed,
                      weight_bounds=bounds, weight_order=order, utility_sd=utility_sd,
                      chunk_size=max(1, min(chunk_size, _MAX_CHUNK_TOTALS // m)))
            return SmaaSummary(dm.offers, dm.criteria, r.acceptability, r.central_weights,
                               r.confidence, r.n_samples, r.seed, "smaa2", method)
        if scorer is None:
            scorer = _scorer(dm, use, method, leaves)
        acc, central, conf, seed_used = _chunked(dm, scorer, samples, seed, bounds, order,
                                                 chunk_size)
    except InputError:
        raise
    except ValueError as exc:
        raise InputError(str(exc)) from None
    for a in (acc, central, conf):
        a.setflags(write=False)
    return SmaaSummary(dm.offers, dm.criteria, acc, central, conf, samples, seed_used, use,
                       method)


def _bounds2(dm: DecisionMatrix, b: Any) -> tuple[FloatArray, FloatArray]:
    return weight_bounds(dm, b)


def _scorer(dm: DecisionMatrix, use: str, method: str, leaves: LeafMatrix | None) -> Scorer:
    if use == "totals":
        return lambda w: totals_many(dm, w)
    if leaves is None or leaves.dm.offers != dm.offers:
        raise InputError(f"SMAA for {METHODS[method].label} needs the leaf utilities of the "
                         "evaluation (scoring.robustness.leaf_matrix)")
    meth = leaves.method or METHODS[method]
    return lambda w: np.asarray(meth.score_many(leaves.utilities, leaves.expand(w)))


def uncertain_scorer(ev: Evaluation, leaves: LeafMatrix, seed: int | None) -> Scorer:
    """Totals for sampled weights with every unknown answer drawn uniformly in its interval at
    the same time (the ``uncertain`` policy, weighted sum): rank acceptability then shows
    ignorance as well as doubt about the weights (SMAA's stochastic criterion values,
    Lahdelma & Salminen 2001, with a uniform density on each unknown answer's interval).

    Only the unknown cells are drawn (known answers are constants), one chunk at a time from a
    generator seeded from ``seed``: the same seed and chunk size give the same figures.
    """
    if ev.bounds is None:
        raise InputError("utility intervals exist only under the uncertain policy")
    rows = [ev.result(o).index for o in leaves.dm.offers]
    lo = np.asarray(ev.bounds.lo, dtype=float)[rows]
    hi = np.asarray(ev.bounds.hi, dtype=float)[rows]
    unknown = hi - lo > 0
    known_u = np.where(unknown, 0.0, lo)  # known answers (m, L)
    m, n = len(rows), len(leaves.dm.criteria)
    # A column's leaf weights are w[column] * share: per column, the known part is constant...
    base = np.zeros((n, m))
    np.add.at(base, leaves.column, (known_u * leaves.share).T)
    # ... and every unknown cell adds share * (lo + span * U(0, 1)) times its column's weight.
    cell_offer, cell_leaf = np.nonzero(unknown)
    col = leaves.column[cell_leaf]
    order = np.argsort(col, kind="stable")
    cell_offer, cell_leaf, col = cell_offer[order], cell_leaf[order], col[order]
    share = leaves.share[cell_leaf]
    np.add.at(base, (col, cell_offer), share * lo[cell_offer, cell_leaf])
    span = (share * (hi - lo)[cell_offer, cell_leaf]).astype(np.float32)
    bounds_ = np.searchsorted(col, np.arange(n + 1))
    blocks = []  # (column, first cell, last cell, span-weighted indicator (cells × m))
    for c in range(n):
        a_, b_ = int(bounds_[c]), int(bounds_[c + 1])
        if b_ > a_:
            ind = np.zeros((b_ - a_, m), dtype=np.float32)
            ind[np.arange(b_ - a_), cell_offer[a_:b_]] = span[a_:b_]
            blocks.append((c, a_, b_, ind))
    cells = int(cell_offer.size)
    rng = np.random.default_rng(np.random.SeedSequence([0 if seed is None else seed, 7919]))

    def score(w: FloatArray) -> FloatArray:
        w = np.atleast_2d(w)
        w = w / w.sum(axis=1, keepdims=True)
        totals = w @ base  # (k, m)
        if cells:  # single precision: the draws are random anyway, and a known tie (no
            # unknown cell on either side) never goes through this path
            draws = rng.random((w.shape[0], cells), dtype=np.float32)
            for c, a_, b_, ind in blocks:
                totals += w[:, c:c + 1] * (draws[:, a_:b_] @ ind)
        return np.asarray(totals)

    return score


def uncertain_method_scorer(ev: Evaluation, leaves: LeafMatrix, seed: int | None) -> Scorer:
    """Totals for sampled weights with every unknown answer drawn uniformly in its interval at
    the same time, for a method that is not a weighted sum (TOPSIS, PROMETHEE, VIKOR): each
    sample's unknown cells are drawn (``IntervalDraws``, seeded from ``seed``, consumed in sample
    order: the same seed gives the same figures whatever the chunk size) and the bound method
    scores that matrix of the eligible offers with the sample's leaf weights, as the engine
    does. Known answers stay as they are. One ``score`` call per sample: slower than the
    weighted sum's matrix product, which the caller's sample cap bounds.
    """
    from ..methods.smaa import IntervalDraws

    if ev.bounds is None:
        raise InputError("utility intervals exist only under the uncertain policy")
    rows = [ev.result(o).index for o in leaves.dm.offers]
    lo = np.nan_to_num(np.asarray(ev.bounds.lo, dtype=float)[rows])
    hi = np.nan_to_num(np.asarray(ev.bounds.hi, dtype=float)[rows])
    draws = IntervalDraws(lo, hi, seed)
    meth = leaves.method or METHODS[ev.method]

    def score(w: FloatArray) -> FloatArray:
        lw = leaves.expand(np.atleast_2d(w))
        values = draws.take(lw.shape[0])
        out = np.empty((lw.shape[0], len(rows)))
        for k in range(lw.shape[0]):
            out[k] = meth.score(draws.matrix(values[k]), lw[k])
        return out

    return score
