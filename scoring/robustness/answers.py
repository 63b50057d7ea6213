"""The answers a clarification request may bring (Directive 2014/24/EU art. 56(3)): for an
unknown answer, the two ends of its question's domain (the values that move a total the most),
every answer worth trying under a method that is not monotone (TOPSIS, PROMETHEE, VIKOR: the
breakpoints where it can change its mind), and the offer as it would be with one answer given.
Shared by the clarification list (``clarify``), the committee's re-evaluation after a reply
and the app's what-if.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..models import Answer, Offer, Question

_COUNTRIES = ("US", "FR")  # a country under US law, and an EU member state


def candidates(q: Question) -> tuple[Any, ...]:
    """The two ends of a question's answer domain (the values that move a total the most)."""
    if q.type == "bool":
        return (False, True)
    if q.type == "level":
        return (0, 4)
    if q.type == "country":
        return _COUNTRIES
    if q.type == "enum":
        scored = {k: v for k, v in (q.options or {}).items() if v is not None}
        if not scored:
            return tuple(q.options or {})[:2]
        return (min(scored, key=lambda k: scored[k]), max(scored, key=lambda k: scored[k]))
    if q.type in ("number", "percent"):
        lo = q.min if q.min is not None else 0.0
        hi = q.max if q.max is not None else 100.0
        if q.scale is not None:
            a, b = sorted((q.scale.worst, q.scale.best))
            lo, hi = max(lo, a), min(hi, b)
        return (lo, hi)
    return ()


def domain(q: Question) -> tuple[Any, ...]:
    """Every answer worth trying for a question under a method that is not monotone: every
    SEAL level and every scored option (a middle option can change the winner); the ends of
    :func:`candidates` otherwise (numbers are searched by :func:`search_utilities`)."""
    if q.type == "level":
        return (0, 1, 2, 3, 4)
    if q.type == "enum":
        scored = {k: v for k, v in (q.options or {}).items() if v is not None}
        if scored:
            return tuple(sorted(scored, key=lambda k: (scored[k], k)))
    return candidates(q)


def search_utilities(others: Sequence[float], lo: float, hi: float,
                     thresholds: Sequence[float] = (), per_gap: int = 8) -> np.ndarray:
    """The utilities to try for one answer in ``[lo, hi]`` when the method is not monotone.

    Breakpoints: the ends, every other offer's utility on the leaf (where a pairwise
    preference, the ideal or the spread changes), and each of those ± every preference
    threshold (PROMETHEE's q and p, where a preference function bends or jumps). Between two
    consecutive breakpoints a method with piecewise-constant preferences does not change, and
    a continuous one (TOPSIS, VIKOR, PROMETHEE's linear or Gaussian preferences) is tried at
    ``per_gap - 1`` evenly spaced interior points, the midpoint among them.
    """
    pts = {float(lo), float(hi)}
    for x in others:
        for t in (0.0, *thresholds):
            for y in (x - t, x + t):
                if lo <= y <= hi:
                    pts.add(float(y))
    ordered = sorted(pts)
    out = set(ordered)
    for a, b in itertools.pairwise(ordered):
        out.update(a + (b - a) * k / per_gap for k in range(1, per_gap))
    return np.array(sorted(out))


def with_answer(offer: Offer, q: Question, value: Any, on: dt.date) -> Offer:
    """The offer with ``q`` answered ``value``; a dated answer holds from the day before the
    evaluation date (a certification in force, on v2 for HDS)."""
    extra: dict[str, Any] = {}
    if q.dated:
        extra["since"] = on - dt.timedelta(days=1)
    if q.id == "cert.hds" and value is True:
        extra["version"] = "v2"
    a = Answer(question=q.id, value=value, confidence="recalled", note="clarification what-if",
               **extra)
    return offer.model_copy(update={"answers": {**offer.answers, q.id: a}})
