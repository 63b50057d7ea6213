"""Speed of the summary workbook (issue 12; goal: <= 1.5 s for 500 offers x 300 questions,
charts included; issue 16: xlsxwriter's public API only, within 1.5x of the former private
cell-record writer). Prints figures; never asserts on time.

The floor is xlsxwriter alone: every cell the summary writes (recorded from one run) written
again through the same public writers in a tight loop; the script first checks that the floor's
workbook holds the same cells, formulas and cached values (openpyxl) as the summary's.

1. The bundled hdh-2019 scenario (the robustness analyses left out: they are timed elsewhere).
2. A synthetic evaluation of 500 offers x 300 scored questions (30 criteria in 4 pillars),
   built from the bundled one by replacing its arrays, so every sheet is written at that size.
3. The questionnaire template, and the import of a filled one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from scoring.engine import Evaluation, Leaf, aggregate, evaluate_path  # noqa: E402
from scoring.ranking import ranks  # noqa: E402
from scoring.report.excel import summary_workbook  # noqa: E402


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


BEFORE_CPU = 1.32  # FastSheet (commit 13879d8), best of 3, same machine and script, load ~3


WHEN = dt.datetime(2026, 1, 1)  # a fixed Cover timestamp: both sides write the same cells
CELL_WRITERS = ("write_string", "write_number", "write_formula", "write_boolean", "write_url")


Call = tuple[str, int, int, Any, int, tuple[Any, ...]]  # writer, row, col, value, format, rest


def recorded_cells(ev: Evaluation) -> tuple[list[dict[str, Any]], list[tuple[str, list[Call]]]]:
    """Every cell the summary writes, per sheet, recorded from one run: (public writer, row,
    column, value, format number, further arguments), and the properties of each format."""
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

    specs: list[dict[str, Any]] = []
    number: dict[int, int] = {}
    sheets: dict[str, list[Call]] = {}
    originals = {name: getattr(Worksheet, name) for name in CELL_WRITERS}
    add_format = Workbook.add_format

    made: dict[int, dict[str, Any]] = {}

    def rec_format(self: Workbook, spec: dict[str, Any] | None = None) -> Any:
        f = add_format(self, spec)
        made[id(f)] = dict(spec or {})
        return f

    def recorder(name: str) -> Callable[..., Any]:
        def rec(self: Worksheet, *args: Any, **kw: Any) -> Any:
            r, c, v, *rest = (*args, *kw.values())
            fmt = rest.pop(0) if rest else None
            k = -1
            if isinstance(fmt, Format):
                if id(fmt) not in number:  # numbered as first used, as the cells need them
                    number[id(fmt)] = len(specs)
                    specs.append(made[id(fmt)])
                k = number[id(fmt)]
            sheets.setdefault(self.name, []).append((name, r, c, v, k, tuple(rest)))
            return originals[name](self, *args, **kw)
        return rec

    try:
        Workbook.add_format = rec_format  # type: ignore[method-assign]
        for name in CELL_WRITERS:
            setattr(Worksheet, name, recorder(name))
        summary_workbook(ev, sensitivity=False, generated_at=WHEN)
    finally:
        Workbook.add_format = add_format  # type: ignore[method-assign]
        for name, fn in originals.items():
            setattr(Worksheet, name, fn)
    return specs, list(sheets.items())


def replay(recorded: tuple[list[dict[str, Any]], list[tuple[str, list[Call]]]]) -> bytes:
    """The recorded cells written by xlsxwriter alone, in a tight loop (formats created once)."""
    import io

    import xlsxwriter

    from scoring.report.excel_cells import WORKBOOK_OPTIONS

    specs, sheets = recorded
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {**WORKBOOK_OPTIONS, "in_memory": True})
    fmts = [wb.add_format(spec) for spec in specs]
    for name, cells in sheets:
        ws = wb.add_worksheet(name)
        writers = {w: getattr(ws, w) for w in CELL_WRITERS}
        for w, r, c, v, k, rest in cells:
            writers[w](r, c, v, fmts[k] if k >= 0 else None, *rest)
    wb.close()
    return buf.getvalue()


def same_cells(a: bytes, b: bytes) -> bool:
    """Whether two workbooks hold the same cells (values, formulas, cached values) per sheet."""
    import io

    import openpyxl

    def cells(data: bytes, only: bool) -> dict[str, dict[str, Any]]:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=only)
        return {ws.title: {c.coordinate: c.value for row in ws.iter_rows() for c in row
                           if c.value is not None}
                for ws in wb.worksheets}

    return all(cells(a, o) == cells(b, o) for o in (False, True))


def main() -> None:
    ev = evaluate_path(ROOT / "data" / "scenarios" / "hdh-2019.yaml")
    t = best_of(lambda: summary_workbook(ev, sensitivity=False))
    size = len(summary_workbook(ev, sensitivity=False))
    print(f"hdh-2019 ({len(ev.offers)} offers x {len(ev.leaves)} leaves): {t * 1000:.0f} ms, "
          f"{size / 1024:.0f} KiB")
    big = synthetic(ev)
    size = len(summary_workbook(big, sensitivity=False))
    wall, cpu = best_cpu(lambda: summary_workbook(big, sensitivity=False))
    calls = recorded_cells(big)
    if not same_cells(summary_workbook(big, sensitivity=False, generated_at=WHEN), replay(calls)):
        raise SystemExit("the floor does not write the same cells: no comparison")
    floor_wall, floor_cpu = best_cpu(lambda: replay(calls))
    print(f"synthetic 500 offers x 300 questions: {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"{size / 1024:.0f} KiB (charts included)")
    print(f"  floor, xlsxwriter alone writing the same {sum(len(c) for _, c in calls[1])} cells: "
          f"{floor_wall:.2f} s wall, {floor_cpu:.2f} s CPU; Hostwise / floor "
          f"{cpu / floor_cpu:.2f}x CPU")
    print(f"  against the private cell-record writer before issue 16 ({BEFORE_CPU} s CPU): "
          f"{cpu / BEFORE_CPU:.2f}x (goal <= 1.5x)")
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
