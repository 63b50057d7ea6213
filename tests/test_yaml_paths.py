"""The strict YAML reader's two paths give the same answer (issue 8): the libyaml path
(``scoring.io.yaml_fast``) and the pure-Python reference (``scoring.io.yamlsafe.load_python``)
return equal data, or the same located problems, on every bundled file, on the bad-input corpus
and on fuzzed text. Without libyaml the reference alone runs (these tests then skip)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_questionnaire_bad_inputs import CASES, Case
from test_questionnaire_properties import YAML_ALPHABET

from scoring.errors import Problem, QuestionnaireError
from scoring.io import parse_questionnaire, yaml_fast, yamlsafe
from scoring.io.yamlsafe import YamlReadError, load_yaml
from tests.conftest import AZURE_PATH

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "data").rglob("*.yaml"))
needs_libyaml = pytest.mark.skipif(not yaml_fast.HAVE_LIBYAML, reason="PyYAML without libyaml")
FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def same(a: Any, b: Any) -> bool:
    """Equal data, NaN equal to NaN, bool never equal to int (True == 1 in Python)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, dict):
        return len(a) == len(b) and all(
            same(ka, kb) and same(va, vb)
            for (ka, va), (kb, vb) in zip(a.items(), b.items(), strict=True))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def outcome(data: bytes, backend: yamlsafe.Backend) -> tuple[str, Any]:
    try:
        return "data", load_yaml(data, backend=backend)
    except YamlReadError as exc:
        return "problems", exc.problems


def assert_same_outcome(data: bytes) -> None:
    kind_c, c = outcome(data, "c")
    kind_py, py = outcome(data, "python")
    assert kind_c == kind_py, (data[:200], c, py)
    assert same(c, py) if kind_c == "data" else c == py, (data[:200], c, py)


def test_bundled_files_exist() -> None:
    assert len(BUNDLED) >= 30 and AZURE_PATH.exists()


@needs_libyaml
@pytest.mark.parametrize("path", BUNDLED, ids=[str(p.relative_to(ROOT)) for p in BUNDLED])
def test_bundled_file_same_data_and_really_fast(path: Path) -> None:
    data = path.read_bytes()
    assert_same_outcome(data)
    text = yamlsafe.decode_text(data, 1 << 20)
    assert yaml_fast.load_fast(text) is not yaml_fast.BAIL, "bundled data must take the C path"


@needs_libyaml
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_corpus_same_problems(case: Case) -> None:
    data = case.build(AZURE_PATH.read_bytes())
    results: list[tuple[str, tuple[Problem, ...]]] = []
    for have in (True, False):
        with mock.patch.object(yamlsafe, "HAVE_LIBYAML", have):
            try:
                parse_questionnaire(data, "bad.yaml")
                results.append(("offer", ()))
            except QuestionnaireError as exc:
                results.append(("problems", exc.problems))
    assert results[0] == results[1]


@needs_libyaml
@FUZZ
@given(st.lists(YAML_ALPHABET | st.sampled_from(["\r\n", "\r", "\t", "  ", "- ", ": ", "\\"]),
                max_size=120))
def test_token_soup_same_outcome(tokens: list[str]) -> None:
    assert_same_outcome("".join(tokens).encode("utf-8", "surrogatepass"))


@needs_libyaml
@FUZZ
@given(st.text(max_size=300))
def test_random_text_same_outcome(text: str) -> None:
    assert_same_outcome(text.encode("utf-8", "surrogatepass"))


@needs_libyaml
@pytest.mark.parametrize("data", [
    b"a: " + b"[" * 1_000_000,  # would exhaust the C stack in libyaml's own composer
    b"- " * 300_000 + b"x\n",
    b"a: &a [x]\nb: *a\n",
    b"<<: {a: 1}\n",
    b"x: !!str 5\n",
    b"a: 1\na: 2\n",
    ("k\u0301: 1\n\u1e31: 2\n").encode(),  # duplicate keys once NFC-normalised
    b"n: " + b"9" * 101 + b"\n",
    b"a: 1\n---\nb: 2\n",
], ids=["deep-flow", "deep-block", "alias", "merge", "tag", "dup", "dup-nfc", "digits", "2-docs"])
def test_what_the_fast_path_hands_to_the_reference(data: bytes) -> None:
    text = yamlsafe.decode_text(data, 1 << 21)
    assert yaml_fast.load_fast(text) is yaml_fast.BAIL
    assert_same_outcome(data)
