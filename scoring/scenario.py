"""Scenarios: what is bought, when, under which rules. Procurement rules are data, not code.

A scenario names the evaluation date, the offers, the criteria tree with weights, the gates, the
workload to cost (a labelled assumption where nobody published the numbers), the price formula,
the aggregation method and the missing-answer policy. Its hash (SHA-256 of a canonical JSON form,
together with the hashes of every input file it resolves) identifies every result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Problem, ScenarioError, validation_problems
from .io.files import read_input
from .io.yamlsafe import YamlReadError, load_yaml
from .legal import LegalModel
from .methods.registry import DEFAULT_METHOD
from .models import Count, Frozen, Number

MAX_SCENARIO_BYTES = 262_144


class CriterionWeight(Frozen):
    weight: Number
    questions: dict[str, Number] | None = None  # question id -> relative weight (default equal)


class PillarWeight(Frozen):
    weight: Number
    criteria: dict[str, Number | CriterionWeight] | None = None


class Gate(Frozen):
    """A pass/fail rule applied before scoring (EU Directive 2014/24 art. 67; CJEU C-546/16
    Montte: minimum quality thresholds may eliminate tenders)."""

    id: str
    kind: Literal["hds", "immunity", "min_seal", "min_pillar", "costable", "answer"]
    label: str | None = None
    mode: Literal["qualified", "qualified_or_in_process"] | None = None  # immunity
    objective: str | None = None  # min_seal: "SOV-2" or "overall"
    level: Count | None = None  # min_seal
    pillar: str | None = None  # min_pillar
    minimum: Number | None = None  # min_pillar / answer (number)
    question: str | None = None  # answer
    allowed: list[Any] | None = None  # answer (enum/bool/country values)
    require_v2_after: dt.date | None = None  # hds: version v2 needed from this date
    reason: str | None = None


class Assumption(Frozen):
    id: str
    text: str
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


class OfferSelection(Frozen):
    paths: list[str]  # folders or files, relative to the scenario file
    include: list[str] | None = None  # offer ids; None = all
    exclude: list[str] = Field(default_factory=list)


class Scenario(Frozen):
    schema_: int = Field(1, alias="schema")
    id: str
    title: str
    description: str = ""
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
        from .methods.registry import parse_settings, settings_keys

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
        from .methods.registry import METHODS

        if v not in METHODS:
            raise ValueError(f"unknown method {v!r} (known: {', '.join(METHODS)})")
        return v

    @property
    def assumption_ids(self) -> tuple[str, ...]:
        """Ids of every labelled assumption the scenario's numbers rest on (the workload's label
        first): shown wherever a number that depends on them appears."""
        return tuple(dict.fromkeys(x.removeprefix("ASSUMPTION ") for x in
                                   [self.workload.label, *(a.id for a in self.assumptions)]))

    def canonical(self) -> str:
        """Canonical JSON (sorted keys, no whitespace) used for the hash; method parameters
        appear under their method's key, as written (see ``registry.canonical_settings``)."""
        from .methods.registry import canonical_settings

        doc = self.model_dump(mode="json", by_alias=True)
        doc.update(canonical_settings(self.method_params))
        return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    @property
    def hash(self) -> str:
        return hashlib.sha256(self.canonical().encode()).hexdigest()


def _read_doc(data: bytes, file: str) -> dict[str, Any]:
    try:
        doc = load_yaml(data, MAX_SCENARIO_BYTES)
    except YamlReadError as exc:
        raise ScenarioError([Problem(file, "", loc, m) for loc, m in exc.problems]) from None
    if not isinstance(doc, dict):
        raise ScenarioError([Problem(file, "", "", "a scenario must be a mapping of fields")])
    return doc


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Deep merge for ``extends``: mappings merge key by key, everything else is replaced; an
    explicitly empty mapping (``one_off: {}``) replaces, so a child can clear a parent's entry."""
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and v and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


def parse_scenario_doc(doc: dict[str, Any], file: str = "<scenario>") -> Scenario:
    """Validate a scenario mapping; raise ``ScenarioError`` with every located problem."""
    try:
        sc = Scenario.model_validate(doc)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, file)) from None
    from .scenario_rules import rule_problems

    probs = rule_problems(sc, file)
    if probs:
        raise ScenarioError(probs)
    return sc


def parse_scenario(data: bytes, file: str = "<scenario>") -> Scenario:
    """Parse a self-contained scenario from bytes (no ``extends``)."""
    doc = _read_doc(data, file)
    if "extends" in doc:
        raise ScenarioError([Problem(file, "", "extends", "extends needs a scenario file on "
                                     "disk; load it with load_scenario")])
    return parse_scenario_doc(doc, file)


def load_scenario_doc(p: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The scenario mapping of a file with its ``extends`` chain merged in (what the app edits
    as the working scenario); relative offer paths stay relative to ``p``'s folder."""
    rp = p.resolve()
    if rp in chain:
        raise ScenarioError([Problem(str(p), "", "extends", "circular extends: "
                                     + " -> ".join(x.name for x in (*chain, rp)))])
    if len(chain) > 5:
        raise ScenarioError([Problem(str(p), "", "extends", "more than 5 levels of extends")])
    try:
        data = read_input(p, MAX_SCENARIO_BYTES)  # regular files only, size-checked first
    except OSError as exc:
        raise ScenarioError([Problem(str(p), "", "file", f"cannot read: {exc.strerror}")]) from None
    doc = _read_doc(data, str(p))
    parent = doc.pop("extends", None)
    if parent is None:
        return doc
    if not isinstance(parent, str):
        raise ScenarioError([Problem(str(p), "", "extends", "extends must be a file name")])
    parent_path = p.parent / parent
    base = _rebase_offer_paths(load_scenario_doc(parent_path, (*chain, rp)), parent_path.parent,
                               p.parent)
    return _merge(base, doc)


def _rebase_offer_paths(doc: dict[str, Any], declared_in: Path, used_in: Path) -> dict[str, Any]:
    """A relative path resolves against the file that declares it: the base's ``offers.paths``
    are rewritten relative to the child's folder, so a child in another folder still finds the
    base's offers (and the bundled scenarios, in one folder, keep their paths and hashes)."""
    offers = doc.get("offers")
    if not isinstance(offers, dict) or not isinstance(offers.get("paths"), list):
        return doc
    paths = [os.path.relpath(os.path.normpath(declared_in / x), used_in)
             if isinstance(x, str) and not os.path.isabs(x) else x for x in offers["paths"]]
    return {**doc, "offers": {**offers, "paths": [x.replace(os.sep, "/") if isinstance(x, str)
                                                  else x for x in paths]}}


def load_scenario(path: str | Path) -> tuple[Scenario, Path]:
    """Load a scenario file (following ``extends``: a counterfactual states only what changes).

    Returns the scenario and its folder (offer paths are relative to it).
    """
    p = Path(path)
    return parse_scenario_doc(load_scenario_doc(p), str(p)), p.parent
