"""Hostile questionnaire inputs (the project's catalogue of bad inputs, cases 1-17): each is
refused with a *located* message (file, vendor when known, question or field, plain words), all
problems of a file at once, and a folder with one bad file loads nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from scoring.errors import QuestionnaireError
from scoring.io import MAX_FILE_BYTES, load_offers, parse_questionnaire
from tests.conftest import BAD_FILE, line_of, problems_of, replace_once

VENDOR = "microsoft"  # vendor.id of the Azure fixture

ISO27001 = "cert.iso27001: {value: true, source: S6, confidence: recalled}"
PARENT = 'legal.parent_name: {value: "Microsoft Corporation", source: S2, confidence: confirmed}'
PCT = "legal.non_eu_share_individual: {value: 100"
HQ = 'legal.hq_country: {value: "US"'
VENDOR_LINE = "vendor: {id: microsoft, name: Microsoft, group: microsoft}"
OFFER_LINE = "offer: {id: azure, name: Microsoft Azure (public cloud regions)}"


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[bytes], bytes]
    question: str | Callable[[bytes], str]
    phrases: tuple[str, ...]
    vendor: str = VENDOR


def sub(old: str, new: str) -> Callable[[bytes], bytes]:
    return lambda az: replace_once(az, old, new)


def const(data: bytes) -> Callable[[bytes], bytes]:
    return lambda az: data


def bool_value(raw: str) -> Callable[[bytes], bytes]:
    return sub(ISO27001, f"cert.iso27001: {{value: {raw}, source: S6, confidence: recalled}}")


def pct_value(raw: str) -> Callable[[bytes], bytes]:
    return sub(PCT, f"legal.non_eu_share_individual: {{value: {raw}")


def classic_bomb() -> bytes:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return ("\n".join(lines) + "\n").encode()


def bomb_under_alias_cap() -> bytes:
    """45 aliases (under the 50-alias cap) that expand to 3**16 values."""
    lines = ["l0: &l0 [x, x, x]"]
    for i in range(1, 16):
        lines.append(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}, *l{i - 1}]")
    return ("\n".join(lines) + "\n").encode()


def deep_through_aliases() -> bytes:
    """Each anchor nests 30 levels; three of them chained nest 90 levels once expanded."""
    lines = ["l0: &l0 " + "[" * 30 + "x" + "]" * 30]
    for i in range(1, 3):
        lines.append(f"l{i}: &l{i} " + "[" * 30 + f"*l{i - 1}" + "]" * 30)
    return ("\n".join(lines) + "\n").encode()


def with_latin1_line(az: bytes) -> bytes:
    return b"# Soci\xe9t\xe9 g\xe9n\xe9rale\n" + az


def raw_control_in_name(az: bytes) -> bytes:
    bad_line = VENDOR_LINE.replace("name: Microsoft", "name: Micro\x07soft")
    return replace_once(az, VENDOR_LINE, bad_line)


def nfc_duplicate_sources(az: bytes) -> bytes:
    extra = (
        '  Caf\u00e9: {title: "composed", date: 2019-01-01}\n'
        '  Cafe\u0301: {title: "decomposed", date: 2019-01-01}\n'
    )
    return replace_once(az, "sources:\n", "sources:\n" + extra)


def dup_line(az: bytes) -> str:
    return f"line {line_of(az, '  cert.c5:') + 1}"


CASES: list[Case] = [
    # ---------------------------------------------------------------- §1-4 any file
    Case("empty-file", const(b""), "file", ("file is empty",), vendor=""),
    Case("blank-lines-only", const(b"\n   \n\t\n"), "file", ("file is empty",), vendor=""),
    Case("only-comments", const(b"# vendor: microsoft\n# nothing else\n"), "file",
         ("only comments",), vendor=""),
    Case("top-level-list", const(b"- vendor: microsoft\n- offer: azure\n"), "file",
         ("expected a mapping", "got a list"), vendor=""),
    Case("top-level-scalar", const(b"just some words\n"), "file",
         ("expected a mapping", "got the text"), vendor=""),
    Case("top-level-number", const(b"42\n"), "file", ("expected a mapping", "the number 42"),
         vendor=""),
    Case("over-size-limit", const(b"#" * (MAX_FILE_BYTES + 1)), "file",
         ("1,048,577 bytes", "the limit is 1,048,576"), vendor=""),
    Case("pdf-renamed", const(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), "file", ("PDF",),
         vendor=""),
    Case("xlsx-zip-renamed", const(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 40), "file",
         ("zip container",), vendor=""),
    Case("xls-ole-renamed", const(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40), "file",
         ("legacy Office (OLE)",), vendor=""),
    Case("random-bytes-with-nul", const(random.Random(7).randbytes(1024) + b"\x00"), "file",
         ("NUL byte",), vendor=""),
    Case("random-high-bytes", const(bytes(range(0x80, 0x100)) * 4), "line 1",
         ("not valid UTF-8",), vendor=""),
    Case("latin1", with_latin1_line, "line 1", ("not valid UTF-8", "Latin-1", "save the file"),
         vendor=""),
    Case("utf16-with-bom", lambda az: az.decode("utf-8").encode("utf-16"), "file",
         ("UTF-16", "save it as UTF-8"), vendor=""),
    Case("utf16-without-bom", lambda az: az.decode("utf-8").encode("utf-16-le"), "file",
         ("NUL byte",), vendor=""),
    Case("nul-byte", lambda az: az[:50] + b"\x00" + az[50:], "file",
         ("NUL byte at offset 50",), vendor=""),
    # ---------------------------------------------------------------- §5-6 text content
    Case("escaped-control-char-in-vendor-name",
         sub(VENDOR_LINE, 'vendor: {id: microsoft, name: "Micro\\x07soft", group: microsoft}'),
         "vendor.name", ("control characters", "\\x07")),
    Case("raw-control-char-in-vendor-name", raw_control_in_name,
         lambda az: f"line {line_of(az, VENDOR_LINE)}", ("control", "\\x07", "remove it"),
         vendor=""),
    Case("raw-del-char", sub("Microsoft Azure (public", "Microsoft Azure\x7f (public"),
         lambda az: f"line {line_of(az, OFFER_LINE)}", ("\\x7f",), vendor=""),
    Case("rtl-override-in-vendor-name",
         sub(VENDOR_LINE, 'vendor: {id: microsoft, name: "Micro\u202etfos", group: microsoft}'),
         "vendor.name", ("right-to-left override", "U+202E")),
    Case("zero-width-in-offer-name",
         sub("Microsoft Azure (public", "Microsoft\u200b Azure (public"),
         "offer.name", ("invisible", "U+200B")),
    Case("zero-width-in-vendor-id",
         sub("vendor: {id: microsoft,", 'vendor: {id: "micro\u200bsoft",'),
         # the vendor id is shown escaped: an invisible character must be visible in a report
         "vendor.id", ("invisible", "U+200B"), vendor="micro\\u200bsoft"),
    Case("cyrillic-lookalike-in-vendor-name",
         sub(VENDOR_LINE, "vendor: {id: microsoft, name: Micr\u043esoft, group: microsoft}"),
         "vendor.name", ("mixes letters of different scripts", "Cyrillic")),
    Case("cyrillic-lookalike-in-offer-id", sub("offer: {id: azure,", "offer: {id: \u0430zure,"),
         "offer.id", ("Cyrillic", "look-alike")),
    Case("text-over-32767", sub(PARENT, PARENT[:-1] + ', note: "' + "x" * 32_768 + '"}'),
         "answers.legal.parent_name.note", ("32,768 characters", "the limit is 32,767")),
    Case("vendor-id-too-long", sub("vendor: {id: microsoft,", "vendor: {id: " + "m" * 101 + ","),
         "vendor.id", ("the limit is 100",), vendor="m" * 101),
    # ---------------------------------------------------------------- §7-10 YAML
    Case("duplicate-answer-key", sub("  cert.c5:", "  cert.c5: unknown\n  cert.c5:"), dup_line,
         ("duplicate key 'cert.c5'", "remove one"), vendor=""),
    Case("duplicate-key-in-flow-mapping",
         sub("vendor: {id: microsoft,", "vendor: {id: microsoft, id: msft,"),
         lambda az: f"line {line_of(az, VENDOR_LINE)}", ("duplicate key 'id'",), vendor=""),
    Case("duplicate-key-after-nfc", nfc_duplicate_sources,
         lambda az: f"line {line_of(az, 'sources:') + 2}", ("duplicate key 'Café'",), vendor=""),
    Case("yaml11-on-for-bool", bool_value("on"), "cert.iso27001",
         ("expected true or false", "'on'")),
    Case("yaml11-yes-for-bool", bool_value("yes"), "cert.iso27001",
         ("expected true or false", "'yes'")),
    Case("yaml11-OFF-for-bool", bool_value("OFF"), "cert.iso27001",
         ("expected true or false", "'OFF'")),
    Case("yaml11-no-lowercase-country", sub(HQ, "legal.hq_country: {value: no"),
         "legal.hq_country", ("ISO 3166", "'no'")),
    Case("country-false-hints-norway", sub(HQ, "legal.hq_country: {value: false"),
         "legal.hq_country", ('write "NO" in quotes for Norway',)),
    Case("country-not-iso", sub(HQ, 'legal.hq_country: {value: "XX"'), "legal.hq_country",
         ("ISO 3166 two-letter country code",)),
    Case("yaml11-1.10-for-text", sub(PARENT, PARENT.replace('"Microsoft Corporation"', "1.10")),
         "legal.parent_name", ("expected text", "the number 1.1", "quote")),
    Case("yaml11-1.10-for-version", sub("version: v1,", "version: 1.10,"), "cert.hds",
         ("version", "the number 1.1", "quotes")),
    Case("feb-30-as-of", sub("as_of: 2019-02-28", "as_of: 2019-02-30"), "as_of",
         ("'2019-02-30' is not a valid date", "YYYY-MM-DD")),
    Case("feb-30-since", sub("version: v1,", "version: v1, since: 2019-02-30,"), "cert.hds",
         ("since", "'2019-02-30' is not a valid date")),
    Case("iso-week-date-refused", sub("as_of: 2019-02-28", "as_of: 2019-W09-4"), "as_of",
         ("not a valid date", "YYYY-MM-DD")),
    Case("alias-bomb", const(classic_bomb()), "file", ("more than 50 aliases", "alias bomb"),
         vendor=""),
    Case("alias-bomb-under-alias-cap", const(bomb_under_alias_cap()), "line 1",
         ("expands to more than 100,000 values", "alias bomb"), vendor=""),
    Case("recursive-alias", const(b"answers: &a [*a]\n"), "line 1", ("recursive alias",),
         vendor=""),
    Case("python-object-tag",
         sub("  cert.c5: {value: true",
             '  cert.c5: {value: !!python/object/apply:os.system ["id"]'),
         lambda az: f"line {line_of(az, '  cert.c5:')}",
         ("python/object/apply:os.system", "not allowed"), vendor=""),
    Case("python-name-tag", const(b"vendor: !!python/name:os.system ''\n"), "line 1",
         ("not allowed",), vendor=""),
    Case("explicit-int-tag-garbage", sub("tech.regions_france: {value: 2",
                                         "tech.regions_france: {value: !!int two"),
         lambda az: f"line {line_of(az, 'tech.regions_france')}", ("explicit !!tag",), vendor=""),
    Case("explicit-timestamp-feb-30", sub("as_of: 2019-02-28", "as_of: !!timestamp 2019-02-30"),
         lambda az: f"line {line_of(az, 'as_of:')}", ("explicit !!tag", "out of range"),
         vendor=""),
    Case("integer-with-5000-digits", pct_value("9" * 5000),
         lambda az: f"line {line_of(az, PCT)}", ("more than 100 digits",), vendor=""),
    Case("deep-nesting-flow", const(b"answers: " + b"[" * 5000 + b"]" * 5000 + b"\n"), "file",
         ("nesting deeper than 40 levels",), vendor=""),
    Case("deep-nesting-through-aliases", const(deep_through_aliases()), "line 2",
         ("nesting deeper than 40 levels", "aliases"), vendor=""),
    Case("list-where-mapping-expected", sub(VENDOR_LINE, "vendor: [microsoft, Microsoft]"),
         "vendor", ("expected a mapping with id, name, group", "got a list"), vendor=""),
    Case("second-yaml-document", lambda az: az + b"---\nvendor: {id: evil}\n",
         lambda az: f"line {len(az.splitlines()) + 1}", ("YAML syntax", "another document"),
         vendor=""),
    # ---------------------------------------------------------------- §11 content
    Case("unknown-question-id", sub("  cert.c5:", "  cert.c6: unknown\n  cert.c5:"), "cert.c6",
         ("unknown question id",)),
    Case("missing-required-answer", sub("  sov.sov1_strategic: unknown\n", ""),
         "sov.sov1_strategic", ("required answer is missing", "unknown")),
    Case("missing-required-top-field", sub("currencies: [EUR]\n", ""), "currencies",
         ("required field is missing",)),
    Case("unknown-top-level-field", lambda az: az + b"comments: hello\n", "comments",
         ("unknown field",)),
    Case("unknown-answer-field", sub(ISO27001, ISO27001[:-1] + ", valeur: true}"),
         "cert.iso27001", ("unknown field 'valeur'",)),
    Case("detail-not-allowed", sub(ISO27001, ISO27001[:-1] + ", since: 2018-01-01}"),
         "cert.iso27001", ("detail 'since' does not apply",)),
    Case("wrong-type-number-for-bool", bool_value("3"), "cert.iso27001",
         ("expected true or false", "the number 3")),
    Case("wrong-type-list-for-text", sub(PARENT, PARENT.replace('"Microsoft Corporation"', "[a]")),
         "legal.parent_name", ("expected text",)),
    Case("enum-outside-options",
         sub("cert.secnumcloud: {value: none", "cert.secnumcloud: {value: gold"),
         "cert.secnumcloud", ("'gold' is not one of", "none, in_process, qualified")),
    Case("number-outside-range",
         sub("tech.regions_france: {value: 2", "tech.regions_france: {value: 51"),
         "tech.regions_france", ("outside the allowed range 0 to 50",)),
    Case("level-outside-0-4",
         sub("  sov.sov1_strategic: unknown",
             '  sov.sov1_strategic: {value: 5, source: S2, confidence: confirmed, note: "x"}'),
         "sov.sov1_strategic", ("whole number 0 to 4",)),
    Case("level-without-justification",
         sub("  sov.sov1_strategic: unknown",
             "  sov.sov1_strategic: {value: 1, source: S2, confidence: confirmed}"),
         "sov.sov1_strategic", ("justification",)),
    Case("percent-nan", pct_value(".nan"), "legal.non_eu_share_individual",
         ("finite number", "nan")),
    Case("percent-inf", pct_value(".inf"), "legal.non_eu_share_individual", ("finite number",)),
    Case("percent-minus-inf", pct_value("-.inf"), "legal.non_eu_share_individual",
         ("finite number",)),
    Case("percent-minus-1", pct_value("-1"), "legal.non_eu_share_individual",
         ("-1%", "outside the allowed range 0 to 100")),
    Case("percent-101", pct_value("101"), "legal.non_eu_share_individual",
         ("101%", "outside the allowed range 0 to 100")),
    Case("percent-1e308", pct_value("1e308"), "legal.non_eu_share_individual",
         ("outside the allowed range 0 to 100",)),
    Case("percent-bool", pct_value("true"), "legal.non_eu_share_individual",
         ("expected a number", "the boolean true")),
    Case("confidence-invalid",
         sub(ISO27001, "cert.iso27001: {value: true, source: S6, confidence: sure}"),
         "cert.iso27001", ("confidence must be one of",)),
    Case("era-unquoted", sub('era: "2019"', "era: 2019"), "era", ('quoted text such as "2019"',)),
    Case("schema-true", sub("schema: 1", "schema: true"), "schema",
         ("unsupported schema version",)),
    # ---------------------------------------------------------------- §12 numbers as text
    *[
        Case(f"percent-as-text-{name}", pct_value(raw), "legal.non_eu_share_individual",
             ("expected a number", shown, "plain number"))
        for name, raw, shown in [
            ("85pct", '"85%"', "'85%'"),
            ("85pct-unquoted", "85%", "'85%'"),
            ("french-decimal", '"1 234,50"', "'1 234,50'"),
            ("euro-sign", '"€1,200"', "'€1,200'"),
            ("n-a", '"N/A"', "'N/A'"),
            ("tbd", "TBD", "'TBD'"),
            ("dash", '"-"', "'-'"),
            ("unquoted-dash", "-", "'-'"),
            ("quoted-number", '"85"', "'85'"),
        ]
    ],
    # ---------------------------------------------------------------- §14 booleans
    *[
        Case(f"bool-as-{name}", bool_value(raw), "cert.iso27001", ("expected true or false", shown))
        for name, raw, shown in [
            ("Yes", "Yes", "'Yes'"),
            ("quoted-1", '"1"', "'1'"),
            ("number-1", "1", "the number 1"),
            ("x", "x", "'x'"),
            ("oui", "oui", "'oui'"),
            ("quoted-true", '"true"', "'true'"),
            ("Y", "Y", "'Y'"),
        ]
    ],
    # ---------------------------------------------------------------- §13, §15 sources, dates
    Case("source-cited-not-defined",
         sub(ISO27001, "cert.iso27001: {value: true, source: S9, confidence: recalled}"),
         "cert.iso27001", ("source 'S9' is cited but not defined",)),
    Case("source-list-with-undefined",
         sub(ISO27001, "cert.iso27001: {value: true, source: [S6, S42], confidence: recalled}"),
         "cert.iso27001", ("'S42' is cited but not defined",)),
    Case("source-without-date", sub("    date: 2018-03-15\n", ""), "sources.S4.date",
         ("a source needs a date", "undated")),
    Case("source-dated-after-compilation", sub("    date: 2018-03-15\n", "    date: 2027-01-01\n"),
         "sources.S4.date", ("after the file's compilation date 2026-11-28",)),
    Case("undeclared-currency", sub("currency: EUR", "currency: USD"), "prices[0].currency",
         ("'USD' is not declared under currencies",)),
    Case("price-dated-after-as-of",
         sub("date: 2019-02-28, source: S1", "date: 2019-03-01, source: S1"),
         "prices[0].date", ("price dated 2019-03-01", "after the file's as_of date 2019-02-28")),
    Case("price-as-text", sub("price: 900000,", 'price: "900 000,00",'), "prices[0].price",
         ("expected a plain number", "decimal point")),
    Case("price-item-is-a-list", sub("item: oneoff.build", "item: [oneoff.build]"),
         "prices[0].item", ("unknown price item",)),
    Case("since-after-as-of", sub("version: v1,", "version: v1, since: 2019-03-01,"), "cert.hds",
         ("since 2019-03-01 is after the file's as_of date 2019-02-28",)),
    Case("value-with-confidence-unknown",
         sub(ISO27001, "cert.iso27001: {value: true, source: S6, confidence: unknown}"),
         "cert.iso27001", ("confidence is unknown but a value is given",)),
    Case("known-answer-without-source",
         sub(ISO27001, "cert.iso27001: {value: true, confidence: confirmed}"), "cert.iso27001",
         ("must cite a source", "recalled")),
    Case("secondary-answer-without-source",
         sub(ISO27001, "cert.iso27001: {value: true, confidence: secondary}"), "cert.iso27001",
         ("must cite a source",)),
    Case("known-answer-without-value",
         sub(ISO27001, "cert.iso27001: {source: S6, confidence: recalled}"), "cert.iso27001",
         ("no value for a recalled answer",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_refused_with_located_message(case: Case, azure_bytes: bytes) -> None:
    data = case.build(azure_bytes)
    question = case.question(azure_bytes) if callable(case.question) else case.question
    problems = problems_of(data)
    shown = "\n".join(p.line() for p in problems)
    matching = [
        p for p in problems
        if p.file == BAD_FILE and p.vendor == case.vendor and p.question == question
        and all(ph.lower() in p.message.lower() for ph in case.phrases)
    ]
    assert matching, (
        f"expected a problem at {BAD_FILE}: {case.vendor or '-'}: {question}: "
        f"containing {case.phrases}; got:\n{shown}"
    )
    assert "Traceback" not in shown


def test_at_least_25_bad_input_cases() -> None:
    assert len(CASES) >= 25
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize(
    "build",
    [classic_bomb, bomb_under_alias_cap, deep_through_aliases],
    ids=["classic", "under-alias-cap", "deep-through-aliases"],
)
def test_alias_bombs_are_refused_fast(build: Callable[[], bytes]) -> None:
    start = time.perf_counter()
    problems_of(build())
    assert time.perf_counter() - start < 2.0


def test_three_independent_errors_give_three_problems(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO27001,
                        "cert.iso27001: {value: oui, source: S6, confidence: recalled}")
    data = replace_once(data, "tech.regions_france: {value: 2, source: S4",
                        "tech.regions_france: {value: 2, source: S99")
    data = replace_once(data, "date: 2019-02-28, source: S1", "date: 2019-03-01, source: S1")
    problems = problems_of(data)
    assert sorted((p.vendor, p.question) for p in problems) == [
        (VENDOR, "cert.iso27001"),
        (VENDOR, "prices[0].date"),
        (VENDOR, "tech.regions_france"),
    ], "\n".join(p.line() for p in problems)


def test_error_message_lists_every_problem_line(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO27001, "cert.iso27001: {value: yes, confidence: confirmed}")
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(data, "x.yaml")
    text = str(info.value)
    for p in info.value.problems:
        assert p.line() in text
        assert p.line().startswith(f"x.yaml: {VENDOR}: cert.iso27001: ")
    assert len(info.value.problems) == 2  # `yes` is not a bool, and no source is cited


# -------------------------------------------------------------------- accepted look-alikes


def test_utf8_bom_is_accepted(azure_bytes: bytes) -> None:
    plain = parse_questionnaire(azure_bytes, "a.yaml")
    bom = parse_questionnaire(b"\xef\xbb\xbf" + azure_bytes, "a.yaml")
    assert bom.answers == plain.answers
    assert bom.vendor_id == VENDOR
    # the content hash is of the canonical text: a BOM (or CRLF endings) is the same content
    assert bom.sha256 == plain.sha256 == hashlib.sha256(azure_bytes).hexdigest()
    crlf = parse_questionnaire(azure_bytes.replace(b"\n", b"\r\n"), "a.yaml")
    assert crlf.sha256 == plain.sha256 and crlf.answers == plain.answers


def test_unquoted_NO_is_norway_not_false(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, HQ, "legal.hq_country: {value: NO")
    offer = parse_questionnaire(data, "a.yaml")
    assert offer.value("legal.hq_country") == "NO"
    assert offer.value("legal.hq_country") is not False


@pytest.mark.parametrize("raw", ["TRUE", "True", "true"])
def test_yaml_core_true_spellings_are_booleans(raw: str, azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO27001,
                        f"cert.iso27001: {{value: {raw}, source: S6, confidence: recalled}}")
    assert parse_questionnaire(data, "a.yaml").value("cert.iso27001") is True


def test_0123_is_text_not_octal(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, PARENT, PARENT.replace('"Microsoft Corporation"', "0123"))
    data = replace_once(data, "version: v1,", "version: 0123,")
    offer = parse_questionnaire(data, "a.yaml")
    assert offer.value("legal.parent_name") == "0123"
    assert offer.answer("cert.hds").version == "0123"


def test_quoted_1_10_stays_1_10(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, "version: v1,", 'version: "1.10",')
    assert parse_questionnaire(data, "a.yaml").answer("cert.hds").version == "1.10"


def test_percent_boundaries_are_accepted(azure_bytes: bytes) -> None:
    for raw, expected in [("0", 0.0), ("100", 100.0), ("24.5", 24.5), ("1e1", 10.0)]:
        offer = parse_questionnaire(pct_value(raw)(azure_bytes), "a.yaml")
        assert offer.value("legal.non_eu_share_individual") == expected


def test_merge_key_is_read_as_yaml_specifies(azure_bytes: bytes) -> None:
    data = replace_once(azure_bytes, ISO27001, "cert.iso27001: &rec " + ISO27001.split(": ", 1)[1])
    data = replace_once(data, "  cert.c5: {value: true, source: S6, confidence: recalled, ",
                        "  cert.c5: {<<: *rec, ")
    offer = parse_questionnaire(data, "a.yaml")
    assert offer.answer("cert.c5").value is True
    assert offer.answer("cert.c5").sources == ("S6",)


def test_unknown_answer_is_not_no(azure_bytes: bytes) -> None:
    offer = parse_questionnaire(azure_bytes, "a.yaml")
    a = offer.answer("legal.non_eu_admin_access")
    assert a.confidence == "unknown" and a.value is None and not a.known
    assert offer.value("legal.non_eu_admin_access") is None


def test_dates_are_dates(azure_bytes: bytes) -> None:
    offer = parse_questionnaire(azure_bytes, "a.yaml")
    assert offer.as_of == dt.date(2019, 2, 28)
    assert offer.prices[0].date == dt.date(2019, 2, 28)


# -------------------------------------------------------------------- folders: atomic loading


def _write(folder: Path, name: str, data: bytes) -> Path:
    p = folder / name
    p.write_bytes(data)
    return p


def _other_offer(az: bytes, offer_id: str, vendor_id: str = "microsoft") -> bytes:
    data = replace_once(az, "offer: {id: azure,", f'offer: {{id: "{offer_id}",')
    return replace_once(data, "vendor: {id: microsoft,", f'vendor: {{id: "{vendor_id}",')


def test_folder_with_two_valid_files_loads(tmp_path: Path, azure_bytes: bytes) -> None:
    a = _write(tmp_path, "azure.yaml", azure_bytes)
    b = _write(tmp_path, "azure-copy.yaml", _other_offer(azure_bytes, "azure-sovereign"))
    loaded = load_offers([tmp_path])
    assert sorted(o.offer_id for o in loaded.offers) == ["azure", "azure-sovereign"]
    assert loaded.files == {
        str(a): hashlib.sha256(a.read_bytes()).hexdigest(),
        str(b): hashlib.sha256(b.read_bytes()).hexdigest(),
    }


def test_folder_with_one_bad_file_loads_nothing(tmp_path: Path, azure_bytes: bytes) -> None:
    _write(tmp_path, "azure.yaml", azure_bytes)
    _write(tmp_path, "azure-copy.yaml", _other_offer(azure_bytes, "azure-sovereign"))
    bad_data = replace_once(_other_offer(azure_bytes, "azure-bad"), ISO27001,
                            "cert.iso27001: {value: yes, source: S6, confidence: recalled}")
    bad = _write(tmp_path, "zz-bad.yaml", bad_data)
    result = None
    with pytest.raises(QuestionnaireError) as info:
        result = load_offers([tmp_path])
    assert result is None
    assert "nothing was loaded" in str(info.value)
    problems = info.value.problems
    assert [(p.file, p.vendor, p.question) for p in problems] == [
        (str(bad), VENDOR, "cert.iso27001")
    ]
    assert "expected true or false" in problems[0].message


def test_every_bad_file_of_a_folder_is_reported(tmp_path: Path, azure_bytes: bytes) -> None:
    _write(tmp_path, "a.yaml", b"")
    _write(tmp_path, "b.yaml", b"%PDF-1.4\n")
    _write(tmp_path, "c.yaml", azure_bytes)
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path])
    assert sorted(Path(p.file).name for p in info.value.problems) == ["a.yaml", "b.yaml"]


@pytest.mark.parametrize(("spelling", "why"), [
    ("Azure ", "canonical form"), ("AZURE", "duplicate offer"), (" azure", "canonical form"),
    ("a zure", "may hold only letters"), ("AzUrE", "duplicate offer")])
def test_duplicate_offer_id_across_files(
    spelling: str, why: str, tmp_path: Path, azure_bytes: bytes
) -> None:
    """A second spelling of an id is refused: by the id rules when it is not canonical or not
    of the id character class (issue 18, as in the Excel path), else as a duplicate."""
    _write(tmp_path, "a.yaml", azure_bytes)
    dup = _write(tmp_path, "b.yaml", _other_offer(azure_bytes, spelling))
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path])
    [problem] = [p for p in info.value.problems if p.question == "offer.id"]
    assert problem.file == str(dup)
    assert problem.vendor == VENDOR
    assert why in problem.message
    if why == "duplicate offer":
        assert str(tmp_path / "a.yaml") in problem.message


def test_same_offer_id_in_two_eras_is_fine(tmp_path: Path, azure_bytes: bytes) -> None:
    (tmp_path / "2019").mkdir()
    (tmp_path / "2026").mkdir()
    _write(tmp_path / "2019", "azure.yaml", azure_bytes)
    _write(tmp_path / "2026", "azure.yaml", replace_once(azure_bytes, 'era: "2019"', 'era: "2026"'))
    loaded = load_offers([tmp_path / "2019", tmp_path / "2026"])
    assert sorted(o.key for o in loaded.offers) == ["2019/azure", "2026/azure"]


def test_same_file_twice_under_two_names(tmp_path: Path, azure_bytes: bytes) -> None:
    a = _write(tmp_path, "azure.yaml", azure_bytes)
    b = tmp_path / "azure (1).yaml"
    shutil.copyfile(a, b)
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path])
    [same] = [p for p in info.value.problems if p.question == "file"]
    assert "same SHA-256" in same.message
    first, second = sorted([str(a), str(b)])
    assert same.file == second
    assert first in same.message


def test_same_path_given_twice_is_one_problem_not_a_crash(
    tmp_path: Path, azure_bytes: bytes
) -> None:
    a = _write(tmp_path, "azure.yaml", azure_bytes)
    with pytest.raises(QuestionnaireError) as info:
        load_offers([a, a])
    assert any("duplicate offer" in p.message for p in info.value.problems)


def test_vendor_id_spelt_two_ways(tmp_path: Path, azure_bytes: bytes) -> None:
    _write(tmp_path, "a.yaml", azure_bytes)
    other = _write(tmp_path, "b.yaml", _other_offer(azure_bytes, "azure-stack", "Microsoft"))
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path])
    [problem] = info.value.problems
    assert (problem.file, problem.vendor, problem.question) == (str(other), "Microsoft",
                                                                "vendor.id")
    assert "differs only in case or spaces" in problem.message
    assert "'microsoft'" in problem.message


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path / "nope", empty])
    messages = {(p.file, p.message) for p in info.value.problems}
    assert (str(tmp_path / "nope"), "no such file or folder") in messages
    assert (str(empty), "folder holds no .yaml questionnaire") in messages


def test_oversized_file_in_folder_is_refused_without_reading(tmp_path: Path) -> None:
    big = _write(tmp_path, "big.yaml", b"#" * (MAX_FILE_BYTES + 10))
    with pytest.raises(QuestionnaireError) as info:
        load_offers([tmp_path])
    [problem] = info.value.problems
    assert (problem.file, problem.question) == (str(big), "file")
    assert "the limit is 1,048,576 bytes" in problem.message
