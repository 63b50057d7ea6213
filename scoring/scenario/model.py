"""Scenarios: what is bought, when, under which rules. Procurement rules are data, not code.

A scenario names the evaluation date, the offers, the criteria tree with weights, the gates, the
workload to cost (a labelled assumption where nobody published the numbers), the price formula,
the aggregation method and the missing-answer policy. Its hash (SHA-256 of a canonical JSON form,
together with the hashes of every input file it resolves) identifies every result.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from ..hashing import canonical_json, sha256_text
from ..i18n import N_, _
from ..io.catalogue import DEFAULT_CATALOGUE_ID
from ..methods.registry import DEFAULT_METHOD, canonical_settings, parse_settings, settings_keys
from ..models import Count, Frozen, Gate, Number
from ..rules.legal import LegalModel

MAX_SCENARIO_BYTES = 262_144


class CriterionWeight(Frozen):
    weight: Number
    questions: dict[str, Number] | None = None  # question id -> relative weight (default equal)


class PillarWeight(Frozen):
    weight: Number
    criteria: dict[str, Number | CriterionWeight] | None = None


class Assumption(Frozen):
    id: str
    text: str
    reasoning: str
    pillar: str | None = None  # the pillar whose score rests on it, named beside that score


class PriceDrift(Frozen):
    """How far a list price read after the evaluation date may have moved since that date: a
    labelled assumption (no index of cloud list prices is published). Under ``uncertain`` such a
    price becomes the interval ``price × (1 ± per_year × years between the two dates)``."""

    label: str  # "ASSUMPTION PRICE-DRIFT": shown wherever a widened cost note is used
    per_year: Number = Field(ge=0, le=1)
    reasoning: str


class Rate(Frozen):
    value: Number  # scenario currency per 1 unit of the foreign currency
    date: dt.date
    source: str


class Workload(Frozen):
    label: str  # e.g. "ASSUMPTION HDH-W1": shown wherever a number depends on it
    reasoning: str
    contract_years: Number = 1.0
    annual: dict[str, Number] = Field(default_factory=dict)
    one_off: dict[str, Number] = Field(default_factory=dict)

    @field_validator("annual", "one_off")
    @classmethod
    def _finite(cls, v: dict[str, Number]) -> dict[str, Number]:
        for k, q in v.items():
            if not math.isfinite(q) or q < 0:
                raise ValueError(f"quantity of {k} must be a finite number >= 0")
        return v


class PriceFormula(Frozen):
    kind: Literal["proportional", "linear", "relevance"] = "proportional"
    n: Number = 2.0


class SovereigntySettings(Frozen):
    weights: dict[str, Number] | None = None  # SOV-1..SOV-8; default CSF 15/10/10/15/20/15/10/5
    derive_from_facts: bool = True


class LotSpec(Frozen):
    """A lot of the award: part of the workload with its own demand, gates and floors."""

    id: str
    name: str
    demand: dict[str, Number]  # price item -> annual quantity
    gates: list[str] | None = None  # ids of scenario gates that apply (None = all)
    note: str = ""
    weight: Number = 1.0  # importance of the lot in the total value
    splittable: bool = False
    min_share: Number = 0.0
    min_seal: Count | None = None
    min_legal: Number | None = None
    min_value: Number | None = None
    incumbent: str | None = None  # offer id currently hosting the lot
    migration_cost: Number = 0.0  # one-off cost of leaving the incumbent (scenario currency)
    weights: dict[str, PillarWeight] | None = None  # lot-specific criteria weights


class FrontierSpec(Frozen):
    floors: list[Count] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
    budgets: list[Number] | None = None


class AllocationSpec(Frozen):
    """Award rules (each optional, each named in the results)."""

    objective: Literal["max_value", "min_cost"] = "max_value"
    budget: Number | None = None  # annual, scenario currency
    budget_source: str = ""
    max_lots_per_vendor: Count | None = None
    max_spend_share_per_vendor: Number | None = None
    min_vendors: Count | None = None
    max_vendors: Count | None = None
    separations: list[tuple[str, str]] = Field(default_factory=list)
    group_by_parent: bool = True  # two offers of one parent count as one vendor
    frontier: FrontierSpec = FrontierSpec()


DEMO_LABEL = N_("Demonstration data — fictional vendors")


class Demo(Frozen):
    """A scenario made of made-up data (a demonstration tender): every page and export that
    shows its numbers says so (``demo_label``), so that a fictional ranking is never taken for
    a real one. The reason says what is fictional."""

    reason: str = Field(min_length=1)


def demo_label() -> str:
    """The words every output of a demonstration scenario carries, in the current language."""
    return _(DEMO_LABEL)


class OfferSelection(Frozen):
    paths: list[str]  # folders or files, relative to the scenario file
    include: list[str] | None = None  # offer ids; None = all
    exclude: list[str] = Field(default_factory=list)


class Scenario(Frozen):
    schema_: int = Field(1, alias="schema")
    id: str
    title: str
    description: str = ""
    demo: Demo | None = None  # demonstration data (fictional vendors): labelled everywhere
    # The tender's catalogue: a bundled id (data/catalogues/<id>/catalogue.yaml) or a path
    # relative to the scenario file (docs/catalogue.md); hdh when left out.
    catalogue: str = DEFAULT_CATALOGUE_ID
    grades: str | None = None  # the committee's grades of ``grade`` questions (a file)
    evaluation_date: dt.date
    offers: OfferSelection
    method: str = DEFAULT_METHOD  # a name of scoring.methods.registry.METHODS
    # Each method's parameters, written in the scenario under the method's own key
    # (``promethee:``, ``topsis:``, ``vikor:``) and kept here as the raw mappings: the registry
    # declares and validates them (``Method.params_model``), this module knows none of them.
    method_params: dict[str, Any] = Field(default_factory=dict, exclude=True)
    missing_policy: Literal["worst", "exclude", "uncertain"] = "worst"
    uncertain_prior: Literal["range", "observed"] = "range"  # interval of an unknown answer
    min_coverage: Number | None = None  # share of the weight an offer must have answered
    weights: dict[str, PillarWeight]
    gates: list[Gate] = Field(default_factory=list)
    workload: Workload
    currency: str = "EUR"
    rates: dict[str, Rate] = Field(default_factory=dict)
    price_formula: PriceFormula = PriceFormula()
    price_drift: PriceDrift | None = None  # prices read after the evaluation date (uncertain)
    legal_model: LegalModel = LegalModel()
    sovereignty: SovereigntySettings = SovereigntySettings()
    assumptions: list[Assumption] = Field(default_factory=list)
    sources: dict[str, str] = Field(default_factory=dict)
    lots: list[LotSpec] = Field(default_factory=list)
    allocation: AllocationSpec = AllocationSpec()
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _gather_method_params(cls, data: Any) -> Any:
        """Move every registered method's key (``vikor: {v: 0.7}``) into ``method_params``,
        after validating it with the method's own model (errors located as ``vikor.v``)."""
        if not isinstance(data, dict):
            return data
        keys = [k for k in settings_keys() if k in data]
        if not keys:
            return data
        raw = {k: data[k] for k in keys}
        parse_settings(raw)
        rest = {k: v for k, v in data.items() if k not in raw}
        return {**rest, "method_params": {**rest.get("method_params", {}), **raw}}

    @field_validator("method")
    @classmethod
    def _known_method(cls, v: str) -> str:
        from ..methods.registry import METHODS

        if v not in METHODS:
            raise ValueError(f"unknown method {v!r} (known: {', '.join(METHODS)})")
        return v

    @property
    def assumption_ids(self) -> tuple[str, ...]:
        """Ids of every labelled assumption the scenario's numbers rest on (the workload's label
        first): shown wherever a number that depends on them appears."""
        drift = [self.price_drift.label] if self.price_drift is not None else []
        return tuple(dict.fromkeys(x.removeprefix("ASSUMPTION ") for x in
                                   [self.workload.label, *(a.id for a in self.assumptions),
                                    *drift]))

    def canonical(self) -> str:
        """Canonical JSON (sorted keys, no whitespace) used for the hash; method parameters
        appear under their method's key, as written (see ``registry.canonical_settings``)."""
        doc = self.model_dump(mode="json", by_alias=True)
        doc.update(canonical_settings(self.method_params))
        if doc.get("price_drift") is None:  # fields added later are hashed only when given,
            doc.pop("price_drift", None)  # so the hashes of earlier scenarios stay as they were
        if doc.get("catalogue") == DEFAULT_CATALOGUE_ID:
            doc.pop("catalogue", None)
        if doc.get("grades") is None:
            doc.pop("grades", None)
        if doc.get("demo") is None:
            doc.pop("demo", None)
        for a in doc.get("assumptions") or []:
            if a.get("pillar") is None:
                a.pop("pillar", None)
        return canonical_json(doc)

    @property
    def hash(self) -> str:
        return sha256_text(self.canonical())
