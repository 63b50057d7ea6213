"""Same inputs, same bytes: ``hostwise rank --json`` is identical across runs, hash seeds,
working directories, locales and line endings (the hash covers content, never its encoding
on disk)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCEN = "data/scenarios/hdh-2026-j0.yaml"


def _rank(scenario: Path, cwd: Path, **env: str) -> bytes:
    e = {**os.environ, **env}
    p = subprocess.run([sys.executable, "-m", "scoring", "rank", str(scenario), "--json"],
                       cwd=cwd, env=e, capture_output=True, timeout=120,
                       check=False)
    assert p.returncode == 0, p.stderr.decode()
    return p.stdout


@pytest.fixture(scope="module")
def reference() -> bytes:
    return _rank(ROOT / SCEN, ROOT, PYTHONHASHSEED="0")


@pytest.mark.parametrize("env", [
    {"PYTHONHASHSEED": "1"},
    {"PYTHONHASHSEED": "4242", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "7", "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"},
], ids=["seed1", "seed4242-C", "seed7-fr"])
def test_same_bytes_across_seeds_and_locales(reference: bytes, env: dict[str, str],
                                             tmp_path: Path) -> None:
    assert _rank(ROOT / SCEN, tmp_path, PYTHONPATH=str(ROOT), **env) == reference


def test_same_bytes_with_crlf_line_endings(reference: bytes, tmp_path: Path) -> None:
    """A copy of the data whose YAML files all use CRLF gives the same result and hash."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    for f in (tmp_path / "data").rglob("*.yaml"):
        f.write_bytes(f.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    assert _rank(tmp_path / SCEN, tmp_path, PYTHONPATH=str(ROOT)) == reference
