"""Properties of the questionnaire loader: whatever the bytes, it either returns an ``Offer`` or
raises ``QuestionnaireError`` with located problems (never another exception, never a hang);
and what it loads survives a round trip through ``hostwise validate --json``."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.countries import ISO_ALPHA2
from scoring.errors import Problem, QuestionnaireError
from scoring.io import load_yaml, parse_questionnaire
from scoring.io.catalogue import load_catalogue
from scoring.models import Offer
from tests.conftest import AZURE_PATH

ROOT = Path(__file__).resolve().parent.parent
AZURE = AZURE_PATH.read_bytes()
AZURE_DOC: dict[str, Any] = load_yaml(AZURE)
CATALOGUE = load_catalogue()

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def load_or_problems(data: bytes) -> Offer | tuple[Problem, ...]:
    """The contract: an Offer, or a QuestionnaireError with located problems; nothing else."""
    try:
        return parse_questionnaire(data, "fuzz.yaml", CATALOGUE)
    except QuestionnaireError as exc:
        assert exc.problems
        for p in exc.problems:
            assert p.file == "fuzz.yaml"
            assert isinstance(p.vendor, str) and isinstance(p.question, str)
            assert isinstance(p.message, str) and p.message.strip()
            assert "Traceback" not in p.message
        return exc.problems


# -------------------------------------------------------------------- random bytes and text


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_never_crash(data: bytes) -> None:
    load_or_problems(data)


@FUZZ
@given(st.text(max_size=2048))
def test_random_text_never_crashes(text: str) -> None:
    load_or_problems(text.encode("utf-8", "surrogatepass"))


YAML_ALPHABET = st.sampled_from(
    [
        *":-[]{},&*!|>'\"#%@`?~<\t\n ",
        "NO", "on", "yes", "1.10", "0123", ".nan", "-.inf", "2019-02-30",
        "!!python/object:os.system", "&a", "*a", "<<", "!!int", "!!timestamp",
        "\x07", "\u202e", "\ufeff", "\x85", "1e308", "9" * 200,
    ]
)


@FUZZ
@given(st.lists(YAML_ALPHABET, max_size=200))
def test_yaml_token_soup_never_crashes(tokens: list[str]) -> None:
    load_or_problems("".join(tokens).encode("utf-8", "surrogatepass"))


# -------------------------------------------------------------------- mutated valid file

EDIT = st.tuples(
    st.sampled_from(["flip", "insert", "delete", "token"]),
    st.floats(min_value=0, max_value=1, allow_nan=False),
    st.integers(min_value=0, max_value=255),
    YAML_ALPHABET,
)


def apply_edits(data: bytes, edits: list[tuple[str, float, int, str]]) -> bytes:
    buf = bytearray(data)
    for kind, where, byte, token in edits:
        pos = min(int(where * len(buf)), max(len(buf) - 1, 0))
        if kind == "flip" and buf:
            buf[pos] = byte
        elif kind == "insert":
            buf[pos:pos] = bytes([byte])
        elif kind == "delete" and buf:
            del buf[pos : pos + 1 + byte % 8]
        elif kind == "token":
            buf[pos:pos] = token.encode("utf-8")
    return bytes(buf)


@FUZZ
@given(st.lists(EDIT, min_size=1, max_size=8))
def test_byte_mutations_of_a_valid_file_never_crash(
    edits: list[tuple[str, float, int, str]],
) -> None:
    load_or_problems(apply_edits(AZURE, edits))


YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["unknown", "NO", "S1", "S99", "EUR", "2019-02-30", "2019-02-28", "v1",
                       "confirmed", "none", "qualified", "oneoff.build", "undated"]),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(
        st.sampled_from(["value", "source", "confidence", "note", "since", "until", "version",
                         "scope", "title", "date", "url", "item", "price", "currency", "id",
                         "name", "group", "other"]),
        children,
        max_size=5,
    ),
    max_leaves=12,
)


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.extend(_paths(v, (*prefix, i)))
    return out


AZURE_PATHS = [p for p in _paths(AZURE_DOC) if p]


def _replaced(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(doc, dict):
        return {k: (_replaced(v, rest, value) if k == head else v) for k, v in doc.items()}
    return [(_replaced(v, rest, value) if i == head else v) for i, v in enumerate(doc)]


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(AZURE_PATHS), YAML_VALUES), min_size=1, max_size=3))
def test_replaced_values_never_crash(replacements: list[tuple[tuple[Any, ...], Any]]) -> None:
    doc: Any = AZURE_DOC
    for path, value in replacements:
        try:
            doc = _replaced(doc, path, value)
        except (TypeError, IndexError):  # an earlier replacement removed this path
            continue
    data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")
    load_or_problems(data)


# -------------------------------------------------------------------- typed answers


def _with_answer(qid: str, raw_value: str, extra: str = "") -> bytes:
    old = f"  {qid}: "
    start = AZURE.index(old.encode())
    end = AZURE.index(b"\n", start)
    line = f"  {qid}: {{value: {raw_value}, source: S2, confidence: confirmed{extra}}}"
    return AZURE[:start] + line.encode("utf-8") + AZURE[end:]


@FUZZ
@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**6), 10**6))
def test_percent_accepted_iff_finite_and_within_0_100(value: float) -> None:
    raw = yaml.safe_dump(value).splitlines()[0]  # YAML's own spelling: .nan, .inf, 1.0e-05 ...
    result = load_or_problems(_with_answer("legal.non_eu_share_individual", raw))
    ok = math.isfinite(value) and 0 <= value <= 100
    if ok:
        assert isinstance(result, Offer)
        assert result.value("legal.non_eu_share_individual") == float(value)
    else:
        assert not isinstance(result, Offer)
        assert [p.question for p in result] == ["legal.non_eu_share_individual"]


@FUZZ
@given(st.text(alphabet=st.characters(min_codepoint=0x41, max_codepoint=0x5A), min_size=2,
               max_size=2))
def test_unquoted_two_letter_codes_stay_text(code: str) -> None:
    result = load_or_problems(_with_answer("legal.hq_country", code))
    if code in ISO_ALPHA2:
        assert isinstance(result, Offer)
        assert result.value("legal.hq_country") == code  # "NO" is Norway, never False
    else:
        assert not isinstance(result, Offer)
        assert [p.question for p in result] == ["legal.hq_country"]


@FUZZ
@given(st.text(max_size=30))
def test_no_text_is_ever_a_boolean(text: str) -> None:
    raw = json.dumps(text)  # a double-quoted YAML string (JSON escapes are YAML escapes)
    result = load_or_problems(_with_answer("cert.iso27001", raw))
    assert not isinstance(result, Offer)
    assert any(p.question == "cert.iso27001" for p in result)


# -------------------------------------------------------------------- round trip through the CLI


def _validate_json(*paths: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "scoring", "validate", "--json", *map(str, paths)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _jsonable(v: Any) -> Any:
    return v.isoformat() if hasattr(v, "isoformat") else v


def test_round_trip_through_validate_json(tmp_path: Path) -> None:
    offer = parse_questionnaire(AZURE, str(AZURE_PATH))
    out = _validate_json(AZURE_PATH)
    [row] = out["offers"]
    assert (row["vendor"], row["offer"], row["era"], row["as_of"]) == (
        offer.vendor_id, offer.offer_id, offer.era, offer.as_of.isoformat())
    assert set(row["answers"]) == set(CATALOGUE.ids)
    for qid, a in row["answers"].items():
        mine = offer.answer(qid)
        assert a["confidence"] == mine.confidence, qid
        assert a["value"] == (_jsonable(mine.value) if mine.known else None), qid
        assert a["source"] == (",".join(mine.sources) or None), qid

    # ... and back: a questionnaire rebuilt from the JSON answers loads to the same values.
    doc = dict(AZURE_DOC)
    answers: dict[str, Any] = {}
    for qid, a in row["answers"].items():
        if a["confidence"] == "unknown":
            answers[qid] = "unknown"
        else:
            answers[qid] = {"value": a["value"], "confidence": a["confidence"],
                            "source": a["source"].split(",")}
            if CATALOGUE.question(qid).type == "level":
                answers[qid]["note"] = offer.answer(qid).note
    doc["answers"] = answers
    rebuilt = tmp_path / "rebuilt.yaml"
    rebuilt.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    again = parse_questionnaire(rebuilt.read_bytes(), str(rebuilt))
    for qid in CATALOGUE.ids:
        assert again.answer(qid).value == offer.answer(qid).value, qid
        assert again.answer(qid).confidence == offer.answer(qid).confidence, qid
        assert again.answer(qid).sources == offer.answer(qid).sources, qid
    [row2] = _validate_json(rebuilt)["offers"]
    assert row2["answers"] == row["answers"]
