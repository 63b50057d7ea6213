"""``hostwise validate``: what was loaded, answer by answer (JSON) or offer by offer (text)."""

from __future__ import annotations

from typing import Any

from ..io import answer_counts
from ..models import CONFIDENCES, Catalogue, LoadedSet
from .text import table


def _json_value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def validate_json(loaded: LoadedSet, cat: Catalogue) -> dict[str, Any]:
    """The ``hostwise validate --json`` contract: every offer with every catalogue answer."""
    offers = []
    for o in loaded.offers:
        answers = {}
        for qid in cat.ids:
            a = o.answer(qid)
            answers[qid] = {
                "value": _json_value(a.value) if a.known else None,
                "confidence": a.confidence,
                "source": ",".join(a.sources) if a.sources else None,
            }
        offers.append({
            "vendor": o.vendor_id, "offer": o.offer_id, "era": o.era,
            "as_of": o.as_of.isoformat(), "file": o.file, "answers": answers,
        })
    return {"offers": offers}


def validate_text(loaded: LoadedSet, cat: Catalogue) -> str:
    """One line per offer (known/unknown answers by confidence), and the totals."""
    rows = []
    totals = dict.fromkeys(CONFIDENCES, 0)
    for o in sorted(loaded.offers, key=lambda o: (o.era, o.offer_id)):
        c = answer_counts(o, cat)
        for k in totals:
            totals[k] += c[k]
        known = sum(v for k, v in c.items() if k != "unknown")
        rows.append([o.era, o.vendor_name, o.offer_id, str(o.as_of), str(known), str(c["unknown"]),
                     f"{c['confirmed']}/{c['recalled']}/{c['secondary']}/{c['conflicting']}",
                     str(len(o.prices)), str(len(o.sources))])
    head = table(rows, ["era", "vendor", "offer", "as of", "known", "unknown",
                        "conf/rec/2nd/confl", "prices", "sources"])
    return (f"{head}\n\n{len(loaded.offers)} offers loaded from {len(loaded.files)} files; "
            "answers: " + ", ".join(f"{v} {k}" for k, v in totals.items()))
