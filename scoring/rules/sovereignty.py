"""EU Cloud Sovereignty Framework (European Commission, DG DIGIT, v1.2.1, October 2025).

Eight objectives SOV-1..SOV-8, each at a SEAL level 0-4. Default objective weights
15/10/10/15/20/15/10/5 (as transcribed in MISP/misp-taxonomies ``sov``; other published
transcriptions give conflicting variants, so a scenario may override them and the override is
shown). The overall SEAL level is the *lowest* objective ("the weakest objective caps the
level"), and a tender may set a minimum SEAL per objective as a gate (bidders below it are
rejected whatever the price).

Where a questionnaire leaves SOV-1, SOV-2 or SOV-3 unknown, a scenario may let Hostwise *derive*
a conservative level from the legal answers, using the SEAL definitions:
  SEAL-0 exclusive non-EU control, non-EU jurisdiction; SEAL-1 EU law formally applies, exclusive
  non-EU control; SEAL-2 EU law enforceable, material non-EU dependencies (indirect control);
  SEAL-3 marginal non-EU control; SEAL-4 full EU control, no critical non-EU dependency.
A derived level never exceeds SEAL-3 (SEAL-4 needs evidence on every factor, which control facts
alone do not give) and is labelled "derived" wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..i18n import N_
from ..messages import Msg
from ..models import SEAL_OBJECTIVES, CertificationRules, Offer
from .legal import Tri, control_chain, sec196

OBJECTIVES = SEAL_OBJECTIVES
DEFAULT_WEIGHTS: dict[str, float] = {
    "SOV-1": 15, "SOV-2": 10, "SOV-3": 10, "SOV-4": 15,
    "SOV-5": 20, "SOV-6": 15, "SOV-7": 10, "SOV-8": 5,
}
DERIVED_CAP = 3
#: The origins of a level as words shown to people (``messages.word``, ``_``).
ORIGIN_WORDS = (N_("answer"), N_("derived"), N_("unknown"))


@dataclass(frozen=True)
class ObjectiveLevel:
    objective: str
    question: str
    level: int | None
    origin: str  # "answer", "derived" or "unknown"
    reason: str


def _derive(objective: str, offer: Offer, on: dt.date, rules: CertificationRules
            ) -> tuple[int | None, str]:
    if objective not in ("SOV-1", "SOV-2", "SOV-3"):
        return None, Msg(N_("no rule derives this objective"))
    us, non_eu = control_chain(offer)
    hq = offer.value("legal.hq_country")
    s = sec196(offer, on, rules)
    if objective in ("SOV-1", "SOV-2"):
        if non_eu is True:
            from ..countries import EU27

            if hq is not None and hq in EU27:
                return 1, Msg(N_("EU entity ({hq}) under exclusive non-EU control ({parent}): "
                                 "SEAL-1"), hq=hq, parent=offer.value("legal.parent_country"))
            return 0, Msg(N_("non-EU entity under non-EU control: SEAL-0"))
        if non_eu is False:
            if s.b_capital_control is False:
                return 2, Msg(N_("EU-controlled but §19.6 b fails (non-EU stake or veto): "
                                 "SEAL-2"))
            if s.c_third_party is False:
                return 2, Msg(N_("EU-controlled but a non-EU third party has technical access "
                           "(material non-EU dependency): SEAL-2"))
            if s.immune is True:
                return DERIVED_CAP, Msg(N_("EU control, §19.6 a-c met: SEAL-3 (derived cap)"))
            return 2, Msg(N_("EU head office and parent; §19.6 b or c not demonstrated: SEAL-2 "
                       "(EU law enforceable, dependencies not excluded)"))
        return None, Msg(N_("control chain unknown"))
    if objective == "SOV-3":
        loc = offer.value("legal.data_location")
        admin: Tri = offer.value("legal.non_eu_admin_access")
        if loc is None:
            return None, Msg(N_("data location unknown"))
        if loc == "non_eu":
            return 0, Msg(N_("data stored or processed outside the EU: SEAL-0"))
        if us is True:
            return 1, Msg(N_("data in the EU but the provider is under US control: SEAL-1"))
        if admin is True:
            return 2, Msg(N_("data in the EU, administration from outside the EU: SEAL-2"))
        if admin is False:
            return DERIVED_CAP, Msg(N_("data in the EU, EU-only administration: SEAL-3 "
                                       "(derived cap)"))
        return 2, Msg(N_("data in the EU; non-EU administration not excluded: SEAL-2"))
    return None, Msg(N_("no rule derives this objective"))


def objective_levels(offer: Offer, on: dt.date, rules: CertificationRules, derive: bool = True
                     ) -> list[ObjectiveLevel]:
    """SEAL level per objective: the answer if known, else a derived level (when allowed)."""
    out: list[ObjectiveLevel] = []
    for obj, qid, _name in OBJECTIVES:
        a = offer.answer(qid)
        if a.known:
            out.append(ObjectiveLevel(obj, qid, int(a.value), "answer",
                                      a.note or Msg(N_("answered SEAL-{level}"),
                                                          level=a.value)))
            continue
        if derive:
            lvl, why = _derive(obj, offer, on, rules)
            if lvl is not None:
                out.append(ObjectiveLevel(obj, qid, lvl, "derived", why))
                continue
        out.append(ObjectiveLevel(obj, qid, None, "unknown", Msg(N_("not answered"))))
    return out


def overall_seal(levels: list[ObjectiveLevel]) -> tuple[int | None, bool]:
    """Overall SEAL = lowest objective; returns (level, complete). Unknown objectives make the
    level a ceiling only (complete=False): the true minimum may be lower."""
    known = [lv.level for lv in levels if lv.level is not None]
    if not known:
        return None, False
    return min(known), len(known) == len(levels)
