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

from scoring.i18n import N_, _
from scoring.io import answer_counts
from scoring.io.catalogue_text import label
from scoring.models import Catalogue, Offer, Question

#: Completeness states, in the heatmap's order (index = z value); English ids, shown with ``_``.
STATES = (N_("unknown"), N_("n/a on the date"), N_("from another product line"), N_("known"))
#: Words that are data values here and shown translated (confidence levels, pillars, origins).
WORDS = (N_("confirmed"), N_("recalled"), N_("conflicting"), N_("secondary"), N_("bundled"),
         N_("uploaded"), N_("technical"), N_("cost"), N_("legal"), N_("sovereignty"),
         N_("HQ country"), N_("origin"))
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
        return _("unknown")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, bool):
        return _("yes") if v else _("no")
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


def shown_columns(table: pd.DataFrame) -> pd.DataFrame:
    """The summary as shown: column names and our own words (origin) in the session's
    language; the frame ``summary`` returns keeps English ids, which the page filters on."""
    out = table.copy()
    if "origin" in out.columns:
        out["origin"] = out["origin"].map(_)
    out.columns = [c if c in ("SEAL", "id") else _(c) for c in out.columns]
    return out


def answers(offer: Offer, cat: Catalogue) -> pd.DataFrame:
    rows = []
    for q in cat.questions:
        a = offer.answer(q.id)
        srcs = [offer.sources[s] for s in a.sources if s in offer.sources]
        link = next((u for s in srcs if (u := web_url(s.url))), None)
        rows.append({
            _("pillar"): _(q.pillar), _("question"): q.id,
            _("text"): label(cat, "question", q.id),  # the catalogue's words, run's language
            _("state"): _(STATES[state_of(q, offer)]),
            _("value"): _value(a.value, a.confidence), _("confidence"): _(a.confidence),
            _("link"): link or "", _("source"): "; ".join(s.title for s in srcs),
            _("scope"): a.scope or "",
            _("other product line"): getattr(a, "other_product", None) or "",
            _("note"): a.note or "",
        })
    return pd.DataFrame(rows)


def sources(offer: Offer) -> pd.DataFrame:
    rows = []
    for sid, s in offer.sources.items():
        link = web_url(s.url)
        rows.append({"id": sid, _("title"): s.title, _("link"): link or "",
                     _("reference (not a web link)"): "" if link or not s.url else s.url,
                     _("date"): _("undated") if s.date is None else s.date.isoformat(),
                     _("note"): s.note or ""})
    return pd.DataFrame(rows)


def grid(offers: Sequence[Offer], cat: Catalogue) -> list[list[int]]:
    return [[state_of(q, o) for q in cat.questions] for o in offers]
