"""The question catalogue: one source of truth for what a tender asks (``data/questions.yaml``).

The YAML questionnaires, the Excel template and the scoring rules all read this catalogue, so a
question is defined once (design.md, "Question catalogue").
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

from pydantic import ValidationError

from ..bundled import DATA_DIR
from ..errors import CatalogueError, Problem, validation_problems
from ..models import Catalogue, Question
from .files import InputFileError, canonical_sha256, read_input
from .yamlsafe import YamlReadError, load_yaml

DEFAULT_CATALOGUE = DATA_DIR / "questions.yaml"
MAX_CATALOGUE_BYTES = 1_048_576
_cache: OrderedDict[str, Catalogue] = OrderedDict()  # content hash -> catalogue (bounded)


def parse_catalogue(data: bytes, name: str = "questions.yaml") -> Catalogue:
    """Parse and check a catalogue; raise ``CatalogueError`` listing every problem."""
    try:
        doc = load_yaml(data)
    except YamlReadError as exc:
        raise CatalogueError([Problem(name, "", loc, msg) for loc, msg in exc.problems]) from None
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise CatalogueError([Problem(name, "", "", "the catalogue must be a mapping")])
    try:
        cat = Catalogue.model_validate(doc)
    except ValidationError as exc:
        raise CatalogueError(validation_problems(exc, name)) from None
    seen: set[str] = set()
    for q in cat.questions:
        problems.extend(Problem(name, "", q.id, m) for m in _question_problems(q))
        if q.id in seen:
            problems.append(Problem(name, "", q.id, "duplicate question id"))
        seen.add(q.id)
    if problems:
        raise CatalogueError(problems)
    return cat.model_copy(update={"sha256": canonical_sha256(data)})


def _question_problems(q: Question) -> list[str]:
    out: list[str] = []
    if q.type == "enum" and not q.options:
        out.append("an enum question needs options")
    if q.type in ("number", "percent") and q.scale and q.scale.worst == q.scale.best:
        out.append("scale.worst and scale.best must differ")
    if q.type == "number" and (q.min is None or q.max is None):
        out.append("a number question needs min and max")
    if q.dated and "since" not in q.details:
        out.append("a dated question must allow the 'since' detail")
    return out


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load the catalogue (the bundled one by default), cached by content hash.

    The file is read each call (a few KiB, size-checked by ``read_input``) and parsed only when
    its content is new: an edit within the same second is seen, which a cache keyed on the
    modification time would miss.
    """
    p = Path(path) if path is not None else DEFAULT_CATALOGUE
    try:
        data = read_input(p, MAX_CATALOGUE_BYTES)
    except InputFileError as exc:
        raise CatalogueError([Problem(str(p), "", "file", str(exc.strerror))]) from None
    key = canonical_sha256(data)
    cat = _cache.get(key)
    if cat is None:
        cat = parse_catalogue(data, p.name)
        _cache[key] = cat
        while len(_cache) > 8:
            _cache.popitem(last=False)
    return cat
