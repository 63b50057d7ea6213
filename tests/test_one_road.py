"""One road per concept: the missing-answer policy is read by name only in
``scoring/engine/policy.py``, the canonical hash is written only in ``scoring/hashing.py``, and
the ranking rule's tolerance only in ``scoring/ranking.py``. Everything else asks them."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "scoring").rglob("*.py"), *(ROOT / "ui").rglob("*.py"),
                  ROOT / "app.py"])


def _offenders(pattern: str, allowed: set[str]) -> list[str]:
    rx = re.compile(pattern)
    out = []
    for f in SOURCES:
        rel = f.relative_to(ROOT).as_posix()
        if rel in allowed:
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if rx.search(line):
                out.append(f"{rel}:{n}: {line.strip()}")
    return out


def test_the_missing_answer_policy_is_applied_in_one_module() -> None:
    compare = r"""policy\s*[!=]=\s*["'](worst|exclude|uncertain)["']"""
    assert _offenders(compare, {"scoring/engine/policy.py", "scoring/rules/legal.py"}) == []


def test_canonical_json_and_sha256_are_written_once() -> None:
    assert _offenders(r"sort_keys=True, separators", {"scoring/hashing.py"}) == []
    assert _offenders(r"hashlib\.sha256\((?!data\)|\)|canonical_bytes)",
                      {"scoring/hashing.py"}) == []


def test_the_tie_tolerance_is_defined_once() -> None:
    assert _offenders(r"round\(total[^)]*9\)|RANK_DECIMALS|TIE_TOLERANCE\s*=",
                      {"scoring/ranking.py"}) == []
