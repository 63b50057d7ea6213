"""Benchmark of the sensitivity analyses. Prints figures only.

Run from the repository root:  python benchmarks/bench_sensitivity.py  [--quick] [--report-only]

Part 1, the sensitivity report on a large decision matrix (issue 8): 500 eligible offers × 4
pillars under the ``exclude`` policy with a quarter of the answers missing, the work of
``hostwise sensitivity``: stability intervals, SMAA-2 (10,000 samples) and the runner-up's flip.
Goal: the whole report ≤ 3 s and ≤ 200 MiB. Before issue 8 (commit 30a457e, same machine):
stability intervals 100 offers 29 s, 500 offers > 300 s (stopped; quadratic in the offers);
SMAA 500 offers 9.7 s with a 918 MiB traced peak; flip 500 offers 11.7 s, 1,838 MiB.

Part 2, SMAA-2 alone (scoring.methods.smaa.smaa2):

Problem: 20 offers × 8 criteria, utilities uniform in [0, 100], weights uniform on the simplex.
Goal: 1M samples in ≤ 1 s wall time with ≤ 200 MiB extra memory.

Every measurement runs in a fresh subprocess so that ``ru_maxrss`` (a lifetime high-water mark)
gives a clean delta. In each child: one small warm-up call, then the timed runs (no tracing),
then one more run under ``tracemalloc`` (numpy reports its data allocations to it) for the peak
of traced allocations. Compared with:

(a) a bare numpy reference — Dirichlet + matmul + stable argsort + bincount, chunked as
    ``smaa2`` is (10,000 samples a block: the same memory bound; the one-block version took
    671 MiB at 1M samples) on the same weight stream, rank acceptability only (no central
    weights, no confidence factors); checked to give ``smaa2``'s acceptabilities before timing;
(b) a per-sample Python loop calling a small ranking function, timed on 5,000 samples and
    extrapolated linearly to 1M.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from scoring.engine import DecisionMatrix  # noqa: E402
from scoring.methods.smaa import smaa2  # noqa: E402

M_OFFERS, N_CRITERIA = 20, 8
GOAL_SECONDS, GOAL_MIB = 1.0, 200.0
REPORT_GOAL_SECONDS = 3.0
REPORT_CASES = ("report", "report-stability", "report-smaa", "report-flip")
LOOP_SAMPLES = 5_000
SMAA_CHUNK = 10_000  # smaa2's default chunk_size: the reference gets the same memory bound
MIB = 1024 * 1024


def _utilities() -> np.ndarray:
    return np.random.default_rng(2024).uniform(0, 100, (M_OFFERS, N_CRITERIA))


# ------------------------------------------------------------------------------------------
# The three contenders
# ------------------------------------------------------------------------------------------


def run_smaa(u: np.ndarray, n: int, chunk_size: int | None, noise: float | None) -> None:
    kwargs = {} if chunk_size is None else {"chunk_size": chunk_size}
    smaa2(u, n_samples=n, seed=0, utility_sd=noise, **kwargs)


def reference_acceptability(u: np.ndarray, n: int, chunk_size: int = SMAA_CHUNK) -> np.ndarray:
    """Bare numpy SMAA-2 rank acceptability, chunked as Hostwise is (``chunk_size`` samples at
    a time: the same memory bound), on the same weight stream (the first child of
    ``SeedSequence(0)``, Dirichlet(1) as normalised exponentials): matmul, stable argsort,
    bincount. ``acceptability[i, r]``: share of samples where offer i has rank r + 1."""
    m, c = u.shape
    weight_ss, _noise = np.random.SeedSequence(0).spawn(2)
    rng = np.random.default_rng(weight_ss)
    counts = np.zeros(m * m, dtype=np.int64)
    rank = np.arange(m)
    for start in range(0, n, chunk_size):
        k = min(chunk_size, n - start)
        w = rng.standard_exponential((k, c))
        w /= w.sum(axis=1, keepdims=True)
        order = np.argsort(-(w @ u.T), axis=1, kind="stable")  # offers, best first
        counts += np.bincount((order * m + rank).ravel(), minlength=m * m)
    return counts.reshape(m, m) / n


def run_reference(u: np.ndarray, n: int) -> None:
    reference_acceptability(u, n)


def _rank(totals: np.ndarray) -> list[int]:
    """Offers from best to worst; ties to the lower index."""
    return sorted(range(len(totals)), key=lambda i: (-totals[i], i))


def run_loop(u: np.ndarray, n: int) -> None:
    m = u.shape[0]
    rng = np.random.default_rng(0)
    counts = np.zeros((m, m), dtype=np.int64)
    ones = np.ones(u.shape[1])
    for _ in range(n):
        w = rng.dirichlet(ones)
        for r, i in enumerate(_rank(u @ w)):
            counts[i, r] += 1


# ------------------------------------------------------------------------------------------
# Child process: measure one case
# ------------------------------------------------------------------------------------------


def large_matrix(m: int) -> DecisionMatrix:
    """m offers × 4 pillars, exclude policy, ~25 % of the answers missing (seeded)."""
    rng = np.random.default_rng(5)
    n = 4
    s = rng.uniform(0, 100, (m, n))
    mask = rng.random((m, n)) < 0.25
    mask[np.arange(m), rng.integers(0, n, m)] = False  # every offer answers something
    s[mask] = np.nan
    return DecisionMatrix(tuple(f"o{i:04d}" for i in range(m)), ("technical", "cost", "legal",
                          "sovereignty"), s, np.array([0.4, 0.2, 0.2, 0.2]), "exclude",
                          (0, 1, 2, 3))


def run_report(dm: DecisionMatrix, part: str) -> None:
    """What ``hostwise sensitivity`` computes on the matrix (``part``: one piece or all)."""
    from scoring import robustness as R

    if part in ("report", "report-stability"):
        R.stability_intervals(dm)
    if part in ("report", "report-smaa"):
        R.smaa(dm, 10_000, 0)
    if part in ("report", "report-flip"):
        R.flip(dm, dm.offers[int(R.ranking(dm.totals())[1])])


def _case(args: argparse.Namespace, samples: int) -> Callable[[], None]:
    if args.case in REPORT_CASES:
        dm = large_matrix(samples)
        return lambda: run_report(dm, args.case)
    u = _utilities()
    if args.case == "smaa":
        return lambda: run_smaa(u, samples, args.chunk, args.noise)
    if args.case == "reference":
        return lambda: run_reference(u, samples)
    if args.case == "loop":
        return lambda: run_loop(u, samples)
    raise SystemExit(f"unknown case {args.case}")


def child(args: argparse.Namespace) -> None:
    warm = 20 if args.case in REPORT_CASES else min(args.samples, 2_000)
    _case(args, warm)()  # warm-up: code paths, allocator pools
    fn = _case(args, args.samples)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "median": statistics.median(times),
                "min": min(times),
                "rss_mib": (rss1 - rss0) / 1024,
                "traced_mib": peak / MIB,
            }
        )
    )


def measure(case: str, samples: int, repeat: int = 3, **extra: float | int | None) -> dict:
    cmd = [sys.executable, __file__, "--child", case, "--samples", str(samples)]
    cmd += ["--repeat", str(repeat)]
    for key, value in extra.items():
        if value is not None:
            cmd += [f"--{key}", str(value)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------------------------------
# Report
# ------------------------------------------------------------------------------------------


def _line(label: str, r: dict, goal: bool = False, note: str = "",
          goal_s: float = GOAL_SECONDS) -> None:
    text = (
        f"{label:<44} {r['median']:8.3f} s (min {r['min']:.3f})"
        f"  traced peak {r['traced_mib']:7.1f} MiB  maxrss +{r['rss_mib']:7.1f} MiB"
    )
    if goal:
        ok_t = r["median"] <= goal_s
        ok_m = max(r["traced_mib"], r["rss_mib"]) <= GOAL_MIB
        text += (
            f"   goal ≤ {goal_s:g} s: {'met' if ok_t else 'MISSED'},"
            f" ≤ {GOAL_MIB:g} MiB: {'met' if ok_m else 'MISSED'}"
        )
    print(text + note)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the chunk-size sweep")
    parser.add_argument("--report-only", action="store_true", help="only part 1")
    parser.add_argument("--smaa-only", action="store_true", help="only part 2")
    parser.add_argument("--child", dest="case")
    parser.add_argument("--samples", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chunk", type=int)
    parser.add_argument("--noise", type=float)
    args = parser.parse_args()
    if args.case:
        child(args)
        return

    if args.smaa_only:
        part2(args)
        return
    print("Part 1: the sensitivity report on a large decision matrix (4 pillars, exclude "
          "policy, 25 % missing)")
    print(f"Goal: 500 offers ≤ {REPORT_GOAL_SECONDS:g} s and ≤ {GOAL_MIB:g} MiB.\n")
    for m in (100, 442, 500):
        for part in REPORT_CASES[1:]:
            _line(f"  {m} offers, {part[7:]}", measure(part, m, repeat=1))
        _line(f"  {m} offers, whole report", measure("report", m), goal=m == 500,
              goal_s=REPORT_GOAL_SECONDS)
    if args.report_only:
        return
    part2(args)


def part2(args: argparse.Namespace) -> None:
    print()
    print(
        f"Part 2, SMAA-2 benchmark: {M_OFFERS} offers × {N_CRITERIA} criteria | python "
        f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} CPU(s), "
        f"{platform.machine()}"
    )
    print(f"Goal: 1M samples ≤ {GOAL_SECONDS:g} s and ≤ {GOAL_MIB:g} MiB extra memory.")
    print("Times: median of 3 runs in a fresh process after a warm-up call.\n")

    print("scoring.smaa.smaa2 (default chunk_size):")
    _line("  100k samples", measure("smaa", 100_000))
    ours = measure("smaa", 1_000_000)
    _line("  1M samples", ours, goal=True)
    _line("  100k samples, utility_sd=5 (noise + confidence)", measure("smaa", 100_000, noise=5))

    got = smaa2(_utilities(), n_samples=100_000, seed=0).acceptability
    ref = reference_acceptability(_utilities(), 100_000)
    if not np.array_equal(got, ref):
        raise SystemExit(f"the reference's acceptabilities differ from smaa2's (max "
                         f"{np.abs(got - ref).max():.2g}): no comparison")
    print("\n(a) bare numpy reference, chunked as smaa2 (Dirichlet + matmul + stable argsort; "
          "same acceptabilities, checked on 100k samples):")
    _line("  100k samples", measure("reference", 100_000))
    ref = measure("reference", 1_000_000)
    _line("  1M samples", ref, goal=True)
    print(f"  smaa2 / reference at 1M samples: {ours['median'] / ref['median']:.2f}x time "
          "(smaa2 also computes central weights and confidence factors)")

    print(f"\n(b) per-sample Python loop, {LOOP_SAMPLES:,} samples:")
    loop = measure("loop", LOOP_SAMPLES, repeat=1)
    _line(f"  {LOOP_SAMPLES:,} samples (measured)", loop)
    factor = 1_000_000 / LOOP_SAMPLES
    print(
        f"  1M samples (extrapolated ×{factor:g} from {LOOP_SAMPLES:,})"
        f"{'':<8}{loop['median'] * factor:8.1f} s"
    )

    if not args.quick:
        print("\nsmaa2 chunk-size sweep, 1M samples (results are identical for every size):")
        for chunk in (2_000, 5_000, 10_000, 20_000, 50_000, 200_000):
            _line(f"  chunk_size={chunk:,}", measure("smaa", 1_000_000, chunk=chunk))


if __name__ == "__main__":
    main()
