"""Loading speed (prints figures; no assertions). Run: python benchmarks/bench_loading.py

Parsing was 80-85 % of an evaluation (pure-Python PyYAML). Figures printed:
1. parse ms per bundled offer set (2019: 9 files, 2026: 19 files), uncached, through the
   reference pure-Python reader ("before") and through the libyaml path ("after"); and the
   content-hash cache hit;
2. ``evaluate_path`` of data/scenarios/hdh-2026.yaml, warm (caches filled) and cold in-process
   (offer cache cleared: what a changed bid costs);
3. the CLI cold: ``hostwise rank data/scenarios/hdh-2026.yaml`` as fresh processes (median of
   runs), with the top-level imports that dominate its start;
4. warm ``evaluate_path`` of 250 and of 500 offers (copies of the 2026 set under new ids): the
   parsed-offer cache must hold a whole offer set, or a warm run re-parses everything.
Goals (issue 8): evaluate warm <= 40 ms, CLI cold <= 0.4 s; (issue 16) warm per offer at 500
offers <= 1.2x of that at 250.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of as _best_of  # noqa: E402
from benchmarks.timing import cpu_ms  # noqa: E402
from scoring.engine import evaluate_path  # noqa: E402
from scoring.io import load_offers, offers, yamlsafe  # noqa: E402
from scoring.io.catalogue import load_catalogue  # noqa: E402

SCENARIO = ROOT / "data" / "scenarios" / "hdh-2026.yaml"


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    """Best wall time in ms (the least disturbed run on a shared machine)."""
    return 1000 * _best_of(fn, repeat)


def parse_figures() -> None:
    cat = load_catalogue()
    for era in ("2019", "2026"):
        folder = ROOT / "data" / "vendors" / era
        n = len(list(folder.glob("*.yaml")))

        def cold(folder: Path = folder) -> None:
            offers.clear_cache()
            load_offers([folder], cat)

        with mock.patch.object(yamlsafe, "HAVE_LIBYAML", False):
            before = best_of(cold, 5)
        after = best_of(cold)
        load_offers([folder], cat)
        hit = best_of(lambda folder=folder: load_offers([folder], cat))  # type: ignore[misc]
        print(f"parse {era} ({n} files): pure Python {before:7.1f} ms | libyaml {after:6.1f} ms "
              f"({before / after:4.1f}x) | cache hit {hit:5.1f} ms")


def evaluate_figures() -> None:
    evaluate_path(SCENARIO)
    warm = best_of(lambda: evaluate_path(SCENARIO))

    def cold() -> None:
        offers.clear_cache()
        evaluate_path(SCENARIO)

    cold_ms = best_of(cold)
    with mock.patch.object(yamlsafe, "HAVE_LIBYAML", False):
        cold_py = best_of(cold, 3)
    print(f"evaluate hdh-2026: warm {warm:6.1f} ms | offers re-parsed {cold_ms:6.1f} ms "
          f"(pure-Python reader: {cold_py:6.1f} ms)")


def cli_figures(runs: int = 7) -> None:
    cmd = [sys.executable, "-m", "scoring", "rank", str(SCENARIO)]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, check=False)  # .pyc written
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, cwd=ROOT, env=env, check=False)
        ts.append(time.perf_counter() - t)
    bare = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True, check=False)
        bare.append(time.perf_counter() - t)
    print(f"CLI cold `hostwise rank hdh-2026`: median {statistics.median(ts):.3f} s, best "
          f"{min(ts):.3f} s (exit {proc.returncode}; bare interpreter {min(bare):.3f} s)")
    imp = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], capture_output=True,
                         text=True, cwd=ROOT, check=False).stderr
    rows, names = [], set()
    for line in imp.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            name = parts[2].rstrip()
            names.add(name.strip())
            if len(name) - len(name.lstrip()) <= 2:  # top-level imports only
                rows.append((int(parts[1]) / 1000, name.strip()))
    top = sorted(rows, reverse=True)[:6]
    print("  heaviest top-level imports: " + ", ".join(f"{n} {ms:.0f} ms" for ms, n in top))
    print("  imported by rank: " + ", ".join(f"{m} {'yes' if m in names else 'no'}"
                                             for m in ("numpy", "pandas", "pydantic", "pulp")))


def offer_copies(folder: Path, n: int) -> None:
    """``n`` questionnaires in ``folder``: the 2026 set copied under new vendor and offer ids
    (the loader refuses duplicates), cycling through the bundled files."""
    src = sorted((ROOT / "data" / "vendors" / "2026").glob("*.yaml"))
    folder.mkdir(parents=True)
    docs = [yaml.safe_load(f.read_text(encoding="utf-8")) for f in src]
    for k in range(n):
        doc = docs[k % len(docs)]
        doc = {**doc, "vendor": {**doc["vendor"], "id": f"{doc['vendor']['id']}{k}",
                                 "name": f"{doc['vendor']['name']} {k}"},
               "offer": {**doc["offer"], "id": f"{doc['offer']['id']}{k}",
                         "name": f"{doc['offer']['name']} {k}"}}
        (folder / f"o{k:04d}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True),
                                                encoding="utf-8")


def scale_figures() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        scens: dict[int, Path] = {}
        for n in (250, 500):
            folder = Path(tmp) / str(n) / "2026"
            offer_copies(folder, n)
            scen = scens[n] = Path(tmp) / str(n) / "scenario.yaml"
            scen.write_text(SCENARIO.read_text(encoding="utf-8").replace(
                '"../vendors/2026"', f'"{folder}"'), encoding="utf-8")
        first = {n: evaluate_path(s) for n, s in scens.items()}  # fills the caches (both sets)
        again = {n: evaluate_path(s) for n, s in scens.items()}
        if any(first[n].hash != again[n].hash for n in scens):
            raise SystemExit("a warm evaluation differs from the cold one: no comparison")
        per = {n: cpu_ms(lambda s=s: evaluate_path(s)) / n for n, s in scens.items()}
        for n in scens:
            print(f"evaluate {n} offers warm: {per[n] * n:7.1f} ms CPU ({per[n]:.3f} ms per offer)")
        print(f"  per offer, 500 against 250: {per[500] / per[250]:.2f}x (goal <= 1.2x; "
              f"offer cache holds {offers.CACHE_SIZE})")


def main() -> None:
    if "--scale" in sys.argv:
        scale_figures()
        return
    parse_figures()
    evaluate_figures()
    cli_figures()
    scale_figures()


if __name__ == "__main__":
    main()
