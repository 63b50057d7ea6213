"""A tender's catalogue: its own (``tenders.catalogue_yaml``, migration 0006) when it has one,
else the bundled catalogue its scenario names (docs/catalogue.md, "Authoring in the browser").

Why one function: every committee reader (the evaluators' frozen questions, the panel, the
clarifications, the ranking, the award report) must score against the catalogue that was
published. A reader that resolved the scenario's ``catalogue:`` id on its own would score a
tender authored in the browser against the bundled file of the same id, silently. Once the
tender is published, the catalogue is read from the publication (frozen and hashed with it).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import CatalogueError, Problem, ScenarioError
from ..io.catalogue import parse_catalogue
from ..models import Catalogue
from ..scenario.catalogue import resolve_gates, scenario_catalogue
from ..scenario.load import parse_scenario_doc
from ..scenario.model import Scenario
from ..scenario.rules import catalogue_problems, weight_warnings
from .models import Tender
from .stats import grid_scale


@lru_cache(maxsize=32)
def stored_catalogue(text: str, name: str) -> Catalogue:
    """Parse a stored catalogue (every catalogue rule, located; ``CatalogueError``), cached by
    its text: pages read it on every rerun."""
    return parse_catalogue(text.encode("utf-8"), name)


def own_catalogue_text(t: Tender) -> str | None:
    """The tender's own catalogue text as it stands: the published one once published."""
    if t.published_canonical:
        text = json.loads(t.published_canonical).get("catalogue_yaml")
        return text if isinstance(text, str) else None
    return t.catalogue_yaml


def tender_catalogue(t: Tender) -> Catalogue:
    """The catalogue the tender is scored on: its own (the published copy once published), or
    the bundled one its scenario names."""
    text = own_catalogue_text(t)
    if text is not None:
        return stored_catalogue(text, f"tender {t.id} catalogue")
    doc = (json.loads(t.published_canonical)["scenario"] if t.published_canonical
           else json.loads(t.scenario_json))
    return scenario_catalogue(parse_scenario_doc(doc, f"tender {t.id} scenario"))


SCALES = {"level": "0-4", "number": "0-100", "percent": "0-100"}
_WEIGHT_PATHS = ("weights", "sovereignty.weights")


def scored_questions(cat: Catalogue, qids: Sequence[str], file: str
                     ) -> tuple[list[dict[str, str]], list[Problem]]:
    """The evaluators' questions with their scale (0-4 for levels, 0-100 for numbers and
    percents, the grid's levels for a grade: ``stats.grid_scale``), and what cannot be scored
    by evaluators."""
    out: list[dict[str, str]] = []
    problems: list[Problem] = []
    for qid in qids:
        try:
            q = cat.question(qid)
        except KeyError:
            problems.append(Problem(file, "", qid, f"not a question of the catalogue {cat.id}"))
            continue
        if q.type == "grade":
            out.append({"id": qid, "scale": grid_scale(list(q.grid or {}))})
        elif q.type in SCALES:
            out.append({"id": qid, "scale": SCALES[q.type]})
        else:
            problems.append(Problem(file, "", qid, f"a {q.type} question cannot be scored by "
                                    "evaluators (only level, number, percent and grade "
                                    "questions)"))
    return out, problems


@dataclass(frozen=True)
class DraftCheck:
    """What stands between a draft and its publication, every problem located: the
    catalogue's own rules, the scenario's, the scenario against the catalogue (weights on its
    tree, gates it supports, workload items it prices), weight gaps (a criterion weighted 0
    unsaid: an error at publication, issue 19 part 7) and the evaluators' questions."""

    problems: tuple[Problem, ...]
    catalogue: Catalogue | None
    scenario: Scenario | None
    warnings: tuple[Problem, ...] = ()  # shown, not refused (no catalogue gate applied)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_draft(catalogue_text: str | None, scenario: dict[str, Any], questions: Sequence[str],
                tender_id: int) -> DraftCheck:
    """The whole check of a draft (the same at publication and beside the editor)."""
    cat_file, sc_file = f"tender {tender_id} catalogue", f"tender {tender_id} scenario"
    problems: list[Problem] = []
    warnings: list[Problem] = []
    cat: Catalogue | None = None
    sc: Scenario | None = None
    try:
        sc = parse_scenario_doc(scenario, sc_file)
    except ScenarioError as exc:
        problems += exc.problems
    if catalogue_text is not None:
        try:
            cat = stored_catalogue(catalogue_text, cat_file)
        except CatalogueError as exc:
            problems += exc.problems
    elif sc is not None:  # a catalogue it cannot even read: refused as such (CatalogueError)
        cat = scenario_catalogue(sc)
    if sc is not None and cat is not None:
        try:  # as the engine does: the catalogue gates named by id first, then the rules
            problems += catalogue_problems(resolve_gates(sc, cat, sc_file), cat, sc_file)
        except ScenarioError as exc:
            problems += exc.problems
        for w in weight_warnings(sc, cat, sc_file):
            (problems if w.question.startswith(_WEIGHT_PATHS) else warnings).append(w)
    if cat is not None:
        problems += scored_questions(cat, questions, f"tender {tender_id} questions")[1]
    return DraftCheck(tuple(problems), cat, sc, tuple(warnings))


def tender_check(t: Tender) -> DraftCheck:
    return check_draft(t.catalogue_yaml, json.loads(t.scenario_json),
                       json.loads(t.questions_json), t.id)
