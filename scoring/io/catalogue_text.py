"""A catalogue's texts in another language: the sidecar ``catalogue.<lang>.yaml`` beside
``catalogue.yaml`` (docs/catalogue.md, "Catalogue text in other languages").

Why a sidecar and not translated fields in the catalogue: the catalogue's bytes are hashed into
every result (the ``hdh`` file byte for byte since the first published replay), and a wording is
not a rule. A translation is display only: it names the same ids, changes no number and no hash,
and a missing or broken sidecar falls back to the catalogue's own (English) words.

One function answers every "what do we show for this item" question, for the questionnaire
template and the app alike: ``label(cat, kind, *key, lang=...)``. The sidecar is checked when
read: every id it names must exist in the catalogue it translates (a translation of a question
that no longer exists is a stale text someone would trust), every text non-empty and free of
control or bidi characters (Trojan Source, CVE-2021-42574). ``missing_texts`` lists the items a
sidecar leaves untranslated (a test requires none for the bundled catalogues).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import CatalogueError, Problem
from ..i18n import DEFAULT, LANGUAGES, language
from ..models import MODULES, Catalogue
from .files import InputFileError, read_input
from .sidecar import read_sidecar
from .text import TextRules, text_problems

Kind = Literal["title", "pillar", "criterion", "question", "grid", "option", "price_item", "gate"]
KINDS: tuple[Kind, ...] = ("title", "pillar", "criterion", "question", "grid", "option",
                           "price_item", "gate")
MAX_TEXT_BYTES = 4_194_304  # as a catalogue
_RULES = TextRules(allow_newlines=False, max_len=4_000)
_TOP = ("lang", "title", "pillars", "questions", "price_items", "gates")


@dataclass(frozen=True)
class CatalogueText:
    """The texts of one catalogue in one language, keyed as ``label`` asks for them."""

    lang: str
    texts: dict[tuple[Any, ...], str] = field(default_factory=dict)  # (kind, *key) -> text


def sidecar_path(catalogue_file: Path, lang: str) -> Path:
    """``.../catalogue.yaml`` -> ``.../catalogue.fr.yaml``."""
    return catalogue_file.with_name(f"{catalogue_file.stem}.{lang}{catalogue_file.suffix}")


def _items(cat: Catalogue) -> Iterator[tuple[Any, ...]]:
    """Every translatable item of the catalogue, as (kind, *key)."""
    yield ("title",)
    for pid, p in cat.pillars.items():
        yield ("pillar", pid)
        if pid not in MODULES:
            for cid in p.criteria:
                yield ("criterion", pid, cid)
    for q in cat.questions:
        yield ("question", q.id)
        for level in q.grid or {}:
            yield ("grid", q.id, level)
        for opt in q.options or {}:
            yield ("option", q.id, opt)
    for item in cat.price_items:
        yield ("price_item", item)
    for g in cat.gates:
        yield ("gate", g.id)


def _english(cat: Catalogue, key: tuple[Any, ...]) -> str:
    """The catalogue's own words for an item (the ids where it has none: options, and the
    criteria of a version-1 catalogue, which are labelled by their ids)."""
    kind = key[0]
    if kind == "title":
        return cat.title
    if kind == "pillar":
        return cat.pillars[key[1]].label
    if kind == "criterion":
        return cat.pillars[key[1]].criteria[key[2]]
    if kind == "question":
        return cat.question(key[1]).help
    if kind == "grid":
        grid = cat.question(key[1]).grid or {}
        return grid[key[2]].descriptor
    if kind == "option":
        return str(key[2])
    if kind == "price_item":
        return cat.price_items[key[1]].help
    gate = cat.gate(key[1])
    return (gate.label or gate.id) if gate is not None else str(key[1])


def parse_catalogue_text(data: bytes, cat: Catalogue, name: str = "catalogue.fr.yaml"
                         ) -> CatalogueText:
    """Read and check a sidecar against ``cat``; raise ``CatalogueError`` with every problem."""
    doc, problems = read_sidecar(data, name, "catalogue", _TOP, MAX_TEXT_BYTES,
                                 CatalogueError)

    def bad(where: str, message: str) -> None:
        problems.append(Problem(name, "", where, message))

    lang = doc.get("lang")
    known = set(_items(cat))
    texts: dict[tuple[Any, ...], str] = {}

    def put(key: tuple[Any, ...], value: Any, where: str) -> None:
        if key not in known:
            bad(where, f"no such item in the catalogue {cat.id}")
        elif not isinstance(value, str) or not value.strip():
            bad(where, "expected a non-empty text")
        else:
            msgs = text_problems(value, _RULES)
            for m in msgs:
                bad(where, m)
            if not msgs:
                texts[key] = " ".join(value.split())

    if "title" in doc:
        put(("title",), doc["title"], "title")
    for pid, p in _mapping(doc, "pillars", bad).items():
        if not isinstance(p, dict):
            bad(f"pillars.{pid}", "expected {label, criteria}")
            continue
        put(("pillar", pid), p.get("label"), f"pillars.{pid}.label")
        for cid, text in _mapping(p, "criteria", bad, f"pillars.{pid}.").items():
            put(("criterion", pid, cid), text, f"pillars.{pid}.criteria.{cid}")
        for k in p:
            if k not in ("label", "criteria"):
                bad(f"pillars.{pid}.{k}", "unknown key (known: label, criteria)")
    for qid, q in _mapping(doc, "questions", bad).items():
        if not isinstance(q, dict):
            bad(f"questions.{qid}", "expected {help, grid, options}")
            continue
        if ("question", qid) not in known:
            bad(f"questions.{qid}", f"no such question in the catalogue {cat.id}")
            continue
        if "help" in q:
            put(("question", qid), q["help"], f"questions.{qid}.help")
        for level, text in _mapping(q, "grid", bad, f"questions.{qid}.").items():
            put(("grid", qid, level), text, f"questions.{qid}.grid.{level}")
        for opt, text in _mapping(q, "options", bad, f"questions.{qid}.").items():
            put(("option", qid, opt), text, f"questions.{qid}.options.{opt}")
        for k in q:
            if k not in ("help", "grid", "options"):
                bad(f"questions.{qid}.{k}", "unknown key (known: help, grid, options)")
    for item, text in _mapping(doc, "price_items", bad).items():
        put(("price_item", item), text, f"price_items.{item}")
    for gid, text in _mapping(doc, "gates", bad).items():
        put(("gate", gid), text, f"gates.{gid}")
    if problems:
        raise CatalogueError(problems)
    return CatalogueText(str(lang), texts)


def _mapping(doc: dict[str, Any], key: str, bad: Any, prefix: str = "") -> dict[Any, Any]:
    value = doc.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        bad(f"{prefix}{key}", "expected a mapping")
        return {}
    return value


def missing_texts(cat: Catalogue, text: CatalogueText) -> list[tuple[Any, ...]]:
    """The catalogue's items the sidecar does not translate (an option or a version-1
    criterion shown by its id counts: a reader would see an English word)."""
    return [k for k in _items(cat) if k not in text.texts]


def sidecars(catalogue_file: Path, cat: Catalogue) -> list[CatalogueText]:
    """Every sidecar beside a catalogue file, read and checked against it; raises
    ``CatalogueError`` with the problems of all of them (``hostwise catalogue validate``)."""
    out: list[CatalogueText] = []
    problems: list[Problem] = []
    for lang in LANGUAGES:
        side = sidecar_path(catalogue_file, lang)
        if lang == DEFAULT or not side.is_file():
            continue
        try:
            out.append(parse_catalogue_text(read_input(side, MAX_TEXT_BYTES), cat, str(side)))
        except InputFileError as exc:
            problems.append(Problem(str(side), "", "file", str(exc.strerror)))
        except CatalogueError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogueError(problems)
    return out


_bundled: dict[tuple[str, str, str], CatalogueText | None] = {}


def bundled_text(cat: Catalogue, lang: str) -> CatalogueText | None:
    """The sidecar of a bundled catalogue, when ``cat`` is that catalogue byte for byte (an
    edited copy under the same id keeps its own words: a translation of other text would
    mislead). None when there is none; cached per catalogue hash and language."""
    key = (cat.id, cat.sha256, lang)
    if key in _bundled:
        return _bundled[key]
    from .catalogue import CATALOGUES_DIR, load_catalogue

    path = CATALOGUES_DIR / cat.id / "catalogue.yaml"
    found: CatalogueText | None = None
    side = sidecar_path(path, lang)
    if path.is_file() and side.is_file() and load_catalogue(path).sha256 == cat.sha256:
        try:
            found = parse_catalogue_text(read_input(side, MAX_TEXT_BYTES), cat, str(side))
        except (CatalogueError, InputFileError):
            found = None  # checked by `hostwise catalogue validate` and the tests, not here
    _bundled[key] = found
    return found


def label(cat: Catalogue, kind: Kind, *key: Any, lang: str | None = None) -> str:
    """The words shown for a catalogue item in ``lang`` (default: the run's language): the
    sidecar's text when it has one, else the catalogue's own.

    ``kind`` and ``key``: ``("title",)``, ``("pillar", pid)``, ``("criterion", pid, cid)``,
    ``("question", qid)`` (its ``help``), ``("grid", qid, level)``, ``("option", qid, opt)``,
    ``("price_item", item)``, ``("gate", gid)``."""
    full = (kind, *key)
    code = lang or language()
    if code != DEFAULT:
        text = bundled_text(cat, code)
        if text is not None and full in text.texts:
            return text.texts[full]
    try:
        return _english(cat, full)
    except (KeyError, IndexError):
        return " ".join(str(k) for k in key)


__all__ = ["KINDS", "CatalogueText", "Kind", "bundled_text", "label", "missing_texts",
           "parse_catalogue_text", "sidecar_path", "sidecars"]
