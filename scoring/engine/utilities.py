"""Utilities of answers at a date: one catalogue rule per answer type, 0-100."""

from __future__ import annotations

import datetime as dt

from ..i18n import N_
from ..messages import Msg
from ..models import CertificationRules, Offer, Question, show_date
from ..rules.certifications import hds_status_on, snc_status_on


def answer_utility(q: Question, offer: Offer, on: dt.date, rules: CertificationRules | None
                   ) -> tuple[float | None, str]:
    """0-100 utility of an answer through the catalogue's rule, on the evaluation date.

    Next: ``scoring.engine.tree.build_leaves`` gives each question its weight.
    """
    a = offer.answer(q.id)
    if q.id == "cert.hds" and rules is not None:
        ok, why = hds_status_on(offer, on, rules)
        return (None if ok is None else (100.0 if ok else 0.0)), why
    if q.id == "cert.secnumcloud" and rules is not None:
        status, why = snc_status_on(offer, on, rules)
        return (None if status is None else float((q.options or {}).get(status) or 0.0)), why
    if not a.known:
        return None, "unknown"
    if q.dated:
        if a.since is not None and on < a.since:
            return 0.0, Msg(N_("only from {since}"), since=show_date(a.since, a.since_text))
        if a.until is not None and on >= a.until:
            return 0.0, Msg(N_("lapsed on {until}"), until=show_date(a.until, a.until_text))
        if a.since is None and on < offer.as_of:
            return None, Msg(N_("known on {as_of} (file date), not before"),
                             as_of=show_date(offer.as_of, offer.as_of_text))
    v = a.value
    if q.type == "bool":
        return (100.0 if v else 0.0), str(v).lower()
    if q.type == "enum":
        u = (q.options or {}).get(str(v))
        return (None if u is None else float(u)), str(v)
    if q.type == "level":
        return 25.0 * int(v), f"SEAL-{v}"
    if q.type == "grade":
        g = (q.grid or {}).get(int(v))
        u = q.grade_utility(int(v))
        shown = (Msg(N_("level {level} ({descriptor})"), level=v, descriptor=g.descriptor)
                 if g is not None else Msg(N_("level {level}"), level=v))
        return u, Msg(N_("{shown}; {note}"), shown=shown, note=a.note) if a.note else shown
    if q.type in ("number", "percent") and q.scale is not None:
        lo, hi = q.scale.worst, q.scale.best
        u = (float(v) - lo) / (hi - lo) * 100.0
        return max(0.0, min(100.0, u)), f"{v:g}{' ' + q.unit if q.unit else ''}"
    return None, Msg(N_("not scored"))

