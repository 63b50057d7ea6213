"""Hostile bidders (issue 9): the generated corpus (tests/hostile/make_corpus.py) through
``hostwise validate``: each case gives its exit code and a located refusal, no output carries a
raw control character, and no refusal quotes a file that is not a questionnaire. Then the
identity rules at their bounds (hypothesis)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hostile.make_corpus import AZURE, CASES, Case, offer_id
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli.main import main
from scoring.errors import QuestionnaireError
from scoring.io import load_offers, parse_questionnaire, printable, read_input, skeleton
from scoring.io.files import InputFileError

PROBLEM = re.compile(r"^(?P<file>.+?): (?P<vendor>[^:]+): (?P<question>.+?): (?P<message>.+)$")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def test_corpus_is_large_and_named_once() -> None:
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_case(case: Case, corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = case.build(corpus / case.id)
    code = main(["validate", *map(str, paths)])
    out, err = capsys.readouterr()
    assert code == case.exit, err
    assert "Traceback" not in out + err
    assert not RAW_CONTROL.search(out + err), repr(out + err)
    for text in case.absent:
        assert text not in out + err, f"{text!r} leaked into the output"
    if case.exit == 0:
        assert err == ""
        return
    lines = [m for m in map(PROBLEM.match, err.splitlines()[1:]) if m]
    assert lines, err
    hits = [m for m in lines
            if m["file"].endswith(case.file) and m["question"] == case.question
            and all(ph in m["message"] for ph in case.phrases)]
    assert hits, f"no problem at *{case.file}: {case.question}: {case.phrases}\n{err}"


def test_fifo_named_directly_does_not_hang(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "bid.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputFileError, match="named pipe"):
        read_input(fifo, 100)


def test_read_input_reads_at_most_the_limit(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_bytes(b"x" * 10)
    assert read_input(f, 10) == b"x" * 10
    with pytest.raises(InputFileError, match="the limit is 9 bytes"):
        read_input(f, 9)


def test_crlf_and_bom_do_not_change_the_content_hash(tmp_path: Path) -> None:
    (tmp_path / "2019").mkdir()
    (tmp_path / "2019" / "a.yaml").write_bytes(AZURE)
    lf = load_offers([tmp_path / "2019"])
    (tmp_path / "2019" / "a.yaml").write_bytes(b"\xef\xbb\xbf" + AZURE.replace(b"\n", b"\r\n"))
    crlf = load_offers([tmp_path / "2019"])
    assert lf.files == crlf.files and lf.offers[0].sha256 == crlf.offers[0].sha256


def test_fullwidth_id_is_refused_not_folded() -> None:
    """Issue 18: folding ``ａｚｕｒｅ`` into ``azure`` behind the bidder's back made it another
    offer's id; the YAML path now refuses it as the Excel path does."""
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire(offer_id("ａｚｕｒｅ"), "a.yaml")
    [msg] = [p.message for p in info.value.problems if p.question == "offer.id"]
    assert "canonical form: write 'azure'" in msg


def test_printable_escapes_every_control_and_is_idempotent() -> None:
    nasty = "a\x1b[2J\x9b31m\x85\u202e\u2028\x00\ud800z"
    shown = printable(nasty)
    assert not RAW_CONTROL.search(shown) and "\u2028" not in shown and "\ud800" not in shown
    assert printable(shown) == shown
    assert printable("Société Générale (EU)") == "Société Générale (EU)"


# -------------------------------------------------------------------- ids at their bounds

ID_CHARS = string.ascii_lowercase + string.digits + "-"
LATIN_TO_CYRILLIC = {"a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у"}


def _id_problems(new_id: str) -> list[str]:
    try:
        parse_questionnaire(offer_id(new_id), "a.yaml")
    except QuestionnaireError as exc:
        return [p.message for p in exc.problems if p.question == "offer.id"]
    return []


@settings(max_examples=60, deadline=None)
@given(st.text(ID_CHARS, min_size=1, max_size=100).filter(lambda s: s[0] != "-"))
def test_ids_up_to_100_characters_load(new_id: str) -> None:
    assert _id_problems(new_id) == []


@settings(max_examples=20, deadline=None)
@given(st.text(ID_CHARS, min_size=101, max_size=140))
def test_ids_over_100_characters_are_refused(new_id: str) -> None:
    assert any("the limit is 100" in m for m in _id_problems(new_id))


@settings(max_examples=100, deadline=None)
@given(st.text("acdeopxy", min_size=1, max_size=30))
def test_whole_cyrillic_lookalike_has_the_same_skeleton(latin: str) -> None:
    cyr = "".join(LATIN_TO_CYRILLIC.get(c, c) for c in latin)
    assert skeleton(cyr) == skeleton(latin) == skeleton(latin.upper())
    assert skeleton("".join(chr(ord(c) + 0xFEE0) for c in latin)) == skeleton(latin)  # full-width


@settings(max_examples=100, deadline=None)
@given(st.text(ID_CHARS, min_size=1, max_size=30), st.sampled_from(["\u00ad", "\u2060",
                                                                     "\u200b", "\ufe0f"]),
       st.integers(min_value=0, max_value=30))
def test_an_invisible_character_anywhere_in_an_id_is_refused(
    base: str, hidden: str, at: int
) -> None:
    new_id = base[:at] + hidden + base[at:]
    assert any("invisible" in m for m in _id_problems(new_id.encode("unicode_escape").decode()))
