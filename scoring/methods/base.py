"""What a method is, as the rest of the program sees it: the ``Method`` contract (score,
explain, ranges, settings, the metadata its explanation is rendered from). Each method's file
builds its adapters on it, and ``registry`` lists the methods; keeping the contract on its own
means a method file never imports the registry that imports it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ValidationError
from pydantic_core import InitErrorDetails

from ..errors import InputError
from ..i18n import N_, _, decimal_mark

FloatArray = NDArray[np.float64]
Scorer = Callable[[FloatArray, FloatArray], FloatArray]
Explainer = Callable[[FloatArray, FloatArray], dict[str, FloatArray]]
Linearise = Callable[[FloatArray], FloatArray]
#: (lo, hi, weights) -> (low scores, high scores, exact): the range of every offer's score when
#: each utility may lie anywhere in [lo, hi] (``exact`` False: an outer bound).
RangeScorer = Callable[[FloatArray, FloatArray, FloatArray], tuple[FloatArray, FloatArray, bool]]
LeafKeys = Sequence[str | Sequence[str]]
#: (params, leaf keys or None) -> bound Method; see :meth:`Method.bind`.
Binder = Callable[["Method", Any, LeafKeys | None], "Method"]
#: (utilities, weights, offer names) -> sentences about the whole set (VIKOR's C1 / C2).
Remarks = Callable[[FloatArray, FloatArray, Sequence[str]], list[str]]

#: Decimals of a 0-100 score wherever a total is shown (tables, sentences, reports).
SCORE_DIGITS = 2


@dataclass(frozen=True)
class Column:
    """One piece of :meth:`Method.explain` shown per question: its key, header and decimals
    (``sci``: scientific notation, for squared distances of very different sizes)."""

    key: str
    label: str
    digits: int = 4
    sci: bool = False


@dataclass(frozen=True)
class Figure:
    """A per-offer number read off one explain piece: the row sum, the square root of the row
    sum (a Euclidean distance from its squared gaps), or the row maximum."""

    label: str
    key: str
    reduce: Literal["sum", "sqrt_sum", "max"] = "sum"
    digits: int = 4

    def of(self, pieces: Mapping[str, FloatArray], row: int) -> float:
        x = pieces[self.key][row]
        if self.reduce == "max":
            return float(x.max()) if x.size else 0.0
        total = float(x.sum())
        return float(np.sqrt(total)) if self.reduce == "sqrt_sum" else total


@dataclass(frozen=True)
class Scale:
    """The method's own figure behind its 0-100 score, and how a lead is said in its unit.

    ``from_score`` maps a score to the figure (TOPSIS: closeness C = score / 100). Sentences
    take the figure of the *rounded* score shown in the tables (``SCORE_DIGITS``), so that a gap
    read in a sentence is the difference of the two figures the reader can see: 81.97 and 18.03
    give a closeness gap of 0.8197 − 0.1803 = 0.6394, never 0.6393 from unrounded totals.
    ``template`` receives ``gap``, ``lead`` and ``second`` already formatted with ``digits``.
    """

    symbol: str
    name: str
    digits: int
    from_score: Callable[[float], float]
    template: str
    higher_is_better: bool = True

    def figure(self, score: float) -> float:
        """The figure of a score as shown (rounded to ``SCORE_DIGITS`` first)."""
        return round(self.from_score(round(score, SCORE_DIGITS)), self.digits)

    def gap(self, lead: float, second: float) -> float:
        """How far the leader is ahead in this unit, from the figures shown (≥ 0 when ahead)."""
        a, b = self.figure(lead), self.figure(second)
        return round(a - b if self.higher_is_better else b - a, self.digits)

    def ahead_by(self, lead: float, second: float) -> str:
        """"by 6.85 points" / "by 0.6394 in closeness to the ideal (C 0.8197 against 0.1803)"."""
        d = self.digits
        return _(self.template).format(gap=decimal_mark(f"{self.gap(lead, second):.{d}f}"),
                                       lead=decimal_mark(f"{self.figure(lead):.{d}f}"),
                                       second=decimal_mark(f"{self.figure(second):.{d}f}"))


POINTS = Scale("total", "points", SCORE_DIGITS, lambda s: s, N_("by {gap} points"))


@dataclass(frozen=True)
class Method:
    """One aggregation method as the rest of the program sees it.

    Attributes:
        name: the id written in scenarios and on the command line (``wsm``).
        label: what a committee reads (``Weighted sum``).
        summary: one sentence saying what the score means, for help texts.
        reference: the publication the implementation follows.
        score: (utilities m×n, weights n) -> scores m, 0–100.
        linear: True when the score is ``utilities @ weights / Σw`` (exact analyses apply).
        depends_on_others: True when an offer's score depends on the other offers present
            (rank reversal is possible when one is added or withdrawn).
        explain: (utilities, weights) -> {name: m×n array}; see the module docstring.
        params_key: the scenario key holding this method's parameters (None: none); the
            scenario keeps the raw mapping there and :meth:`parse_params` validates it.
        linearise: utilities -> m×n matrix whose weighted mean is the score, when it exists.
        params: the parameters bound by :meth:`bind` (None for defaults), for display.
        params_model: the pydantic model of the parameters (None: the method takes none).
        hash_placeholder: the scenario's canonical form (its hash) shows ``params_key: null``
            when no parameters are given; True only for a method whose key was a scenario field
            before parameters became generic, so that every hash recorded before stays valid.
        scale: the method's own figure behind the 0-100 score and how a lead is said in it.
        columns: the explain pieces shown per question, in order.
        figures: per-offer numbers read off the pieces (S+, S-; S, R; φ).
        sort_keys: the pieces whose summed absolute values order the questions, largest first.
        note: why this method can order offers differently from the weighted sum.
        remarks: sentences about the whole set of offers (VIKOR's acceptance conditions).
        depends_why: how the score depends on the other offers present, after the label
            (rank-reversal reports: "TOPSIS normalises by the column norms ...").
        score_range: (lo, hi, weights) -> (low, high, exact): every offer's score range when
            each utility lies in an interval (the ``uncertain`` policy); ``exact`` False when
            the range is an outer bound (it contains every attainable score, maybe more).
    """

    name: str
    label: str
    summary: str
    reference: str
    score: Scorer
    linear: bool
    depends_on_others: bool
    explain: Explainer | None = None
    params_key: str | None = None
    linearise: Linearise | None = None
    params: Any = None
    _binder: Binder | None = None
    params_model: type[BaseModel] | None = None
    hash_placeholder: bool = False
    scale: Scale = POINTS
    columns: tuple[Column, ...] = ()
    figures: tuple[Figure, ...] = ()
    sort_keys: tuple[str, ...] = ()
    note: str = ""
    remarks: Remarks | None = field(default=None, repr=False)
    depends_why: str = ""

    def parse_params(self, raw: Any) -> Any:
        """The parameters from a scenario's raw mapping (None: the defaults).

        Raises ``pydantic.ValidationError`` located under ``params_key`` (``vikor.v``), so that
        the scenario loader reports it like any other field of the scenario.
        """
        if raw is None:
            return None
        if self.params_model is None:
            raise InputError(f"method {self.name!r} takes no parameters")
        try:
            return self.params_model.model_validate(raw)
        except ValidationError as exc:
            raise ValidationError.from_exception_data(exc.title, [
                InitErrorDetails(type=e["type"], loc=(self.params_key or self.name, *e["loc"]),
                                 input=e["input"], ctx=e.get("ctx", {}))
                for e in exc.errors()]) from None
    score_range: RangeScorer | None = None

    def bind(self, params: Any = None, leaf_keys: LeafKeys | None = None) -> Method:
        """This method with its parameters resolved against the scored leaves.

        ``leaf_keys``: for each leaf, its ids most specific first (``("cert.hds", "security",
        "trust")``) or a single id. Raises ``InputError`` for parameters the method does not
        take or that name no leaf.
        """
        if self._binder is None:
            if params is not None:
                raise InputError(f"method {self.name!r} takes no parameters")
            return self
        return self._binder(self, params, leaf_keys)

    def score_many(self, utilities: FloatArray, weights: FloatArray) -> FloatArray:
        """Scores for many weight vectors (N×n) -> (N×m); one matrix product when possible."""
        w = np.atleast_2d(weights)
        if self.linear or self.linearise is not None:
            u = utilities if self.linearise is None else self.linearise(utilities)
            return (w @ u.T) / w.sum(axis=1, keepdims=True)
        return np.stack([self.score(utilities, row) for row in w])
