"""A catalogue document written in another language from its sidecar (docs/catalogue.md,
"A tender's own copy in another language").

Why: a sidecar is display only and applies to the bundled catalogue byte for byte
(``catalogue_text.bundled_text``). A committee that works in French and makes the tender its own
edits its copy, and from the first edit the sidecar no longer applies: the bidders' template,
the pages and the award report would turn English. So the committee's copy is *written* in its
language: every text the sidecar holds replaces the English one in the document, and the
document says which language it is in (``lang``). Nothing that is scored changes (ids, types,
weights, grids' levels and utilities, options' ids and utilities, bounds, modules, gates'
rules): the offers score the same against either copy, only the words differ (tested). The copy's
bytes, hence its hash, are its own.

Options have no name field in the format (the id is what the bidder types and is scored by):
their translations stay display-only texts of the bundled catalogue and are not written.
"""

from __future__ import annotations

import copy
from typing import Any

from .catalogue_text import CatalogueText


def translated_document(doc: dict[str, Any], text: CatalogueText) -> dict[str, Any]:
    """``doc`` (a version-2 catalogue document, plain data) with every text of ``text``
    written in place of its own and ``lang`` set after ``title``; ``doc`` is not changed."""
    out = copy.deepcopy(doc)
    t = text.texts
    if ("title",) in t:
        out["title"] = t[("title",)]
    for pid, p in (out.get("pillars") or {}).items():
        if not isinstance(p, dict):
            continue
        p["label"] = t.get(("pillar", pid), p.get("label"))
        crit = p.get("criteria")
        if isinstance(crit, dict):
            for cid in crit:
                crit[cid] = t.get(("criterion", pid, cid), crit[cid])
    for q in out.get("questions") or []:
        if not isinstance(q, dict):
            continue
        qid = q.get("id")
        q["help"] = t.get(("question", qid), q.get("help"))
        grid = q.get("grid")
        if isinstance(grid, dict):
            for level, g in grid.items():
                words = t.get(("grid", qid, level))
                if words is None:
                    continue
                if isinstance(g, dict):
                    g["descriptor"] = words
                else:
                    grid[level] = words
    for item, p in (out.get("price_items") or {}).items():
        if isinstance(p, dict) and ("price_item", item) in t:
            p["help"] = t[("price_item", item)]
    for g in out.get("gates") or []:
        if isinstance(g, dict) and ("gate", g.get("id")) in t:
            g["label"] = t[("gate", g.get("id"))]
    head: dict[str, Any] = {k: out[k] for k in ("version", "id", "title") if k in out}
    return {**head, "lang": text.lang, **{k: v for k, v in out.items()
                                          if k not in head and k != "lang"}}


__all__ = ["translated_document"]
