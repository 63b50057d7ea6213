"""The aggregation methods, listed once.

The CLI's ``--method``, the scenario's ``method:``, the app's picker and the robustness analyses
all read :data:`METHODS`; adding a method touches its own file and one entry here.

A method turns a complete matrix of utilities (offers × scored leaves, 0–100, higher is better,
no NaN: the missing-answer policy has been applied before) and global leaf weights (summing to 1)
into one score per offer on 0–100, higher is better. Methods whose score is a weighted sum
(linear in the weights) support the exact analyses (stability intervals with exact crossovers,
minimal flip by linear programming); the others are analysed by sampling (SMAA) or, where an
analysis needs linearity, the analysis says so plainly instead of switching method silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Scorer = Callable[[FloatArray, FloatArray], FloatArray]


@dataclass(frozen=True)
class Method:
    """One aggregation method as the rest of the program sees it.

    Attributes:
        name: the id written in scenarios and on the command line (``wsm``).
        label: what a committee reads (``Weighted sum``).
        summary: one sentence saying what the score means, for help texts.
        reference: the publication the implementation follows.
        score: (utilities m×n, weights n) -> scores m, 0–100.
        linear: True when the score is linear in the weights (exact analyses apply).
        depends_on_others: True when an offer's score depends on the other offers present
            (rank reversal is possible when one is added or withdrawn).
    """

    name: str
    label: str
    summary: str
    reference: str
    score: Scorer
    linear: bool
    depends_on_others: bool

    def score_many(self, utilities: FloatArray, weights: FloatArray) -> FloatArray:
        """Scores for many weight vectors (N×n) -> (N×m); the default loops over rows."""
        if self.linear:
            w = np.atleast_2d(weights)
            return (w @ utilities.T) / w.sum(axis=1, keepdims=True)
        return np.stack([self.score(utilities, w) for w in np.atleast_2d(weights)])


def _wsm(utilities: FloatArray, weights: FloatArray) -> FloatArray:
    return (utilities @ weights) / weights.sum()


def _topsis(utilities: FloatArray, weights: FloatArray) -> FloatArray:
    from .topsis import topsis

    keep = weights > 0
    if not keep.any():
        return np.full(utilities.shape[0], 50.0)
    res = topsis(utilities[:, keep], weights[keep], np.ones(int(keep.sum()), dtype=bool))
    return np.asarray(res.closeness) * 100.0


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method(
            name="wsm",
            label="Weighted sum",
            summary="Each offer's total is the weighted sum of its 0-100 utilities: every point "
            "of the total can be traced to one answer and one weight.",
            reference="Keeney & Raiffa (1976), Decisions with Multiple Objectives, additive value "
            "model",
            score=_wsm,
            linear=True,
            depends_on_others=False,
        ),
        Method(
            name="topsis",
            label="TOPSIS",
            summary="Closeness (0-100) to an ideal offer built from the best answer to each "
            "question among the offers present, and away from the worst.",
            reference="Hwang & Yoon (1981), Multiple Attribute Decision Making, Springer LNEMS 186",
            score=_topsis,
            linear=False,
            depends_on_others=True,
        ),
    )
}


def method_names() -> tuple[str, ...]:
    """The method ids, in the order a picker shows them."""
    return tuple(METHODS)


def get_method(name: str) -> Method:
    """The method called ``name``; ``KeyError`` with the known names otherwise."""
    try:
        return METHODS[name]
    except KeyError:
        raise KeyError(f"unknown method {name!r} (known: {', '.join(METHODS)})") from None
