"""Certifications in one room: HDS and SecNumCloud status on a date, expiry, the HDS v1→v2
deadline, and the evidence warnings a committee must see before signing a multi-year contract.

Why dated: a certificate is a fact at a date, not forever. The same questionnaire must say
"HDS-certified" on the 2019 evaluation date and "lapsed" after the v1 deadline, because the
scheme changed (arrêté of 26 April 2024: v1 holders recertify on v2 by 16 May 2026), not because
someone typed another answer. The deadline and the qualification length are data
(``CertificationRules`` in the question catalogue), never constants in code.

An answer without ``since`` describes the file's ``as_of`` date only; it is never assumed for
earlier dates (a status is known from its evidence on).
"""

from __future__ import annotations

import datetime as dt

from ..i18n import N_
from ..messages import Msg, word
from ..models import Answer, CertificationRules, Offer, show_date

SncStatus = str  # "qualified" | "in_process" | "none"
#: The statuses as words inside reasons (``messages.word``), for the catalogue.
STATUS_WORDS = (N_("qualified"), N_("in_process"), N_("none"))


def add_years(d: dt.date, years: int) -> dt.date:
    """``d`` plus whole years; 29 February maps to 28 February; saturates at the last date a
    ``datetime.date`` can hold (validation keeps real inputs far from it)."""
    year = min(d.year + years, dt.MAXYEAR)
    try:
        return d.replace(year=year)
    except ValueError:  # 29 February
        return d.replace(year=year, day=28)


def _shown(a: Answer, offer: Offer) -> tuple[str, str, str]:
    """since, until and the file date as the sources gave them (no day invented)."""
    return (show_date(a.since, a.since_text), show_date(a.until, a.until_text),
            show_date(offer.as_of, offer.as_of_text))


def hds_status_on(offer: Offer, on: dt.date, rules: CertificationRules,
                  v2_from: dt.date | None = None) -> tuple[bool | None, str]:
    """HDS in force on a date: certified, started by then, not lapsed; from ``v2_from`` (by
    default the catalogue's ``hds_v1_valid_until``) a v1 certificate no longer counts, and one
    whose version is not stated is unknown (a v2 renewal is not demonstrated, nor excluded)."""
    deadline = v2_from or rules.hds_v1_valid_until
    a = offer.answer("cert.hds")
    if not a.known:
        return None, Msg(N_("HDS status unknown"))
    since, until, as_of = _shown(a, offer)
    if a.value is False:
        return False, Msg(N_("not HDS-certified"))
    if a.since is not None and on < a.since:
        return False, Msg(N_("HDS-certified only from {since}"), since=since)
    if a.since is None and on < offer.as_of:
        return None, Msg(N_("HDS-certified on {as_of} (file date), start date unknown"),
                         as_of=as_of)
    if a.until is not None and on >= a.until:
        return False, Msg(N_("HDS certificate lapsed on {until}"), until=until)
    if on >= deadline and a.version is None:
        return None, Msg(N_("HDS certified, version not stated: from {deadline} only v2 counts, "
                            "and a v2 renewal is not in the evidence"), deadline=deadline)
    if on >= deadline and a.version != "v2":
        return False, Msg(N_("HDS {version}: v1 certificates stopped counting on {deadline} "
                             "(v2 required)"), version=a.version, deadline=deadline)
    if a.version and a.since:
        return True, Msg(N_("HDS {version} certified since {since}"), version=a.version,
                         since=since)
    if a.version:
        return True, Msg(N_("HDS {version} certified"), version=a.version)
    if a.since:
        return True, Msg(N_("HDS certified since {since}"), since=since)
    return True, Msg(N_("HDS certified"))


def snc_status_on(offer: Offer, on: dt.date, rules: CertificationRules
                  ) -> tuple[SncStatus | None, str]:
    """SecNumCloud status of the offer on a date: 'qualified', 'in_process', 'none' or None.

    A qualification lasts ``rules.secnumcloud_validity_years`` (ANSSI: three years); one still
    held on the file's date more than that after ``since`` was renewed.
    """
    a = offer.answer("cert.secnumcloud")
    if not a.known:
        return None, Msg(N_("SecNumCloud status unknown"))
    since, until, as_of = _shown(a, offer)
    status = str(a.value)
    if status == "none":
        return "none", Msg(N_("no SecNumCloud qualification or process"))
    start = a.since
    if start is None:
        if on < offer.as_of:
            return None, Msg(N_("SecNumCloud {status} on {as_of} (file date) but no start "
                                "date: unknown on {on}"), status=word(status), as_of=as_of,
                             on=on)
        start_txt: str = Msg(N_("start date not stated"))
    else:
        if on < start:
            return "none", Msg(N_("SecNumCloud {status} only from {since}"),
                               status=word(status), since=since)
        start_txt = Msg(N_("since {since}"), since=since)
    if status == "qualified":
        if a.until is not None and on >= a.until:
            return "none", Msg(N_("SecNumCloud qualification ({start}) lapsed on {until}"),
                               start=start_txt, until=until)
        years = rules.secnumcloud_validity_years
        # A start known to the year or month gives an expiry window: it may have lapsed from
        # its earliest end, and surely lapsed (unless renewed) by its latest.
        early = add_years(a.since_earliest or start, years) if start else None
        late = add_years(start, years) if start else None
        if early is not None and late is not None and on >= early:
            if late <= offer.as_of:
                return "qualified", _scoped(
                    N_("SecNumCloud qualified ({start}; renewed before {as_of}, renewal date not "
                       "stated)"),
                    N_("SecNumCloud qualified ({start}, {scope}; renewed before {as_of}, renewal "
                       "date not stated)"), a.scope, start=start_txt, as_of=as_of)
            if on >= late:
                return "none", Msg(N_("SecNumCloud qualification ({start}) lapsed by {late} "
                                      "({years} years)"), start=start_txt, late=late,
                                   years=years)
            return None, Msg(N_("SecNumCloud qualification ({start}) may have lapsed between "
                                "{early} and {late} ({years} years from a start known only as "
                                "{since})"), start=start_txt, early=early, late=late,
                             years=years, since=since)
        return "qualified", _scoped(N_("SecNumCloud qualified ({start})"),
                                    N_("SecNumCloud qualified ({start}, {scope})"), a.scope,
                                    start=start_txt)
    return "in_process", Msg(N_("SecNumCloud in process ({start}, J0 reached)"),
                             start=start_txt)


def _scoped(plain: str, with_scope: str, scope: str | None, **params: object) -> Msg:
    """The sentence with the qualification's scope (vendor text, never translated) when given."""
    return Msg(with_scope, scope=scope, **params) if scope else Msg(plain, **params)


def qualified_under_32(offer: Offer, on: dt.date, rules: CertificationRules) -> bool:
    """Whether a qualification in force on ``on`` was assessed against SecNumCloud 3.2 (§19.6):
    granted after its publication, or necessarily renewed since (the validity window starts
    after it)."""
    status, _ = snc_status_on(offer, on, rules)
    if status != "qualified":
        return False
    since = offer.answer("cert.secnumcloud").since_earliest  # "2022" is not surely after March
    published = rules.secnumcloud_v32_published
    return (since is not None and since >= published) or (
        add_years(published, rules.secnumcloud_validity_years) <= on)


def evidence_warnings(offer: Offer, on: dt.date, term_end: dt.date,
                      rules: CertificationRules) -> list[str]:
    """Certifications that have expired, or lapse within the contract term."""
    out: list[str] = []
    deadline = rules.hds_v1_valid_until
    hds = offer.answer("cert.hds")
    if hds.known and hds.value is True:
        if hds.version != "v2" and on < deadline <= term_end:
            ver = hds.version or word(N_("version not stated"))
            out.append(Msg(N_("HDS ({version}) lapses on {deadline} unless renewed on v2, within "
                              "the contract term"), version=ver, deadline=deadline))
        if hds.until and on <= hds.until < term_end:
            out.append(Msg(N_("HDS certificate ends {until}, within the contract term"),
                           until=show_date(hds.until, hds.until_text)))
    snc = offer.answer("cert.secnumcloud")
    if snc.known and snc.value == "qualified" and snc.since:
        end = snc.until or add_years(snc.since_earliest or snc.since,
                                     rules.secnumcloud_validity_years)
        if end <= offer.as_of and not snc.until:
            out.append(Msg(N_("SecNumCloud first qualified {since}; renewed by {as_of}, "
                              "current expiry date not stated"),
                           since=show_date(snc.since, snc.since_text),
                           as_of=show_date(offer.as_of, offer.as_of_text)))
        elif end <= on:
            out.append(Msg(N_("SecNumCloud qualification of {since} expired on {end}"),
                           since=show_date(snc.since, snc.since_text), end=end))
        elif end < term_end:
            out.append(Msg(N_("SecNumCloud qualification expires {end}, within the contract "
                              "term (renewal needed)"), end=end))
    if snc.known and snc.value == "in_process":
        out.append(Msg(N_("SecNumCloud in process only: qualification not obtained on the "
                          "evaluation date")))
    return out
