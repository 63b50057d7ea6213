"""Golden files: the bundled replays' results, compared in full (never "who should win").

A difference fails with the command that regenerates the files; the regenerated diff is then
reviewed like any other change (a data correction shows up as a visible change of outcome).
"""

from __future__ import annotations

import difflib

import pytest

from tests.golden.update import GOLDEN, outputs, render, scenario_files


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_replay_matches_its_golden_file(path) -> None:  # type: ignore[no-untyped-def]
    target = GOLDEN / f"{path.stem}.json"
    assert target.exists(), f"no golden file for {path.name}: run python tests/golden/update.py"
    want = target.read_text(encoding="utf-8")
    got = render(outputs(path))
    if got != want:
        diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                            "golden", "now", n=2))
        pytest.fail(f"{path.name} no longer matches tests/golden/{target.name}.\n"
                    "If the change is intended, run `python tests/golden/update.py` and review "
                    f"`git diff tests/golden`.\n{diff[:4000]}")
