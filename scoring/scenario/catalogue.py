"""A scenario's catalogue: the one road from a scenario to the tender catalogue it names, and
the gates it borrows from that catalogue (docs/catalogue.md, "Gates").

Why one road: every reader of a scenario (the engine, the award, the robustness analyses, the
CLI, the committee, the app) must score against the same catalogue. A reader that loaded the
default catalogue on its own would silently score another tender's offers against the HDH
questions; here the catalogue is always the scenario's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError
from ..io.catalogue import catalogue_path, load_catalogue
from ..models import Catalogue, Gate
from .model import Scenario


def scenario_catalogue(sc: Scenario, base: Path | None = None) -> Catalogue:
    """The catalogue the scenario names (``base``: the scenario file's folder, against which a
    relative catalogue path resolves)."""
    return load_catalogue(catalogue_path(sc.catalogue, base))


def resolve_gates(sc: Scenario, cat: Catalogue, file: str = "<scenario>") -> Scenario:
    """The scenario with each reference to a catalogue gate replaced by that gate: an entry
    giving only an ``id`` takes the catalogue's gate; with other fields it overrides them (a
    ``kind`` written must match). A scenario without references is returned as is (its hash
    unchanged)."""
    if not any(g.kind is None or cat.gate(g.id) is not None for g in sc.gates):
        return sc
    out: list[Gate] = []
    problems: list[Problem] = []
    for i, g in enumerate(sc.gates):
        base = cat.gate(g.id)
        if base is None:
            if g.kind is None:
                problems.append(Problem(file, "", f"gates.{g.id or i}", f"no gate {g.id!r} in "
                                        f"the catalogue {cat.id} (it defines: "
                                        f"{', '.join(x.id for x in cat.gates) or 'none'}); "
                                        "a gate of its own needs a kind"))
            out.append(g)
            continue
        if g.kind is not None and g.kind != base.kind:
            problems.append(Problem(file, "", f"gates.{g.id}.kind", f"{g.kind}: the catalogue's "
                                    f"gate {g.id} is a {base.kind} gate"))
        given: dict[str, Any] = {k: v for k, v in g.model_dump(exclude_defaults=True).items()
                                 if v is not None}
        out.append(Gate.model_validate({**base.model_dump(exclude_defaults=True), **given}))
    if problems:
        raise ScenarioError(problems)
    return sc.model_copy(update={"gates": out})
