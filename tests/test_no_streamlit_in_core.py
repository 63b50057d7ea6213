"""The core (``scoring/``) never imports Streamlit: the CLI and the tests run without a browser,
and the app is only a view over the core (``scoring/__init__.py``: "No Streamlit here, ever")."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "scoring"

IMPORT_ALL = textwrap.dedent(
    """
    import importlib, pkgutil, sys
    import scoring
    names = []
    for m in pkgutil.walk_packages(scoring.__path__, "scoring."):
        if m.name == "scoring.__main__" or ".migrations" in m.name:
            continue  # the CLI on import; Alembic scripts run only inside Alembic
        importlib.import_module(m.name)
        names.append(m.name)
    leaked = sorted(k for k in sys.modules if k == "streamlit" or k.startswith("streamlit."))
    print(len(names))
    print(",".join(leaked))
    """
)


def test_importing_every_core_module_does_not_import_streamlit() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    count, leaked = proc.stdout.splitlines()
    assert int(count) >= 5, "walk_packages found suspiciously few modules"
    assert leaked == "", f"streamlit imported by the core: {leaked}"


def test_no_core_file_imports_streamlit() -> None:
    pattern = re.compile(r"^\s*(?:import\s+streamlit\b|from\s+streamlit\b)", re.M)
    offenders = [
        str(p.relative_to(ROOT))
        for p in sorted(CORE.rglob("*.py"))
        if pattern.search(p.read_text(encoding="utf-8"))
        or "import_module(\"streamlit" in p.read_text(encoding="utf-8")
    ]
    assert not offenders, f"these core files import streamlit: {offenders}"
