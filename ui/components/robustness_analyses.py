"""The robustness analyses of the working scenario, memoised by the evaluation's content hash,
and the clarification "what if" (an unknown answer set to one of the values it could take).

Display only: every figure comes from ``scoring.robustness`` (the CLI's ``sensitivity``,
``flip`` and ``clarify`` run the same functions) and ``scoring.engine.evaluate``.
"""

from __future__ import annotations

from typing import Any

from scoring.engine import Evaluation, evaluate
from scoring.robustness import (
    FlipResult,
    OneWay,
    RankReversalReport,
    SmaaSummary,
    StabilityInterval,
    Support,
    flip_for,
    one_way,
    rank_reversal_check,
    smaa_for,
    stability_intervals,
    support,
)
from scoring.robustness.answers import with_answer
from scoring.robustness.clarify import Clarifications, clarify
from scoring.scenario.catalogue import scenario_catalogue
from ui.state import memo

#: The most SMAA samples the page lets one ask for (the CLI allows 10^7; ~1 s per 10^6 on the
#: bundled data): the Monte-Carlo error is already below 0.05 % at 10^6 (0.5/sqrt(N)).
SMAA_CAP = 1_000_000
SMAA_DEFAULT = 10_000  # the CLI's default, so the page and ``hostwise sensitivity`` agree
CLARIFY_BUDGET_S = 10.0  # the CLI's default time budget

WhatIf = tuple[str, str, Any]  # (offer id, question id, value)


def method_support(ev: Evaluation) -> Support:
    return support(ev.method)


def stability(ev: Evaluation, level: str) -> tuple[StabilityInterval, ...] | None:
    """Exact stability intervals (None when the method is not the weighted sum)."""
    if not support(ev.method).exact:
        return None
    return memo(("stability", ev.hash, level),
                lambda: tuple(stability_intervals(ev.matrix(level))))


def one_way_path(ev: Evaluation, level: str, criterion: str) -> OneWay | None:
    if not support(ev.method).exact:
        return None
    return memo(("oneway", ev.hash, level, criterion),
                lambda: one_way(ev.matrix(level), criterion))


def smaa(ev: Evaluation, level: str, samples: int, seed: int) -> SmaaSummary:
    return memo(("smaa", ev.hash, level, samples, seed),
                lambda: smaa_for(ev, level, samples, seed))


def flip(ev: Evaluation, level: str, offer: str) -> FlipResult:
    return memo(("flip", ev.hash, level, offer),
                lambda: flip_for(ev, ev.result(offer), level))


def reversal(ev: Evaluation) -> RankReversalReport:
    return memo(("reversal", ev.hash), lambda: rank_reversal_check(ev, ev.method))


def clarifications(ev: Evaluation) -> Clarifications:
    return memo(("clarify", ev.hash), lambda: clarify(ev, budget_s=CLARIFY_BUDGET_S))


def with_answers(ev: Evaluation, answers: tuple[WhatIf, ...]) -> Evaluation:
    """The evaluation re-run by the engine with some unknown answers set (``with_answer`` of
    the clarification list: a dated answer holds from the day before the evaluation date)."""
    if not answers:
        return ev

    def run() -> Evaluation:
        cat = ev.catalogue or scenario_catalogue(ev.scenario)
        on = ev.evaluation_date
        offers = list(ev.offers)
        for oid, qid, value in answers:
            q = cat.question(qid)
            offers = [with_answer(o, q, value, on) if o.offer_id == oid else o for o in offers]
        return evaluate(ev.scenario, offers, cat=cat, method=ev.method,
                        scenario_file=ev.scenario_file)

    return memo(("whatif", ev.hash, tuple((o, q, repr(v)) for o, q, v in answers)), run)


def ranking_rows(ev: Evaluation) -> dict[str, tuple[int | None, float | None]]:
    """offer id -> (rank, total) of an evaluation."""
    return {r.offer.offer_id: (r.rank, r.total) for r in ev.results}
