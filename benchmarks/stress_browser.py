"""The browser tests under CPU starvation (issue 20): do they wait for what they check?

Runs the end-to-end tests (``tests/e2e``) and the committee's two-app test
(``tests/committee/test_two_apps.py``) N times in a row (default 5) while every core is kept
busy by one ``python -c "while True: pass"`` per core, and prints, per run, the failures and
the wall time. A test that waits on the clock fails here first; one that waits on the
condition only gets slower.

    python benchmarks/stress_browser.py            # 5 runs, one burner per core
    python benchmarks/stress_browser.py --runs 3 --burners 2 -- -x    # pytest options after --

The two-app test needs ``HOSTWISE_TEST_PG_URL`` (``bash .ci/start-postgres`` prints it); without
it pytest skips it and says so. The burners are killed at the end whatever happens.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/e2e", "tests/committee/test_two_apps.py"]
BURN = "while True: pass"


def _summary(out: str) -> tuple[int, int, int]:
    """(passed, failed + errors, skipped) from pytest's last line."""
    last = out.strip().splitlines()[-1] if out.strip() else ""

    def n(word: str) -> int:
        m = re.search(rf"(\d+) {word}", last)
        return int(m.group(1)) if m else 0

    return n("passed"), n("failed") + n("error"), n("skipped")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--burners", type=int, default=os.cpu_count() or 1,
                    help="CPU-bound processes kept running (default: one per core)")
    ap.add_argument("pytest_args", nargs="*", help="extra pytest options (after --)")
    args = ap.parse_args(argv)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    burners: list[subprocess.Popen[bytes]] = []
    rows: list[tuple[int, int, int, int, float]] = []
    try:
        burners = [subprocess.Popen([sys.executable, "-c", BURN]) for _ in range(args.burners)]
        print(f"{args.burners} CPU burner(s) on {os.cpu_count()} core(s); {args.runs} run(s) of "
              f"{' '.join(TESTS)}", flush=True)
        for i in range(1, args.runs + 1):
            t0 = time.perf_counter()
            p = subprocess.run([sys.executable, "-m", "pytest", *TESTS, "-q", "-rfEs",
                                "-p", "no:cacheprovider", *args.pytest_args],
                               cwd=ROOT, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            passed, failed, skipped = _summary(p.stdout)
            rows.append((i, passed, failed, skipped, wall))
            print(f"run {i}: {passed} passed, {failed} failed, {skipped} skipped, "
                  f"{wall:.1f} s", flush=True)
            if failed or p.returncode not in (0, 5):
                tail = [ln for ln in p.stdout.splitlines()
                        if ln.startswith(("FAILED", "ERROR", "E "))]
                print("\n".join(tail[:20]), flush=True)
    finally:
        for b in burners:
            b.kill()
            b.wait()
    total_failed = sum(r[2] for r in rows)
    walls = [r[4] for r in rows]
    if walls:
        print(f"total: {len(rows)} run(s), {total_failed} failure(s); wall per run "
              f"min {min(walls):.1f} s, mean {sum(walls) / len(walls):.1f} s, "
              f"max {max(walls):.1f} s")
    return 1 if total_failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
