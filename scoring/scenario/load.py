"""Reading a scenario: bytes or a file (with its ``extends`` chain) into a checked
:class:`~scoring.scenario.model.Scenario`. Pydantic checks each field; ``rules`` then checks what
one field cannot see alone (weights against the catalogue's pillars, gates against their kind);
every problem is located and all are raised at once."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError, validated
from ..io.catalogue_rules import CATALOGUE_ID
from ..io.files import read_input
from ..io.yamlsafe import YamlReadError, load_yaml
from .model import MAX_SCENARIO_BYTES, Scenario
from .rules import rule_problems


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
    return validated(Scenario, doc, file, ScenarioError, rule_problems)


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
    base's offers (and the bundled scenarios, in one folder, keep their paths and hashes). The
    same for a catalogue or grades file named by path (a bundled catalogue id stays as is)."""
    doc = dict(doc)
    for key in ("catalogue", "grades"):
        x = doc.get(key)
        if isinstance(x, str) and not os.path.isabs(x) and (
                key == "grades" or not CATALOGUE_ID.fullmatch(x) or "." in x):
            doc[key] = os.path.relpath(os.path.normpath(declared_in / x), used_in).replace(
                os.sep, "/")
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
