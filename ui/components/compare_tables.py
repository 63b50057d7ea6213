"""Tables of the Compare and Replay pages, laid out from the ``compare_data`` contract (no
computation but set differences of the law lists, the best rank of a vendor, and formatting)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from scoring.engine import Evaluation
from scoring.methods.registry import METHODS
from ui.components.fmt import DASH, score, short_hash, signed


def short_label(file: str, title: str, width: int = 36) -> str:
    """A picker label that tells scenarios apart: the bundled titles share long beginnings and
    differ at the end ("... (replay; immunity = qualified or J0 reached)"), so the file stem,
    which is unique, comes first and the title is cut to ``width`` characters."""
    stem = file.removesuffix(".yaml")
    short = title if len(title) <= width else title[: width - 1].rstrip() + "…"
    return f"{stem} · {short}"


def vendor_names(evs: Sequence[Evaluation]) -> dict[str, str]:
    """Vendor id -> the name it bears in the latest of ``evs`` that it bids in (OVH's 2019
    questionnaire says "OVH (OVHcloud)", its 2026 ones "OVHcloud")."""
    return {r.offer.vendor_id: r.offer.vendor_name for e in evs for r in e.results}


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


def offers_frame(data: dict[str, Any], names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One row per vendor (or per offer when a vendor bids several in one scenario); the
    vendor by its name (``names``: vendor id -> name), as on Replay."""
    ids = [s["id"] for s in data["scenarios"]]
    rows = []
    for o in data["offers"]:
        row: dict[str, Any] = {"vendor": (names or {}).get(o["vendor"], o["vendor"]),
                               "offer(s)": o["offer"]}
        for n in ids:
            row[n] = _cell(o["by_scenario"].get(n))
        ch = o.get("rank_change")
        row["rank change"] = DASH if ch is None else ("=" if ch == 0 else signed(ch, 0))
        deltas = o.get("pillar_delta") or {}
        for p in deltas:  # the scenarios' catalogues' pillars, in their order
            d = deltas.get(p)
            row[f"Δ {p}"] = signed(d)
        row["gates that differ"] = ", ".join(o.get("gates_differ", [])) or DASH
        rows.append(row)
    return pd.DataFrame(rows)


def laws_frame(data: dict[str, Any], names: Mapping[str, str] | None = None) -> pd.DataFrame:
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
        rows.append({"vendor": (names or {}).get(o["vendor"], o["vendor"]),
                     f"laws in {first}": DASH if a is None else ", ".join(a) or "none",
                     f"laws in {last}": DASH if b is None else ", ".join(b) or "none",
                     "now reaching": ", ".join(added) or DASH,
                     "no longer reaching": ", ".join(gone) or DASH})
    return pd.DataFrame(rows)


def vendor_ranks(data: dict[str, Any], names: Mapping[str, str], bottom: int | None = None
                 ) -> dict[str, list[int | None]]:
    """Vendor name -> its best rank in each scenario of ``data`` (None: did not bid there).

    Joined by vendor identity (the vendor id), not by offer: OVH's 2019 offer ``ovh`` and its
    2026 offers ``ovhcloud`` and ``ovhcloud-public`` are one line, as the caption promises. A
    vendor that bid but had every offer excluded sits on ``bottom`` (a row below the last
    rank) when given, else is a gap; vendors never ranked anywhere are left out (a line of
    gaps says nothing). ``names``: vendor id -> the name to show (the latest era's); two
    vendors sharing a name keep their ids beside it, so lines never merge by accident."""
    ids = [s["id"] for s in data["scenarios"]]
    best: dict[str, list[int | None]] = {}
    bid: dict[str, list[bool]] = {}
    for o in data["offers"]:
        v = o["vendor"]
        rs = best.setdefault(v, [None] * len(ids))
        here = bid.setdefault(v, [False] * len(ids))
        for i, n in enumerate(ids):
            x = o["by_scenario"].get(n)
            if x is None:
                continue
            here[i] = True
            r = x.get("rank")
            cur = rs[i]
            if r is not None:
                rs[i] = r if cur is None else min(r, cur)
    shown = {v: names.get(v, v) for v in best}
    twice = {n for n in shown.values() if list(shown.values()).count(n) > 1}
    out: dict[str, list[int | None]] = {}
    for v, rs in best.items():
        if all(r is None for r in rs):
            continue
        name = f"{shown[v]} ({v})" if shown[v] in twice else shown[v]
        out[name] = [r if r is not None else (bottom if bid[v][i] else None)
                     for i, r in enumerate(rs)]
    return out
