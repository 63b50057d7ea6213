"""Issue 10, concepts 2 and 5 at the loader: an offer is scoped to one product line, and dates
keep the precision their source gives.

- ``offer.product_line`` (default: the offer's name); an answer or price marked
  ``other_product`` is kept for the record (value shown, price listed) and never scored
  (``Answer.known`` False, ``Offer.price`` skips it); naming the file's own line, or nothing, is a
  located refusal.
- A date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; no day is invented: the text is kept as
  written, and the day kept for computing is the conservative end (``since``: last day, no
  later than ``as_of``; ``until``: first day; a price's reading: first day; ``as_of`` and a
  source's date: last day, no later than the compilation). A price may be dated ``unknown``.
  Years outside 1990-2199 are refused (the engine adds contract terms to dates, issue 9).

Every fixture is the frozen Azure 2019 questionnaire edited in memory (tests/conftest.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine.utilities import answer_utility
from scoring.errors import Problem
from scoring.io import answer_counts, other_product_counts, parse_partial_date, parse_questionnaire
from scoring.io.catalogue import load_catalogue
from scoring.io.values import MAX_YEAR, MIN_YEAR
from scoring.models import Answer, Offer, PartialDate, Price, show_date
from scoring.rules.certifications import hds_status_on
from tests.conftest import problems_of, replace_once

OFFER_LINE = "offer: {id: azure, name: Microsoft Azure (public cloud regions)}"
HDS = "cert.hds: {value: true, source: S1, confidence: confirmed, version: v1,"
ISO = "cert.iso27001: {value: true, source: S6, confidence: recalled}"
PRICE = "  - {item: oneoff.build, price: 900000, currency: EUR, date: 2019-02-28, source: S1,"
SOURCE_DATE = "    date: 2018-03-15\n"
CAT = load_catalogue()
RULES = CAT.certifications


def load(data: bytes) -> Offer:
    return parse_questionnaire(data, "t.yaml", CAT)


def with_line(azure: bytes, line: str) -> bytes:
    """The fixture whose offer block reads ``line``."""
    return replace_once(azure, OFFER_LINE, line)


def hds(azure: bytes, details: str) -> bytes:
    """The fixture with ``details`` (``since: 2018, ...``) added to the HDS answer."""
    return replace_once(azure, HDS, HDS + " " + details)


def one(problems: list[Problem], question: str, *phrases: str) -> None:
    hits = [p for p in problems if p.question == question
            and all(ph in p.message for ph in phrases)]
    assert hits, f"no problem at {question} with {phrases}: {problems}"
    assert all(p.vendor == "microsoft" for p in hits)


# ------------------------------------------------------------------------- PartialDate


@pytest.mark.parametrize("text,first,last", [
    ("2021", dt.date(2021, 1, 1), dt.date(2021, 12, 31)),
    ("2021-02", dt.date(2021, 2, 1), dt.date(2021, 2, 28)),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2021-02-18", dt.date(2021, 2, 18), dt.date(2021, 2, 18)),
])
def test_each_precision_round_trips_to_its_text(text: str, first: dt.date, last: dt.date) -> None:
    d = PartialDate.parse(text)
    assert str(d) == text
    assert (d.first(), d.last()) == (first, last)
    assert d.precision == ("year", "month", "day")[text.count("-")]
    assert PartialDate.parse(str(d)) == d


def test_partial_date_comparisons() -> None:
    y, m, d = PartialDate(2021), PartialDate(2021, 2), PartialDate(2021, 2, 18)
    assert y != PartialDate(2021, 1, 1)  # structural: a year is not its first day
    assert sorted([d, m, y]) == [y, m, d]  # by first day, then last day
    assert not y.surely_before(PartialDate(2021, 6))  # overlapping periods
    assert m.surely_before(PartialDate(2021, 3)) and not m.surely_before(m)
    assert y.contains(dt.date(2021, 7, 1)) and not m.contains(dt.date(2021, 3, 1))


def test_show_date_gives_the_text_as_written() -> None:
    assert show_date(dt.date(2021, 12, 31), "2021") == "2021"
    assert show_date(dt.date(2021, 2, 18)) == "2021-02-18"
    assert show_date(None) == "unknown"


# ----------------------------------------------------------------- dates in a questionnaire


@pytest.mark.parametrize("written,text", [
    ("2019", "2019"), ('"2019"', "2019"), ("2019-02", "2019-02"), ('"2019-02"', "2019-02"),
    ("2019-02-28", "2019-02-28"), ('"2019-02-28"', "2019-02-28"),
])
def test_as_of_keeps_its_precision_quoted_or_not(azure_bytes: bytes, written: str,
                                                 text: str) -> None:
    o = load(replace_once(azure_bytes, "as_of: 2019-02-28", f"as_of: {written}"))
    assert o.as_of_text == text
    assert o.as_of == PartialDate.parse(text).last()  # the last day of the stated period
    assert show_date(o.as_of, o.as_of_text) == text


def test_as_of_is_never_after_the_compilation(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, "as_of: 2019-02-28", "as_of: 2019")
    data = replace_once(data, "compiled_on: 2026-11-28", "compiled_on: 2019-06-10")
    data = re.sub(rb"\n    date: [0-9-]+\n", b"\n    date: 2019-01\n", data)  # every source
    o = load(data)
    assert (o.as_of, o.as_of_text) == (dt.date(2019, 6, 10), "2019")
    assert (o.compiled_on, o.compiled_on_text) == (dt.date(2019, 6, 10), "2019-06-10")


def test_since_is_read_late_and_until_early(azure_bytes: bytes) -> None:
    """A status is never assumed before the evidence surely shows it; a lapse as early as it
    may be (the engine then never counts a status the source does not make certain)."""
    a = load(hds(azure_bytes, "since: 2018, until: 2020-06,")).answers["cert.hds"]
    assert (a.since, a.since_text) == (dt.date(2018, 12, 31), "2018")
    assert (a.until, a.until_text) == (dt.date(2020, 6, 1), "2020-06")
    assert a.since_period == PartialDate(2018) and a.until_period == PartialDate(2020, 6)
    assert a.since_earliest == dt.date(2018, 1, 1)  # for expiries: start as early as it may be
    # ... and the certifications module (the engine's reader) agrees: not yet in mid-2018,
    # held at the file's date, lapsed from the first day of June 2020.
    o = load(hds(azure_bytes, "since: 2018, until: 2020-06,"))
    assert hds_status_on(o, dt.date(2018, 6, 30), RULES)[0] is False
    assert hds_status_on(o, dt.date(2019, 2, 28), RULES)[0] is True
    assert hds_status_on(o, dt.date(2020, 6, 1), RULES)[0] is False


def test_since_in_the_year_of_as_of_is_capped_at_as_of(azure_bytes: bytes) -> None:
    """``since: 2019`` with as_of 2019-02-28: the file says the status held on as_of, so it
    began by then; the last day of 2019 would contradict the file."""
    o = load(hds(azure_bytes, "since: 2019,"))
    a = o.answers["cert.hds"]
    assert (a.since, a.since_text) == (dt.date(2019, 2, 28), "2019")
    assert hds_status_on(o, dt.date(2019, 2, 28), RULES)[0] is True
    assert hds_status_on(o, dt.date(2019, 2, 27), RULES)[0] is False


def test_a_day_precise_since_is_unchanged(azure_bytes: bytes) -> None:
    a = load(hds(azure_bytes, "since: 2018-06-01,")).answers["cert.hds"]
    assert (a.since, a.since_text) == (dt.date(2018, 6, 1), "2018-06-01")


@pytest.mark.parametrize("details,phrase", [
    ("since: 2019-03,", "since 2019-03 is after the file's as_of date 2019-02-28"),
    ("since: 2020,", "since 2020 is after the file's as_of date 2019-02-28"),
    ("since: 2018-06, until: 2018-05,", "until must be after since"),
    ("since: 2018-06-10, until: 2018-06-10,", "until must be after since"),
    ("since: 2018-06-10, until: 2018-05,", "until must be after since"),
])
def test_surely_wrong_periods_are_refused(azure_bytes: bytes, details: str, phrase: str) -> None:
    one(problems_of(hds(azure_bytes, details)), "cert.hds", phrase)


def test_overlapping_since_and_until_are_accepted_and_never_counted(azure_bytes: bytes) -> None:
    """since 2018, until 2018: possible (certified in March, lapsed in November) but no day is
    certain: the conservative days leave no day on which the status counts."""
    o = load(hds(azure_bytes, "since: 2018, until: 2018,"))
    a = o.answers["cert.hds"]
    assert a.until is not None and a.since is not None and a.until < a.since
    assert not any(hds_status_on(o, dt.date(2018, m, 15), RULES)[0] for m in range(1, 13))


@pytest.mark.parametrize("where,build", [
    ("as_of", lambda az: replace_once(az, "as_of: 2019-02-28", "as_of: {bad}")),
    ("compiled_on", lambda az: replace_once(az, "compiled_on: 2026-11-28", "compiled_on: {bad}")),
    ("cert.hds", lambda az: hds(az, "since: {bad},")),
    ("sources.S4.date", lambda az: replace_once(az, SOURCE_DATE, "    date: {bad}\n")),
    ("prices[0].date", lambda az: replace_once(az, "date: 2019-02-28, source: S1",
                                               "date: {bad}, source: S1")),
])
@pytest.mark.parametrize("bad,phrase", [
    ("2019-02-30", "day 30 does not exist in 2019-02"),
    ("2019-13", "month 13 does not exist"),
    ("2019-00", "month 0 does not exist"),
    ("1989", "year 1989 is outside the years Hostwise computes with (1990 to 2199)"),
    ("2200-01-01", "year 2200 is outside"),
    ("2019-2", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
    ("19", "got the number 19"),
    ("2019.5", "got the number 2019.5"),
    ("true", "got the boolean true"),
])
def test_impossible_dates_are_refused_where_they_are(azure_bytes: bytes, where: str, build: object,
                                                    bad: str, phrase: str) -> None:
    data = build(azure_bytes)  # type: ignore[operator]
    data = data.replace(b"{bad}", bad.encode())
    one(problems_of(data), where, phrase)


@settings(max_examples=300, deadline=None)
@given(year=st.integers(1000, 9999), month=st.integers(0, 13), day=st.integers(0, 32),
       precision=st.sampled_from(["year", "month", "day"]))
def test_dates_at_their_bounds(year: int, month: int, day: int, precision: str) -> None:
    """Accepted exactly when the year is 1990..2199, the month 1..12 and the day exists; an
    accepted date round-trips to its text, written as a number or as text."""
    text = f"{year:04d}" + (f"-{month:02d}" if precision != "year" else "") + (
        f"-{day:02d}" if precision == "day" else "")
    valid = (MIN_YEAR <= year <= MAX_YEAR
             and (precision == "year" or 1 <= month <= 12)
             and (precision != "day" or 1 <= day <= calendar.monthrange(year, month)[1]))
    for written in ([text, year] if precision == "year" else [text]):
        if valid:
            d = parse_partial_date(written)
            assert str(d) == text and d.first() <= d.last()
        else:
            with pytest.raises(ValueError) as info:
                parse_partial_date(written)
            assert text in str(info.value) or f"year {year}" in str(info.value)


@settings(max_examples=40, deadline=None)
@given(year=st.sampled_from([1989, 1990, 2018, 2199, 2200]), month=st.integers(1, 12),
       precision=st.sampled_from(["year", "month"]))
def test_source_dates_at_the_year_bounds_through_the_loader(azure_bytes: bytes, year: int,
                                                            month: int, precision: str) -> None:
    text = f"{year}" if precision == "year" else f"{year}-{month:02d}"
    data = replace_once(azure_bytes, SOURCE_DATE, f"    date: {text}\n")
    if year > 2026:  # also after the compilation date (2026-11-28): refused either way
        problems_of(data)
    elif year < MIN_YEAR:
        one(problems_of(data), "sources.S4.date", f"year {year} is outside")
    else:
        s = load(data).sources["S4"]
        assert s.date_text == text and s.date == PartialDate.parse(text).last()


def test_a_source_in_the_compilation_year_is_kept_no_later_than_it(azure_bytes: bytes) -> None:
    s = load(replace_once(azure_bytes, SOURCE_DATE, "    date: 2026\n")).sources["S4"]
    assert (s.date, s.date_text) == (dt.date(2026, 11, 28), "2026")
    one(problems_of(replace_once(azure_bytes, SOURCE_DATE, "    date: 2026-12\n")),
        "sources.S4.date", "source dated 2026-12, after the file's compilation date 2026-11-28")


def test_compiled_on_surely_before_as_of_is_refused(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, "compiled_on: 2026-11-28", "compiled_on: 2019-01")
    one(problems_of(data), "compiled_on", "compiled_on 2019-01 is before as_of 2019-02-28")


# ------------------------------------------------------------------------------ price dates


def test_price_dated_unknown_has_no_date_and_says_so(azure_bytes: bytes) -> None:
    o = load(replace_once(azure_bytes, "date: 2019-02-28, source: S1", "date: unknown, source: S1"))
    p = o.price("oneoff.build")
    assert p is not None and p.date is None and p.date_text is None
    assert show_date(p.date, p.date_text) == "unknown"


def test_price_period_is_read_as_old_as_it_may_be(azure_bytes: bytes) -> None:
    o = load(replace_once(azure_bytes, "date: 2019-02-28, source: S1", "date: 2018, source: S1"))
    p = o.price("oneoff.build")
    assert p is not None and (p.date, p.date_text) == (dt.date(2018, 1, 1), "2018")
    bad = replace_once(azure_bytes, "date: 2019-02-28, source: S1", "date: 2019-03, source: S1")
    one(problems_of(bad), "prices[0].date", "price dated 2019-03, after the file's as_of date")
    undated = replace_once(azure_bytes, "date: 2019-02-28, source: S1",
                           "date: undated, source: S1")
    one(problems_of(undated), "prices[0].date", "write `unknown`")


# ------------------------------------------------------------------------------ offer scope


def test_product_line_defaults_to_the_offer_name(azure_bytes: bytes) -> None:
    assert load(azure_bytes).product_line == "Microsoft Azure (public cloud regions)"
    o = load(with_line(azure_bytes, 'offer: {id: azure, name: Azure, product_line: "Azure '
                       'public regions"}'))
    assert o.product_line == "Azure public regions"


def test_an_answer_from_another_product_line_is_kept_not_scored(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO, ISO[:-1] + ', other_product: "Azure Government"}')
    o = load(data)
    a = o.answers["cert.iso27001"]
    assert a.from_other_product and a.other_product == "Azure Government"
    assert a.value is True and a.confidence == "recalled"  # visible, for the record
    assert not a.known and o.value("cert.iso27001") is None  # ... never scored
    assert answer_utility(CAT.question("cert.iso27001"), o, o.as_of, RULES) == (None, "unknown")
    assert answer_counts(o, CAT)["unknown"] == answer_counts(load(azure_bytes), CAT)["unknown"] + 1
    assert other_product_counts(o) == (1, 0)


def test_a_certification_from_another_product_line_is_not_held(azure_bytes: bytes) -> None:
    o = load(replace_once(azure_bytes, HDS, HDS + ' other_product: "Azure Stack",'))
    assert o.answers["cert.hds"].value is True
    assert hds_status_on(o, o.as_of, RULES)[0] is None  # unknown: not demonstrated for this line


def test_a_price_from_another_product_line_is_listed_not_used(azure_bytes: bytes) -> None:
    other = PRICE.replace("source: S1,", 'source: S1, other_product: "Azure Stack",')
    o = load(replace_once(azure_bytes, PRICE, other))
    assert o.price("oneoff.build") is None  # not used for costing
    assert [p.other_product for p in o.prices] == ["Azure Stack"]  # kept
    assert other_product_counts(o) == (0, 1)


def test_an_item_is_listed_once_per_product_line(azure_bytes: bytes) -> None:
    other = PRICE.replace("900000", "1").replace(
        "source: S1,", 'source: S1, other_product: "Azure Stack", confidence: confirmed}\n')
    o = load(replace_once(azure_bytes, PRICE, other + PRICE))
    own = o.price("oneoff.build")
    assert own is not None and own.price == 900000.0  # the offer's own line is used
    assert [p.other_product for p in o.prices] == ["Azure Stack", None]
    twice = replace_once(azure_bytes, PRICE, other + other + PRICE)
    one(problems_of(twice), "prices[1].item", "listed twice for product line 'Azure Stack'")


@pytest.mark.parametrize("value,phrase", [
    ('"Microsoft Azure (public cloud regions)"', "this file's own product line"),
    ('"  microsoft   AZURE (public cloud regions) "', "this file's own product line"),
    ('""', "expected the name of the other product line"),
    ('"   "', "expected the name of the other product line"),
    ("true", "got the boolean true"),
])
def test_other_product_must_name_another_line(azure_bytes: bytes, value: str,
                                             phrase: str) -> None:
    answer = replace_once(azure_bytes, ISO, ISO[:-1] + f", other_product: {value}}}")
    one(problems_of(answer), "cert.iso27001", phrase)
    price = replace_once(azure_bytes, PRICE, PRICE.replace(
        "source: S1,", f"source: S1, other_product: {value},"))
    one(problems_of(price), "prices[0].other_product", phrase)


def test_other_product_is_checked_as_a_name(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO, ISO[:-1] + ', other_product: "Azure\u202eStack"}')
    one(problems_of(data), "answers.cert.iso27001.other_product", "right-to-left override")
    data = replace_once(azure_bytes, ISO, ISO[:-1] + ', other_product: "Azure\\nStack"}')
    one(problems_of(data), "answers.cert.iso27001.other_product", "control characters")


def test_other_product_compares_with_the_declared_product_line(azure_bytes: bytes) -> None:
    data = with_line(azure_bytes, 'offer: {id: azure, name: Azure, product_line: "Azure Stack"}')
    own = replace_once(data, ISO, ISO[:-1] + ', other_product: "azure stack"}')
    one(problems_of(own), "cert.iso27001", "'azure stack' is this file's own product line")
    other = replace_once(data, ISO, ISO[:-1] + ', other_product: "Azure public regions"}')
    assert load(other).answers["cert.iso27001"].from_other_product


def test_an_unknown_answer_cannot_come_from_another_line(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO, 'cert.iso27001: {confidence: unknown, other_product: '
                        '"Azure Stack"}')
    one(problems_of(data), "cert.iso27001", "an unknown answer has none")


def test_a_recalled_value_may_cite_no_publication(azure_bytes: bytes) -> None:
    o = load(replace_once(azure_bytes, ISO, "cert.iso27001: {value: true, confidence: recalled}"))
    a = o.answers["cert.iso27001"]
    assert a.known and a.unsourced
    assert not load(azure_bytes).answers["cert.iso27001"].unsourced


# ------------------------------------------------------------------------------ the models


def test_models_built_in_code_get_their_texts() -> None:
    a = Answer(question="cert.hds", value=True, confidence="confirmed",
               since=dt.date(2020, 1, 2))
    assert a.since_text == "2020-01-02" and a.until_text is None
    p = Price(item="x", price=1.0, currency="EUR", date=None, sources=("S1",),
              confidence="confirmed")
    assert p.date_text is None


def test_a_text_that_does_not_hold_its_day_is_refused() -> None:
    with pytest.raises(ValueError, match="not within"):
        Answer(question="cert.hds", value=True, confidence="confirmed",
               since=dt.date(2021, 1, 1), since_text="2020")


def test_a_qualification_known_to_the_year_has_an_expiry_window() -> None:
    """SecNumCloud 'qualified since 2022' (no month or day): three years later it may have
    lapsed from 2025-01-01 and surely has by 2025-12-31 unless renewed; between, the status is
    unknown rather than guessed, and it is not 'surely after' the 3.2 publication of March 2022."""
    import datetime as dt

    from scoring.io.catalogue import load_catalogue
    from scoring.rules.certifications import qualified_under_32, snc_status_on
    from tests.factories import offer

    rules = load_catalogue().certifications
    o = offer("q", {"cert.secnumcloud": "qualified"}, as_of=dt.date(2023, 6, 1),
              details={"cert.secnumcloud": {"since": dt.date(2022, 12, 31), "since_text": "2022"}})
    assert snc_status_on(o, dt.date(2024, 6, 1), rules)[0] == "qualified"
    status, why = snc_status_on(o, dt.date(2025, 6, 1), rules)
    assert status is None and "may have lapsed" in why and "2022" in why
    assert snc_status_on(o, dt.date(2026, 1, 2), rules)[0] == "none"
    assert not qualified_under_32(o, dt.date(2024, 6, 1), rules)
