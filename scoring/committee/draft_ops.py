"""The edit operations on a draft's documents (``authoring``): each takes its arguments and
returns a change that edits the catalogue document, the scenario and the evaluators' list in
place. Pure (no database): ``authoring.edit`` applies one under the draft's version and audits
it, ``authoring.preview`` applies one to copies to show the check before saving.

The rules of an edit live here, once: what a removed criterion or question takes with it (its
questions, its weight, its place on the evaluators' list, the catalogue's answer gates on
it), what a type change drops (a grade has no options or scale, and gets the 0-4 grid), how a
grid or a lot's demand is written
(``0=absent; 1=partial``, ``item=quantity``: as in the criteria workbook).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from typing import Any

from ..io.criteria_workbook import parse_pairs
from .errors import CommitteeError

TYPES = ("bool", "enum", "number", "percent", "level", "date", "country", "text", "grade")
DEFAULT_GRID = {0: "absent", 1: "insufficient", 2: "partial", 3: "satisfying", 4: "excellent"}
# fields a question keeps only under some types (docs/catalogue.md, "Questions")
_TYPED = {"grid": ("grade",), "options": ("enum",), "unit": ("number", "percent"),
          "min": ("number", "percent"), "max": ("number", "percent"),
          "scale": ("number", "percent"), "details": ("enum",)}
_NOT_GRADE = ("required", "dated", "details")


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


def drop_gates(cat: dict[str, Any], sc: dict[str, Any],
               unsupported: Callable[[dict[str, Any]], bool]) -> None:
    """The catalogue's gates the edited catalogue can no longer support, and the scenario's
    entries applying them: no edit of the editor can remove a catalogue gate, and one left
    behind would stop the publication for good (the check names what is removed beforehand
    only for the modules; the audit record keeps the documents' digests)."""
    gone = {g.get("id") for g in cat.get("gates") or [] if unsupported(g)}
    if gone:
        cat["gates"] = [g for g in cat["gates"] if g.get("id") not in gone]
        sc["gates"] = [g for g in sc.get("gates") or [] if g.get("id") not in gone]


def orphan_answer_gate(cat: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """An answer gate on a question the catalogue no longer asks."""
    ids = {q.get("id") for q in cat.get("questions") or []}
    return lambda g: g.get("kind") == "answer" and g.get("question") not in ids


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
        drop_gates(cat, sc, orphan_answer_gate(cat))
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
        drop_gates(cat, sc, orphan_answer_gate(cat))
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


def weight_of(text: object, where: str) -> float | None:
    """A weight as typed in the editor (``12``, ``12.5`` or ``12,5``; empty: none given);
    ``CommitteeError`` names the row otherwise."""
    s = str(text if text is not None else "").strip().replace("\u00a0", "").replace(" ", "")
    if not s or s.lower() in ("nan", "none"):
        return None
    try:
        v = float(s.replace(",", "."))
    except ValueError:
        raise CommitteeError(f"{where}: {s!r} is not a number") from None
    if not v == v or v in (float("inf"), float("-inf")):
        raise CommitteeError(f"{where}: {s!r} is not a number")
    return v
