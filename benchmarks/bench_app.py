"""App speed (prints figures; no assertions). Run: python benchmarks/bench_app.py [--no-browser]

1. Rerun after a widget change, on the bundled data (AppTest, the app's own script runner in
   this process): each page is run once (warm caches), then one of its choices is switched back
   and forth; the time of each rerun is the time a user waits after a click. The first switch
   to a value never seen is reported apart (it computes; later switches hit the caches).
2. First page rendered after the server is up (Playwright, Debian's Chromium): the server
   answers its health check, then a fresh browser opens ``/`` and the clock stops when the
   page's h1 is drawn and the script run is over (cold: imports, scoring, charts).

Goals (issue 11): rerun after a widget change ≤ 200 ms; first page ≤ 3 s after the server is up.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

# page, widget kind, widget key, the two values switched between
SWITCHES: list[tuple[str, str, str, Any, Any]] = [
    ("robustness", "radio", "rb.level", "criterion", "pillar"),
    ("robustness", "number_input", "rb.samples", 20_000, 10_000),
    ("allocation", "radio", "al.kind", "legal", "seal"),
    ("compare", "multiselect", "cmp.pick", ["hdh-2019.yaml", "hdh-2026.yaml"],
     ["hdh-2019.yaml", "hdh-2026-j0.yaml"]),
    ("export", "selectbox", "ex.era", "2019", "2026"),
]
REPEATS = 6


def _widget(at: Any, kind: str, key: str) -> Any:
    return getattr(at, kind)(key=key)


def rerun_times() -> None:
    from streamlit.testing.v1 import AppTest

    print("1. Rerun after a widget change (AppTest, bundled data, hdh-2026-j0)")
    print(f"   {'page':<11} {'widget':<10} {'first new value':>16} {'median rerun':>13} "
          f"{'max':>8}")
    for page, kind, key, a, b in SWITCHES:
        at = AppTest.from_file(str(ROOT / "ui" / "pages" / f"{page}.py"), default_timeout=300)
        at.run()
        if at.exception:
            print(f"   {page}: exception {at.exception[0].value}")
            continue
        t0 = time.perf_counter()
        _widget(at, kind, key).set_value(a).run()
        first = time.perf_counter() - t0
        times = []
        for k in range(REPEATS):
            t0 = time.perf_counter()
            _widget(at, kind, key).set_value(b if k % 2 == 0 else a).run()
            times.append(time.perf_counter() - t0)
        med = 1000 * statistics.median(times)
        print(f"   {page:<11} {key:<10} {1000 * first:>13.0f} ms {med:>10.0f} ms "
              f"{1000 * max(times):>5.0f} ms")


def first_page() -> None:
    from e2e_support import CHROMIUM, CHROMIUM_ARGS, HAVE_CHROMIUM, free_port, start_app

    print("\n2. First page rendered after the server is up (Playwright, Chromium)")
    if not HAVE_CHROMIUM:
        print("   skipped: Debian's chromium is not installed")
        return
    from playwright.sync_api import sync_playwright

    port = free_port()
    proc, up = start_app(port)
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            launched = time.perf_counter()
            for path in ["", "robustness"]:
                page = b.new_page(viewport={"width": 1400, "height": 1000})
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.locator("h1").first.wait_for(timeout=120_000)
                page.wait_for_function(
                    "() => !document.querySelector('[data-testid=stStatusWidget]')",
                    timeout=120_000)
                done = time.perf_counter()
                what = ("cold: first request after the server was up; browser launch "
                        f"({launched - up:.2f} s) not counted" if path == "" else "warm")
                print(f"   /{path:<11} {done - t0:6.2f} s from navigation ({what})")
                page.close()
            b.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    rerun_times()
    if "--no-browser" not in sys.argv:
        first_page()
