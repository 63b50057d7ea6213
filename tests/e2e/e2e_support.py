"""What the browser tests share: serving the app with Streamlit on a free port, how Debian's
Chromium is launched, and how a test waits for the app.

Waiting (issue 20): a test never waits for the clock. A fixed pause is too short on a loaded
machine (a check then reads the page before the rerun drew it: the committee journey once read
"Criteria & weights…" where "edited in this session" was due) and too long everywhere else.
Every wait here is on the thing the next step needs, bounded by a generous deadline that only
a real hang reaches:

- the server: Streamlit prints its URL once it listens; we block on that line of its output
  (no polling), then confirm with one request to ``/_stcore/health``;
- a page: the content the step expects (Playwright's auto-waiting locators and ``expect``), and
  then the end of the script run, read from the attribute Streamlit itself keeps on its root
  element (``data-test-script-state``) and the running indicator being gone.

On CI (``CI=true``) Chromium must be there (``.ci/run`` installs it); elsewhere the tests are
skipped with the reason when it is missing.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
HAVE_CHROMIUM = os.path.exists(CHROMIUM) or os.environ.get("CI") == "true"
SKIP_REASON = "Debian's chromium is not installed (apt-get install chromium)"
WAIT = 120_000  # ms: the bound of one wait in a page; reached only by a real hang
FIRST_CLICK_WAIT = 20_000  # ms: a navigation click that has not opened its page by then was lost
START_S = 120.0  # s: the bound of a server start (cold imports on a loaded 2-core machine)

# The run is over: Streamlit's root says so, and no "Running..." indicator is left.
RUN_OVER = ("() => !!document.querySelector('[data-testid=stApp]"
            "[data-test-script-state=notRunning]')"
            " && !document.querySelector('[data-testid=stStatusWidget]')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pump(stream: Any, lines: queue.Queue[str | None]) -> None:
    """Hand the server's output over line by line; ``None`` at its end. Keeps reading after the
    start so that the pipe never fills and blocks the server."""
    for raw in iter(stream.readline, b""):
        lines.put(raw.decode("utf-8", "replace"))
    lines.put(None)


def serve(env: Mapping[str, str] | None = None, port: int | None = None,
          cwd: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """``streamlit run app.py`` on a free port; returns once it answers ``/_stcore/health``.
    ``cwd``: the working folder (its ``.streamlit/`` holds the server's config and secrets;
    the repository by default).

    Why the output and not a polling loop: Streamlit prints "URL: http://..." when its socket
    listens, so blocking on that line waits exactly as long as the start takes. A server that
    dies is reported with its last lines (an import error reads better than a timeout)."""
    port = port or free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=cwd or ROOT, env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
    deadline = time.monotonic() + START_S
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            stop(proc)
            raise RuntimeError(f"streamlit did not listen within {START_S:.0f} s: "
                               f"{''.join(seen[-10:])}") from None
        if line is None:
            stop(proc)
            raise RuntimeError(f"streamlit exited while starting: {''.join(seen[-20:])}")
        seen.append(line)
        if f":{port}" in line:  # "URL: http://127.0.0.1:<port>": the socket listens
            break
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=START_S) as r:
        if r.status != 200:
            stop(proc)
            raise RuntimeError(f"streamlit health answered {r.status}")
    return proc, url


def start_app(port: int) -> tuple[subprocess.Popen[bytes], float]:
    """The app served on ``port`` (``benchmarks/bench_app.py``): the process and the second
    (``time.perf_counter``) it answered health."""
    proc, _ = serve(port=port)
    return proc, time.perf_counter()


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=20)


def run_over(page: Any, timeout: float = WAIT) -> None:
    """Wait for the end of the script run. Call it after waiting for content the run draws:
    just after a click the previous run's page is still there and 'not running' is true."""
    page.wait_for_function(RUN_OVER, timeout=timeout)


def main_area(page: Any) -> Any:
    return page.locator("[data-testid=stMain]").first


def go(page: Any, nav: str, heading: str | None = None) -> None:
    """Change page as a user does (the sidebar link, same session), then wait for the page's
    own h1 (starting with ``heading``, the link's text by default) and the end of its run.

    A click that lands while the previous page still holds a widget's edit (a grid cell just
    edited) can be spent on committing that edit, or be overtaken by that page's own rerun: the
    user sees the old page stay and clicks once more. So the first click gets a short wait and,
    if the page did not open (or came back), a second click (never a third) gets the full one;
    a page that still does not open fails the test."""
    from playwright.sync_api import expect

    title = page.locator("[data-testid=stMain] h1").first
    wanted = re.compile("^" + re.escape(heading or nav))
    link = page.locator("[data-testid=stSidebarNav] a", has_text=nav).first
    link.click()
    try:
        expect(title).to_have_text(wanted, timeout=FIRST_CLICK_WAIT)
        run_over(page)
        opened = bool(wanted.match(title.inner_text() or ""))
    except AssertionError:
        opened = False
    if not opened:
        link.click()
        expect(title).to_have_text(wanted, timeout=WAIT)
        run_over(page)
    expect(title).to_have_text(wanted, timeout=WAIT)
