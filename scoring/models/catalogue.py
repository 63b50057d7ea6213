"""The question catalogue as data: questions and their scales or grids, the gates, the pillars
and their criteria, the certification rules (``data/catalogues/<id>/catalogue.yaml``,
docs/catalogue.md). What a tender asks, before any offer answers it."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Literal

from pydantic import Field, model_validator

from .base import AnswerType, Count, Detail, Frozen, Module, Number


class Scale(Frozen):
    """Linear utility for numbers: ``worst`` maps to 0, ``best`` to 100, clipped in between."""

    worst: float
    best: float


class GradeLevel(Frozen):
    """One level of a grade question's grid: what evaluators score against, and optionally the
    level's own 0-100 utility (docs/catalogue.md, "grade")."""

    descriptor: str
    utility: Number | None = None


def _grid(v: Any) -> Any:
    """A grid written ``{0: absent, ...}``: the short form of ``{0: {descriptor: absent}}``.
    Levels must be integers written as integers (``true`` or ``1.5`` are refused, not coerced)."""
    if not isinstance(v, dict):
        return v
    out: dict[Any, Any] = {}
    for k, d in v.items():
        level = k
        if isinstance(k, str) and re.fullmatch(r"-?[0-9]{1,6}", k.strip()):
            level = int(k)  # a JSON round trip (the committee store) writes keys as text
        if isinstance(level, bool) or not isinstance(level, int):
            raise ValueError(f"grid level {k!r} is not an integer")
        out[level] = {"descriptor": d} if isinstance(d, str) else d
    return out


class Question(Frozen):
    """One question of the catalogue (``data/catalogues/<id>/catalogue.yaml``)."""

    id: str
    pillar: str
    criterion: str
    type: AnswerType
    required: bool = False
    help: str
    requirement: str
    options: dict[str, float | None] | None = None
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    scale: Scale | None = None
    grid: dict[int, GradeLevel] | None = None  # grade: level -> descriptor (and utility)
    dated: bool = False
    details: tuple[Detail, ...] = ()
    applies_from: dt.date | None = None  # before it, the question could not be asked
    applies_until: dt.date | None = None  # from it, the question no longer applies
    applies_source: str | None = None  # the publication that dates the window

    @model_validator(mode="before")
    @classmethod
    def _short_grid(cls, data: Any) -> Any:
        if isinstance(data, dict) and "grid" in data:
            data = {**data, "grid": _grid(data["grid"])}
        return data

    def grade_utility(self, level: int) -> float | None:
        """0-100 utility of a grid level: the grid's own utility when it gives them, else linear
        over the grid's range (lowest level 0, highest 100); None for a level not on the grid."""
        grid = self.grid or {}
        if level not in grid:
            return None
        g = grid[level]
        if g.utility is not None:
            return float(g.utility)
        lo, hi = min(grid), max(grid)
        return 100.0 * (level - lo) / (hi - lo) if hi > lo else None

    def applies_on(self, on: dt.date) -> bool:
        """Whether the question can be asked at an evaluation date (its validity window)."""
        return (self.applies_from is None or on >= self.applies_from) and (
            self.applies_until is None or on < self.applies_until)

    @property
    def scored(self) -> bool:
        """True when an answer maps to a 0-100 utility through the catalogue's rule."""
        if self.type in ("bool", "level"):
            return True
        if self.type == "grade":
            return len(self.grid or {}) >= 2
        if self.type == "enum":
            return any(v is not None for v in (self.options or {}).values())
        if self.type in ("number", "percent"):
            return self.scale is not None
        return False


class PriceItem(Frozen):
    unit: str
    help: str


class CertificationRules(Frozen):
    """Dated rules of the certification schemes, as data (read by ``scoring.rules.certifications``).

    They are regulatory facts, not procurement choices, so they live in the catalogue beside the
    questions they govern; a scenario's HDS gate may still demand v2 earlier
    (``Gate.require_v2_after``).
    """

    hds_v1_valid_until: dt.date  # HDS v1 certificates stop counting on this date
    hds_source: str
    secnumcloud_validity_years: int = Field(ge=1, le=10)
    secnumcloud_v32_published: dt.date  # from then on a qualification assessed §19.6
    secnumcloud_source: str


class Gate(Frozen):
    """A pass/fail rule applied before scoring (EU Directive 2014/24 art. 67; CJEU C-546/16
    Montte: minimum quality thresholds may eliminate tenders). Defined here, beside the
    catalogue that may offer gates by id; ``scoring.rules.gates`` checks them. A scenario gate
    without ``kind`` refers to the catalogue's gate of that id (docs/catalogue.md, "Gates")."""

    id: str
    kind: Literal["hds", "immunity", "min_seal", "min_pillar", "costable", "answer"] | None = None
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


class PillarDef(Frozen):
    """A pillar of the criteria tree: its label and its criteria (id -> label). A module
    pillar (cost, legal, sovereignty) has its criteria fixed by the module and writes none."""

    label: str
    criteria: dict[str, str] = Field(default_factory=dict)


class Catalogue(Frozen):
    """One tender's catalogue (docs/catalogue.md): the criteria tree, the questions, the
    modules it uses, its price items and gates. ``pillars`` is held in the version-2 form
    whatever the file's version (``scoring.io.catalogue`` fills a version-1 file's implied
    declarations)."""

    version: int
    id: str = ""
    title: str = ""
    modules: tuple[Module, ...] = ()
    pillars: dict[str, PillarDef]
    certifications: CertificationRules | None = None
    questions: tuple[Question, ...]
    price_items: dict[str, PriceItem] = Field(default_factory=dict)
    gates: tuple[Gate, ...] = ()
    sha256: str = ""

    def question(self, qid: str) -> Question:
        return self._by_id[qid]

    @functools.cached_property
    def _by_id(self) -> dict[str, Question]:
        """Question id -> question (a 400-question tender looks ids up per offer and leaf)."""
        return {q.id: q for q in self.questions}

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @property
    def pillar_ids(self) -> tuple[str, ...]:
        """The pillars in the catalogue's order (the display order everywhere)."""
        return tuple(self.pillars)

    def uses(self, module: str) -> bool:
        return module in self.modules

    def criteria(self, pillar: str) -> dict[str, str]:
        """Criterion id -> label of an ordinary pillar (empty for a module pillar)."""
        p = self.pillars.get(pillar)
        return dict(p.criteria) if p is not None else {}

    def gate(self, gid: str) -> Gate | None:
        return next((g for g in self.gates if g.id == gid), None)

    @property
    def rules(self) -> CertificationRules:
        """The certification rules; only reached by a catalogue that declares them (the
        validation demands them wherever a module, question or gate reads them)."""
        if self.certifications is None:
            raise KeyError("certifications")
        return self.certifications
