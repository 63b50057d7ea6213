"""``hostwise validate`` through a real subprocess (``python -m scoring``): exit codes, the table,
the JSON contract, and ``file: vendor: question: message`` lines on bad input, never a traceback."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import replace_once

ROOT = Path(__file__).resolve().parent.parent
VENDORS = ROOT / "data" / "vendors"
ISO27001 = "cert.iso27001: {value: true, source: S6, confidence: recalled}"
PROBLEM_LINE = re.compile(
    r"^(?P<file>.+?): (?P<vendor>[^:]+): (?P<question>[^:]+): (?P<message>.+)$"
)


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "scoring", *map(str, args)],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr
    return proc


def three_errors(azure: bytes) -> bytes:
    data = replace_once(azure, ISO27001,
                        "cert.iso27001: {value: oui, source: S6, confidence: recalled}")
    data = replace_once(data, "tech.regions_france: {value: 2, source: S4",
                        "tech.regions_france: {value: 2, source: S99")
    return replace_once(data, "date: 2019-02-28, source: S1", "date: 2019-03-01, source: S1")


def test_validate_bundled_folders_prints_a_table() -> None:
    proc = run("validate", VENDORS / "2019", VENDORS / "2026")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:3] == ["era", "vendor", "offer"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    assert re.search(r"^\d+ offers loaded from \d+ files; answers: ", proc.stdout, re.M)
    assert re.search(r"^2019\s+Microsoft\s+azure\s+2019-02-28\s", proc.stdout, re.M)
    assert proc.stderr == ""


def test_validate_json_contract() -> None:
    from scoring.io.catalogue import load_catalogue

    ids = set(load_catalogue().ids)
    proc = run("validate", "--json", VENDORS / "2019", VENDORS / "2026")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"offers"}
    assert out["offers"], "no offers in --json output"
    files = {str(p) for p in [*VENDORS.glob("2019/*.yaml"), *VENDORS.glob("2026/*.yaml")]}
    for o in out["offers"]:
        assert set(o) == {"vendor", "offer", "era", "as_of", "file", "answers", "as_of_text",
                          "product_line"}
        assert o["era"] in {"2019", "2026"}
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", o["as_of"])
        assert re.fullmatch(r"\d{4}(-\d{2}){0,2}", o["as_of_text"])
        assert o["as_of"].startswith(o["as_of_text"])
        assert isinstance(o["product_line"], str) and o["product_line"]
        assert str(Path(o["file"])) in files or str(ROOT / o["file"]) in files
        assert set(o["answers"]) == ids
        for qid, a in o["answers"].items():
            assert set(a) == {"value", "confidence", "source", "other_product"}, (o["offer"], qid)
            if a["confidence"] == "unknown":
                assert a["value"] is None, (o["offer"], qid)
                assert a["other_product"] is None, (o["offer"], qid)
            else:
                assert a["confidence"] in {"confirmed", "recalled", "conflicting", "secondary"}
                assert a["value"] is not None, (o["offer"], qid)
                if a["confidence"] != "recalled":  # a recalled value may cite no publication
                    assert isinstance(a["source"], str) and a["source"], (o["offer"], qid)
                assert a["other_product"] is None or a["other_product"].strip()


def test_validate_json_values(tmp_path: Path, azure_bytes: bytes) -> None:
    f = tmp_path / "azure.yaml"
    f.write_bytes(azure_bytes)
    out = json.loads(run("validate", "--json", f).stdout)
    [o] = out["offers"]
    assert (o["vendor"], o["offer"], o["era"], o["as_of"], o["file"]) == (
        "microsoft", "azure", "2019", "2019-02-28", str(f))
    a: dict[str, Any] = o["answers"]
    assert (o["as_of_text"], o["product_line"]) == (
        "2019-02-28", "Microsoft Azure (public cloud regions)")  # default: the offer's name
    assert a["cert.hds"] == {"value": True, "confidence": "confirmed", "source": "S1",
                             "other_product": None}
    assert a["legal.hq_country"] == {"value": "US", "confidence": "confirmed", "source": "S2",
                                     "other_product": None}
    assert a["proc.contract_vehicle"]["source"] == "S1,S5"
    assert a["legal.non_eu_share_individual"]["value"] == 100.0
    assert a["tech.sla_availability"] == {"value": None, "confidence": "unknown", "source": None,
                                          "other_product": None}


def scoped(azure: bytes) -> bytes:
    """The fixture with a year-precision as_of, one answer and one price from another line."""
    data = replace_once(azure, "as_of: 2019-02-28", "as_of: 2019")
    data = replace_once(data, ISO27001, ISO27001[:-1] + ', other_product: "Azure Stack"}')
    return replace_once(data, "date: 2019-02-28, source: S1",
                        'date: unknown, source: S1, other_product: "Azure Stack"')


def test_validate_text_shows_dates_as_written_and_other_lines(tmp_path: Path,
                                                              azure_bytes: bytes) -> None:
    f = tmp_path / "azure.yaml"
    f.write_bytes(scoped(azure_bytes))
    proc = run("validate", f)
    assert proc.returncode == 0, proc.stderr
    head, _, row = proc.stdout.splitlines()[:3]
    assert head.rstrip().endswith("other line (ans/prices)")
    assert re.match(r"^2019\s+Microsoft\s+azure\s+2019\s+\d+\s", row), row  # no day invented
    assert row.split()[-1] == "1/1"
    plain = tmp_path / "plain" / "azure.yaml"
    plain.parent.mkdir()
    plain.write_bytes(azure_bytes)
    assert run("validate", plain).stdout.splitlines()[2].split()[-1] == "0/0"


def test_validate_json_shows_other_line_values(tmp_path: Path, azure_bytes: bytes) -> None:
    f = tmp_path / "azure.yaml"
    f.write_bytes(scoped(azure_bytes))
    [o] = json.loads(run("validate", "--json", f).stdout)["offers"]
    assert (o["as_of"], o["as_of_text"]) == ("2019-12-31", "2019")
    assert o["answers"]["cert.iso27001"] == {"value": True, "confidence": "recalled",
                                             "source": "S6", "other_product": "Azure Stack"}
    assert o["answers"]["cert.hds"]["other_product"] is None


def test_bad_file_exit_2_with_located_lines(tmp_path: Path, azure_bytes: bytes) -> None:
    good = tmp_path / "azure.yaml"
    good.write_bytes(azure_bytes)
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(three_errors(replace_once(azure_bytes, "offer: {id: azure,",
                                              "offer: {id: azure-bad,")))
    proc = run("validate", tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == "", "nothing may be printed as loaded when a file is bad"
    lines = proc.stderr.splitlines()
    assert "nothing was loaded" in lines[0]
    parsed = [PROBLEM_LINE.match(line) for line in lines[1:]]
    assert all(parsed), lines
    got = sorted((m["file"], m["vendor"], m["question"]) for m in parsed if m)
    assert got == [
        (str(bad), "microsoft", "cert.iso27001"),
        (str(bad), "microsoft", "prices[0].date"),
        (str(bad), "microsoft", "tech.regions_france"),
    ]
    assert f"{bad}: microsoft: cert.iso27001: expected true or false, got the text 'oui'" in lines


def test_bad_file_json_problems(tmp_path: Path, azure_bytes: bytes) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(three_errors(azure_bytes))
    proc = run("validate", "--json", bad)
    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    assert set(out) == {"problems"}
    assert len(out["problems"]) == 3
    for p in out["problems"]:
        assert set(p) == {"file", "vendor", "question", "message"}
        assert p["file"] == str(bad)
        assert p["vendor"] == "microsoft"
        assert p["message"]
    assert {p["question"] for p in out["problems"]} == {
        "cert.iso27001", "tech.regions_france", "prices[0].date"}


HOSTILE = {
    "empty": b"",
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
    "random": bytes(range(256)),
    "latin1": "vendor: {id: soci\u00e9t\u00e9}\n".encode("latin-1"),
    "raw-control": b"vendor: {id: a\x07b}\n",
    "alias-bomb": b"a: &a [x, x, x]\n" + b"".join(
        f"l{i}: &l{i} [{', '.join([f'*{p}'] * 3)}]\n".encode()
        for i, p in zip(range(1, 16), ["a", *[f"l{j}" for j in range(1, 15)]], strict=True)),
    "python-tag": b"vendor: !!python/object/apply:os.system ['echo pwned']\n",
    "deep": b"a: " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "big-int": b"a: " + b"9" * 5000 + b"\n",
    "recursive": b"a: &a [*a]\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_hostile_file_never_shows_a_traceback(name: str, as_json: bool, tmp_path: Path) -> None:
    f = tmp_path / f"{name}.yaml"
    f.write_bytes(HOSTILE[name])
    proc = run("validate", *(["--json"] if as_json else []), f)
    assert proc.returncode == 2
    if as_json:
        problems = json.loads(proc.stdout)["problems"]
        assert problems and all(p["file"] == str(f) for p in problems)
    else:
        assert proc.stdout == ""
        lines = proc.stderr.splitlines()[1:]
        assert lines and all(line.startswith(f"{f}: ") for line in lines)
        assert all(PROBLEM_LINE.match(line) for line in lines), lines


def test_missing_path_exit_2() -> None:
    proc = run("validate", ROOT / "no-such-folder")
    assert proc.returncode == 2
    assert "no such file or folder" in proc.stderr


def test_pdf_message_says_what_it_is(tmp_path: Path) -> None:
    f = tmp_path / "offer.yaml"
    f.write_bytes(HOSTILE["pdf"])
    proc = run("validate", f)
    assert f"{f}: -: file: this file is a PDF document, not YAML" in proc.stderr.splitlines()
