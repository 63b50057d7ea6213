"""Legal exposure: SecNumCloud 3.2 §19.6 thresholds and the timeline at a date."""

from __future__ import annotations

import datetime as dt

from scoring.io.catalogue import load_catalogue
from scoring.rules.legal import exposure, load_timeline, sec196
from tests.factories import EU_VENDOR, US_VENDOR, offer

D = dt.date
RULES = load_catalogue().certifications


def test_capital_threshold_19_6_b() -> None:
    """§19.6 b: > 24 % held by one non-EU entity fails; 20 % passes."""
    tl = load_timeline()
    fail = offer("a", {**EU_VENDOR, "legal.non_eu_share_individual": 30.0,
                       "legal.non_eu_share_collective": 30.0})
    ok = offer("b", {**EU_VENDOR, "legal.non_eu_share_individual": 20.0,
                     "legal.non_eu_share_collective": 20.0})
    assert sec196(fail, D(2026, 4, 1), RULES).b_capital_control is False
    assert sec196(fail, D(2026, 4, 1), RULES).immune is False
    assert sec196(ok, D(2026, 4, 1), RULES).immune is True
    ef = exposure(fail, tl, D(2026, 4, 1), rules=RULES)
    eo = exposure(ok, tl, D(2026, 4, 1), rules=RULES)
    assert eo.utility == 100.0
    assert ef.utility < eo.utility
    assert any("19.6 b" in f.label and f.points < 0 for f in ef.findings)


def test_collective_threshold_39() -> None:
    o = offer("a", {**EU_VENDOR, "legal.non_eu_share_individual": 20.0,
                    "legal.non_eu_share_collective": 40.0})
    assert sec196(o, D(2026, 1, 1), RULES).b_capital_control is False


def test_same_answers_different_law_across_2020_and_2023() -> None:
    """Privacy Shield until 2020-07-16, no transfer basis until 2023-07-10, DPF after."""
    tl = load_timeline()
    az = offer("azure", US_VENDOR, as_of=D(2019, 1, 1))
    before = exposure(az, tl, D(2020, 7, 15), rules=RULES)
    gap = exposure(az, tl, D(2020, 7, 16), rules=RULES)
    dpf = exposure(az, tl, D(2023, 7, 10), rules=RULES)
    assert gap.utility < before.utility
    assert dpf.utility > gap.utility
    assert any("Privacy Shield" in f.label for f in before.findings)
    assert not any(f.kind == "basis" for f in gap.findings)
    assert any("Data Privacy Framework" in f.label for f in dpf.findings)
    assert "CLOUD Act" in " ".join(before.laws)


def test_2019_and_2026_differ_for_the_same_answers() -> None:
    tl = load_timeline()
    az = offer("azure", US_VENDOR, as_of=D(2019, 1, 1))
    e19 = exposure(az, tl, D(2019, 2, 28), rules=RULES)
    e26 = exposure(az, tl, D(2026, 4, 23), rules=RULES)
    assert e19.utility != e26.utility
    assert set(e26.laws) - set(e19.laws)  # RISAA's broadening exists only in 2026


def test_cloud_act_not_before_2018() -> None:
    tl = load_timeline()
    az = offer("azure", US_VENDOR, as_of=D(2017, 1, 1))
    assert not any("CLOUD" in law for law in exposure(az, tl, D(2018, 3, 22), rules=RULES).laws)
    assert any("CLOUD" in law for law in exposure(az, tl, D(2018, 3, 23), rules=RULES).laws)


def test_unknown_control_follows_policy() -> None:
    tl = load_timeline()
    o = offer("x", {})
    worst = exposure(o, tl, D(2026, 1, 1), "worst", rules=RULES)
    excl = exposure(o, tl, D(2026, 1, 1), "exclude", rules=RULES)
    assert worst.utility < excl.utility
    assert excl.utility == 100.0


def test_qualification_fills_unknown_19_6() -> None:
    o = offer("q", {"legal.hq_country": "FR", "cert.secnumcloud": "qualified"},
              details={"cert.secnumcloud": {"since": D(2025, 12, 17)}})
    s = sec196(o, D(2026, 4, 1), RULES)
    assert s.immune is True and s.by_qualification
    assert sec196(o, D(2025, 12, 1), RULES).by_qualification is False
