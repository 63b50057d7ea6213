"""Scenario mistakes that used to change a ranking silently (exit 0) are located errors now.

Each case edits the bundled hdh-2026 scenario the way a hurried author would, and expects the
command line to refuse it with exit 2 and a line naming the file, the key and what is allowed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "data" / "scenarios" / "hdh-2026.yaml").read_text(encoding="utf-8")
GATE = "workload:\n  label:"

CASES = [
    ("gate on an unknown question", GATE,
     "  - {id: g, kind: answer, question: tech.warp_drive, allowed: [true]}\n" + GATE,
     "gates.g.question", "not a question of the catalogue"),
    ("min_seal gate without a level", GATE, "  - {id: g, kind: min_seal}\n" + GATE,
     "gates.g.level", "SEAL level from 0 to 4"),
    ("min_pillar on an unknown pillar", GATE,
     "  - {id: g, kind: min_pillar, pillar: tech, minimum: 50}\n" + GATE,
     "gates.g.pillar", "one of technical"),
    ("a field the gate kind ignores", GATE, "  - {id: g, kind: hds, level: 3}\n" + GATE,
     "gates.g.level", "not read by a hds gate"),
    ("a negative pillar weight", "cost: {weight: 25}", "cost: {weight: -25}",
     "weights.cost", "finite number >= 0"),
    ("a boolean weight", "cost: {weight: 25}", "cost: {weight: true}",
     "weights.cost.weight", "valid number"),
    ("a negative contract term", "contract_years: 4", "contract_years: -1",
     "workload.contract_years", "more than 0"),
    ("a zero contract term", "contract_years: 4", "contract_years: 0",
     "workload.contract_years", "more than 0"),
    ("an absurd contract term", "contract_years: 4", "contract_years: 1e300",
     "workload.contract_years", "at most 50"),
    ("a currency typo", "currency: EUR", "currency: eur",
     "currency", "ISO 4217"),
    ("an unknown price item", "gpu.h100: 35040", "gpu.h1000: 35040",
     "workload.annual.gpu.h1000", "not a price item"),
    ("an empty workload", "    vm.8vcpu_32gb: 876000\n    gpu.h100: 35040\n"
     "    storage.object: 6000000\n", "    {}\n", "workload", "buys nothing"),
    ("an evaluation date out of range", "evaluation_date: 2026-04-23",
     "evaluation_date: 9998-04-23", "evaluation_date", "an evaluation date from"),
    ("a relevance factor of 1", "price_formula: {kind: proportional}",
     "price_formula: {kind: relevance, n: 1}", "price_formula.n", "greater than 1"),
]


@pytest.mark.parametrize(("name", "old", "new", "field", "phrase"), CASES,
                         ids=[c[0] for c in CASES])
def test_scenario_mistake_is_a_located_error(tmp_path: Path, name: str, old: str, new: str,
                                             field: str, phrase: str) -> None:
    assert old in BASE, name
    text = BASE.replace(old, new, 1)
    f = tmp_path / "bad.yaml"
    f.write_text(text.replace("../vendors/", str(ROOT / "data" / "vendors") + "/"),
                 encoding="utf-8")
    p = subprocess.run([sys.executable, "-m", "scoring", "rank", str(f), "--json"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 2, (name, p.stdout[-500:], p.stderr[-500:])
    assert "Traceback" not in p.stderr
    probs = json.loads(p.stdout)["problems"]
    assert any(x["file"] == str(f) and x["question"] == field and phrase in x["message"]
               for x in probs), (name, probs)
