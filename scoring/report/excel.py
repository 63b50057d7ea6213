"""The summary workbook (issue 12): one evaluation as a live Excel model, returned as bytes.

Why a live model: analysts re-weight in Excel. Totals, pillar scores and ranks are formulas over
named weight cells (``excel_model``), each written with its computed value so that previews,
pandas and openpyxl's ``data_only`` read numbers; a real engine (LibreOffice, in the tests)
recomputes them to the engine's totals. Written with xlsxwriter (it caches formula results,
openpyxl cannot); every outside string goes through ``excel_cells`` (formula-injection safe).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import xlsxwriter

from ..engine import Evaluation
from ..engine.admission import could_lead
from ..i18n import N_, _, format_date
from ..robustness.clarify import Clarifications
from ..robustness.scenario import SensitivityReport
from ..scenario.model import demo_label
from .excel_cells import WORKBOOK_OPTIONS, Formats, put_text, put_value, sheet_name
from .excel_model import add_charts, write_scores
from .excel_sheets import (
    write_allocation,
    write_clarifications,
    write_cost,
    write_gates,
    write_legal,
    write_robustness,
    write_sources,
    write_sovereignty,
)
from .excel_weights import write_weights
from .ranking import admission_words, undetermined_words

#: The sheets in reading order, by id (English); each is named in the run's language
#: (``excel_cells.sheet_name``) and the formulas follow the names.
SHEETS = (N_("Cover"), N_("Weights"), N_("Scores"), N_("Charts"), N_("Gates"), N_("Legal"),
          N_("Sovereignty"), N_("Cost"), N_("Allocation"), N_("Robustness"),
          N_("Clarifications"), N_("Sources"))


def summary_workbook(ev: Evaluation, *, clarifications: Clarifications | None = None,
                     award: Any = None, sensitivity: SensitivityReport | bool | None = True,
                     samples: int = 2_000, generated_at: dt.datetime | None = None) -> bytes:
    """The evaluation as an .xlsx workbook.

    ``award``: an ``AwardContext`` or a scenario path with lots (the Allocation sheet; left
    empty when None); ``sensitivity``: a report already computed, True to compute one
    (``samples`` SMAA draws, seed 0) or False to leave the Robustness sheet out of the work;
    ``generated_at`` fixes the Cover's timestamp (tests, reproducible files).
    """
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {**WORKBOOK_OPTIONS, "in_memory": True})
    wb.set_properties({"title": f"Hostwise: {ev.scenario.id}", "subject": ev.scenario.title,
                       "comments": _("result hash {hash}").format(hash=ev.hash)})
    when = generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0)
    wb.set_properties({"created": when.replace(tzinfo=None)})
    f = Formats(wb)
    sheets = {name: wb.add_worksheet(sheet_name(name)) for name in SHEETS}  # reading order
    _cover(sheets["Cover"], ev, f, when)
    names = write_weights(wb, sheets["Weights"], ev, f)
    lay = write_scores(sheets["Scores"], ev, names, f)
    add_charts(wb, sheets["Charts"], ev, lay)
    write_gates(sheets["Gates"], ev, f)
    write_legal(sheets["Legal"], ev, f)
    write_sovereignty(sheets["Sovereignty"], ev, f)
    write_cost(sheets["Cost"], ev, f)
    ctx, res, points = _allocation(award)
    write_allocation(sheets["Allocation"], ctx, res, points, f)
    rep = _sensitivity(ev, sensitivity, samples)
    write_robustness(sheets["Robustness"], rep, f)
    write_clarifications(sheets["Clarifications"], ev, clarifications, f)
    write_sources(sheets["Sources"], ev, f)
    sheets["Scores"].activate()
    wb.close()
    return buf.getvalue()


def _cover(ws: Any, ev: Evaluation, f: Formats, when: dt.datetime) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        ver = version("hostwise")
    except PackageNotFoundError:  # pragma: no cover - source tree without install
        ver = "source"
    sc = ev.scenario
    ws.write_string(0, 0, _("Hostwise summary"), f["title"])
    none = _("none")
    if sc.demo is not None:  # a fictional scenario says so on the first screen of the workbook
        ws.write_string(1, 0, demo_label().upper(), f["bold"])
        put_text(ws, 1, 1, sc.demo.reason, f)
    rows: list[tuple[str, Any]] = [
        (_("Scenario"), sc.id), (_("Title"), sc.title), (_("Result hash"), ev.hash),
        (_("Evaluation date"), format_date(ev.evaluation_date)), (_("Method"), ev.method),
        (_("Missing answers"), _(ev.policy)), (_("Offers"), len(ev.offers)),
        (_("Eligible"), sum(1 for r in ev.results if r.eligible)),
        (_("Eligibility undetermined"), ", ".join(
            f"{r.offer.offer_id} ({undetermined_words(r)})" for r in ev.undetermined()) or none),
        (_("Excluded"), sum(1 for r in ev.results if r.eligibility == "fail")),
        (_("Leader"), " = ".join(r.offer.offer_id for r in ev.leaders())
         + (" " + _("(tie for first)") if len(ev.leaders()) > 1 else "") or none),
        (_("Labelled assumptions"), ", ".join(ev.assumption_ids) or none),
        (_("Prices read after the evaluation date"), ", ".join(
            r.offer.offer_id for r in ev.results if r.cost.price_after_evaluation_date)
         or none),
        (_("Could lead if admitted"), "; ".join(admission_words(ev, a)
                                                for a in could_lead(ev)) or none),
        (_("Hostwise version"), ver), ("xlsxwriter", xlsxwriter.__version__),
        (_("Generated at (UTC)"), when.isoformat()),
    ]
    for n, (k, v) in enumerate(rows):
        ws.write_string(2 + n, 0, k, f["bold"])
        put_value(ws, 2 + n, 1, v, f)
    r = 3 + len(rows)
    ws.write_string(r, 0, _("How to read"), f["bold"])
    for n, line in enumerate([
        _("{weights}: the criteria tree; yellow cells are inputs. Each level is normalised "
          "within its parent."),
        _("{scores}: one row per offer in rank order. Utilities (0-100) are values from the "
          "answers; criterion, pillar and total scores and the rank are formulas over "
          "{weights}."),
        _("Edit a weight and Excel (or LibreOffice) recomputes totals and ranks; the {charts} "
          "follow. {gates}, the price note and the analyses ({robustness}, {allocation}, "
          "{clarifications}) are computed at the scenario's weights and do not recompute."),
        _("Every number here is the engine's: `hostwise rank` on the same scenario gives the "
          "same totals (result hash above)."),
        _("{sources} lists every answer's evidence: the source, its date and the confidence."),
    ]):
        put_text(ws, r + 1 + n, 0, line.format(**{s.lower(): sheet_name(s) for s in SHEETS}), f)
    r += 7
    ws.write_string(r, 0, _("Inputs (SHA-256)"), f["bold"])
    for n, (k, v) in enumerate(sorted(ev.inputs.items())):
        put_text(ws, r + 1 + n, 0, Path(k).name if "/" in k else k, f)
        put_text(ws, r + 1 + n, 1, v, f)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 100)


def _allocation(award: Any) -> tuple[Any, Any, list[Any]]:
    """Solve the award when asked: an ``AwardContext`` or a scenario path with lots."""
    if award is None:
        return None, None, []
    from ..allocation import frontier, solve
    from ..award import AwardContext, load_award_problem

    ctx = award if isinstance(award, AwardContext) else load_award_problem(award)
    if not ctx.problem.lots:
        return None, None, []
    res = solve(ctx.problem)
    spec = ctx.scenario.allocation.frontier if ctx.scenario.allocation else None
    floors = list(spec.floors) if spec else [0, 1, 2, 3, 4]
    budgets = list(spec.budgets) if spec and spec.budgets else None
    return ctx, res, frontier(ctx.problem, floors, budgets)


def _sensitivity(ev: Evaluation, sensitivity: SensitivityReport | bool | None, samples: int
                 ) -> SensitivityReport | None:
    if isinstance(sensitivity, SensitivityReport):
        return sensitivity
    if not sensitivity or not any(r.rank is not None for r in ev.results):
        return None
    from ..robustness.scenario import sensitivity as run

    return run(ev, "pillar", samples, 0)
