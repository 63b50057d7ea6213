"""The question catalogue: one source of truth for what a tender asks (``data/questions.yaml``).

The YAML questionnaires, the Excel template and the scoring rules all read this catalogue, so a
question is defined once (design.md, "Question catalogue").
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from .errors import CatalogueError, Problem, validation_problems
from .models import Catalogue, Question
from .yamlsafe import YamlReadError, load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_CATALOGUE = DATA_DIR / "questions.yaml"


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
    return cat.model_copy(update={"sha256": hashlib.sha256(data).hexdigest()})


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


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime_ns: int) -> Catalogue:
    return parse_catalogue(Path(path).read_bytes(), Path(path).name)


def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load the catalogue (the bundled one by default); cached per file version."""
    p = Path(path) if path is not None else DEFAULT_CATALOGUE
    return _load_cached(str(p), p.stat().st_mtime_ns)
