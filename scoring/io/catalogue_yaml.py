"""A catalogue written back as YAML (``hostwise catalogue import``): the version-2 form, each
field only where it differs from its default, grids in their short form, so the file a buyer
gets reads like one written by hand and parses to the same catalogue."""

from __future__ import annotations

from typing import Any

import yaml

from ..models import Catalogue


def _plain(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def catalogue_document(cat: Catalogue) -> dict[str, Any]:
    """The catalogue as a version-2 document (plain data; dates stay dates)."""
    doc = _plain(cat.model_dump(mode="python", exclude_defaults=True, exclude={"sha256"}))
    doc["version"] = 2
    doc = {"version": 2, "id": cat.id, "title": cat.title, "modules": list(cat.modules),
           **{k: v for k, v in doc.items() if k not in ("version", "id", "title", "modules")}}
    doc["pillars"] = {p: ({"label": d.label} if not d.criteria else
                          {"label": d.label, "criteria": dict(d.criteria)})
                      for p, d in cat.pillars.items()}
    for q in doc.get("questions", []):
        grid = q.get("grid")
        if grid and all(g.get("utility") is None for g in grid.values()):
            q["grid"] = {k: g["descriptor"] for k, g in grid.items()}
    return doc


def catalogue_yaml(cat: Catalogue) -> str:
    head = (f"# Tender catalogue {cat.id} (docs/catalogue.md), written by "
            "`hostwise catalogue import`.\n")
    return head + yaml.safe_dump(catalogue_document(cat), sort_keys=False, allow_unicode=True,
                                 width=100)
