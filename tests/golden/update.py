"""The replay results of the bundled scenarios, as golden files reviewed as diffs.

Run ``python tests/golden/update.py`` after a change that is meant to move a result (a data
correction, a method fix), then read ``git diff tests/golden`` like any other change: the diff
IS the review of what the change does to the replays. ``tests/test_golden.py`` fails, with this
instruction, when the outputs and the files differ. No test asserts who should win.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "data" / "scenarios"
GOLDEN = Path(__file__).resolve().parent


def _rounded(x: Any) -> Any:
    """Floats to 6 decimals so that the files are stable across platforms' last bits."""
    if isinstance(x, float):
        return round(x, 6) + 0.0  # + 0.0 folds -0.0 into 0.0
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_rounded(v) for v in x]
    return x


def outputs(path: Path) -> dict[str, Any]:
    """What a golden file holds for one scenario: the ranking contract of ``hostwise rank
    --json`` (method of the scenario, with its labelled assumptions), each offer's warnings,
    and for a scenario with lots the award and the frontier (cost and value per floor)."""
    from scoring.engine import evaluate_path
    from scoring.report.ranking import rank_json

    ev = evaluate_path(path)
    out: dict[str, Any] = {"rank": rank_json(ev)}
    out["warnings"] = {r.offer.offer_id: list(r.warnings) for r in ev.results}
    if ev.scenario.lots:  # the award and the price-of-sovereignty frontier
        from scoring.allocation import frontier, solve
        from scoring.award import load_award_problem
        from scoring.report.allocation import frontier_json, result_json

        ctx = load_award_problem(path)
        res = solve(ctx.problem)
        out["allocate"] = {k: v for k, v in result_json(ctx, res).items() if k != "hash"}
        spec = ctx.scenario.allocation.frontier  # as `hostwise frontier` sweeps it: a
        floors = (list(spec.floors) if "sovereignty" in ctx.modules  # tender without SEAL
                  else [None])  # levels sweeps its budgets alone
        pts = frontier(ctx.problem, floors, spec.budgets)
        out["frontier"] = [{k: p[k] for k in ("floor", "status", "cost", "value") if k in p}
                           for p in frontier_json(ctx, pts)["points"]]
    return _rounded(out)


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def scenario_files() -> list[Path]:
    return sorted(SCENARIOS.glob("*.yaml"))


def main() -> int:
    sys.path.insert(0, str(ROOT))
    for p in scenario_files():
        target = GOLDEN / f"{p.stem}.json"
        text = render(outputs(p))
        old = target.read_text(encoding="utf-8") if target.exists() else None
        target.write_text(text, encoding="utf-8")
        print(f"{'unchanged' if old == text else 'UPDATED  '} {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
