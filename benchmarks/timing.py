"""Timing helper shared by the benchmark scripts (they print figures; nothing asserts on time)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    """Best wall time in seconds of ``repeat`` runs: the least disturbed run on a shared
    machine, the usual estimator for a deterministic computation's cost."""
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return min(ts)
