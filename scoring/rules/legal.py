"""Legal exposure at an evaluation date, computed from the control chain and the legal timeline.

Why computed, not typed: the same Azure answers must give a different legal picture in 2019 and
2026 because the law differed (Privacy Shield until 2020-07-16, no transfer basis until
2023-07-10, the Data Privacy Framework after; FISA 702's 2024 broadening), not because someone
typed another number.

The control test follows ANSSI SecNumCloud 3.2 §19.6 (8 March 2022):
  a) registered office, central administration and principal establishment in the EU;
  b) no non-EU entity holding > 24 % of capital or votes individually, or > 39 % collectively,
     and no non-EU veto or power to appoint the majority of the boards;
  c) no non-EU third party with the technical ability to obtain customer or technical data.
US law reaches a provider through *control* by a US-jurisdiction entity (CLOUD Act,
18 U.S.C. § 2713: data in the provider's "possession, custody, or control"), not through server
location; hence ``us_control`` is decided by the ultimate parent's and the head office's country.

The points each law takes from the 0-100 legal utility are Hostwise's weighting, stored in
``data/legal/timeline.yaml`` next to each event and shown in every explanation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from ..bundled import DATA_DIR
from ..countries import is_eu
from ..errors import LegalTimelineError, Problem, validated
from ..i18n import N_
from ..io.files import InputFileError, read_input
from ..io.yamlsafe import YamlReadError, load_yaml
from ..messages import Msg
from ..models import CertificationRules, Confidence, Frozen, Offer
from .certifications import qualified_under_32

DEFAULT_TIMELINE = DATA_DIR / "legal" / "timeline.yaml"
MAX_TIMELINE_BYTES = 1_048_576
Tri = bool | None  # True / False / None (unknown)


class LegalSource(Frozen):
    title: str
    url: str | None = None
    date: dt.date | None = None
    note: str | None = None


class LegalEvent(Frozen):
    id: str
    date: dt.date
    until: dt.date | None = None
    kind: Literal["foreign_law", "transfer_basis", "requirement", "ruling", "certification_rule"]
    jurisdiction: str
    reaches: Literal["us_control", "non_eu_control"] | None = None
    exposure: float = 0.0
    mitigation: float = 0.0
    title: str
    effect: str
    source: str | list[str]
    confidence: Confidence

    def in_force(self, on: dt.date) -> bool:
        return self.date <= on and (self.until is None or on < self.until)


class LegalWeighting(Frozen):
    """The points each law takes off (or gives back to) the legal utility are Hostwise's own
    weighting, not a legal fact: a labelled assumption, named wherever a legal score is used."""

    label: str  # "ASSUMPTION LEGAL-PTS"
    reasoning: str


class LegalTimeline(Frozen):
    schema_: int = 1
    sources: dict[str, LegalSource]
    events: tuple[LegalEvent, ...]
    weighting: LegalWeighting | None = None
    sha256: str = ""

    def at(self, on: dt.date) -> list[LegalEvent]:
        """Events in force (or already decided) on a date, in date order."""
        return [e for e in self.events if e.in_force(on)]


def parse_timeline(data: bytes, name: str = "timeline.yaml") -> LegalTimeline:
    """Parse and validate the legal timeline; raise ``LegalTimelineError`` with every problem."""
    try:
        doc = load_yaml(data)
    except YamlReadError as exc:
        raise LegalTimelineError([Problem(name, "", loc, m) for loc, m in exc.problems]) from None
    if not isinstance(doc, dict):
        raise LegalTimelineError([Problem(name, "", "", "the timeline must be a mapping")])
    doc = dict(doc)
    if "schema" in doc:
        doc["schema_"] = doc.pop("schema")
    tl = validated(LegalTimeline, doc, name, LegalTimelineError)
    problems: list[Problem] = []
    seen: set[str] = set()
    for e in tl.events:
        if e.id in seen:
            problems.append(Problem(name, "", e.id, "duplicate event id"))
        seen.add(e.id)
        for sid in [e.source] if isinstance(e.source, str) else e.source:
            if sid not in tl.sources:
                problems.append(Problem(name, "", e.id, f"source {sid!r} is not defined"))
        if e.until is not None and e.until <= e.date:
            problems.append(Problem(name, "", e.id, "until must be after date"))
        if e.kind == "foreign_law" and e.reaches is None:
            problems.append(Problem(name, "", e.id, "a foreign_law needs `reaches`"))
        if not 0 <= e.exposure <= 100 or not 0 <= e.mitigation <= 100:
            problems.append(Problem(name, "", e.id, "points must be between 0 and 100"))
    if problems:
        raise LegalTimelineError(problems)
    return tl.model_copy(update={"sha256": hashlib.sha256(data).hexdigest()})


@lru_cache(maxsize=4)
def _cached(data: bytes, name: str) -> LegalTimeline:
    return parse_timeline(data, name)


def load_timeline(path: str | Path | None = None) -> LegalTimeline:
    """Load the legal timeline (the bundled one by default): size-checked, regular files only,
    cached by content (an edited file is never served stale)."""
    p = Path(path) if path is not None else DEFAULT_TIMELINE
    try:
        data = read_input(p, MAX_TIMELINE_BYTES)
    except InputFileError as exc:
        raise LegalTimelineError([Problem(str(p), "", "file", exc.strerror or "cannot read")]
                                 ) from None
    return _cached(data, p.name)


# ---------------------------------------------------------------- the model parameters


class LegalModel(Frozen):
    """Points for facts that are not laws (Hostwise weighting; a scenario may override them).

    Why these facts: they are the SecNumCloud 3.2 §19.2/§19.6 criteria that a law-by-law list
    does not capture (a minority non-EU shareholder, a non-EU technology partner with access,
    administration from outside the EU, data stored outside the EU).
    """

    capital_or_control: float = 20.0     # §19.6 b fails without a reaching foreign law
    non_eu_control_other: float = 30.0   # controlled from a non-EU, non-US jurisdiction
    third_party_access: float = 15.0     # §19.6 c: non-EU third party can reach data
    admin_access: float = 10.0           # §19.2 c: administration from outside the EU
    data_outside_eu: float = 20.0        # §19.2: data stored or processed outside the EU


# ---------------------------------------------------------------- facts at a date


#: A finding's kinds as words shown to people (translated where shown, ``_``).
KIND_WORDS = (N_("law"), N_("basis"), N_("fact"), N_("unknown"), N_("info"))


@dataclass(frozen=True)
class Finding:
    """One line of the explanation: what was found, its effect in points, and why."""

    label: str
    points: float
    reason: str
    kind: Literal["law", "basis", "fact", "unknown", "info"] = "fact"


@dataclass(frozen=True)
class Sec196:
    """SecNumCloud 3.2 §19.6 a-c, each True (met), False (failed) or None (unknown)."""

    a_eu_seat: Tri
    b_capital_control: Tri
    c_third_party: Tri
    by_qualification: bool = False

    @property
    def immune(self) -> Tri:
        parts = (self.a_eu_seat, self.b_capital_control, self.c_third_party)
        if any(p is False for p in parts):
            return False
        if all(p is True for p in parts):
            return True
        return None


@dataclass(frozen=True)
class LegalExposure:
    offer: str
    on: dt.date
    utility: float
    us_control: Tri
    non_eu_control: Tri
    sec196: Sec196
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def laws(self) -> list[str]:
        return [f.label for f in self.findings if f.kind == "law"]


def control_chain(offer: Offer) -> tuple[Tri, Tri]:
    """(us_control, non_eu_control) from the head office and ultimate parent countries."""
    hq, parent = offer.value("legal.hq_country"), offer.value("legal.parent_country")
    if hq == "US" or parent == "US":
        return True, True
    if hq is None or parent is None:
        known_non_eu = (hq is not None and not is_eu(hq)) or (
            parent is not None and not is_eu(parent))
        return None, True if known_non_eu else None
    return False, not (is_eu(hq) and is_eu(parent))


def sec196(offer: Offer, on: dt.date, rules: CertificationRules) -> Sec196:
    """SecNumCloud 3.2 §19.6 a-c from the answers; a 3.2 qualification in force fills unknowns.

    A qualification in force on ``on`` assessed against v3.2 (see
    ``certifications.qualified_under_32``) means ANSSI checked §19.6, so unknown sub-tests count
    as met "by qualification". Explicit answers always win.
    """
    hq = offer.value("legal.hq_country")
    a: Tri = None if hq is None else bool(is_eu(hq))
    ind = offer.value("legal.non_eu_share_individual")
    col = offer.value("legal.non_eu_share_collective")
    veto = offer.value("legal.non_eu_veto_or_board")
    parts: list[Tri] = [
        None if ind is None else ind <= 24.0,
        None if col is None else col <= 39.0,
        None if veto is None else not veto,
    ]
    b: Tri = False if False in parts else (True if all(p is True for p in parts) else None)
    tpa = offer.value("legal.non_eu_third_party_access")
    c: Tri = None if tpa is None else not tpa
    by_q = False
    if None in (a, b, c) and qualified_under_32(offer, on, rules):
        a, b, c = (True if x is None else x for x in (a, b, c))
        by_q = True
    return Sec196(a, b, c, by_q)


def exposure(
    offer: Offer,
    timeline: LegalTimeline,
    on: dt.date,
    policy: Literal["worst", "exclude"] = "worst",
    model: LegalModel | None = None,
    *,
    rules: CertificationRules,
) -> LegalExposure:
    """Legal utility (0-100, higher = less exposed) of an offer on a date, with its reasons.

    Unknown facts follow the scenario's missing-answer policy: ``worst`` treats an unknown fact
    as the exposed case (a tender cannot credit what a bidder did not demonstrate); ``exclude``
    leaves it out and says so.
    """
    m = model or LegalModel()
    us, non_eu = control_chain(offer)
    s196 = sec196(offer, on, rules)
    findings: list[Finding] = []
    total = 0.0
    reached: dict[str, float] = {}
    for e in timeline.at(on):
        if e.kind != "foreign_law":
            continue
        hit: Tri = us if e.reaches == "us_control" else non_eu
        if hit is True or (hit is None and policy == "worst"):
            why = (N_("controlled by a US-jurisdiction entity; in force since {date}")
                   if e.reaches == "us_control"
                   else N_("controlled from outside the EU; in force since {date}"))
            if hit is None:
                why = N_("control chain unknown: treated as reached (policy worst); in force "
                         "since {date}")
            findings.append(Finding(e.title, -e.exposure, Msg(why, date=e.date), "law"))
            total -= e.exposure
            reached[e.jurisdiction] = reached.get(e.jurisdiction, 0.0) + e.exposure
        elif hit is None:
            findings.append(Finding(e.title, 0.0, Msg(N_("control chain unknown: not counted "
                                                         "(policy exclude)")), "unknown"))
    for e in timeline.at(on):
        if e.kind == "transfer_basis" and e.jurisdiction in reached and e.mitigation:
            give = min(e.mitigation, reached[e.jurisdiction])
            why_b = (Msg(N_("valid transfer basis on {on} (from {date}, until {until}): some "
                            "legal cover, not immunity"), on=on, date=e.date, until=e.until)
                     if e.until else
                     Msg(N_("valid transfer basis on {on} (from {date}): some legal cover, not "
                            "immunity"), on=on, date=e.date))
            findings.append(Finding(e.title, give, why_b, "basis"))
            total += give
    if any(j for j in reached) and not any(
        e.kind == "transfer_basis" and e.jurisdiction in reached for e in timeline.at(on)
    ):
        findings.append(Finding(Msg(N_("No transfer basis")), 0.0,
                                Msg(N_("no adequacy decision in force on {on} for the reaching "
                                       "jurisdiction(s)"), on=on), "info"))
    us_reached = "US" in reached
    if non_eu is True and us is False and not any(
            e.reaches == "non_eu_control" for e in timeline.at(on) if e.kind == "foreign_law"):
        parent = offer.value("legal.parent_country")
        findings.append(Finding(Msg(N_("Non-EU control ({parent})"), parent=parent),
                                -m.non_eu_control_other,
                                Msg(N_("ultimate parent outside the EU and the US: its laws may "
                                       "reach the data (not itemised by this tool)")), "fact"))
        total -= m.non_eu_control_other

    def fact(label: str, bad: Tri, pts: float, bad_reason: str, skip: bool = False) -> None:
        nonlocal total
        if skip:
            return
        if bad is True:
            findings.append(Finding(Msg(label), -pts, Msg(bad_reason), "fact"))
            total -= pts
        elif bad is None and policy == "worst":
            findings.append(Finding(Msg(label), -pts,
                                    Msg(N_("unknown: treated as failing (policy worst)")),
                                    "unknown"))
            total -= pts
        elif bad is None:
            findings.append(Finding(Msg(label), 0.0,
                                    Msg(N_("unknown: not counted (policy exclude)")), "unknown"))

    b_bad: Tri = None if s196.b_capital_control is None else not s196.b_capital_control
    fact(N_("§19.6 b capital and control"), b_bad, m.capital_or_control,
         N_("a non-EU entity holds > 24 % alone, > 39 % together, a veto or the board "
            "majority"),
         skip=us_reached or non_eu is True)
    c_bad: Tri = None if s196.c_third_party is None else not s196.c_third_party
    fact(N_("§19.6 c non-EU third-party access"), c_bad, m.third_party_access,
         N_("a non-EU third party has technical access to customer or technical data"),
         skip=us_reached)
    loc = offer.value("legal.data_location")
    fact(N_("Data outside the EU"), None if loc is None else loc == "non_eu", m.data_outside_eu,
         N_("customer data stored or processed outside the EU"))
    fact(N_("Administration from outside the EU"), offer.value("legal.non_eu_admin_access"),
         m.admin_access, N_("support or administrators outside the EU can reach the service"))
    if s196.immune is True:
        met = (N_("SecNumCloud 3.2 §19.6 a-c met (met by the SecNumCloud 3.2 qualification)")
               if s196.by_qualification else N_("SecNumCloud 3.2 §19.6 a-c met"))
        findings.append(Finding(Msg(met), 0.0,
                                Msg(N_("protected against non-EU law by the §19.6 criteria")),
                                "info"))
    utility = max(0.0, min(100.0, 100.0 + total))
    return LegalExposure(offer.offer_id, on, utility, us, non_eu, s196, tuple(findings))
