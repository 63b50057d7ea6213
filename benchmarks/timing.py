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


def cpu_ms(fn: Callable[[], object], repeat: int = 7) -> float:
    """Best process CPU time in ms of ``repeat`` runs: on the shared machine wall time swings
    with other jobs, CPU time much less."""
    ts = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        ts.append(time.process_time() - t)
    return 1000 * min(ts)
