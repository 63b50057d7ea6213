"""What a catalogue may say: every rule a well-formed tender catalogue keeps, each broken rule a
located problem (file, item, field, what is allowed), all of them at once (docs/catalogue.md).

Why as strict as a questionnaire: a catalogue is the tender's published list of criteria
(Directive 2014/24 art. 67(5)). A criterion no question can fill, a grid whose levels cannot be
ordered, a module pillar scored without its module, would each weigh offers on something the
bidders were never asked: a wrong award that looks right.

The gate checks (which fields a gate kind reads, what it needs from the catalogue) are shared
with the scenario rules (``scoring.scenario.rules``), so a gate is judged the same wherever it
is written.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ..errors import Problem
from ..i18n import LANGUAGES
from ..models import MODULE_QUESTIONS, MODULES, SEAL_OBJECTIVES, Catalogue, Gate, Question
from .text import TextRules, text_problems

ID = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
"""Every id of a catalogue (pillar, criterion, question, price item, gate): ASCII letters,
digits, ``_ . -`` only, so no look-alike or invisible character can make two ids differ."""
CATALOGUE_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
_TEXT = TextRules(allow_newlines=True, max_len=4000)
_LABEL = TextRules(allow_newlines=False, max_len=300)

GATE_FIELDS: dict[str, set[str]] = {  # the fields each gate kind reads; any other is an error
    "hds": {"require_v2_after"},
    "immunity": {"mode"},
    "min_seal": {"objective", "level"},
    "min_pillar": {"pillar", "minimum"},
    "costable": set(),
    "answer": {"question", "allowed", "minimum"},
}
COMMON_GATE_FIELDS = {"id", "kind", "label", "reason"}
SEAL_NAMES = tuple(o for o, _, _ in SEAL_OBJECTIVES)
_NOT_FOR = {  # question fields and the types that read them
    "options": ("enum",),
    "unit": ("number", "percent"),
    "min": ("number", "percent"),
    "max": ("number", "percent"),
    "scale": ("number", "percent"),
    "grid": ("grade",),
}


def gate_problems(g: Gate, where: str, file: str, cat: Catalogue | None) -> list[Problem]:
    """A gate's own rules (fields its kind reads, levels, minimums) and, with the catalogue,
    what its kind needs from it (a module, a question, the certification rules)."""
    out: list[Problem] = []
    if g.kind is None:
        return [Problem(file, "", f"{where}.kind", "a gate needs a kind: "
                        + ", ".join(GATE_FIELDS))]
    given = {k for k, v in g.model_dump(exclude_defaults=True).items() if v is not None}
    for k in sorted(given - GATE_FIELDS[g.kind] - COMMON_GATE_FIELDS):
        out.append(Problem(file, "", f"{where}.{k}", f"not read by a {g.kind} gate (it would be "
                           f"ignored); a {g.kind} gate reads: "
                           f"{', '.join(sorted(GATE_FIELDS[g.kind])) or 'nothing more'}"))
    if g.kind == "min_seal":
        if g.level is None or not 0 <= g.level <= 4:
            out.append(Problem(file, "", f"{where}.level", f"level {g.level!r}: a min_seal gate "
                               "needs a SEAL level from 0 to 4"))
        if g.objective not in (None, "overall", *SEAL_NAMES):
            out.append(Problem(file, "", f"{where}.objective", f"objective {g.objective!r}: "
                               "overall or SOV-1..SOV-8"))
    if g.kind == "min_pillar" and (g.minimum is None or not 0 <= g.minimum <= 100):
        out.append(Problem(file, "", f"{where}.minimum", f"minimum {g.minimum!r}: a score "
                           "from 0 to 100"))
    if g.kind == "answer" and g.allowed is None and g.minimum is None:
        out.append(Problem(file, "", where, "an answer gate needs allowed values or a minimum"))
    if cat is not None:
        out += _gate_needs(g, where, file, cat)
    return out


def _gate_needs(g: Gate, where: str, file: str, cat: Catalogue) -> list[Problem]:
    need = {"min_seal": "sovereignty", "costable": "cost"}.get(g.kind or "")
    if need and not cat.uses(need):
        return [Problem(file, "", where, f"a {g.kind} gate needs the {need} module, which this "
                        f"catalogue does not use (modules: {', '.join(cat.modules) or 'none'})")]
    if g.kind in ("hds", "immunity"):
        q = "cert.hds" if g.kind == "hds" else "cert.secnumcloud"
        if q not in cat.ids or cat.certifications is None:
            return [Problem(file, "", where, f"a {g.kind} gate needs the question {q} and the "
                            "catalogue's certifications rules")]
    if g.kind == "min_pillar" and (g.pillar not in cat.pillars or g.pillar == "cost"):
        return [Problem(file, "", f"{where}.pillar", f"pillar {g.pillar!r}: one of "
                        + ", ".join(p for p in cat.pillar_ids if p != "cost"))]
    if g.kind == "answer" and g.question is not None and g.question not in cat.ids:
        return [Problem(file, "", f"{where}.question", f"{g.question!r} is not a question of "
                        "the catalogue")]
    asked = cat.question(g.question) if g.kind == "answer" and g.question is not None else None
    if asked is not None and asked.type == "enum" and asked.options and g.allowed is not None:
        # an allowed value no bidder can answer makes the gate wrong, not stricter: once an
        # option is renamed, every offer answering the new name would fail it
        odd = [v for v in g.allowed if v not in asked.options]
        if odd:
            return [Problem(file, "", f"{where}.allowed", f"{', '.join(map(repr, odd))}: not "
                            f"an option of {asked.id} (options: {', '.join(asked.options)})")]
    return []


def question_problems(q: Question) -> list[str]:
    """Rules of one question by its type (plain words, located by the caller at its id)."""
    out: list[str] = []
    given = q.model_dump(exclude_defaults=True)
    for f, types in _NOT_FOR.items():
        if f in given and q.type not in types:
            out.append(f"{f}: not read by a {q.type} question (it would be ignored)")
    if q.type == "enum" and not q.options:
        out.append("an enum question needs options")
    for k, u in (q.options or {}).items():
        if u is not None and not 0 <= u <= 100:
            out.append(f"options.{k}: utility {u!r} must be from 0 to 100")
    if q.type in ("number", "percent") and q.scale and q.scale.worst == q.scale.best:
        out.append("scale.worst and scale.best must differ")
    if q.type == "number" and (q.min is None or q.max is None):
        out.append("a number question needs min and max")
    if q.min is not None and q.max is not None and q.min >= q.max:
        out.append(f"min {q.min:g} must be below max {q.max:g}")
    if q.dated and "since" not in q.details:
        out.append("a dated question must allow the 'since' detail")
    if q.type == "grade":
        out += _grade_problems(q)
    return out


def _grade_problems(q: Question) -> list[str]:
    out: list[str] = []
    grid = q.grid or {}
    if len(grid) < 2:
        out.append(f"grid: a grade needs at least 2 levels (has {len(grid)})")
    if q.required:
        out.append("required: a grade is scored by the committee, never answered by bidders")
    if q.dated or q.details:
        out.append("dated/details: a grade is the committee's consensus, not a dated fact")
    utils = [g.utility for g in grid.values()]
    if any(u is not None for u in utils) and any(u is None for u in utils):
        out.append("grid: give a utility for every level or for none")
    elif all(u is not None for u in utils) and utils:
        ordered = [grid[k].utility or 0.0 for k in sorted(grid)]
        if any(not 0 <= u <= 100 for u in ordered):
            out.append("grid: utilities must be from 0 to 100")
        if any(b < a for a, b in pairwise(ordered)):
            out.append("grid: utilities must not decrease as the level rises")
    for k, g in grid.items():
        if not g.descriptor.strip():
            out.append(f"grid.{k}: the descriptor is empty")
    return out


def _text(out: list[Problem], file: str, item: str, value: str, rules: TextRules) -> None:
    out.extend(Problem(file, "", item, m) for m in text_problems(value, rules))


def _id(out: list[Problem], file: str, item: str, value: str, what: str) -> None:
    if not ID.fullmatch(value):
        out.append(Problem(file, "", item, f"{what} id {value!r}: ASCII letters, digits, "
                           "'_', '.' or '-', starting with a letter, at most 64 characters"))


def _tree_problems(cat: Catalogue, file: str) -> list[Problem]:
    out: list[Problem] = []
    if cat.version >= 2 and not CATALOGUE_ID.fullmatch(cat.id):
        out.append(Problem(file, "", "id", f"catalogue id {cat.id!r}: lower-case letters, "
                           "digits, '_' or '-', at most 40 characters"))
    if cat.version >= 2:
        _text(out, file, "title", cat.title, _LABEL)
    if cat.lang is not None and cat.lang not in LANGUAGES:
        out.append(Problem(file, "", "lang", f"{cat.lang!r}: the language of its texts, one "
                           f"of {', '.join(LANGUAGES)} (or no lang: English)"))
    if len(set(cat.modules)) != len(cat.modules):
        out.append(Problem(file, "", "modules", "a module is listed twice"))
    for m in MODULES:
        if m in cat.pillars and m not in cat.modules:
            out.append(Problem(file, "", f"pillars.{m}", f"the {m} pillar is the {m} module's: "
                               f"add {m} to modules, or rename the pillar"))
        if m in cat.modules and m not in cat.pillars:
            out.append(Problem(file, "", "modules", f"module {m} is used but its pillar {m} "
                               "is not declared"))
    if not cat.pillars:
        out.append(Problem(file, "", "pillars", "declare at least one pillar"))
    for p, pd in cat.pillars.items():
        _id(out, file, f"pillars.{p}", p, "pillar")
        _text(out, file, f"pillars.{p}.label", pd.label, _LABEL)
        if p in MODULES:
            if pd.criteria and cat.version >= 2:
                out.append(Problem(file, "", f"pillars.{p}.criteria", f"the {p} module fixes "
                                   "its criteria: remove them"))
            continue
        if not pd.criteria:
            out.append(Problem(file, "", f"pillars.{p}.criteria", "an ordinary pillar needs at "
                               "least one criterion"))
        for c, label in pd.criteria.items():
            _id(out, file, f"pillars.{p}.criteria.{c}", c, "criterion")
            _text(out, file, f"pillars.{p}.criteria.{c}", label, _LABEL)
            if not any(q.pillar == p and q.criterion == c and q.scored for q in cat.questions):
                out.append(Problem(file, "", f"pillars.{p}.criteria.{c}", "no scored question "
                                   "under this criterion: it could never be weighted"))
    return out


def _module_problems(cat: Catalogue, file: str) -> list[Problem]:
    out: list[Problem] = []
    types = {q.id: q.type for q in cat.questions}
    for m in cat.modules:
        for qid, t in MODULE_QUESTIONS[m].items():
            if qid not in types:
                out.append(Problem(file, "", "modules", f"the {m} module reads question {qid} "
                                   f"({t}): the catalogue must ask it"))
            elif types[qid] != t:
                out.append(Problem(file, "", qid, f"the {m} module reads it as a {t} question, "
                                   f"not {types[qid]}"))
    if cat.uses("cost") and not cat.price_items:
        out.append(Problem(file, "", "price_items", "the cost module needs at least one price "
                           "item (what a price sheet prices)"))
    if cat.price_items and not cat.uses("cost"):
        out.append(Problem(file, "", "price_items", "price items are read only by the cost "
                           "module: add cost to modules, or remove them"))
    for k, item in cat.price_items.items():
        _id(out, file, f"price_items.{k}", k, "price item")
        _text(out, file, f"price_items.{k}.help", item.help, _TEXT)
    needs_rules = ([f"module {m}" for m in ("legal", "sovereignty") if cat.uses(m)]
                   + [f"question {q}" for q in ("cert.hds", "cert.secnumcloud") if q in types]
                   + [f"gate {g.id}" for g in cat.gates if g.kind in ("hds", "immunity")])
    if cat.certifications is None and needs_rules:
        out.append(Problem(file, "", "certifications", "the certification rules are needed by "
                           + ", ".join(needs_rules)))
    return out


def catalogue_problems(cat: Catalogue, file: str) -> list[Problem]:
    """Every rule the catalogue breaks (empty when it is valid)."""
    out = _tree_problems(cat, file) + _module_problems(cat, file)
    seen: set[str] = set()
    for q in cat.questions:
        _id(out, file, q.id, q.id, "question")
        for f in ("help", "requirement"):
            _text(out, file, f"{q.id}.{f}", getattr(q, f), _TEXT)
        if q.id in seen:
            out.append(Problem(file, "", q.id, "duplicate question id"))
        seen.add(q.id)
        out.extend(Problem(file, "", q.id, m) for m in question_problems(q))
        pd = cat.pillars.get(q.pillar)
        if pd is None:
            out.append(Problem(file, "", f"{q.id}.pillar", f"unknown pillar {q.pillar!r} "
                               f"(declared: {', '.join(cat.pillars)})"))
        elif q.pillar not in MODULES and q.criterion not in pd.criteria:
            out.append(Problem(file, "", f"{q.id}.criterion", f"unknown criterion "
                               f"{q.criterion!r} of pillar {q.pillar} (declared: "
                               f"{', '.join(pd.criteria)})"))
        elif q.pillar in MODULES and q.type == "grade":
            out.append(Problem(file, "", f"{q.id}.pillar", f"a grade under the {q.pillar} "
                               "module's pillar would never be scored: the module computes it"))
    gids = [g.id for g in cat.gates]
    for i, g in enumerate(cat.gates):
        where = f"gates.{g.id or i}"
        _id(out, file, where, g.id, "gate")
        if gids.count(g.id) > 1 and gids.index(g.id) == i:
            out.append(Problem(file, "", where, "gate id used twice"))
        out += gate_problems(g, where, file, cat)
    return out
