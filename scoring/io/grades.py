"""The committee's grades of ``grade`` questions, read from an evaluations file named by a
scenario (``grades: evaluations.yaml``; docs/catalogue.md, "grade").

Why a file of its own: a grade is not the bidder's statement but the evaluators' consensus on
it, so it never sits in a questionnaire (the loader refuses it there). Outside the committee
workspace the consensus is written down here, with who graded, who moderated, when and why,
and each grade enters the offer as an answer whose note says so: the reason shown beside the
utility is the committee's justification (Directive 2014/24 art. 84: the award report states
the reasons of the evaluation).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError
from ..models import Answer, Catalogue
from .files import InputFileError, canonical_sha256, read_input
from .text import TextRules, text_problems
from .values import check_value, parse_date, show
from .yamlsafe import YamlReadError, load_yaml

MAX_GRADES_BYTES = 4_194_304
_NAME = TextRules(allow_newlines=False, check_scripts=True, max_len=200)
_NOTE = TextRules(allow_newlines=True, max_len=8000)
_FIELDS = {"value", "justification", "evaluators", "moderated_by", "date"}


def consensus_note(evaluators: list[str], moderated_by: str | None, date: dt.date,
                   justification: str) -> str:
    """The reason a grade carries: whose consensus, moderated by whom, when, and why."""
    who = ", ".join(evaluators)
    mod = f"; moderated by {moderated_by}" if moderated_by else ""
    return f"committee consensus (evaluators {who}{mod}, {date.isoformat()}): {justification}"


def _grade(qid: str, raw: Any, where: str, cat: Catalogue, file: str, out: list[Problem]
           ) -> Answer | None:
    q = cat.question(qid)
    if not isinstance(raw, dict):
        out.append(Problem(file, "", where, "a grade is {value, justification, evaluators, "
                           "date, moderated_by?}"))
        return None
    n = len(out)
    for k in sorted(set(raw) - _FIELDS, key=str):
        out.append(Problem(file, "", f"{where}.{k}", "unknown field (known: "
                           + ", ".join(sorted(_FIELDS)) + ")"))
    value, why = check_value(q, raw.get("value"))
    if why:
        out.append(Problem(file, "", f"{where}.value", why))
    just = raw.get("justification")
    if not isinstance(just, str) or not just.strip():
        out.append(Problem(file, "", f"{where}.justification", "the committee's reason is "
                           "required (it is shown beside the grade)"))
    else:
        out += [Problem(file, "", f"{where}.justification", m) for m in text_problems(just, _NOTE)]
    evs = raw.get("evaluators")
    if not isinstance(evs, list) or not evs or not all(isinstance(e, str) and e.strip()
                                                       for e in evs):
        out.append(Problem(file, "", f"{where}.evaluators", "a list of the evaluators' names"))
        evs = []
    for e in evs:
        out += [Problem(file, "", f"{where}.evaluators", f"{show(e)}: {m}")
                for m in text_problems(e, _NAME)]
    mod = raw.get("moderated_by")
    if mod is not None and (not isinstance(mod, str) or text_problems(mod, _NAME)):
        out.append(Problem(file, "", f"{where}.moderated_by", f"{show(mod)}: a name"))
    try:
        date = parse_date(raw.get("date"))
    except ValueError as exc:
        out.append(Problem(file, "", f"{where}.date", str(exc)))
        date = None
    if len(out) > n or date is None or not isinstance(just, str):
        return None
    return Answer(question=qid, value=value, confidence="confirmed",
                  note=consensus_note(list(evs), mod, date, just.strip()))


def parse_grades(data: bytes, file: str, cat: Catalogue) -> dict[str, dict[str, Answer]]:
    """Offer id -> grade question id -> the grade as an answer; every problem at once."""
    try:
        doc = load_yaml(data, MAX_GRADES_BYTES)
    except YamlReadError as exc:
        raise ScenarioError([Problem(file, "", loc, m) for loc, m in exc.problems]) from None
    if not isinstance(doc, dict) or set(doc) != {"grades"} or not isinstance(doc["grades"], dict):
        raise ScenarioError([Problem(file, "", "grades", "the file holds one key, grades: "
                                     "offer id -> question id -> grade")])
    grades = {q.id for q in cat.questions if q.type == "grade"}
    out: dict[str, dict[str, Answer]] = {}
    problems: list[Problem] = []
    for oid, per in doc["grades"].items():
        if not isinstance(oid, str) or not isinstance(per, dict):
            problems.append(Problem(file, str(oid), "grades", "offer id -> question id -> grade"))
            continue
        for qid, raw in per.items():
            where = f"grades.{oid}.{qid}"
            if qid not in grades:
                problems.append(Problem(file, oid, where, f"{show(qid)} is not a grade question "
                                        f"of the catalogue {cat.id} (grade questions: "
                                        f"{', '.join(sorted(grades)) or 'none'})"))
                continue
            a = _grade(qid, raw, where, cat, file, problems)
            if a is not None:
                out.setdefault(oid, {})[qid] = a
    if problems:
        raise ScenarioError(problems)
    return out


_cache: OrderedDict[tuple[str, str, str], dict[str, dict[str, Answer]]] = OrderedDict()


def load_grades(path: Path, cat: Catalogue) -> tuple[dict[str, dict[str, Answer]], str]:
    """The grades of an evaluations file and the file's content hash (for the result hash).
    Parsed once per (content, catalogue, name), like the questionnaires (``io.offers``)."""
    try:
        data = read_input(path, MAX_GRADES_BYTES)
    except InputFileError as exc:
        raise ScenarioError([Problem(str(path), "", "file", str(exc.strerror))]) from None
    sha = canonical_sha256(data)
    key = (sha, cat.sha256, str(path))
    hit = _cache.get(key)
    if hit is None:
        hit = _cache[key] = parse_grades(data, str(path), cat)
        while len(_cache) > 16:
            _cache.popitem(last=False)
    return hit, sha
