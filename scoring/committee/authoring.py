"""A committee authors its own tender (issue 19, part 2): a draft made from a bundled
catalogue (with that catalogue's bundled scenario as the starting weights, gates and lots) or
from the buyer's criteria workbook ("grille d'analyse"), then edited operation by operation:
criteria and questions, a question's type and grid, weights, gates, lots, the workload.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from ..bundled import DATA_DIR
from ..errors import CatalogueError, HostwiseError, Problem, ScenarioError
from ..hashing import digest
from ..io.catalogue import CATALOGUES_DIR, catalogue_path, load_catalogue
from ..io.catalogue_rules import CATALOGUE_ID
from ..io.catalogue_yaml import catalogue_document
from ..io.criteria_workbook import MAX_BYTES, parse_pairs, read_criteria_workbook
from ..io.files import read_input
from ..models import Catalogue
from ..scenario.load import load_scenario_doc, parse_scenario_doc
from . import audit
from .access import load_tender, require_role, require_state
from .catalogue import DraftCheck, check_draft, tender_catalogue
from .errors import CommitteeError
from .identity import Person
from .models import Tender
from .store import Store
from .workflow import create_tender

SCENARIOS_DIR = DATA_DIR / "scenarios"
TYPES = ("bool", "enum", "number", "percent", "level", "date", "country", "text", "grade")
DEFAULT_GRID = {0: "absent", 1: "insufficient", 2: "partial", 3: "satisfying", 4: "excellent"}
# fields a question keeps only under some types (docs/catalogue.md, "Questions")
_TYPED = {"grid": ("grade",), "options": ("enum",), "unit": ("number", "percent"),
          "min": ("number", "percent"), "max": ("number", "percent"),
          "scale": ("number", "percent"), "details": ("enum",)}
_NOT_GRADE = ("required", "dated", "details")
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


def create_from_catalogue(store: Store, who: Person, title: str, catalogue_id: str,
                          scenario_id: str | None = None, aggregation: str = "median") -> int:
    """A draft owning a copy of a bundled catalogue (a version-2 file's bytes as they are, so
    an unedited copy keeps the bundled hash; the version-1 ``hdh`` in the version-2 form), with
    a bundled scenario of that catalogue as its starting weights, gates and lots."""
    if catalogue_id not in bundled_catalogues():
        raise CommitteeError(f"{catalogue_id!r} is not a bundled catalogue (bundled: "
                             f"{', '.join(bundled_catalogues())})")
    path = catalogue_path(catalogue_id)
    cat = load_catalogue(path)
    raw = read_input(path, MAX_BYTES).decode("utf-8")
    text = raw if (yaml.safe_load(raw) or {}).get("version") == 2 else dump(
        catalogue_document(cat))
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
                                             (names[0] if names else None)})
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
        require_state(t, "edit the tender", "draft")
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
        require_state(t, "edit the tender", "draft")
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


# ---- the operations: each changes the documents in place (pure; tested on their own) ----

def _pillar(cat: dict[str, Any], pid: str) -> dict[str, Any]:
    p = (cat.get("pillars") or {}).get(pid)
    if not isinstance(p, dict):
        raise CommitteeError(f"no pillar {pid!r} in the catalogue")
    return p


def _question(cat: dict[str, Any], qid: str) -> dict[str, Any]:
    for q in cat.get("questions") or []:
        if isinstance(q, dict) and q.get("id") == qid:
            return q
    raise CommitteeError(f"no question {qid!r} in the catalogue")


def _criterion_weights(sc: dict[str, Any], pid: str) -> dict[str, Any]:
    pw = sc.setdefault("weights", {}).setdefault(pid, {"weight": 0})
    if not isinstance(pw.get("criteria"), dict):
        pw["criteria"] = {}
    crit: dict[str, Any] = pw["criteria"]
    return crit


def add_criterion(pid: str, cid: str, label: str) -> Callable[..., None]:
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        crit = _pillar(cat, pid).setdefault("criteria", {})
        if cid in crit:
            raise CommitteeError(f"criterion {cid!r} already exists in {pid}")
        crit[cid] = label
    return go


def rename_criterion(pid: str, cid: str, label: str) -> Callable[..., None]:
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        crit = _pillar(cat, pid).get("criteria") or {}
        if cid not in crit:
            raise CommitteeError(f"no criterion {cid!r} in {pid}")
        crit[cid] = label
    return go


def remove_criterion(pid: str, cid: str) -> Callable[..., None]:
    """The criterion, its questions and its weight (a question without its criterion could
    never be weighted)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        crit = _pillar(cat, pid).get("criteria") or {}
        if cid not in crit:
            raise CommitteeError(f"no criterion {cid!r} in {pid}")
        del crit[cid]
        gone = [q["id"] for q in cat.get("questions") or []
                if q.get("pillar") == pid and q.get("criterion") == cid]
        cat["questions"] = [q for q in cat.get("questions") or [] if q.get("id") not in gone]
        qs[:] = [q for q in qs if q not in gone]
        (((sc.get("weights") or {}).get(pid) or {}).get("criteria") or {}).pop(cid, None)
    return go


def rename_pillar(pid: str, label: str) -> Callable[..., None]:
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        _pillar(cat, pid)["label"] = label
    return go


def add_question(pid: str, cid: str, qid: str, qtype: str, text: str,
                 requirement: str) -> Callable[..., None]:
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        if qid in {q.get("id") for q in cat.get("questions") or []}:
            raise CommitteeError(f"question {qid!r} already exists")
        if qtype not in TYPES:
            raise CommitteeError(f"type must be one of {', '.join(TYPES)}")
        q: dict[str, Any] = {"id": qid, "pillar": pid, "criterion": cid, "type": qtype,
                             "help": text, "requirement": requirement}
        if qtype == "grade":
            q["grid"] = dict(DEFAULT_GRID)
            qs.append(qid)
        cat.setdefault("questions", []).append(q)
    return go


def remove_question(qid: str) -> Callable[..., None]:
    """The question, its weight and its place on the evaluators' list."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        q = _question(cat, qid)
        cat["questions"] = [x for x in cat["questions"] if x is not q]
        qs[:] = [x for x in qs if x != qid]
        cw = (((sc.get("weights") or {}).get(q.get("pillar")) or {}).get("criteria") or {}
              ).get(q.get("criterion"))
        if isinstance(cw, dict) and isinstance(cw.get("questions"), dict):
            cw["questions"].pop(qid, None)
    return go


def set_question(qid: str, *, text: str | None = None, requirement: str | None = None,
                 qtype: str | None = None, grid: dict[int, Any] | None = None
                 ) -> Callable[..., None]:
    """A question's text, requirement, type or grid. A type change drops the fields the new
    type does not have (a grade has no options, no scale, is never required) and gives a new
    grade the default 0-4 grid; a grade joins the evaluators' list, a type they cannot score
    leaves it."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        q = _question(cat, qid)
        if text is not None:
            q["help"] = text
        if requirement is not None:
            q["requirement"] = requirement
        if qtype is not None and qtype != q.get("type"):
            if qtype not in TYPES:
                raise CommitteeError(f"type must be one of {', '.join(TYPES)}")
            q["type"] = qtype
            for k, types in _TYPED.items():
                if qtype not in types:
                    q.pop(k, None)
            if qtype == "grade":
                for k in _NOT_GRADE:
                    q.pop(k, None)
                q["grid"] = dict(DEFAULT_GRID)
                if qid not in qs:
                    qs.append(qid)
            elif qtype not in ("level", "number", "percent"):
                qs[:] = [x for x in qs if x != qid]
        if grid is not None:
            q["grid"] = {int(k): v for k, v in grid.items()}
    return go


def set_weights(pillars: dict[str, float], criteria: dict[tuple[str, str], float],
                questions: dict[tuple[str, str, str], float]) -> Callable[..., None]:
    """Pillar, criterion and question weights (a question weight of None: equal shares)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        w = sc.setdefault("weights", {})
        for p, v in pillars.items():
            w.setdefault(p, {})["weight"] = v
        for (p, c), v in criteria.items():
            crit = _criterion_weights(sc, p)
            cur = crit.get(c)
            if isinstance(cur, dict):
                cur["weight"] = v
            else:
                crit[c] = v
        for (p, c, q), v in questions.items():
            crit = _criterion_weights(sc, p)
            cur = crit.get(c)
            cw: dict[str, Any] = (cur if isinstance(cur, dict) else
                                  {"weight": cur if cur is not None else 0})
            cw.setdefault("questions", {})[q] = v
            crit[c] = cw
    return go


def set_gates(ids: Sequence[str]) -> Callable[..., None]:
    """The catalogue gates that apply (a published minimum requirement each); an entry the
    scenario already had keeps its overrides, a gate of the scenario's own stays."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        have = {g.get("id"): g for g in sc.get("gates") or []}
        known = {g.get("id") for g in cat.get("gates") or []}
        sc["gates"] = ([have.get(i, {"id": i}) for i in ids]
                       + [g for i, g in have.items() if i not in known])
    return go


def set_lots(lots: list[dict[str, Any]]) -> Callable[..., None]:
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        if lots:
            sc["lots"] = copy.deepcopy(lots)
        else:
            sc.pop("lots", None)
    return go


def set_workload(annual: dict[str, float], one_off: dict[str, float] | None = None
                 ) -> Callable[..., None]:
    """The quantities bought each year (and once, when given) of the catalogue's price items
    (a quantity of 0 or none: the item is not bought)."""
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        wl = sc.setdefault("workload", {})
        wl["annual"] = {k: v for k, v in annual.items() if v}
        if one_off is not None:
            wl["one_off"] = {k: v for k, v in one_off.items() if v}
    return go


def set_evaluated(qids: Sequence[str]) -> Callable[..., None]:
    def go(cat: dict[str, Any], sc: dict[str, Any], qs: list[str]) -> None:
        qs[:] = list(qids)
    return go


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


def grid_of(text: str) -> dict[int, Any]:
    """A grid written as the criteria workbook writes it (``0=absent; 1=partial``, a third
    part the level's utility: ``1=partial=40``); ``CommitteeError`` says what is wrong."""
    grid, err = parse_pairs(text, numeric_keys=True)
    if err is not None:
        raise CommitteeError(f"grid: {err}")
    return grid


def grid_text(grid: dict[Any, Any] | None) -> str:
    """A grid as ``grid_of`` reads it back."""
    def one(k: Any, v: Any) -> str:
        if isinstance(v, dict):
            return f"{k}={v.get('descriptor', '')}" + (
                f"={v['utility']}" if v.get("utility") is not None else "")
        return f"{k}={v}"
    return "; ".join(one(k, v) for k, v in (grid or {}).items())


def preview(d: Draft, change: Callable[[dict[str, Any], dict[str, Any], list[str]], None]
            ) -> DraftCheck:
    """The check of the draft as it would be after ``change``, nothing saved: what the
    editor shows while the chair is still typing."""
    if d.catalogue is None:
        return d.check
    cat, sc, qs = copy.deepcopy(d.catalogue), copy.deepcopy(d.scenario), list(d.questions)
    change(cat, sc, qs)
    return check_draft(dump(cat), sc, qs, d.id)


def lots_of(rows: Sequence[tuple[Any, Any, Any, Any]], lots: Sequence[dict[str, Any]]
            ) -> list[dict[str, Any]]:
    """Lots as the editor's table gives them, (id, name, weight, demand written
    ``item=quantity; ...``), each keeping the fields of the lot of that id it had (gates,
    lot weights, incumbent). A row without an id is skipped; a bad demand is refused
    (``CommitteeError``, naming the lot)."""
    had = {str(x.get("id")): x for x in lots}
    out = []
    for lid, name, weight, demand in rows:
        if lid is None or not str(lid).strip():
            continue
        lid = str(lid).strip()
        pairs, err = parse_pairs(str(demand or ""), numeric_keys=False)
        if err is not None or any(v is None for v in pairs.values()):
            raise CommitteeError(f"lot {lid}: demand: {err or 'every item needs a quantity'}")
        lot = {**had.get(lid, {}), "id": lid, "name": str(name or lid), "demand": pairs}
        if weight is not None and weight == weight:  # NaN: left empty
            lot["weight"] = float(weight)
        out.append(lot)
    return out
