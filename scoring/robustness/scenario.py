"""The robustness analyses of one evaluated scenario, on the scenario's own method.

The exact analyses — stability intervals with their crossovers, one-way paths, the minimal
flip by linear programming — rest on totals that are the weighted sum of the decision matrix
(``Method.linear`` in ``scoring.methods.registry``). For any other method (TOPSIS, PROMETHEE)
they are not run, and the report says so in words and in its JSON (``supported: false`` with
the reason); SMAA-2 runs with the method's own scorer on the leaf utilities. No analysis ever
switches method silently: before this rule, a TOPSIS scenario whose ranking put Scaleway first
had its stability intervals, SMAA and flip describe OVHcloud's weighted-sum lead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError
from ..methods.registry import METHODS
from ._common import twin_groups
from .flip import FlipResult, flip
from .smaa import SmaaSummary, leaf_matrix, smaa, uncertain_method_scorer, uncertain_scorer
from .stability import StabilityInterval, stability_intervals

if TYPE_CHECKING:
    from ..engine import DecisionMatrix, Evaluation, OfferResult

#: The most SMAA samples one command may ask for (time grows linearly: ~10 s per 10^7 on
#: 20 offers; beyond, the Monte-Carlo error, at most 0.5/√N, is already below 2e-4).
MAX_SAMPLES = 10**7


@dataclass(frozen=True)
class Support:
    """Whether the exact analyses apply to a method, and why not when they do not."""

    method: str
    label: str
    exact: bool
    reason: str | None


def support(method: str) -> Support:
    """``exact`` is True for a method linear in the weights (the weighted sum)."""
    if method not in METHODS:
        raise InputError(f"unknown method {method!r} (known: {', '.join(METHODS)})")
    m = METHODS[method]
    if m.linear:
        return Support(method, m.label, True, None)
    return Support(method, m.label, False,
                   f"exact stability intervals and flip are defined for the weighted sum; this "
                   f"scenario uses {m.label}")


@dataclass(frozen=True, eq=False)
class SensitivityReport:
    """Everything ``hostwise sensitivity`` shows: stability intervals and the runner-up's flip
    (None when the method is not the weighted sum: ``support.reason`` says so), SMAA-2 on the
    scenario's method (None without an eligible offer)."""

    ev: Evaluation
    level: str
    dm: DecisionMatrix
    support: Support
    stability: tuple[StabilityInterval, ...] | None
    smaa: SmaaSummary | None
    flip: FlipResult | None
    eligible: tuple[OfferResult, ...]


def smaa_for(ev: Evaluation, level: str = "pillar", samples: int = 10_000, seed: int = 0
             ) -> SmaaSummary:
    """SMAA-2 of an evaluation, scored by its method (see ``scoring.robustness.smaa``): the
    passing offers and the undetermined ones (a candidate in every sample, as if admitted),
    offers tied at every weight sharing their acceptabilities."""
    dm = ev.matrix(level, candidates=True)
    extra = None
    if ev.bounds is not None:
        rows = [ev.result(o).index for o in dm.offers]
        extra = np.hstack([ev.bounds.lo[rows], ev.bounds.hi[rows]])
    twins = twin_groups(dm, extra)
    if ev.bounds is not None and dm.offers:
        # uncertain: every unknown answer drawn in its interval with the weights, any method
        lm = leaf_matrix(ev, level, candidates=True)
        if ev.bound_method.linear:
            s = smaa(dm, samples, seed, method=ev.method, chunk_size=65_536,
                     scorer=uncertain_scorer(ev, lm, seed))
        else:
            s = smaa(dm, samples, seed, method=ev.method, chunk_size=4_096, leaves=lm,
                     scorer=uncertain_method_scorer(ev, lm, seed))
    elif METHODS[ev.method].linear:
        s = smaa(dm, samples, seed, method=ev.method)
    else:
        s = smaa(dm, samples, seed, method=ev.method,
                 leaves=leaf_matrix(ev, level, candidates=True))
    return share_ties(s, twins)


def share_ties(s: SmaaSummary, groups: tuple[tuple[str, ...], ...]) -> SmaaSummary:
    """Offers tied at every weight share their rank acceptabilities, confidence and central
    weights (the group's mean): none of them is ranked ahead of the others by the offer-order
    tie-break."""
    if not groups:
        return s
    acc, conf = np.array(s.acceptability), np.array(s.confidence)
    central = np.array(s.central_weights)
    for g in groups:
        idx = [s.offers.index(o) for o in g]
        acc[idx] = acc[idx].mean(axis=0)
        conf[idx] = np.nanmean(conf[idx]) if not np.isnan(conf[idx]).all() else np.nan
        if not np.isnan(central[idx]).all():
            central[idx] = np.nanmean(central[idx], axis=0)
    for a in (acc, conf, central):
        a.setflags(write=False)
    return replace(s, acceptability=acc, confidence=conf, central_weights=central,
                   tie_groups=groups)


def _gate_words(r: OfferResult) -> list[str]:
    return [f"{g.label}: {g.reason}" for g in r.gates if not g.passed]


def flip_for(ev: Evaluation, offer: OfferResult, level: str = "pillar", margin: float = 1e-6
             ) -> FlipResult:
    """The flip of one offer of an evaluation, or an answer saying it is not defined for the
    scenario's method (``supported`` False, nothing computed)."""
    dm = ev.matrix(level)
    sup = support(ev.method)
    oid = offer.offer.offer_id
    if not sup.exact:
        w = dm.weights / dm.weights.sum()
        return FlipResult(oid, False, sup.reason or "", dm.criteria, tuple(float(x) for x in w),
                          None, None, (), None, "unsupported", False, margin, supported=False)
    return flip(dm, oid, margin=margin, excluded_by=_gate_words(offer))


def check_samples(samples: int) -> None:
    """``InputError`` unless 1 ≤ samples ≤ ``MAX_SAMPLES``."""
    if not 1 <= samples <= MAX_SAMPLES:
        raise InputError(f"samples must be between 1 and {MAX_SAMPLES:,} (got {samples:,})")


def sensitivity(ev: Evaluation, level: str = "pillar", samples: int = 10_000, seed: int = 0
                ) -> SensitivityReport:
    """Stability intervals, SMAA-2 and the runner-up's flip for one evaluation."""
    check_samples(samples)
    if seed < 0:
        raise InputError(f"seed must be a non-negative integer (got {seed})")
    dm = ev.matrix(level)
    sup = support(ev.method)
    elig = tuple(r for r in ev.results if r.rank is not None)
    stab = stability_intervals(dm) if sup.exact else None
    sm = smaa_for(ev, level, samples, seed) if dm.offers else None
    fl = flip_for(ev, elig[1], level) if len(elig) >= 2 else None
    return SensitivityReport(ev, level, dm, sup, stab, sm, fl, elig)
