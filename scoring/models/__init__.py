"""Explicit data models shared by every part of Hostwise (pydantic v2, frozen, extra="forbid").

Why frozen: a loaded offer is evidence. Nothing downstream (scoring, allocation, the app) may
change it in place; a "what if" is a new object. Why ``extra="forbid"``: a misspelt field in a
questionnaire must be an error, not silently ignored data.

One module a part: ``base`` (the shared vocabulary and ``Frozen``), ``catalogue`` (what a
tender asks), ``dates`` (dates as precise as their source), ``offer`` (what a bidder answers,
with its evidence). Import the models from here, ``scoring.models``: one road for every caller.
"""

from __future__ import annotations

from .base import (
    CONFIDENCES,
    MODULE_QUESTIONS,
    MODULES,
    PILLARS,
    SEAL_OBJECTIVES,
    AnswerType,
    Confidence,
    Count,
    Detail,
    Frozen,
    Module,
    Number,
)
from .catalogue import (
    Catalogue,
    CertificationRules,
    Gate,
    GradeLevel,
    PillarDef,
    PriceItem,
    Question,
    Scale,
)
from .dates import PartialDate, show_date
from .offer import Answer, LoadedSet, Offer, Price, Source

__all__ = [
    "CONFIDENCES", "MODULES", "MODULE_QUESTIONS", "PILLARS", "SEAL_OBJECTIVES", "Answer",
    "AnswerType", "Catalogue", "CertificationRules", "Confidence", "Count", "Detail", "Frozen",
    "Gate", "GradeLevel", "LoadedSet", "Module", "Number", "Offer", "PartialDate", "PillarDef",
    "Price", "PriceItem", "Question", "Scale", "Source", "show_date",
]
