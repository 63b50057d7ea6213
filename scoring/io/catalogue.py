"""The tender catalogue: one source of truth for what a tender asks (docs/catalogue.md).

A scenario names its catalogue (``catalogue: hdh`` = ``data/catalogues/hdh/catalogue.yaml``, or
a path relative to the scenario); the questionnaires, the Excel template and the scoring rules
all read the scenario's catalogue, so a question is defined once (design.md, "Question
catalogue"). A version-1 file (the ``hdh`` catalogue, kept byte for byte because its bytes are
hashed into every HDH result) is read with its declarations implied.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..bundled import DATA_DIR
from ..errors import CatalogueError, Problem, validated
from ..models import MODULES, Catalogue
from .catalogue_rules import CATALOGUE_ID, catalogue_problems
from .files import InputFileError, canonical_sha256, read_input
from .yamlsafe import YamlReadError, load_yaml

CATALOGUES_DIR = DATA_DIR / "catalogues"
DEFAULT_CATALOGUE_ID = "hdh"
DEFAULT_CATALOGUE = CATALOGUES_DIR / DEFAULT_CATALOGUE_ID / "catalogue.yaml"
MAX_CATALOGUE_BYTES = 4_194_304  # a 400-question tender with long texts fits with room
_cache: OrderedDict[str, Catalogue] = OrderedDict()  # content hash:id -> catalogue (bounded)


def parse_catalogue(data: bytes, name: str = "catalogue.yaml", default_id: str = "") -> Catalogue:
    """Parse and check a catalogue; raise ``CatalogueError`` listing every problem.

    ``default_id`` names a version-1 catalogue (its folder name): version 1 has no ``id``."""
    try:
        doc = load_yaml(data)
    except YamlReadError as exc:
        raise CatalogueError([Problem(name, "", loc, msg) for loc, msg in exc.problems]) from None
    if not isinstance(doc, dict):
        raise CatalogueError([Problem(name, "", "", "the catalogue must be a mapping")])
    doc, problems = _declared(doc, name, default_id)
    if problems:
        raise CatalogueError(problems)
    cat = validated(Catalogue, doc, name, CatalogueError, catalogue_problems)
    return cat.model_copy(update={"sha256": canonical_sha256(data)})


_V2_KEYS = ("id", "title", "modules")


def _declared(doc: dict[str, Any], name: str, default_id: str
              ) -> tuple[dict[str, Any], list[Problem]]:
    """The document in the version-2 form: a version-1 file's implied declarations filled in
    (docs/catalogue.md, "Version 1"); a version-2 file's required declarations checked."""
    version = doc.get("version")
    if version not in (1, 2) or isinstance(version, bool):
        return doc, [Problem(name, "", "version", f"{version!r}: format version 1 or 2")]
    pillars = doc.get("pillars")
    if not isinstance(pillars, dict):
        return doc, [Problem(name, "", "pillars", "a mapping of pillar id -> pillar")]
    if version == 2:
        missing = [k for k in _V2_KEYS if k not in doc]
        bad = [p for p, v in pillars.items() if not isinstance(v, dict)]
        return doc, ([Problem(name, "", k, f"a version-2 catalogue declares its {k}")
                      for k in missing]
                     + [Problem(name, "", f"pillars.{p}", "a pillar is {label, criteria} in "
                                "version 2") for p in bad])
    extra = [k for k in _V2_KEYS if k in doc]
    bad = [p for p, v in pillars.items() if not isinstance(v, str)]
    if extra or bad or "certifications" not in doc:
        return doc, ([Problem(name, "", k, "a version-2 key: write version: 2") for k in extra]
                     + [Problem(name, "", f"pillars.{p}", "a pillar is its label (text) in "
                                "version 1") for p in bad]
                     + ([] if "certifications" in doc else
                        [Problem(name, "", "certifications", "a version-1 catalogue declares "
                                 "its certification rules")]))
    crit: dict[str, dict[str, str]] = {p: {} for p in pillars}
    for q in doc.get("questions") or []:
        if isinstance(q, dict) and q.get("pillar") in crit and q.get("pillar") not in MODULES:
            c = q.get("criterion")
            if isinstance(c, str):
                crit[q["pillar"]].setdefault(c, c)
    cid = default_id if CATALOGUE_ID.fullmatch(default_id) else "catalogue"
    return {**doc, "id": cid, "title": f"Question catalogue {cid}",
            "modules": [m for m in MODULES if m in pillars],
            "pillars": {p: {"label": v, "criteria": crit[p]} for p, v in pillars.items()}}, []


def catalogue_path(ref: str, base: Path | None = None) -> Path:
    """Where a scenario's ``catalogue:`` points: a bundled id (``hdh``) names
    ``data/catalogues/<id>/catalogue.yaml``; anything else is a path relative to ``base`` (the
    scenario's folder). Raises ``CatalogueError`` for a relative path with no folder to resolve
    it against (a committee tender stores its scenario without one): without a folder only a
    bundled id is accepted, so a scenario stored in a database or uploaded to the app can never
    make the server read a file of its choosing."""
    if CATALOGUE_ID.fullmatch(ref) and "." not in ref:
        return CATALOGUES_DIR / ref / "catalogue.yaml"
    if base is None:
        raise CatalogueError([Problem("<scenario>", "", "catalogue", f"{ref!r}: a path needs "
                                      "the scenario's folder; name a bundled catalogue id "
                                      "instead")])
    return base / Path(ref)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load the catalogue (the bundled one by default), cached by content hash.

    The file is read each call (a few KiB, size-checked by ``read_input``) and parsed only when
    its content is new: an edit within the same second is seen, which a cache keyed on the
    modification time would miss.
    """
    p = Path(path) if path is not None else DEFAULT_CATALOGUE
    if path is not None and not p.suffix and str(path) == p.name:  # a bundled id
        p = catalogue_path(str(path))
    try:
        data = read_input(p, MAX_CATALOGUE_BYTES)
    except InputFileError as exc:
        raise CatalogueError([Problem(str(p), "", "file", str(exc.strerror))]) from None
    default_id = p.parent.name if p.name == "catalogue.yaml" else p.stem
    key = f"{canonical_sha256(data)}:{default_id}"
    cat = _cache.get(key)
    if cat is None:
        cat = parse_catalogue(data, str(p) if path is not None else p.name, default_id)
        _cache[key] = cat
        while len(_cache) > 8:
            _cache.popitem(last=False)
    return cat
