"""ISO 3166-1 alpha-2 codes and the EU member list.

Why here and not a dependency: the list is short, stable and must not change under a committee's
feet between two runs (determinism). EU membership is as of 2020-02-01 (United Kingdom out);
Hostwise evaluates dates from 2019, and the UK's exit matters for a 2019 replay only marginally
(no UK-controlled vendor is bundled), so a single list is used and documented.
"""

from __future__ import annotations


def _codes(text: str) -> frozenset[str]:
    """Codes written as one space-separated block (compact, and easy to diff)."""
    return frozenset(text.split())


ISO_ALPHA2: frozenset[str] = _codes(
    """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR
    BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ
    EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW
    GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY
    KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV
    MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY
    QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG
    TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM
    ZW
    """
)

# The 27 member states since 2020-02-01 (Treaty on European Union, art. 52).
EU27: frozenset[str] = _codes(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK"
)


def is_eu(code: str | None) -> bool | None:
    """True/False for a known code, None when the code is unknown (unknown is not "no")."""
    if code is None:
        return None
    return code in EU27
