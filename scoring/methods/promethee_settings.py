"""PROMETHEE's parameters as a scenario writes them (Brans & Vincke 1985; Brans & Mareschal 2005):
one generalised criterion per leaf (the six preference function kinds and their thresholds q,
p, s, each kind taking exactly the thresholds it uses) and the settings that give each leaf its
function (most specific id first, else the default). Validated before any flow is computed, so
a threshold that would be ignored is an error, not a silent default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..errors import InputError

__all__ = ["USUAL", "CriterionFunction", "PreferenceKind", "PrometheeSettings"]

PreferenceKind = Literal["usual", "u_shape", "v_shape", "level", "linear", "gaussian"]

#: Thresholds each kind needs; any other threshold given is an error (it would be ignored).
_NEEDS: Mapping[str, tuple[str, ...]] = {
    "usual": (),
    "u_shape": ("q",),
    "v_shape": ("p",),
    "level": ("q", "p"),
    "linear": ("q", "p"),
    "gaussian": ("s",),
}
_MEANING = {
    "q": "indifference threshold: the largest gap that counts as no difference",
    "p": "preference threshold: the smallest gap that counts as full preference",
    "s": "Gaussian inflexion point, between q and p",
}


class CriterionFunction(BaseModel):
    """One generalised criterion: a preference function kind and its thresholds.

    ``q`` and ``p`` are non-negative with ``q ≤ p``; ``s`` is positive; each kind takes exactly
    the thresholds in the module table, so a threshold that would be silently ignored is refused.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)

    kind: PreferenceKind = "usual"
    q: float | None = Field(default=None, ge=0)
    p: float | None = Field(default=None, ge=0)
    s: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _thresholds_fit_kind(self) -> CriterionFunction:
        needed = _NEEDS[self.kind]
        problems = []
        for name in ("q", "p", "s"):
            given = getattr(self, name) is not None
            if name in needed and not given:
                problems.append(f"a {self.kind} criterion needs {name} ({_MEANING[name]})")
            elif given and name not in needed:
                problems.append(f"{name} is not used by a {self.kind} criterion; remove it")
        if self.q is not None and self.p is not None and self.q > self.p:
            problems.append(f"q ({self.q:g}) must not exceed p ({self.p:g})")
        if self.kind == "v_shape" and self.p == 0:
            problems.append("p must be positive for a v_shape criterion (p = 0 is 'usual')")
        if problems:
            raise ValueError("; ".join(problems))
        return self


USUAL = CriterionFunction()

LeafKeys = Sequence[str | Sequence[str]]


class PrometheeSettings(BaseModel):
    """PROMETHEE parameters of a scenario: one function by default, overrides by id.

    ``criteria`` maps a leaf id (question id) or a criterion id to its function. For each
    scored leaf, the most specific id that appears wins (question before criterion before
    pillar, in the order the engine lists a leaf's ids); otherwise ``default`` applies.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    default: CriterionFunction = USUAL
    criteria: dict[str, CriterionFunction] = Field(default_factory=dict)

    def unknown_ids(self, leaf_keys: LeafKeys) -> list[str]:
        """Ids in ``criteria`` that name no leaf (typos), sorted; empty when all are used."""
        known = {k for keys in leaf_keys for k in _ids(keys)}
        return sorted(set(self.criteria) - known)

    def functions_for(self, leaf_keys: LeafKeys) -> tuple[CriterionFunction, ...]:
        """The function of each leaf, in leaf order; ``InputError`` naming every unknown id."""
        unknown = self.unknown_ids(leaf_keys)
        if unknown:
            raise InputError(
                f"promethee.criteria names {', '.join(map(repr, unknown))}, which match no "
                "scored question or criterion"
            )
        return tuple(
            next((self.criteria[k] for k in _ids(keys) if k in self.criteria), self.default)
            for keys in leaf_keys
        )


def _ids(keys: str | Sequence[str]) -> tuple[str, ...]:
    return (keys,) if isinstance(keys, str) else tuple(keys)
