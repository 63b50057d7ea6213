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
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/e2e", "tests/committee/test_two_apps.py"]
BURN = "while True: pass"


def _summary(junit: Path) -> tuple[int, int, int]:
    """(passed, failed + errors, skipped) from pytest's JUnit XML report (the console summary
    line depends on the verbosity the project's ``addopts`` set)."""
    if not junit.exists():
        return 0, 1, 0  # pytest died before writing its report: count it as a failure
    root = ET.parse(junit).getroot()
    suites = [root] if root.tag == "testsuite" else list(root)
    total = sum(int(s.get("tests", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    return total - failed - skipped, failed, skipped


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
            junit = Path(tempfile.mkdtemp(prefix="stress-")) / "junit.xml"
            t0 = time.perf_counter()
            # its own session: an interrupted run takes its servers and browser down with it
            run = subprocess.Popen([sys.executable, "-m", "pytest", *TESTS, "-rfEs",
                                    "-p", "no:cacheprovider", f"--junitxml={junit}",
                                    *args.pytest_args], cwd=ROOT, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   start_new_session=True)
            try:
                out, _ = run.communicate()
            finally:
                if run.poll() is None:
                    os.killpg(run.pid, signal.SIGKILL)
                    run.wait()
            wall = time.perf_counter() - t0
            passed, failed, skipped = _summary(junit)
            rows.append((i, passed, failed, skipped, wall))
            print(f"run {i}: {passed} passed, {failed} failed, {skipped} skipped, "
                  f"{wall:.1f} s", flush=True)
            if failed or run.returncode != 0:
                print(f"pytest exit code {run.returncode}", flush=True)
                tail = [ln for ln in out.splitlines()
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
