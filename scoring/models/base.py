"""The vocabulary every model shares: strict numbers, the pillars and computed modules, the
SEAL objectives, the answer types and confidences, and ``Frozen``, the one pydantic base
(immutable, unknown fields refused: see ``scoring.models``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Strict

from ..i18n import N_

Number = Annotated[float, Strict()]
"""A number written as a number: ``true`` or ``"1.5"`` is refused, not coerced to 1 or 1.5."""
Count = Annotated[int, Strict()]
"""A whole number written as one (``true`` is not 1)."""
PILLARS: tuple[str, ...] = (N_("technical"), N_("cost"), N_("legal"), N_("sovereignty"))
"""The pillars of the ``hdh`` catalogue (and of a version-1 catalogue): every other tender
declares its own (``Catalogue.pillar_ids``); nothing may assume these four."""
Module = Literal["legal", "sovereignty", "cost"]
MODULES: tuple[Module, ...] = ("legal", "sovereignty", "cost")
"""The computed modules; each owns the pillar of its name (docs/catalogue.md, "Module pillars")."""
SEAL_OBJECTIVES: tuple[tuple[str, str, str], ...] = (
    ("SOV-1", "sov.sov1_strategic", "Strategic sovereignty"),
    ("SOV-2", "sov.sov2_legal", "Legal & jurisdictional sovereignty"),
    ("SOV-3", "sov.sov3_data_ai", "Data & AI sovereignty"),
    ("SOV-4", "sov.sov4_operational", "Operational sovereignty"),
    ("SOV-5", "sov.sov5_supply_chain", "Supply-chain sovereignty"),
    ("SOV-6", "sov.sov6_technology", "Technology sovereignty"),
    ("SOV-7", "sov.sov7_security", "Security & compliance sovereignty"),
    ("SOV-8", "sov.sov8_sustainability", "Environmental sustainability"),
)
"""The objectives of the EU Cloud Sovereignty Framework v1.2.1 (objective, question, label):
the sovereignty module's criteria and the level questions it reads."""
MODULE_QUESTIONS: dict[str, dict[str, str]] = {
    # scoring/rules/legal.py (SecNumCloud 3.2 §19.6 tests and the control chain)
    "legal": {"legal.hq_country": "country", "legal.parent_country": "country",
              "legal.non_eu_share_individual": "percent",
              "legal.non_eu_share_collective": "percent", "legal.non_eu_veto_or_board": "bool",
              "legal.non_eu_third_party_access": "bool", "legal.data_location": "enum",
              "legal.non_eu_admin_access": "bool"},
    # scoring/rules/sovereignty.py: the SEAL levels, and the facts levels are derived from
    "sovereignty": {**{q: "level" for _, q, _ in SEAL_OBJECTIVES},
                    "legal.hq_country": "country", "legal.data_location": "enum",
                    "legal.non_eu_admin_access": "bool"},
    "cost": {},
}
"""The questions each computed module reads, with the type each must have: a catalogue that
uses the module must ask them (``scoring.io.catalogue_rules``)."""
AnswerType = Literal["bool", "enum", "number", "percent", "level", "date", "country", "text",
                     "grade"]
Confidence = Literal["confirmed", "recalled", "conflicting", "secondary", "unknown"]
CONFIDENCES: tuple[str, ...] = ("confirmed", "recalled", "conflicting", "secondary", "unknown")
Detail = Literal["since", "until", "version", "scope"]


class Frozen(BaseModel):
    """The one pydantic base of Hostwise: immutable, and strict about unknown fields."""

    # defer_build: a model's validator is built on first use, so a command that never reads a
    # committee record or a method's settings does not pay for building them at import.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
