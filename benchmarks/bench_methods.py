"""Aggregation methods, side by side (prints figures; no assertions).

Run: python benchmarks/bench_methods.py [--pymcdm-full]

A synthetic 2000 offers × 300 questions matrix of 0–100 utilities, random positive weights:

* TOPSIS: ``scoring.methods.topsis.topsis`` and the registry scorer against a bare vectorised
  numpy TOPSIS (goal ≤ 1.5×).
* PROMETHEE II, usual criterion: ``scoring.methods.promethee.promethee`` and the registry scorer
  against (a) a bare numpy net-flow computation — one sort per criterion and ``searchsorted``
  for the counts of smaller / larger values, the direct way to write it (goal ≤ 2×) — and
  (b) the pairwise definition, chunked per criterion (O(m² n) time, O(m²) memory).
* PROMETHEE II with the other preference functions, on continuous and on questionnaire-like
  (5-level) utilities.
* pymcdm (benchmark-only dependency, ``pip install pymcdm``) TOPSIS and PROMETHEE II; its
  PROMETHEE builds m × m × n arrays (~9 GiB, ~20 s at 2000 × 300), so by default it runs on
  500 × 300 only; ``--pymcdm-full`` runs the full size.

Peak memory is measured with tracemalloc in a separate run (tracemalloc slows numpy down).
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from scoring.methods.promethee import CriterionFunction, promethee  # noqa: E402
from scoring.methods.registry import get_method  # noqa: E402
from scoring.methods.topsis import topsis  # noqa: E402


def peak_mib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def row(label: str, fn: Callable[[], Any], ref: float | None, repeat: int = 7) -> float:
    t = best_of(fn, repeat)
    ratio = f"{t / ref:6.2f}×" if ref else "       "
    print(f"  {label:<44} {t * 1e3:9.2f} ms  {ratio}  peak {peak_mib(fn):8.1f} MiB")
    return t


def bare_topsis(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    nrm = u / np.sqrt((u * u).sum(axis=0))
    v = nrm * (w / w.sum())
    best, worst = v.max(axis=0), v.min(axis=0)
    sp = np.sqrt(((v - best) ** 2).sum(axis=1))
    sm = np.sqrt(((v - worst) ** 2).sum(axis=1))
    return sm / (sp + sm)


def bare_net_flow(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Usual-criterion PROMETHEE II net flow, the direct numpy way (O(m log m) per criterion)."""
    m = u.shape[0]
    srt = np.sort(u, axis=0)
    phi = np.zeros(m)
    for j in range(u.shape[1]):
        smaller = np.searchsorted(srt[:, j], u[:, j], side="left")
        larger = m - np.searchsorted(srt[:, j], u[:, j], side="right")
        phi += w[j] * (smaller - larger)
    return phi / (w.sum() * (m - 1))


def pairwise_net_flow(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The definition: Σ_j w_j Σ_b sign(u_aj − u_bj) / (m − 1), one m × m block per criterion."""
    m = u.shape[0]
    phi = np.zeros(m)
    for j in range(u.shape[1]):
        phi += w[j] * np.sign(u[:, j, None] - u[None, :, j]).sum(axis=1)
    return phi / (w.sum() * (m - 1))


def main() -> None:
    rng = np.random.default_rng(0)
    m, n = 2000, 300
    u = rng.uniform(0, 100, (m, n))
    w = rng.uniform(0.1, 1, n)
    w /= w.sum()
    benefit = np.ones(n, dtype=bool)

    print(f"TOPSIS, {m} × {n} (ratio to bare numpy; goal ≤ 1.5×):")
    assert np.allclose(topsis(u, w, benefit).closeness, bare_topsis(u, w))
    t_bt = row("bare numpy", lambda: bare_topsis(u, w), None)
    row("scoring.methods.topsis.topsis", lambda: topsis(u, w, benefit), t_bt)
    row("registry 'topsis' score", lambda: get_method("topsis").score(u, w), t_bt)

    print(f"\nPROMETHEE II, usual criterion, {m} × {n} (ratio to bare numpy; goal ≤ 2×):")
    assert np.allclose(promethee(u, w).phi, bare_net_flow(u, w))
    t_bp = row("bare numpy (sort + searchsorted per criterion)", lambda: bare_net_flow(u, w),
               None)
    row("scoring.methods.promethee.promethee", lambda: promethee(u, w), t_bp)
    row("registry 'promethee' score", lambda: get_method("promethee").score(u, w), t_bp)
    assert np.allclose(pairwise_net_flow(u, w), bare_net_flow(u, w))
    row("pairwise definition (m × m per criterion)", lambda: pairwise_net_flow(u, w), t_bp, 1)

    print(f"\nPROMETHEE II, other preference functions, {m} × {n}:")
    levels = np.round(u / 25) * 25  # questionnaire-like: 5 distinct utilities per question
    for fn in (CriterionFunction(kind="u_shape", q=5), CriterionFunction(kind="v_shape", p=20),
               CriterionFunction(kind="level", q=5, p=20),
               CriterionFunction(kind="linear", q=5, p=20),
               CriterionFunction(kind="gaussian", s=10)):
        if fn.kind != "gaussian":  # continuous Gaussian is O(m² n): ~minutes, not shown
            row(f"{fn.kind:<9} continuous utilities", partial(promethee, u, w, None, fn), None, 3)
        row(f"{fn.kind:<9} 5-level utilities", partial(promethee, levels, w, None, fn), None, 3)

    try:
        from pymcdm.methods import PROMETHEE_II, TOPSIS
        from pymcdm.normalizations import vector_normalization
    except ImportError:
        print("\npymcdm not installed: pip install pymcdm to compare")
        return
    types = np.ones(n)
    print("\npymcdm on the same matrix:")
    tp = TOPSIS(vector_normalization)
    row("pymcdm TOPSIS (ratio to bare numpy)", lambda: tp(u, w, types), t_bt, 3)
    mp = m if "--pymcdm-full" in sys.argv else 500
    us, ws = u[:mp], w
    pm = PROMETHEE_II("usual")
    assert np.allclose(pm(us, ws, types), promethee(us, ws).phi)
    t_ours = best_of(lambda: promethee(us, ws), 3)
    t_pm = row(f"pymcdm PROMETHEE_II usual, {mp} × {n}", lambda: pm(us, ws, types), None, 1)
    print(f"  {'scoring promethee on the same ' + str(mp) + ' rows':<44} {t_ours * 1e3:9.2f} ms"
          f"  pymcdm is {t_pm / t_ours:,.0f}× slower")


if __name__ == "__main__":
    main()
