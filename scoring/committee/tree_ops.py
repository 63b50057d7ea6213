"""The edit operations on the shape of a draft's catalogue (``authoring``), beside the
criterion and question operations of ``draft_ops``: pillars (add, remove), an enum question's
options, a number question's domain and scoring direction, the computed modules used and the
price items. Same contract: each returns a change that edits the catalogue document, the
scenario and the evaluators' list in place; ``authoring.edit`` applies it under the draft's
version (refused once published: ``require_state``) and audits it, ``authoring.preview`` checks
it on copies before saving.

What an operation takes with it is decided here, once (docs/catalogue.md, "Authoring in the
browser"):
* a pillar is removed with its criteria, questions and weight only when the caller confirms it
  (``with_content``): the editor asks, the service refuses otherwise, so no click deletes a
  branch of the published criteria (Directive 2014/24 art. 67(5)) by accident; the catalogue's
  ``min_pillar`` gates on it go with it;
* a module turned on brings its pillar, the questions it reads (the wording of the bundled
  ``hdh`` catalogue, which cites the public frameworks: SecNumCloud 3.2 §19.6, the EU Cloud
  Sovereignty Framework) and the dated certification rules when the catalogue has none; turned
  off, it takes its pillar, its weight, the questions under that pillar no other module reads
  (a question another module still reads moves to that module's pillar), for ``cost`` the
  price items, and the catalogue's gates of the kind that needs it (``costable``, ``min_seal``)
  with the scenario's entries applying them: a gate left behind could never be evaluated and no
  other edit could remove it. The editor lists all of it before it is saved (``tree_diff``);
* the answers a module reads are its own format (``legal.data_location``'s options are the
  legal rules' ``fr``/``eu``/``eea``/``non_eu``): their options and bounds are not edited.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..io.catalogue import load_catalogue
from ..io.catalogue_rules import ID
from ..io.catalogue_yaml import catalogue_document
from ..io.criteria_workbook import parse_pairs
from ..models import MODULE_QUESTIONS, MODULES
from .draft_ops import _pillar, _question, drop_gates, orphan_answer_gate
from .errors import CommitteeError

Change = Callable[[dict[str, Any], dict[str, Any], list[str]], None]
DIRECTIONS = ("higher", "lower")  # a number's scoring direction: which end scores 100
_GATE_NEEDS = {"cost": "costable", "sovereignty": "min_seal"}  # catalogue_rules._gate_needs
MODULE_SOURCE = "hdh"  # the bundled catalogue whose module pillars and questions are copied


def _check_id(value: str, what: str) -> None:
    if not ID.fullmatch(value):
        raise CommitteeError(f"{what} id {value!r}: ASCII letters, digits, '_', '.' or '-', "
                             "starting with a letter, at most 64 characters")


def add_pillar(pid: str, label: str) -> Change:
    """An ordinary pillar, placed before the module pillars (the order is the display order);
    it has no criterion yet, which the check says until one is added."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        _check_id(pid, "pillar")
        if pid in MODULES:
            raise CommitteeError(f"{pid!r} is the {pid} module's pillar: turn the module on "
                                 "instead")
        pillars = cat.setdefault("pillars", {})
        if pid in pillars:
            raise CommitteeError(f"pillar {pid!r} already exists")
        if not label.strip():
            raise CommitteeError(f"pillar {pid}: the label is empty")
        items = list(pillars.items())
        at = next((i for i, (k, _v) in enumerate(items) if k in MODULES), len(items))
        items.insert(at, (pid, {"label": label, "criteria": {}}))
        cat["pillars"] = dict(items)
    return go


def pillar_content(cat: dict[str, Any], pid: str) -> tuple[list[str], list[str]]:
    """The criteria and the questions a pillar holds (what its removal takes)."""
    crit = list(((cat.get("pillars") or {}).get(pid) or {}).get("criteria") or {})
    return crit, [str(q.get("id")) for q in cat.get("questions") or []
                  if q.get("pillar") == pid]


def remove_pillar(pid: str, with_content: bool = False) -> Change:
    """An ordinary pillar and its weight; with its criteria and questions (and their weights
    and places on the evaluators' list) only when ``with_content`` confirms it; the catalogue's
    ``min_pillar`` gates on it go too (with the scenario's entries applying them)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        _pillar(cat, pid)
        if pid in MODULES:
            raise CommitteeError(f"{pid} is the {pid} module's pillar: turn the module off "
                                 "instead")
        crit, gone = pillar_content(cat, pid)
        if (crit or gone) and not with_content:
            raise CommitteeError(f"pillar {pid} holds {len(crit)} criteria and {len(gone)} "
                                 "questions: confirm to remove them with it")
        del cat["pillars"][pid]
        cat["questions"] = [q for q in cat.get("questions") or [] if q.get("pillar") != pid]
        qs[:] = [q for q in qs if q not in gone]
        (sc.get("weights") or {}).pop(pid, None)
        drop_gates(cat, sc, lambda g: g.get("kind") == "min_pillar" and g.get("pillar") == pid)
        drop_gates(cat, sc, orphan_answer_gate(cat))
    return go


def module_reading(cat: dict[str, Any], qid: str) -> str | None:
    """The module of the catalogue that reads this question, if one does."""
    return next((m for m in cat.get("modules") or [] if qid in MODULE_QUESTIONS.get(m, {})),
                None)


def _own_format(cat: dict[str, Any], q: dict[str, Any], types: tuple[str, ...],
                what: str) -> None:
    if q.get("type") not in types:
        raise CommitteeError(f"{q.get('id')}: {what} belong to {' or '.join(types)} "
                             f"questions, not to a {q.get('type')} question")
    m = module_reading(cat, str(q.get("id")))
    if m is not None:
        raise CommitteeError(f"{q.get('id')}: the {m} module reads this answer in its own "
                             f"format: its {what} are fixed")


def set_options(qid: str, options: dict[str, float | None]) -> Change:
    """An enum question's options, each with its 0-100 utility (``None``: recorded, not
    scored). The check says what is wrong with them (none, a utility out of range)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        q = _question(cat, qid)
        _own_format(cat, q, ("enum",), "options")
        q["options"] = dict(options)
    return go


def options_of(text: str) -> dict[str, float | None]:
    """Options written as the criteria workbook writes them (``none=0; standard=100``,
    ``name=`` for an option recorded but not scored); a decimal comma is read as a point."""
    fixed = re.sub(r"=\s*(-?[0-9]+),([0-9]+)\s*(?=;|$)", r"=\1.\2", text)
    options, err = parse_pairs(fixed, numeric_keys=False)
    if err is not None:
        raise CommitteeError(f"options: {err}")
    return options


def options_text(options: dict[str, Any] | None) -> str:
    """Options as ``options_of`` reads them back."""
    return "; ".join(f"{k}={'' if v is None else f'{v:g}'}" for k, v in (options or {}).items())


def set_number(qid: str, *, unit: str | None, minimum: float | None, maximum: float | None,
               direction: str | None, low: float | None = None, high: float | None = None
               ) -> Change:
    """A number (or percent) question's unit, domain ``[minimum, maximum]`` and scoring: the
    two ends of its scale and which end is the best (``higher``: ``low`` scores 0 and ``high``
    100; ``lower``: the reverse; ``None``: not scored, the answer is a fact for gates). Linear
    between the ends, clipped (docs/catalogue.md, "Types and their utility")."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        q = _question(cat, qid)
        _own_format(cat, q, ("number", "percent"), "unit, bounds and scale")
        for key, v in (("unit", unit or None), ("min", minimum), ("max", maximum)):
            if v is None:
                q.pop(key, None)
            else:
                q[key] = v
        if direction is None:
            q.pop("scale", None)
            return
        if direction not in DIRECTIONS:
            raise CommitteeError(f"{qid}: the direction is higher or lower, not {direction!r}")
        if low is None or high is None:
            raise CommitteeError(f"{qid}: a scored number needs both ends of its scale")
        if low >= high:
            raise CommitteeError(f"{qid}: the scale's lower end {low:g} must be below its "
                                 f"upper end {high:g}")
        q["scale"] = ({"worst": low, "best": high} if direction == "higher"
                      else {"worst": high, "best": low})
    return go


def direction_of(scale: dict[str, Any] | None) -> tuple[str | None, float | None, float | None]:
    """A stored scale as (direction, lower end, upper end), as ``set_number`` takes them."""
    if not isinstance(scale, dict):
        return None, None, None
    w, b = scale.get("worst"), scale.get("best")
    if w is None or b is None:
        return None, None, None
    return ("higher", w, b) if b >= w else ("lower", b, w)


@functools.cache
def module_source() -> dict[str, Any]:
    """The bundled catalogue the module pillars and questions are copied from (in the version-2
    form; read once)."""
    return catalogue_document(load_catalogue(MODULE_SOURCE))


def set_modules(modules: Sequence[str]) -> Change:
    """The computed modules the catalogue uses (see the module docstring for what each turn
    brings or takes)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        unknown = [m for m in modules if m not in MODULES]
        if unknown:
            raise CommitteeError(f"unknown module {', '.join(unknown)} (modules: "
                                 f"{', '.join(MODULES)})")
        have = [m for m in cat.get("modules") or [] if m in MODULES]
        want: list[str] = [m for m in MODULES if m in modules]
        pillars = cat.setdefault("pillars", {})
        for m in want:
            if m not in have and (pillars.get(m) or {}).get("criteria"):
                raise CommitteeError(f"the catalogue has an ordinary pillar {m} with criteria: "
                                     f"remove it before turning the {m} module on")
        for m in have:
            if m not in want:
                _module_off(cat, sc, qs, m, want)
        src = module_source()
        for m in want:
            if m not in have:
                _module_on(cat, m, want, src)
        cat["modules"] = want
    return go


def _module_off(cat: dict[str, Any], sc: dict[str, Any], qs: list[str], m: str,
                want: list[str]) -> None:
    cat.get("pillars", {}).pop(m, None)
    (sc.get("weights") or {}).pop(m, None)
    kept: list[dict[str, Any]] = []
    for q in cat.get("questions") or []:
        if q.get("pillar") != m:
            kept.append(q)
            continue
        reader = next((w for w in want if q.get("id") in MODULE_QUESTIONS[w]), None)
        if reader is not None:  # another module still reads it: it moves under that one
            kept.append({**q, "pillar": reader})
        else:
            qs[:] = [x for x in qs if x != q.get("id")]
    cat["questions"] = kept
    if m == "cost":
        cat.pop("price_items", None)
    kind = _GATE_NEEDS.get(m)
    drop_gates(cat, sc, lambda g: kind is not None and g.get("kind") == kind)
    drop_gates(cat, sc, orphan_answer_gate(cat))


def _module_on(cat: dict[str, Any], m: str, want: list[str], src: dict[str, Any]) -> None:
    cat["pillars"][m] = {"label": src["pillars"][m]["label"]}
    have = {q.get("id") for q in cat.get("questions") or []}
    for q in src.get("questions") or []:
        if q["id"] in MODULE_QUESTIONS[m] and q["id"] not in have:
            cat.setdefault("questions", []).append(  # a copy: the source is read once
                {**copy.deepcopy(q), "pillar": q["pillar"] if q["pillar"] in want else m})
    if m in ("legal", "sovereignty") and not cat.get("certifications"):
        cat["certifications"] = copy.deepcopy(src["certifications"])


def set_price_items(items: dict[str, dict[str, str]]) -> Change:
    """What a price sheet prices (item id -> unit and help); an item removed leaves the
    workload too (nothing can buy it)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        for k in items:
            _check_id(k, "price item")
        if items:
            cat["price_items"] = {k: dict(v) for k, v in items.items()}
        else:
            cat.pop("price_items", None)
        wl = sc.get("workload")
        if isinstance(wl, dict):
            for part in ("annual", "one_off"):
                if isinstance(wl.get(part), dict):
                    wl[part] = {k: v for k, v in wl[part].items() if k in items}
    return go


@dataclass(frozen=True)
class TreeDiff:
    """What a change does to the tree, said before it is saved."""

    pillars_added: list[str]
    pillars_removed: list[str]
    questions_added: list[str]
    questions_removed: list[str]
    gates_removed: list[str]

    def __bool__(self) -> bool:
        return any((self.pillars_added, self.pillars_removed, self.questions_added,
                    self.questions_removed, self.gates_removed))


def price_items_of(rows: Sequence[tuple[Any, Any, Any]]) -> dict[str, dict[str, str]]:
    """Price items as the editor's table gives them, (id, unit, help); a row without an id is
    skipped, an id given twice is refused (``CommitteeError``, naming it)."""
    out: dict[str, dict[str, str]] = {}
    for k, unit, text in rows:
        key = "" if k is None or k != k else str(k).strip()  # NaN: an empty cell
        if not key:
            continue
        if key in out:
            raise CommitteeError(f"price item {key}: given twice")
        out[key] = {"unit": "" if unit is None or unit != unit else str(unit).strip(),
                    "help": "" if text is None or text != text else str(text).strip()}
    return out


def tree_diff(before: dict[str, Any], after: dict[str, Any]) -> TreeDiff:
    """The pillars, questions and catalogue gates one document has that the other has not."""
    def ids(doc: dict[str, Any], key: str) -> list[str]:
        v = doc.get(key) or []
        return [str(x) for x in v] if isinstance(v, dict) else [str(x.get("id")) for x in v]

    def new(a: list[str], b: list[str]) -> list[str]:
        return [x for x in b if x not in a]

    pb, pa = ids(before, "pillars"), ids(after, "pillars")
    qb, qa = ids(before, "questions"), ids(after, "questions")
    return TreeDiff(new(pb, pa), new(pa, pb), new(qb, qa), new(qa, qb),
                    new(ids(after, "gates"), ids(before, "gates")))
