"""Aggregation methods, side by side (prints figures; no assertions).

Run: python benchmarks/bench_methods.py [--pymcdm-full] [--topsis (TOPSIS only)]

A synthetic 2000 offers × 300 questions matrix of 0–100 utilities, random positive weights:

* TOPSIS, at 200 × 30 and 2000 × 300: ``scoring.methods.topsis.topsis`` and the registry
  scorer against the tight vectorised numpy floor (``tight_topsis``: norms and weights folded
  into one factor, fused distances; goal ≤ 1.3×), and the unfused numpy version it replaces as
  floor; all checked to give the same closeness first.
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
from scoring.methods.promethee import promethee  # noqa: E402
from scoring.methods.promethee_settings import CriterionFunction  # noqa: E402
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


def tight_topsis(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The fair floor: TOPSIS in the fewest numpy passes (weights and vector norms folded into
    one column factor, each distance one fused ``einsum``); no input checks, no degenerate
    cases (an all-zero column or identical offers would divide by zero)."""
    v = u * (w / (w.sum() * np.sqrt(np.einsum("ij,ij->j", u, u))))
    d = v - v.max(axis=0)
    sp = np.sqrt(np.einsum("ij,ij->i", d, d))
    np.subtract(v, v.min(axis=0), out=d)
    sm = np.sqrt(np.einsum("ij,ij->i", d, d))
    return sm / (sp + sm)


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

    t_bt = 0.0
    for mt, nt in ((200, 30), (m, n)):
        ut, wt = u[:mt, :nt], w[:nt] / w[:nt].sum()
        print(f"TOPSIS, {mt} × {nt} (ratio to the tight numpy floor; goal ≤ 1.3×):")
        floor = tight_topsis(ut, wt)
        for got in (topsis(ut, wt, benefit[:nt]).closeness, bare_topsis(ut, wt),
                    get_method("topsis").score(ut, wt) / 100):
            if not np.allclose(got, floor, rtol=0, atol=1e-12):
                raise SystemExit("a TOPSIS differs from the floor's closeness: no comparison")
        reps = 7 if mt == m else 200
        t_fl = row("tight numpy floor", lambda ut=ut, wt=wt: tight_topsis(ut, wt), None, reps)
        t_b = row("bare numpy, unfused", lambda ut=ut, wt=wt: bare_topsis(ut, wt), t_fl, reps)
        row("scoring.methods.topsis.topsis",
            lambda ut=ut, wt=wt, nt=nt: topsis(ut, wt, benefit[:nt]), t_fl, reps)
        row("registry 'topsis' score",
            lambda ut=ut, wt=wt: get_method("topsis").score(ut, wt), t_fl, reps)
        t_bt = t_b if mt == m else t_bt
    if "--topsis" in sys.argv:
        return

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
