"""What every section of the award report shares: numbers, weights and dates written the one
way (the rounding rule of ``scoring.report.numbers``, the locale's decimal mark and date
format), and the reads of the tender's published record every section starts from (its
publication, its steps in the audit log, its catalogue, its final ranking without the bidders
the reader declared a conflict with: Directive 2014/24/EU art. 24).

One module so that a number or a date reads the same in every section of the "rapport d'analyse
des offres" (``report``); the sections live in ``report_record``, ``report_award``,
``report_scoring`` and ``report_trail``.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import HostwiseError
from ..i18n import N_, _, format_date, format_number
from ..io.catalogue import load_catalogue
from ..models import Catalogue
from ..report.numbers import as_data
from .catalogue import tender_catalogue
from .clarifications import withhold
from .models import AuditRecord, Tender

POLICIES = {"worst": N_("worst (an unknown answer scores the worst)"),
            "exclude": N_("exclude (an offer with an unknown answer is excluded)"),
            "uncertain": N_("uncertain (an unknown answer spans its range)")}
NOISY = {"score.saved", "bid.read", "document.read"}  # counted in the timeline, not listed
Hidden = frozenset[str]  # bidders the reader declared a conflict with: withheld
STEPS = ("tender.created", "tender.published", "tender.sealed", "tender.opened",
         "tender.technical_evaluation", "tender.clarification", "tender.evaluated",
         "tender.awarded")


#: Words of the report that come from data (steps of the timeline, the aggregation), marked
#: for extraction so the French catalogue keeps them.
_WORDS = (N_("created"), N_("published"), N_("sealed"), N_("opened"),
          N_("technical_evaluation"), N_("clarification"), N_("evaluated"), N_("awarded"),
          N_("median"), N_("mean"))


def num(x: float | None, nd: int = 2) -> str:
    """A number as people read it: the one rounding rule (``numbers.as_data``, then half away
    from zero), the locale's decimal mark and grouping."""
    if x is None:
        return "-"
    return format_number(as_data(x), nd)


def weight(x: Any) -> str:
    """A published weight as written (40 → "40", 0.25 → "0.25" / "0,25")."""
    if x is None:
        return "-"
    v = float(x)
    return format_number(Decimal(repr(v)), 0 if v == int(v) else 2)


def when(iso: str | None) -> str:
    """An ISO 8601 UTC timestamp of the database as a dated time in the locale."""
    if not iso:
        return "-"
    day = format_date(dt.date.fromisoformat(iso[:10]))
    return f"{day}, {iso[11:16]} UTC" if len(iso) >= 16 else day


def policy(name: str | None) -> str:
    """The missing-answer policy in words (the published name when it is a new one)."""
    return _(POLICIES[name]) if name in POLICIES else (name or "-")


def day(iso: str | None) -> str:
    """An ISO 8601 date (or the date part of a timestamp) as a date in the locale."""
    return "-" if not iso else format_date(dt.date.fromisoformat(str(iso)[:10]))


def published(t: Tender) -> dict[str, Any]:
    """What the committee published (criteria, weights, gates, questions), as frozen."""
    return dict(json.loads(t.published_canonical or "{}"))


def step_records(s: Session, t: Tender) -> dict[str, AuditRecord]:
    """The audit record of each step the tender went through (who moved it, when)."""
    rows = s.execute(select(AuditRecord).where(AuditRecord.tender_id == t.id,
                                               AuditRecord.action.in_(STEPS))
                     .order_by(AuditRecord.seq)).scalars()
    return {r.action: r for r in rows}


def catalogue_of(t: Tender) -> Catalogue:
    """The tender's catalogue (its own or the one its scenario names: the one it was scored
    on, ``committee.catalogue``)."""
    try:
        return tender_catalogue(t)
    except HostwiseError:  # a report still says what it can: the default catalogue's words
        return load_catalogue()


def final_rank(t: Tender, hidden: Hidden) -> dict[str, Any]:
    """The final ranking without the bidders the reader declared a conflict with."""
    return withhold(json.loads(t.final_rank_json or "{}"), hidden)
