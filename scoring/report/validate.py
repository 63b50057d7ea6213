"""``hostwise validate``: what was loaded, answer by answer (JSON) or offer by offer (text)."""

from __future__ import annotations

from typing import Any

from ..i18n import _
from ..io import answer_counts, other_product_counts
from ..models import CONFIDENCES, Catalogue, LoadedSet, show_date
from .text import table


def _json_value(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def validate_json(loaded: LoadedSet, cat: Catalogue) -> dict[str, Any]:
    """The ``hostwise validate --json`` contract: every offer with every catalogue answer.

    Added keys (issue 10): per offer ``as_of_text`` (the date as written: ``2019``, ``2019-02``
    or ``2019-02-28``; ``as_of`` stays a full day, the last of that period) and
    ``product_line``; per answer ``other_product`` (the other product line a value was taken
    from, or null): such a value is shown, as loaded, but never scored."""
    offers = []
    for o in loaded.offers:
        answers = {}
        for qid in cat.ids:
            a = o.answer(qid)
            shown = a.known or a.from_other_product
            answers[qid] = {
                "value": _json_value(a.value) if shown else None,
                "confidence": a.confidence,
                "source": ",".join(a.sources) if a.sources else None,
                "other_product": a.other_product,
            }
        offers.append({
            "vendor": o.vendor_id, "offer": o.offer_id, "era": o.era,
            "as_of": o.as_of.isoformat(), "file": o.file, "answers": answers,
            "as_of_text": show_date(o.as_of, o.as_of_text), "product_line": o.product_line,
        })
    return {"offers": offers}


def validate_text(loaded: LoadedSet, cat: Catalogue) -> str:
    """One line per offer (known/unknown answers by confidence; answers/prices taken from
    another product line, kept but not scored), and the totals."""
    rows = []
    totals = dict.fromkeys(CONFIDENCES, 0)
    for o in sorted(loaded.offers, key=lambda o: (o.era, o.offer_id)):
        c = answer_counts(o, cat)
        for k in totals:
            totals[k] += c[k]
        known = sum(v for k, v in c.items() if k != "unknown")
        other = other_product_counts(o)
        rows.append([o.era, o.vendor_name, o.offer_id, show_date(o.as_of, o.as_of_text),
                     str(known), str(c["unknown"]),
                     f"{c['confirmed']}/{c['recalled']}/{c['secondary']}/{c['conflicting']}",
                     str(len(o.prices)), str(len(o.sources)), f"{other[0]}/{other[1]}"])
    head = table(rows, [_("era"), _("vendor"), _("offer"), _("as of"), _("known"), _("unknown"),
                        _("conf/rec/2nd/confl"), _("prices"), _("sources"),
                        _("other line (ans/prices)")])
    return (head + "\n\n" + _("{offers} offers loaded from {files} files; answers: {counts}")
            .format(offers=len(loaded.offers), files=len(loaded.files),
                    counts=", ".join(f"{v} {_(k)}" for k, v in totals.items())))
