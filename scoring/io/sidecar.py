"""What every translation sidecar shares (a catalogue's ``catalogue.<lang>.yaml``, a scenario's
``text/<name>.<lang>.yaml``): a bounded YAML mapping naming a language other than English, with
known top-level keys, its problems located and collected, never the first one only. One reader,
so both sidecars refuse the same things in the same words (docs/translation.md)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..errors import HostwiseError, Problem
from ..i18n import DEFAULT, LANGUAGES
from .yamlsafe import YamlReadError, load_yaml


def read_sidecar(data: bytes, name: str, what: str, top: Sequence[str], limit: int,
                 error: Callable[[list[Problem]], HostwiseError]
                 ) -> tuple[dict[str, Any], list[Problem]]:
    """The sidecar's mapping and the problems found so far (its ``lang``, unknown keys), for the
    caller to add its own and raise ``error`` with all of them. A file that is no YAML mapping
    raises at once: nothing else can be read from it. ``limit``: the file's size bound."""
    try:
        doc = load_yaml(data, limit)
    except YamlReadError as exc:
        raise error([Problem(name, "", loc, msg) for loc, msg in exc.problems]) from None
    if not isinstance(doc, dict):
        raise error([Problem(name, "", "", f"a {what} text file is a mapping")])
    problems: list[Problem] = []
    lang = doc.get("lang")
    if lang not in LANGUAGES or lang == DEFAULT:
        problems.append(Problem(name, "", "lang", f"{lang!r}: one of "
                                f"{', '.join(x for x in LANGUAGES if x != DEFAULT)}"))
    for k in doc:
        if k not in top:
            problems.append(Problem(name, "", str(k), f"unknown key (known: {', '.join(top)})"))
    return doc, problems
