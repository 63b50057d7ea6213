"""Tidy views of loaded offers for the Offers page: one row per offer, one row per answer, the
completeness grid (offer × question) and the sources with their links.

Display only: loading and validation are the core's (``scoring.io``). A link is offered only
for an ``http``/``https`` URL; anything else (``javascript:``, ``file:``, a bare reference)
stays text, because a link column makes its value clickable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

import pandas as pd

from scoring.io import answer_counts
from scoring.io.catalogue_text import label
from scoring.models import Catalogue, Offer, Question

#: Completeness states, in the heatmap's order (index = z value).
STATES = ("unknown", "n/a on the date", "from another product line", "known")
STATE_COLOURS = ("#d62728", "#c7c7c7", "#ffbf00", "#2ca02c")


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL with a host, else None."""
    if not url:
        return None
    p = urlparse(url.strip())
    return url.strip() if p.scheme in ("http", "https") and p.netloc else None


def _applies(q: Question, offer: Offer) -> bool:
    on = offer.as_of
    return not ((q.applies_from and on < q.applies_from)
                or (q.applies_until and on >= q.applies_until))


def state_of(q: Question, offer: Offer) -> int:
    """Index into ``STATES`` for one answer."""
    if not _applies(q, offer):
        return 1
    a = offer.answer(q.id)
    if getattr(a, "from_other_product", False):
        return 2
    return 3 if a.known else 0


def _value(v: object, confidence: str) -> str:
    if v is None or confidence == "unknown":
        return "unknown"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, bool):
        return "yes" if v else "no"
    return str(v)


def summary(offers: Iterable[Offer], cat: Catalogue, seal: dict[str, str],
            uploaded: set[str]) -> pd.DataFrame:
    rows = []
    has_country = "legal.hq_country" in cat.ids  # a tender that does not ask has no column
    for o in offers:
        country = o.value("legal.hq_country")
        line = getattr(o, "product_line", "") or ""
        rows.append({
            "vendor": o.vendor_name, "id": o.offer_id, "era": o.era,
            **({"HQ country": "—" if country is None else str(country)} if has_country else {}),
            **({"SEAL": seal.get(o.offer_id, "—")} if cat.uses("sovereignty") else {}),
            **answer_counts(o, cat),
            "prices": len(o.prices), "as of": o.as_of.isoformat(), "offer": o.offer_name,
            "product line": "" if line in ("", o.offer_name) else line,
            "origin": "uploaded" if o.key in uploaded else "bundled",
        })
    return pd.DataFrame(rows)


def answers(offer: Offer, cat: Catalogue) -> pd.DataFrame:
    rows = []
    for q in cat.questions:
        a = offer.answer(q.id)
        srcs = [offer.sources[s] for s in a.sources if s in offer.sources]
        link = next((u for s in srcs if (u := web_url(s.url))), None)
        rows.append({
            "pillar": q.pillar, "question": q.id,
            "text": label(cat, "question", q.id),  # the catalogue's words, run's language
            "state": STATES[state_of(q, offer)],
            "value": _value(a.value, a.confidence), "confidence": a.confidence,
            "link": link or "", "source": "; ".join(s.title for s in srcs),
            "scope": a.scope or "",
            "other product line": getattr(a, "other_product", None) or "",
            "note": a.note or "",
        })
    return pd.DataFrame(rows)


def sources(offer: Offer) -> pd.DataFrame:
    rows = []
    for sid, s in offer.sources.items():
        link = web_url(s.url)
        rows.append({"id": sid, "title": s.title, "link": link or "",
                     "reference (not a web link)": "" if link or not s.url else s.url,
                     "date": "undated" if s.date is None else s.date.isoformat(),
                     "note": s.note or ""})
    return pd.DataFrame(rows)


def grid(offers: Sequence[Offer], cat: Catalogue) -> list[list[int]]:
    return [[state_of(q, o) for q in cat.questions] for o in offers]
