"""Clarification-list speed (prints figures; no assertions). Run: python benchmarks/bench_clarify.py

1. ``clarify`` on each bundled scenario (every unknown answer, gate and legal answers re-scored).
2. A synthetic tender: 500 offers whose legal and certification facts are known and whose
   technical answers are unknown with probability 0.5 (the answers a clarification request is
   usually about), under each missing-answer policy.
Goals (issue "A replay a committee could defend"): bundled ≤ 2 s; 500 offers ≤ 10 s.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scoring.engine import evaluate, evaluate_path  # noqa: E402
from scoring.io.catalogue import load_catalogue  # noqa: E402
from scoring.robustness.answers import candidates  # noqa: E402
from scoring.robustness.clarify import clarify  # noqa: E402
from tests.factories import EU_VENDOR, offer, scenario  # noqa: E402


def synthetic(n: int, seed: int = 0) -> list:  # type: ignore[type-arg]
    rng = random.Random(seed)
    cat = load_catalogue()
    tech = [q for q in cat.questions if q.pillar == "technical" and q.scored and not q.dated
            and q.id not in ("cert.hds", "cert.secnumcloud")]
    out = []
    for k in range(n):
        answers = dict(EU_VENDOR)
        for q in tech:
            lo, hi = candidates(q)
            answers[q.id] = None if rng.random() < 0.5 else rng.choice([lo, hi])
        out.append(offer(f"o{k:04d}", answers, prices={"vm.8vcpu_32gb": rng.uniform(0.2, 0.6)},
                         as_of=dt.date(2026, 1, 1)))
    return out


def main() -> None:
    for name in ("hdh-2019", "hdh-2026", "hdh-2026-j0"):
        ev = evaluate_path(ROOT / "data" / "scenarios" / f"{name}.yaml")
        t = time.perf_counter()
        c = clarify(ev)
        print(f"{name:12s} {len(c.items):4d} items  {time.perf_counter() - t:6.2f} s  "
              f"(goal ≤ 2 s; not assessed: {len(c.not_assessed)})")
    offers = synthetic(500)
    for policy in ("worst", "exclude", "uncertain"):
        ev = evaluate(scenario(missing_policy=policy), offers)
        t = time.perf_counter()
        c = clarify(ev, budget_s=30)
        print(f"500 offers, {policy:9s} {len(c.items):5d} items  {time.perf_counter() - t:6.2f} s "
              f"(goal ≤ 10 s; not assessed: {len(c.not_assessed)})")


if __name__ == "__main__":
    main()
