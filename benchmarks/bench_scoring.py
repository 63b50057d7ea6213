"""Scoring speed (prints figures; no assertions). Run: python benchmarks/bench_scoring.py

1. Full evaluation of the bundled 2026 scenario (load + gates + four pillars + ranks).
2. A synthetic 2000 offers × 300 questions matrix through the engine's aggregation path
   (``scoring.engine.aggregate``, the weighted sum), against a bare vectorised numpy
   computation of the same scores and against scikit-criteria's ``WeightedSumModel`` and
   pymcdm's ``WSM`` given the identity normalisation (its default normalises columns first:
   another quantity), each checked to give the engine's scores before it is timed
   (benchmark-only dependencies: ``pip install .[bench]``). TOPSIS and PROMETHEE II:
   ``benchmarks/bench_methods.py``.
3. CLI start-up: ``hostwise rank`` wall time on a bundled scenario.
Goals: within 1.5× of bare numpy; CLI ≤ 1.5 s. (The former "≥ 5× faster than pymcdm" compared
with a normalising WSM, a different quantity; the like-for-like ratios are printed.)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from scoring.engine import Leaf, aggregate, evaluate_path, leaf_weights  # noqa: E402
from scoring.methods.registry import METHODS  # noqa: E402


def external_wsm(u: np.ndarray, w: np.ndarray, t_eng: float) -> None:
    """The engine's weighted sum against two libraries computing the SAME scores.

    pymcdm's ``WSM`` normalises every column first (sum normalisation by default), so its
    scores are another quantity (up to ~63 points apart here): it is given the identity as
    normalisation. scikit-criteria's ``WeightedSumModel`` is the plain Σ w·u. Each side is
    checked to agree with the engine (1e-9) before it is timed; the decision matrix of each
    library is built once, outside the timing, as the engine's weight vector is."""
    ours = METHODS["wsm"].score(u, w)
    n = u.shape[1]
    print("\nlibraries on the same matrix, the same quantity (TOPSIS, PROMETHEE: "
          "benchmarks/bench_methods.py):")
    try:
        from skcriteria import mkdm  # type: ignore[import-not-found]
        from skcriteria.agg.simple import WeightedSumModel  # type: ignore[import-not-found]

        dm = mkdm(u, objectives=[max] * n, weights=w)
        model = WeightedSumModel()
        if not np.allclose(model.evaluate(dm).e_.score, ours, rtol=0, atol=1e-9):
            raise SystemExit("scikit-criteria's weighted sum differs from the engine's")
        t_sk = best_of(lambda: model.evaluate(dm), 3)
        print(f"  scikit-criteria WeightedSumModel {t_sk * 1e3:8.2f} ms   engine is "
              f"{t_sk / t_eng:6.1f}× faster (the former ≥ 5× goal was set against pymcdm's "
              "normalised WSM, another quantity)")
    except ImportError:
        print("  scikit-criteria not installed: pip install scikit-criteria to compare")
    try:
        from pymcdm.methods import WSM  # type: ignore[import-not-found]

        types = np.ones(n)
        wn = w / w.sum()
        wsm = WSM(normalization_function=lambda x, cost: x)  # no normalisation: Σ w·u
        if not np.allclose(wsm(u, wn, types), ours / w.sum(), rtol=0, atol=1e-9):
            raise SystemExit("pymcdm's weighted sum differs from the engine's")
        t_pw = best_of(lambda: wsm(u, wn, types), 3)
        print(f"  pymcdm WSM, identity normalisation {t_pw * 1e3:6.2f} ms   engine is "
              f"{t_pw / t_eng:6.1f}× faster")
    except ImportError:
        print("  pymcdm not installed: pip install pymcdm to compare")


def main() -> None:
    path = ROOT / "data" / "scenarios" / "hdh-2026.yaml"
    evaluate_path(path)  # warm caches (catalogue, timeline)
    t = best_of(lambda: evaluate_path(path), 5)
    print(f"full evaluation, bundled hdh-2026 (19 offers): {t * 1e3:8.1f} ms")

    rng = np.random.default_rng(0)
    m, n = 2000, 300
    u = rng.uniform(0, 100, (m, n))
    # 4 pillars × 10 criteria × 7-8 questions, random positive weights.
    leaves = []
    wq = rng.uniform(0.1, 1, n)
    for j in range(n):
        p, c = j % 4, j % 40
        leaves.append(Leaf(f"p{p}", f"c{c}", f"q{j}", float(wq[j]), 1 / 10, 1 / 4, "1"))
    # renormalise question weights within each criterion
    sums: dict[str, float] = {}
    for lf in leaves:
        sums[lf.criterion] = sums.get(lf.criterion, 0.0) + lf.w_question
    leaves = [Leaf(lf.pillar, lf.criterion, lf.question, lf.w_question / sums[lf.criterion],
                   lf.w_criterion, lf.w_pillar, lf.given) for lf in leaves]
    w = np.array([lf.weight for lf in leaves])

    t_bare = best_of(lambda: u @ w)
    t_eng = best_of(lambda: METHODS["wsm"].score(u, w))
    t_lw = best_of(lambda: leaf_weights(leaves))
    t_eng_full = best_of(lambda: aggregate(u, leaves, "worst"))
    u_nan = u.copy()
    u_nan[rng.random((m, n)) < 0.1] = np.nan
    t_bare_nan = best_of(lambda: np.where(np.isnan(u_nan), 0.0, u_nan) @ w)
    t_eng_nan = best_of(lambda: aggregate(u_nan, leaves, "worst")[0])
    t_eng_ex = best_of(lambda: aggregate(u_nan, leaves, "exclude"))
    assert np.allclose(aggregate(u, leaves, "worst")[0], u @ w)
    print(f"\nweighted sum, {m} offers × {n} questions:")
    print(f"  bare numpy (u @ w)             {t_bare * 1e3:8.2f} ms")
    print(f"  engine wsm method score        {t_eng * 1e3:8.2f} ms   ratio {t_eng / t_bare:5.2f}× "
          "(goal ≤ 1.5×; both with the weight vector given)")
    print(f"  + leaf weights from the tree   {t_lw * 1e3:8.2f} ms   (once per weight change)")
    print(f"  engine aggregate + details     {t_eng_full * 1e3:8.2f} ms   (effective weights, "
          "coverage)")
    print("  with 10% unknown answers (worst policy: unknown = 0):")
    print(f"  bare numpy (where(isnan) @ w)  {t_bare_nan * 1e3:8.2f} ms")
    print(f"  engine aggregate (worst)       {t_eng_nan * 1e3:8.2f} ms   ratio "
          f"{t_eng_nan / t_bare_nan:5.2f}× (goal ≤ 1.5×)")
    print(f"  engine aggregate (exclude, 10% unknown) {t_eng_ex * 1e3:8.2f} ms   (hierarchical "
          "renormalisation; no bare equivalent)")

    external_wsm(u, w, t_eng)

    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "scoring", "rank", str(path)], check=True,
                       capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - t0)
    print(f"\nCLI `hostwise rank hdh-2026.yaml` wall: median {statistics.median(runs):.2f} s "
          "(goal ≤ 1.5 s)")


if __name__ == "__main__":
    main()
