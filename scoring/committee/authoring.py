"""A committee authors its own tender (issue 19, part 2): a draft made from a bundled
catalogue (with that catalogue's bundled scenario as the starting weights, gates and lots) or
from the buyer's criteria workbook ("grille d'analyse"), then edited operation by operation
(``draft_ops``, ``tree_ops``): pillars, criteria and questions, a question's type, grid,
options, bounds and scoring direction, the computed modules, price items, weights, gates, lots,
the workload.

Why here and not in the pages: the rules of an edit (what a type change drops, what a removed
question takes with it) are the tender's, and every edit must be checked against the version
the chair loaded (optimistic locking, issue 13: a stale edit is refused, never overwrites) and
written to the audit log with what changed. A draft may be invalid while it is being written
(a new criterion has no question yet); ``catalogue.check_draft`` says what is wrong, located,
and publication refuses it until it is right (``workflow.publish``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from ..bundled import DATA_DIR
from ..errors import CatalogueError, HostwiseError, Problem, ScenarioError
from ..hashing import digest
from ..i18n import DEFAULT, LANGUAGES, N_
from ..io.catalogue import CATALOGUES_DIR, MAX_CATALOGUE_BYTES, catalogue_path, load_catalogue
from ..io.catalogue_rules import CATALOGUE_ID
from ..io.catalogue_text import bundled_text, sidecar_path
from ..io.catalogue_translate import translated_document
from ..io.catalogue_yaml import catalogue_document
from ..io.criteria_workbook import MAX_BYTES, read_criteria_workbook
from ..io.files import read_input
from ..models import Catalogue
from ..scenario.load import load_scenario_doc, parse_scenario_doc
from . import audit
from .access import load_tender, require_role, require_state
from .catalogue import DraftCheck, check_draft, own_catalogue_text, tender_catalogue
from .draft_ops import TYPES as TYPES  # the operations, for the pages: authoring.<op>
from .draft_ops import add_criterion as add_criterion
from .draft_ops import add_question as add_question
from .draft_ops import grid_of as grid_of
from .draft_ops import grid_text as grid_text
from .draft_ops import lots_of as lots_of
from .draft_ops import remove_criterion as remove_criterion
from .draft_ops import remove_question as remove_question
from .draft_ops import rename_criterion as rename_criterion
from .draft_ops import rename_pillar as rename_pillar
from .draft_ops import set_evaluated as set_evaluated
from .draft_ops import set_gates as set_gates
from .draft_ops import set_lots as set_lots
from .draft_ops import set_question as set_question
from .draft_ops import set_weights as set_weights
from .draft_ops import set_workload as set_workload
from .draft_ops import weight_of as weight_of
from .errors import CommitteeError
from .identity import Person
from .models import Tender
from .store import Store
from .tree_ops import DIRECTIONS as DIRECTIONS  # the shape of the tree: pillars, modules...
from .tree_ops import TreeDiff as TreeDiff
from .tree_ops import add_pillar as add_pillar
from .tree_ops import direction_of as direction_of
from .tree_ops import module_reading as module_reading
from .tree_ops import options_of as options_of
from .tree_ops import options_text as options_text
from .tree_ops import pillar_content as pillar_content
from .tree_ops import price_items_of as price_items_of
from .tree_ops import remove_pillar as remove_pillar
from .tree_ops import set_modules as set_modules
from .tree_ops import set_number as set_number
from .tree_ops import set_options as set_options
from .tree_ops import set_price_items as set_price_items
from .tree_ops import tree_diff as tree_diff
from .workflow import create_tender

SCENARIOS_DIR = DATA_DIR / "scenarios"
Docs = tuple[dict[str, Any], dict[str, Any], list[str]]  # catalogue, scenario, questions


def dump(doc: dict[str, Any]) -> str:
    """A catalogue document as the YAML text stored (key order kept: it is the display order)."""
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100)


def bundled_catalogues() -> list[str]:
    return sorted(p.parent.name for p in CATALOGUES_DIR.glob("*/catalogue.yaml"))


def bundled_scenarios(catalogue_id: str) -> list[str]:
    """The bundled scenarios that name this catalogue (their ids: the file names), the ones
    standing on their own first, then the shortest name (the base scenario before its
    variants)."""
    out: list[tuple[bool, int, str]] = []
    for p in sorted(SCENARIOS_DIR.glob("*.yaml")):
        try:
            doc = load_scenario_doc(p)  # ``extends`` resolved: a variant names its parent's
        except HostwiseError:
            continue
        if isinstance(doc, dict) and doc.get("catalogue", "hdh") == catalogue_id:
            out.append((b"extends:" in p.read_bytes(), len(p.stem), p.stem))
    return [name for *_, name in sorted(out)]


def _committee_scenario(doc: dict[str, Any], cat_id: str) -> dict[str, Any]:
    """A scenario made a committee tender's: it names its catalogue by id (the tender's own
    copy), no grades file (the evaluators grade) and no offers folder (bids come sealed)."""
    out = {k: v for k, v in doc.items() if k not in ("grades", "extends")}
    out["catalogue"] = cat_id
    out["offers"] = {"paths": []}
    return json.loads(json.dumps(out, default=str))


def blank_scenario(cat: dict[str, Any], weights: dict[str, Any], title: str) -> dict[str, Any]:
    """The starting scenario of a catalogue without a bundled one: the workbook's weights, the
    catalogue's gates applied, today as the evaluation date, an empty workload to be set."""
    cid = str(cat.get("id") or "tender")
    return {"schema": 1, "id": cid if CATALOGUE_ID.fullmatch(cid) else "tender",
            "title": title, "catalogue": cid if CATALOGUE_ID.fullmatch(cid) else "tender",
            "evaluation_date": dt.date.today().isoformat(), "offers": {"paths": []},
            "missing_policy": "uncertain", "weights": weights,
            "gates": [{"id": g.get("id")} for g in cat.get("gates") or [] if isinstance(g, dict)],
            "workload": {"label": "ASSUMPTION W", "reasoning": "the committee's estimate of "
                         "the quantities bought (to be written)", "contract_years": 1,
                         "annual": {}}}


def _grades(cat: Catalogue) -> list[str]:
    """Grade questions are scored by the evaluators: they start on the evaluators' list."""
    return [q.id for q in cat.questions if q.type == "grade"]


def bundled_languages(catalogue_id: str) -> list[str]:
    """The languages a bundled catalogue's copy can be written in: English (its own) and each
    language it has a sidecar for."""
    path = catalogue_path(catalogue_id)
    return [DEFAULT, *(code for code in LANGUAGES
                       if code != DEFAULT and sidecar_path(path, code).is_file())]


def _copy_text(catalogue_id: str, cat: Catalogue, lang: str | None
               ) -> tuple[str, dict[str, Any]]:
    """The text of the tender's copy and what the audit says of its language. English (or a
    language without a sidecar): a version-2 file's bytes as they are, so an unedited copy
    keeps the bundled hash; the version-1 ``hdh`` in the version-2 form. Another language with
    a sidecar: the document with the sidecar's texts written in (``translated_document``):
    the committee's edits keep them, and its hash is the copy's own."""
    path = catalogue_path(catalogue_id)
    raw = read_input(path, MAX_CATALOGUE_BYTES).decode("utf-8")
    doc = yaml.safe_load(raw) or {}
    version2 = isinstance(doc, dict) and doc.get("version") == 2
    side = bundled_text(cat, lang) if lang is not None and lang != DEFAULT else None
    if side is None:
        return (raw if version2 else dump(catalogue_document(cat))), {}
    base = doc if version2 else catalogue_document(cat)
    return dump(translated_document(base, side)), {
        "lang": side.lang, "texts": f"written in {LANGUAGES[side.lang]} ({side.lang}) from "
        f"the bundled translation {sidecar_path(path, side.lang).name}; the copy's hash is its "
        "own"}


def create_from_catalogue(store: Store, who: Person, title: str, catalogue_id: str,
                          scenario_id: str | None = None, aggregation: str = "median",
                          lang: str | None = None) -> int:
    """A draft owning a copy of a bundled catalogue, with a bundled scenario of that catalogue
    as its starting weights, gates and lots. ``lang``: the language the copy's texts are
    written in (``_copy_text``); None or English: the bundled texts as they are."""
    if catalogue_id not in bundled_catalogues():
        raise CommitteeError(f"{catalogue_id!r} is not a bundled catalogue (bundled: "
                             f"{', '.join(bundled_catalogues())})")
    if lang is not None and lang not in LANGUAGES:
        raise CommitteeError(f"{lang!r} is not a language of the app (those: "
                             f"{', '.join(LANGUAGES)})")
    path = catalogue_path(catalogue_id)
    cat = load_catalogue(path)
    text, said = _copy_text(catalogue_id, cat, lang)
    names = bundled_scenarios(catalogue_id)
    if scenario_id is not None and scenario_id not in names:
        raise CommitteeError(f"{scenario_id!r} is not a bundled scenario of {catalogue_id} "
                             f"(those: {', '.join(names) or 'none'})")
    if scenario_id or names:
        doc = load_scenario_doc(SCENARIOS_DIR / f"{scenario_id or names[0]}.yaml")
        scenario = _committee_scenario(doc, cat.id)
    else:
        scenario = blank_scenario(yaml.safe_load(text), {}, title)
    tid = create_tender(store, who, title, scenario, _grades(cat), aggregation)
    adopt_catalogue(store, who, tid, text, {"from": f"bundled catalogue {catalogue_id}",
                                             "scenario": scenario_id or
                                             (names[0] if names else None), **said})
    return tid


@dataclass(frozen=True)
class WorkbookRead:
    """A criteria workbook as a catalogue document and the weights of its weight column;
    ``problems``: its shape's (a document could not be read) or the catalogue's own rules'."""

    doc: dict[str, Any] | None
    weights: dict[str, Any]
    problems: tuple[Problem, ...]


def read_workbook(data: bytes, name: str) -> WorkbookRead:
    """The workbook through the core's reader (size, zip and bounds checked first), then every
    catalogue rule on the document read: all the problems, located, at once."""
    if len(data) > MAX_BYTES:
        return WorkbookRead(None, {}, (Problem(name, "", "file", f"the file is larger than "
                                               f"{MAX_BYTES:,} bytes"),))
    try:
        rd = read_criteria_workbook(data, name)
    except CatalogueError as exc:
        return WorkbookRead(None, {}, exc.problems)
    doc = json.loads(json.dumps(rd.doc, default=str))
    text = dump(doc)
    check = check_draft(text, blank_scenario(doc, rd.weights, "-"), [], 0)
    own = tuple(p for p in check.problems if p.file.endswith("catalogue"))
    return WorkbookRead(doc, rd.weights, tuple(Problem(name, "", p.question, p.message)
                                               for p in own))


def create_from_workbook(store: Store, who: Person, title: str, data: bytes, name: str,
                         aggregation: str = "median") -> int:
    """A draft from the buyer's criteria workbook: its catalogue, its weight column as the
    weights. A workbook that cannot be read is refused with every problem; one whose catalogue
    breaks a rule becomes a draft all the same, to be fixed in the editor (publication refuses
    it until then)."""
    rd = read_workbook(data, name)
    if rd.doc is None:
        raise CatalogueError(rd.problems)
    scenario = blank_scenario(rd.doc, rd.weights, title)
    grades = [str(q.get("id")) for q in rd.doc.get("questions") or []
              if isinstance(q, dict) and q.get("type") == "grade"]
    tid = create_tender(store, who, title, scenario, grades, aggregation)
    adopt_catalogue(store, who, tid, dump(rd.doc), {"from": f"criteria workbook {name}"})
    return tid


def adopt_catalogue(store: Store, who: Person, tid: int, text: str,
                     detail: dict[str, Any]) -> None:
    """The draft takes this catalogue text as its own (``detail`` says where it came from)."""
    with store.tx("the tender's catalogue") as s:
        t = load_tender(s, tid)
        require_role(s, t, who, "chair")
        require_state(t, N_("edit the tender"), "draft")
        t.catalogue_yaml = text
        s.flush()
        audit.append(s, who, "tender.catalogue", t.id, {**detail, "catalogue": digest(text)})


@dataclass(frozen=True)
class Draft:
    """A draft as the editor shows it: its documents (plain data), version and check."""

    id: int
    version: int
    catalogue: dict[str, Any] | None  # None: the tender names a bundled catalogue
    scenario: dict[str, Any]
    questions: tuple[str, ...]
    check: DraftCheck


def read_draft(store: Store, tid: int) -> Draft:
    with store.read() as s:
        t = load_tender(s, tid)
        return _draft(t)


def _draft(t: Tender) -> Draft:
    cat = yaml.safe_load(t.catalogue_yaml) if t.catalogue_yaml is not None else None
    qs = json.loads(t.questions_json)
    return Draft(t.id, t.version, cat if isinstance(cat, dict) else None,
                 json.loads(t.scenario_json), tuple(qs),
                 check_draft(t.catalogue_yaml, json.loads(t.scenario_json), qs, t.id))


def edit(store: Store, who: Person, tid: int, expected_version: int, op: str,
         change: Callable[[dict[str, Any], dict[str, Any], list[str]], None],
         detail: dict[str, Any]) -> Draft:
    """Apply one edit to the draft loaded at ``expected_version`` (refused if someone saved
    since: ``ConcurrentEditError``); recorded in the audit log as ``tender.authored`` with the
    operation, its arguments and the digests of the new documents."""
    with store.tx("the draft edit") as s:
        t = load_tender(s, tid, expected_version)
        require_role(s, t, who, "chair")
        require_state(t, N_("edit the tender"), "draft")
        if t.catalogue_yaml is None:
            raise CommitteeError("this tender names a bundled catalogue: create it from a "
                                 "catalogue or a criteria workbook to edit its criteria")
        cat = yaml.safe_load(t.catalogue_yaml)
        sc = json.loads(t.scenario_json)
        qs = list(json.loads(t.questions_json))
        change(cat, sc, qs)
        t.catalogue_yaml = dump(cat)
        t.scenario_json = json.dumps(sc, default=str)
        t.questions_json = json.dumps(qs)
        s.flush()
        audit.append(s, who, "tender.authored", t.id,
                     {"op": op, **detail, "catalogue": digest(t.catalogue_yaml),
                      "scenario": digest(sc), "questions": qs})
        return _draft(t)


def downloads(store: Store, tid: int) -> tuple[bytes, bytes]:
    """The tender's criteria workbook (with its weights when its scenario reads) and the
    bidders' questionnaire template, both generated from the tender's own catalogue as it
    stands (the published copy once published). A catalogue that breaks a rule is refused
    (``CatalogueError``): its template would ask the wrong questions."""
    from ..report.criteria_workbook import criteria_workbook
    from ..report.questionnaire_template import template_workbook

    with store.read() as s:
        t = load_tender(s, tid)
        cat = tender_catalogue(t)
        doc = (json.loads(t.published_canonical)["scenario"] if t.published_canonical
               else json.loads(t.scenario_json))
    try:
        weights = parse_scenario_doc(doc, f"tender {tid} scenario").weights
    except ScenarioError:
        weights = None
    return criteria_workbook(cat, weights), template_workbook(None, cat)


def catalogue_text(store: Store, tid: int) -> str:
    """The tender's own catalogue as YAML (the published copy once published): the file
    ``hostwise catalogue validate`` checks and a scenario can name. ``CommitteeError`` for a
    tender that names a bundled catalogue."""
    with store.read() as s:
        text = own_catalogue_text(load_tender(s, tid))
    if text is None:
        raise CommitteeError("this tender names a bundled catalogue: it has no catalogue of "
                             "its own")
    return text


def preview(d: Draft, change: Callable[[dict[str, Any], dict[str, Any], list[str]], None]
            ) -> DraftCheck:
    """The check of the draft as it would be after ``change``, nothing saved: what the
    editor shows while the chair is still typing."""
    if d.catalogue is None:
        return d.check
    cat, sc, qs = copy.deepcopy(d.catalogue), copy.deepcopy(d.scenario), list(d.questions)
    change(cat, sc, qs)
    return check_draft(dump(cat), sc, qs, d.id)


def preview_change(d: Draft, change: Callable[[dict[str, Any], dict[str, Any], list[str]], None]
                   ) -> tuple[DraftCheck, TreeDiff]:
    """``preview`` and what the change adds to or takes from the tree (pillars, questions,
    gates), for the editor to say before anything is saved."""
    if d.catalogue is None:
        return d.check, tree_diff({}, {})
    cat, sc, qs = copy.deepcopy(d.catalogue), copy.deepcopy(d.scenario), list(d.questions)
    change(cat, sc, qs)
    return check_draft(dump(cat), sc, qs, d.id), tree_diff(d.catalogue, cat)
