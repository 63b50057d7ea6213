"""Speed of the summary workbook (issue 12; goal: <= 1.5 s for 500 offers x 300 questions,
charts included). Prints figures; never asserts on time.

1. The bundled hdh-2019 scenario (the robustness analyses left out: they are timed elsewhere).
2. A synthetic evaluation of 500 offers x 300 scored questions (30 criteria in 4 pillars),
   built from the bundled one by replacing its arrays, so every sheet is written at that size.
3. The questionnaire template, and the import of a filled one.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scoring.engine import Evaluation, Leaf, aggregate, evaluate_path  # noqa: E402
from scoring.ranking import ranks  # noqa: E402
from scoring.report.excel import summary_workbook  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def best_cpu(fn: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """(best wall time, best process CPU time): on a shared machine the CPU time shows the
    work when other jobs inflate the wall time."""
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def synthetic(ev: Evaluation, m: int = 500, n: int = 300, seed: int = 0) -> Evaluation:
    rng = np.random.default_rng(seed)
    pillars = ("technical", "cost", "legal", "sovereignty")
    leaves = tuple(Leaf(pillars[j % 4], f"crit{j % 30}", f"q{j:03d}", 1 / 10,
                        1 / 7.5, 0.25, "1") for j in range(n))
    per_crit: dict[tuple[str, str], int] = {}
    for lf in leaves:
        per_crit[(lf.pillar, lf.criterion)] = per_crit.get((lf.pillar, lf.criterion), 0) + 1
    per_pil = {p: sum(1 for k in per_crit if k[0] == p) for p in pillars}
    leaves = tuple(dataclasses.replace(lf, w_question=1 / per_crit[(lf.pillar, lf.criterion)],
                                       w_criterion=1 / per_pil[lf.pillar]) for lf in leaves)
    util = rng.uniform(0, 100, (m, n))
    util[rng.random((m, n)) < 0.1] = np.nan
    totals, eff = aggregate(util, leaves, "worst")
    cov = 1.0 - np.isnan(util) @ eff[0] / eff[0].sum()  # share of the weight answered
    rk = ranks(totals)
    base = ev.results[0]
    results = []
    offers = []
    for i in range(m):
        o = base.offer.model_copy(update={"offer_id": f"o{i:04d}", "vendor_name": f"Vendor {i}"})
        offers.append(o)
        results.append(dataclasses.replace(base, offer=o, eligible=True, excluded_by=(),
                                           total=float(totals[i]), rank=int(rk[i]),
                                           coverage=float(cov[i]), index=i,
                                           pillars=dict.fromkeys(pillars, 50.0)))
    results.sort(key=lambda r: r.rank or 0)
    sc = ev.scenario.model_copy(update={"missing_policy": "worst"})
    return dataclasses.replace(ev, scenario=sc, leaves=leaves, results=tuple(results),
                               offers=tuple(offers), utilities=util, effective_weights=eff,
                               reasons=tuple(("",) * n for _ in range(m)), bounds=None)


def main() -> None:
    ev = evaluate_path(ROOT / "data" / "scenarios" / "hdh-2019.yaml")
    t = best_of(lambda: summary_workbook(ev, sensitivity=False))
    size = len(summary_workbook(ev, sensitivity=False))
    print(f"hdh-2019 ({len(ev.offers)} offers x {len(ev.leaves)} leaves): {t * 1000:.0f} ms, "
          f"{size / 1024:.0f} KiB")
    big = synthetic(ev)
    size = len(summary_workbook(big, sensitivity=False))
    from xlsxwriter.worksheet import Worksheet

    import scoring.report.excel as excel

    for label, cls in (("before (xlsxwriter's Worksheet)", Worksheet),
                       ("after (FastSheet)", excel.FastSheet)):
        excel.SHEET_CLASS = cls
        wall, cpu = best_cpu(lambda: summary_workbook(big, sensitivity=False))
        print(f"synthetic 500 offers x 300 questions, {label}: {wall:.2f} s wall, "
              f"{cpu:.2f} s CPU, {size / 1024:.0f} KiB (goal <= 1.5 s, charts included)")
    from scoring.io.excel import parse_workbook
    from scoring.io.yamlsafe import load_yaml
    from scoring.report.questionnaire_template import template_workbook
    from scoring.report.questionnaire_template import template_workbook as filled

    print(f"template: {best_of(lambda: template_workbook('2026')) * 1000:.0f} ms")
    path = ROOT / "data" / "vendors" / "2019" / "azure.yaml"
    data = filled("2019", doc=load_yaml(path.read_bytes(), 1 << 20))
    print(f"import of a filled template: {best_of(lambda: parse_workbook(data, 'x')) * 1000:.0f}"
          " ms")


if __name__ == "__main__":
    main()
