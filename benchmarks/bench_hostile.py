"""Hostile inputs against the command line, as a bidder or a hurried author would send them
(prints figures; no assertions). Run: python benchmarks/bench_hostile.py

Every case runs ``hostwise`` in a child process with a 60 s limit and records: the exit code
(0 success, 2 located refusal, 1 internal error), whether a traceback reached the user, whether
it hung, and the child's peak memory (ru_maxrss). Cases:
- the bidder corpus of ``tests/hostile/make_corpus.py`` (``validate``, then ``rank`` of a
  scenario naming the folder for the cases ``validate`` accepts);
- the scenario mistakes of ``tests/test_scenario_rules.py`` (``rank``);
- inputs from the issue: /dev/zero and a FIFO as a scenario or as ``extends``, a 1 MiB file of
  ``[``, dates in year 9999, --samples 10^9, a negative seed.
Goals (issue "Hostile bidders"): 0 tracebacks, 0 hangs, 0 silent wrong results, peak memory of
the worst case ≤ 500 MiB at the 1 MiB file limit.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.hostile.make_corpus import CASES, build_all  # noqa: E402
from tests.test_scenario_rules import BASE  # noqa: E402
from tests.test_scenario_rules import CASES as SCENARIO_CASES  # noqa: E402

SCEN = ROOT / "data" / "scenarios"


def run(args: list[str], timeout: float = 60.0) -> tuple[int | None, str, float, float]:
    """(exit code or None when it hung, stderr+stdout, seconds, unused) of one child; the
    children's peak memory is read once at the end (``peak_mib``)."""
    t = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "scoring", *args], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, "", time.perf_counter() - t, 0.0
    return (p.returncode, (err + out).decode("utf-8", "replace"), time.perf_counter() - t, 0.0)


def peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    rows: list[tuple[str, int | None, bool, float]] = []
    wrong: list[str] = []  # exit code other than the one the case expects: a silent result
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        built = build_all(root / "corpus")
        for case in CASES:
            code, text, dt, _ = run(["validate", *map(str, built[case.id])])
            rows.append((f"bid:{case.id}", code, "Traceback" in text, dt))
            if code != case.exit:
                wrong.append(f"bid:{case.id} exit {code}, expected {case.exit}")
        for name, old, new, _field, _phrase in SCENARIO_CASES:
            f = root / f"scenario-{len(rows)}.yaml"
            f.write_text(BASE.replace(old, new, 1).replace(
                "../vendors/", str(ROOT / "data" / "vendors") + "/"), encoding="utf-8")
            code, text, dt, _ = run(["rank", str(f)])
            rows.append((f"scenario:{name}", code, "Traceback" in text, dt))
            if code != 2:
                wrong.append(f"scenario:{name} exit {code}, expected 2")
        fifo = root / "fifo.yaml"
        os.mkfifo(fifo)
        brackets = root / "brackets.yaml"
        brackets.write_bytes(b"[" * 1_048_000)
        ext = root / "extends-fifo.yaml"
        ext.write_text(f"extends: {fifo}\nid: x\n", encoding="utf-8")
        zero = root / "extends-zero.yaml"
        zero.write_text("extends: /dev/zero\nid: x\n", encoding="utf-8")
        extra = {
            "rank /dev/zero": ["rank", "/dev/zero"],
            "rank FIFO": ["rank", str(fifo)],
            "extends FIFO": ["rank", str(ext)],
            "extends /dev/zero": ["rank", str(zero)],
            "1 MiB of [": ["rank", str(brackets)],
            "validate 1 MiB of [": ["validate", str(brackets)],
            "--samples 10^9": ["sensitivity", str(SCEN / "hdh-2019.yaml"), "--samples",
                               "1000000000"],
            "--seed -1": ["sensitivity", str(SCEN / "hdh-2019.yaml"), "--seed", "-1"],
            "clarify --budget 0": ["clarify", str(SCEN / "hdh-2019.yaml"), "--budget", "0"],
        }
        for name, args in extra.items():
            code, text, dt, _ = run(args)
            rows.append((name, code, "Traceback" in text, dt))
    codes = [c for _, c, _, _ in rows]
    print(f"cases tried: {len(rows)}")
    print(f"  exit 2 (located refusal): {codes.count(2)}   exit 0: {codes.count(0)}   "
          f"exit 1 (internal error): {codes.count(1)}   other: "
          f"{sum(c not in (0, 1, 2) and c is not None for c in codes)}")
    print(f"  tracebacks shown: {sum(tb for _, _, tb, _ in rows)} (goal 0)")
    print(f"  silent wrong results (exit code not the expected one): {len(wrong)} (goal 0)")
    for w in wrong:
        print(f"    {w}")
    print(f"  hangs (> 60 s): {codes.count(None)} (goal 0)")
    print(f"  slowest: {max(rows, key=lambda r: r[3])[0]} {max(r[3] for r in rows):.2f} s")
    print(f"  peak memory of the worst child: {peak_mib():.0f} MiB (goal ≤ 500 MiB)")
    for name, code, tb, dt in rows:
        if code not in (0, 2) or tb:
            print(f"  !! {name}: exit {code}, traceback {tb}, {dt:.1f} s")


if __name__ == "__main__":
    main()
