"""The read-only sheets of the summary workbook: gates, legal exposure, sovereignty, cost,
allocation, robustness, clarifications and sources. Each reads the same report layer as the CLI
(``report.robustness``, ``report.allocation``, ``report.clarify``), so the words match.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from xlsxwriter.worksheet import Worksheet

from ..allocation import AllocationResult, FrontierPoint
from ..award import AwardContext
from ..engine import Evaluation
from ..i18n import _, decimal_mark, format_date
from ..messages import render
from ..robustness.clarify import Clarifications
from ..robustness.scenario import SensitivityReport
from ..scenario.texts import gate_label
from ..scenario.texts import text as sc_text
from . import excel_cells
from .clarify import item_json
from .excel_cells import Formats, clean_text, header, is_link, put_rows, put_text, put_value
from .robustness import flip_words, stability_words, unsupported_words


def _table(ws: Worksheet, title: str, note: str, heads: list[str], rows: Sequence[Sequence[Any]],
           f: Formats, widths: Sequence[float], styles: Sequence[str | None] = ()) -> int:
    """A titled table (header frozen, filter on); returns the next free row."""
    ws.write_string(0, 0, title, f["title"])
    if note:
        put_text(ws, 1, 0, note, f, "note")
    header(ws, 3, heads, f)
    put_rows(ws, 4, rows, styles, f)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(4, 1)
    if rows:
        ws.autofilter(3, 0, 3 + len(rows), len(heads) - 1)
    return 5 + len(rows)


def write_gates(ws: Worksheet, ev: Evaluation, f: Formats) -> None:
    ok = _("pass")
    rows = [[r.offer.offer_id, g.gate, gate_label(ev.scenario, g.gate, g.label),
             ok if g.passed else _("FAIL"), render(g.reason),
             g.question] for r in ev.results for g in r.gates]
    _table(ws, _("Gates: pass/fail before any score counts"),
           _("An offer failing one gate is excluded (Directive 2014/24/EU art. 56-58)."),
           [_("Offer"), _("Gate"), _("Label"), _("Result"), _("Reason"), _("Question")], rows, f,
           [18, 14, 36, 8, 80, 22], [None, None, "wrap", None, "wrap"])
    for n, row in enumerate(rows):
        ws.write_string(4 + n, 3, row[3], f["pass"] if row[3] == ok else f["fail"])


def _unused(ws: Worksheet, ev: Evaluation, module: str, f: Formats) -> bool:
    """A sheet of a module the tender's catalogue does not use says so (and stays empty)."""
    if ev.catalogue is None or ev.catalogue.uses(module):
        return False
    ws.write_string(0, 0, _("The catalogue {catalogue} does not use the {module} module: no "
                            "such pillar in this tender.").format(catalogue=ev.catalogue.id,
                                                                 module=_(module)), f["bold"])
    return True


def write_legal(ws: Worksheet, ev: Evaluation, f: Formats) -> None:
    if _unused(ws, ev, "legal", f):
        return
    rows = []
    for r in ev.results:
        lg = r.legal
        if lg is None:
            continue
        laws = ", ".join(lg.laws) or _("none")
        for fd in lg.findings or ():
            rows.append([r.offer.offer_id, lg.utility, laws, fd.kind, render(fd.label),
                         fd.points, render(fd.reason)])
        if not lg.findings:
            rows.append([r.offer.offer_id, lg.utility, laws, "", "", None, ""])
    _table(ws, _("Legal: laws reaching each offer on {date}").format(
        date=format_date(ev.evaluation_date)),
           _("Utility 100 = no non-EU law reaches the offer. Each finding adds or removes "
             "points."),
           [_("Offer"), _("Legal utility"), _("Laws"), _("Kind"), _("Finding"), _("Points"),
            _("Reason")], rows, f,
           [18, 11, 30, 8, 34, 8, 80], [None, "score", "wrap", None, "wrap", "score", "wrap"])


def write_sovereignty(ws: Worksheet, ev: Evaluation, f: Formats) -> None:
    if _unused(ws, ev, "sovereignty", f):
        return
    rows = [[r.offer.offer_id, x.objective, x.level, _(x.origin), render(x.reason),
             r.seal_overall]
            for r in ev.results for x in r.seal_levels]
    _table(ws, _("Sovereignty: SEAL level per objective (EU Cloud Sovereignty Framework)"),
           _("Levels 0-4; origin says whether the level was answered, derived from facts, or "
             "unknown."), [_("Offer"), _("Objective"), _("SEAL level"), _("Origin"), _("Reason"),
                           _("Overall SEAL")],
           rows, f, [18, 10, 10, 10, 90, 12], [None, None, "int", None, "wrap", "int"])


def write_cost(ws: Worksheet, ev: Evaluation, f: Formats) -> None:
    if _unused(ws, ev, "cost", f):
        return
    sc = ev.scenario
    rows: list[list[Any]] = []
    for r in ev.results:
        c = r.cost
        if not c.lines:
            rows.append([r.offer.offer_id, "", None, None, "", None, None, "", "",
                         c.annual_cost, _("not costable: {items}").format(
                             items=", ".join(render(m) for m in c.missing)) if c.missing else ""])
        for ln in c.lines:
            rows.append([r.offer.offer_id, ln.item, ln.quantity, ln.unit_price, ln.currency,
                         ln.rate, ln.amount, ln.price_date, ln.confidence, c.annual_cost,
                         _("one-off (spread over the term)") if ln.one_off else ""])
    note = _("Annual cost in {currency} of workload {workload} over {years} year(s); price "
             "note: {kind} (n = {n}) against the lowest eligible, costable offer. amount = "
             "quantity × unit price × rate.").format(
        currency=sc.currency, workload=sc.workload.label,
        years=decimal_mark(f"{sc.workload.contract_years:g}"), kind=_(sc.price_formula.kind),
        n=decimal_mark(f"{sc.price_formula.n:g}"))
    last = _table(ws, _("Cost: total cost of ownership per offer"), note,
                  [_("Offer"), _("Item"), _("Quantity"), _("Unit price"), _("Currency"), _("Rate"),
                   _("Amount"),
                   _("Price date"), _("Confidence"), _("Annual cost"), _("Note")], rows, f,
                  [18, 18, 14, 12, 9, 10, 14, 12, 11, 14, 40],
                  [None, None, "money", "money2", None, "money2", "money", "date", None,
                   "money", "wrap"])
    for n, row in enumerate(rows):  # the amount as a live product of its parts
        if row[2] is not None and row[3] is not None and row[5] is not None:
            rr = 4 + n
            ws.write_formula(rr, 6, f"=C{rr + 1}*D{rr + 1}*F{rr + 1}", f["money"], row[6])
    ws.write_string(last, 0, _("Price formula"), f["bold"])
    put_text(ws, last, 1, {"proportional": _("note = 100 × lowest / price"),
                           "linear": _("note = 100 × (1 − (price − lowest) / lowest)"),
                           "relevance": _("note = 100 × (lowest / price)^(1/n)")}.get(
        sc.price_formula.kind, sc.price_formula.kind), f)


def write_allocation(ws: Worksheet, ctx: AwardContext | None, res: AllocationResult | None,
                     points: Sequence[FrontierPoint], f: Formats) -> None:
    if ctx is None or res is None:
        ws.write_string(0, 0, _("Allocation"), f["title"])
        ws.write_string(1, 0, _("The scenario has no lots: no award to allocate."), f["note"])
        return
    names = {lot.id: sc_text(ctx.scenario, f"lots.{lot.id}.name") for lot in ctx.scenario.lots}
    rows = [[lot, names.get(lot, ""), offer] for lot, offer in res.assignment.items()]
    note = render(ctx.seal_note) + ". " if ctx.seal_note else ""
    last = _table(ws, _("Allocation: award ({status}, objective {objective})").format(
        status=_(res.status), objective=_(res.objective)),
                  _("Cost {cost}; value {value}.").format(
                      cost=res.cost if res.cost is not None else "-",
                      value=res.value if res.value is not None else "-") + " " + note
                  + _("Depends on assumptions: {assumptions}.").format(
                      assumptions=", ".join(ctx.assumption_labels)),
                  [_("Lot"), _("Name"), _("Offer")], rows, f, [16, 40, 20, 14, 14, 12, 50])
    r = last
    ws.write_string(r, 0, _("Binding rules"), f["bold"])
    for n, b in enumerate(res.binding or (_("none"),)):
        put_text(ws, r + 1 + n, 0, b, f)
    r += 2 + max(1, len(res.binding))
    for n, rel in enumerate(res.relaxations):
        put_text(ws, r + n, 0, rel, f)
    r += len(res.relaxations) + 1
    ws.write_string(r, 0, _("Frontier (price of sovereignty)"), f["bold"])
    header(ws, r + 1, [_("Floor kind"), _("Floor"), _("Budget"), _("Status"), _("Cost"), _("Value"),
                       _("Dominated"),
                       _("Message")], f)
    for n, p in enumerate(points):
        rr = r + 2 + n
        for c, v in enumerate([p.kind, p.floor, p.budget, _(p.status), p.cost, p.value,
                               _("yes") if p.dominated else "", p.message]):
            put_value(ws, rr, c, v, f, "money" if c in (2, 4) else None)


def write_robustness(ws: Worksheet, rep: SensitivityReport | None, f: Formats) -> None:
    ws.write_string(0, 0, _("Robustness: how far the ranking rests on the weights"), f["title"])
    if rep is None:
        ws.write_string(1, 0, _("No eligible offer: nothing to analyse."), f["note"])
        return
    put_text(ws, 1, 0, _("Level {level}; {reason}.").format(
        level=_(rep.level), reason=unsupported_words(rep.support.label)
        if rep.support.reason else _("exact analyses apply")), f, "note")
    r = 3
    ws.write_string(r, 0, _("Stability intervals (weight range keeping the leader / the "
                            "ranking)"), f["bold"])
    header(ws, r + 1, [_("Criterion"), _("Weight"), _("Leader"), _("Leader from"), _("Leader to"),
                       _("Ranking from"), _("Ranking to"), _("In words")], f)
    r += 2
    for s in rep.stability or ():
        for c, v in enumerate([_(s.criterion), s.weight, s.leader, s.leader_lo, s.leader_hi,
                               s.ranking_lo, s.ranking_hi, stability_words(s)]):
            put_value(ws, r, c, v, f, "pct" if 1 <= c <= 6 and c != 2 else "wrap")
        r += 1
    r += 1
    if rep.smaa is not None:
        sm = rep.smaa
        ws.write_string(r, 0, _("SMAA-2 rank acceptability (share of random weights giving "
                                "each rank)"), f["bold"])
        nr = sm.acceptability.shape[1]
        header(ws, r + 1, [_("Offer")] + [_("rank {rank}").format(rank=k + 1)
                                          for k in range(nr)], f)
        for n, o in enumerate(sm.offers):
            put_text(ws, r + 2 + n, 0, o, f)
            for k in range(nr):
                ws.write_number(r + 2 + n, 1 + k, float(sm.acceptability[n, k]), f["pct"])
        if sm.offers:
            ws.conditional_format(r + 2, 1, r + 1 + len(sm.offers), nr,
                                  {"type": "2_color_scale", "min_color": "#FFFFFF",
                                   "max_color": "#63BE7B"})
        r += 3 + len(sm.offers)
    ws.write_string(r, 0, _("Flip: the smallest weight change making the runner-up first"),
                    f["bold"])
    put_text(ws, r + 1, 0, flip_words(rep.flip) if rep.flip else _("fewer than two eligible "
                                                                    "offers"), f)
    ws.set_column(0, 0, 22)
    ws.set_column(1, 6, 11)
    ws.set_column(7, 7, 90)


def write_clarifications(ws: Worksheet, ev: Evaluation, c: Clarifications | None,
                         f: Formats) -> None:
    if c is None:
        ws.write_string(0, 0, _("Clarifications"), f["title"])
        ws.write_string(1, 0, _("Not computed for this export (hostwise clarify SCENARIO)."),
                        f["note"])
        return
    rows = []
    for it in c.items:
        d = item_json(it)
        why = (_("changes the winner to {winner} if {value}").format(winner=it.new_winner,
                                                                     value=it.set_to)
               if it.changes_winner else _("moves the total by up to {spread} points").format(
                   spread=decimal_mark(f"{it.spread:.2f}")))
        rows.append([d["offer"], d["question"], d["current"],
                     ", ".join(str(v) for v in d["could_be"]), it.total_range[0],
                     it.total_range[1], f"{it.rank_range[0]}-{it.rank_range[1]}",
                     _("yes") if it.changes_winner else "", why])
    _table(ws, _("Clarifications: the unknown answers worth asking first"),
           _("Current winner: {winner}. {n} pair(s) left by the time budget.").format(
               winner=c.winner or _("none"), n=len(c.not_assessed)), [_("Offer"), _("Question"),
                                                                      _("Current"), _("Could be"),
                                                                      _("Total low"),
                            _("Total high"), _("Rank range"), _("Changes winner"),
                                _("Why it matters")],
           rows, f, [18, 26, 10, 20, 10, 10, 10, 10, 60],
           [None, None, None, None, "score", "score", None, None, "wrap"])


def write_sources(ws: Worksheet, ev: Evaluation, f: Formats) -> None:
    rows: list[list[Any]] = []
    for o in ev.offers:
        for qid, a in o.answers.items():
            for sid in a.sources or ("",):
                s = o.sources.get(sid) if sid else None
                rows.append([o.offer_id, qid, a.confidence, sid, s.title if s else "",
                             s.date.isoformat() if s and s.date else (_("undated") if s else ""),
                             s.url if s else None])
        for p in o.prices:
            for sid in p.sources:
                s = o.sources.get(sid)
                rows.append([o.offer_id, _("price {item}").format(item=p.item), p.confidence,
                             sid, s.title if s else "",
                             s.date.isoformat() if s and s.date else _("undated"),
                             s.url if s else None])
    links = sum(1 for row in rows if row[6] and is_link(clean_text(row[6]).strip()))
    note = _("One row per answer and cited source; links only for http(s) addresses.")
    if links > excel_cells.LINK_CAP:
        note += " " + _("Excel keeps at most 65 530 links a sheet: the {n} address(es) after "
                        "the first {cap} are plain text.").format(
            n=links - excel_cells.LINK_CAP, cap=excel_cells.LINK_CAP)
    _table(ws, _("Sources: the evidence behind every answer"), note,
           [_("Offer"), _("Question"), _("Confidence"), _("Source"), _("Title"), _("Date"),
            _("Address")], rows, f,
           [18, 28, 11, 8, 70, 11, 60], [None, None, None, None, "wrap", None, "link"])
