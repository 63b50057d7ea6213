"""Tables of the Compare page, laid out from the ``compare_data`` contract (no computation but
set differences of the law lists and formatting)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from scoring.engine import Evaluation
from scoring.methods.registry import METHODS
from scoring.models import PILLARS
from ui.components.b_common import signed
from ui.components.fmt import DASH, score, short_hash


def scenarios_frame(data: dict[str, Any], titles: Sequence[str],
                    evs: Sequence[Evaluation]) -> pd.DataFrame:
    return pd.DataFrame({
        "scenario": list(titles),
        "id": [s["id"] for s in data["scenarios"]],
        "evaluation date": [s["evaluation_date"] for s in data["scenarios"]],
        "method": [METHODS[e.method].label for e in evs],
        "leader": [s["leader"] or "none (no offer passes the gates)" for s in data["scenarios"]],
        "content hash": [short_hash(s["hash"]) for s in data["scenarios"]],
    })


def _cell(x: dict[str, Any] | None) -> str:
    if x is None:
        return "did not bid"
    if x["eligible"]:
        return f"#{x['rank']} ({score(x['total'])})"
    return "excluded: " + ", ".join(x["excluded_by"])


def offers_frame(data: dict[str, Any]) -> pd.DataFrame:
    """One row per vendor (or per offer when a vendor bids several in one scenario)."""
    ids = [s["id"] for s in data["scenarios"]]
    rows = []
    for o in data["offers"]:
        row: dict[str, Any] = {"vendor": o["vendor"], "offer(s)": o["offer"]}
        for n in ids:
            row[n] = _cell(o["by_scenario"].get(n))
        ch = o.get("rank_change")
        row["rank change"] = DASH if ch is None else ("=" if ch == 0 else signed(ch, 0))
        deltas = o.get("pillar_delta") or {}
        for p in PILLARS:
            d = deltas.get(p)
            row[f"Δ {p}"] = signed(d)
        row["gates that differ"] = ", ".join(o.get("gates_differ", [])) or DASH
        rows.append(row)
    return pd.DataFrame(rows)


def laws_frame(data: dict[str, Any]) -> pd.DataFrame:
    """The laws reaching each vendor in the first and last scenario, and what changed."""
    ids = [s["id"] for s in data["scenarios"]]
    first, last = ids[0], ids[-1]
    rows = []
    for o in data["offers"]:
        s = o["by_scenario"]
        a = s.get(first, {}).get("legal_laws") if first in s else None
        b = s.get(last, {}).get("legal_laws") if last in s else None
        added = sorted(set(b or []) - set(a or [])) if a is not None and b is not None else []
        gone = sorted(set(a or []) - set(b or [])) if a is not None and b is not None else []
        rows.append({"vendor": o["vendor"],
                     f"laws in {first}": DASH if a is None else ", ".join(a) or "none",
                     f"laws in {last}": DASH if b is None else ", ".join(b) or "none",
                     "now reaching": ", ".join(added) or DASH,
                     "no longer reaching": ", ".join(gone) or DASH})
    return pd.DataFrame(rows)


def bump_ranks(data: dict[str, Any]) -> dict[str, list[int | None]]:
    """Vendor -> its best rank in each scenario (None: excluded or absent), one line per
    vendor so that OVH (2019) and OVHcloud (2026) are one line; vendors never ranked are left
    out (a line of gaps says nothing)."""
    ids = [s["id"] for s in data["scenarios"]]
    out: dict[str, list[int | None]] = {}
    for o in data["offers"]:
        rs = [o["by_scenario"].get(n, {}).get("rank") for n in ids]
        cur = out.setdefault(o["vendor"], [None] * len(ids))
        out[o["vendor"]] = [b if a is None else a if b is None else min(a, b)
                            for a, b in zip(cur, rs, strict=True)]
    return {v: rs for v, rs in out.items() if any(r is not None for r in rs)}
