"""``hostwise rank | compare | explain``: the scoring engine on the command line.

The text forms are for people (a table plus each exclusion's reason); the ``--json`` forms are
stable contracts other tools read.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from .models import PILLARS
from .textfmt import table


def register(sub: Any) -> None:
    r = sub.add_parser("rank", help="rank the offers of a scenario")
    r.add_argument("scenario")
    r.add_argument("--method", choices=["wsm", "topsis"], default=None)
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_rank)
    c = sub.add_parser("compare", help="compare scenarios side by side (the replay)")
    c.add_argument("scenarios", nargs="+")
    c.add_argument("--json", action="store_true")
    c.set_defaults(func=cmd_compare)
    e = sub.add_parser("explain", help="how an offer's total was built")
    e.add_argument("scenario")
    e.add_argument("offer")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_explain)
    register_allocation(sub)


def _fmt(x: float | None, nd: int = 1) -> str:
    return "-" if x is None else f"{x:.{nd}f}"




def cmd_rank(args: argparse.Namespace) -> int:
    from .engine import evaluate_path

    ev = evaluate_path(args.scenario, args.method)
    if args.json:
        print(json.dumps(ev.to_json(), indent=2, ensure_ascii=False))
        return 0
    sc = ev.scenario
    print(f"{sc.title}\nscenario {sc.id}  evaluation date {sc.evaluation_date}  method "
          f"{ev.method}  missing answers: {sc.missing_policy}\nhash {ev.hash}\n")
    rows = []
    for r in ev.results:
        rows.append([str(r.rank or "-"), r.offer.vendor_name, r.offer.offer_id,
                     *[_fmt(r.pillars.get(p)) for p in PILLARS], _fmt(r.total, 2),
                     f"{r.coverage:.0%}", "-" if r.seal_overall is None else
                     f"{r.seal_overall}{'' if r.seal_complete else '?'}",
                     "yes" if r.eligible else "EXCLUDED"])
    print(table(rows, ["rank", "vendor", "offer", *PILLARS, "total", "answered", "SEAL",
                        "eligible"]))
    print("\nSEAL: overall level = lowest objective; '?' = some objectives unknown (a ceiling).")
    leader = ev.leader()
    if leader:
        top = sorted(((p, leader.pillars.get(p) or 0.0) for p in PILLARS),
                     key=lambda x: -x[1])
        print(f"\nLeader: {leader.offer.vendor_name} ({leader.offer.offer_id}), total "
              f"{leader.total:.2f}; strongest pillars: "
              + ", ".join(f"{p} {v:.0f}" for p, v in top[:2]))
        if leader.tied_with:
            print(f"  tied with {', '.join(leader.tied_with)} (tie broken by offer id)")
    else:
        print("\nNo offer passes every gate.")
    excluded = [r for r in ev.results if not r.eligible]
    if excluded:
        print("\nExcluded:")
        for r in excluded:
            reasons = "; ".join(f"{g.label}: {g.reason}" for g in r.gates if not g.passed)
            print(f"  {r.offer.offer_id}: {reasons}")
    print(f"\nWorkload: {sc.workload.label} - {sc.workload.reasoning.strip().splitlines()[0]}")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare_data

    data = compare_data(args.scenarios)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return 0
    names = [s["id"] for s in data["scenarios"]]
    for s in data["scenarios"]:
        print(f"{s['id']}: evaluation date {s['evaluation_date']}, leader {s['leader'] or 'none'}"
              f"  (hash {s['hash'][:12]})")
    rows = []
    for o in data["offers"]:
        cells = []
        for n in names:
            x = o["by_scenario"].get(n)
            if x is None:
                cells.append("n/a")
            elif x["eligible"]:
                cells.append(f"#{x['rank']} ({_fmt(x['total'])})")
            else:
                cells.append("excl: " + ",".join(x["excluded_by"]))
        delta = o.get("rank_change")
        gd = ",".join(o.get("gates_differ", [])) or ""
        pd_ = o.get("pillar_delta", {})
        pdt = " ".join(f"{p[:4]}{v:+.0f}" for p, v in pd_.items() if v)
        rows.append([o["vendor"], o["offer"], *cells, "" if delta is None else f"{delta:+d}",
                     pdt, gd])
    print()
    print(table(rows, ["vendor", "offer", *names, "rank chg", "pillar deltas (last - first)",
                        "gates differ"]))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from .compare import explain_data

    d = explain_data(args.scenario, args.offer)
    if args.json:
        print(json.dumps(d, indent=2, ensure_ascii=False, default=str))
        return 0
    status = f"rank {d['rank']}" if d["eligible"] else "EXCLUDED"
    print(f"{d['vendor']} ({d['offer']}) in {d['scenario']} on {d['evaluation_date']}: {status}, "
          f"total {_fmt(d['total'], 2)} (answered weight {d['coverage']:.0%})\n")
    print("Gates:")
    for g in d["gates"]:
        print(f"  [{'pass' if g['passed'] else 'FAIL'}] {g['gate']}: {g['reason']}")
    print("\nHow the total was built (answer -> utility -> weight -> contribution):")
    rows = [[x["pillar"], x["question"], x["answer"][:24], x["confidence"],
             _fmt(x["utility"]), f"{x['effective_weight']:.4f}", f"{x['contribution']:.2f}",
             x["reason"][:70]] for x in d["rows"]]
    print(table(rows, ["pillar", "question", "answer", "confidence", "utility", "weight",
                        "contrib.", "reason"]))
    print(f"\nTotal = sum of contributions = {_fmt(d['total'], 2)}")
    print(f"\nLegal exposure on {d['evaluation_date']}: utility {d['legal']['utility']:.0f}/100")
    for f in d["legal"]["findings"]:
        print(f"  {f['points']:+6.0f}  {f['label']}: {f['reason']}")
    c = d["cost"]
    print(f"\nCost ({c['workload']}):", "not costable, missing " + ", ".join(c["missing"])
          if c["annual"] is None else f"EUR {c['annual']:,.0f} per year")
    for li in c["lines"]:
        print(f"  {li['item']}: {li['quantity']:,.0f} x {li['unit_price']} {li['currency']} "
              f"= EUR {li['amount_eur']:,.0f} (price of {li['price_date']}, {li['confidence']})")
    print("\nSovereignty (EU CSF):", "overall SEAL",
          "-" if d["seal"]["overall"] is None else d["seal"]["overall"],
          "" if d["seal"]["complete"] else "(ceiling: some objectives unknown)")
    for o in d["seal"]["objectives"]:
        print(f"  {o['objective']}: {'-' if o['level'] is None else o['level']} "
              f"({o['origin']}) {o['reason']}")
    if d["warnings"]:
        print("\nEvidence warnings:")
        for w in d["warnings"]:
            print(f"  - {w}")
    return 0


def register_allocation(sub: Any) -> None:
    a = sub.add_parser("allocate", help="best award of the scenario's lots (MILP)")
    a.add_argument("scenario")
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_allocate)
    f = sub.add_parser("frontier", help="what each level of sovereignty costs")
    f.add_argument("scenario")
    f.add_argument("--kind", choices=["seal", "legal"], default="seal")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=cmd_frontier)


def _eur(x: float | None) -> str:
    return "-" if x is None else f"EUR {x:,.0f}"


def cmd_allocate(args: argparse.Namespace) -> int:
    from .allocation import solve
    from .award import build_award, result_json

    ctx = build_award(args.scenario)
    res = solve(ctx.problem)
    if args.json:
        print(json.dumps(result_json(ctx, res), indent=2, ensure_ascii=False))
        return 0
    sc = ctx.scenario
    print(f"{sc.title}\nscenario {sc.id}  objective {res.objective}  hash {ctx.hash}\n")
    names = {lot.id: lot.name for lot in sc.lots}
    if res.status == "infeasible":
        print("No award satisfies the rules. What must give:")
        for r in res.relaxations:
            print(f"  - {r}")
    else:
        if res.status == "feasible":
            print("Time limit reached: best award found, not proven optimal.\n")
        bids = {(b.lot, b.offer): b for b in ctx.problem.bids}
        rows = []
        for lot in sc.lots:
            o = res.assignment.get(lot.id, "")
            b = bids.get((lot.id, o))
            rows.append([lot.id, names[lot.id][:48], o, _eur(b.cost if b else None),
                         _fmt(b.value if b else None), "-" if b is None or b.seal is None
                         else str(b.seal)])
        print(table(rows, ["lot", "name", "offer", "annual cost", "value", "SEAL"]))
        print(f"\nTotal annual cost {_eur(res.cost)} (incl. migration {_eur(res.migration_cost)}"
              f"); value {_fmt(res.value, 2)}")
        if sc.allocation.budget is not None:
            print(f"Budget {_eur(sc.allocation.budget)}: {sc.allocation.budget_source}")
        if res.binding:
            print("Binding rules (relaxing one alone would improve the award): "
                  + "; ".join(res.binding))
        if res.ties:
            alt = dict(res.alternative.assignment) if res.alternative else {}
            print(f"Another award reaches the same objective: {alt} (tie broken as stated)")
    print(f"\nDepends on assumptions: {', '.join(ctx.assumption_labels)}. {ctx.seal_note}.")
    return 0


def cmd_frontier(args: argparse.Namespace) -> int:
    from .allocation import frontier
    from .award import build_award, frontier_json

    ctx = build_award(args.scenario)
    spec = ctx.scenario.allocation.frontier
    floors: list[float | None] = list(spec.floors) if args.kind == "seal" else [
        0, 20, 40, 60, 80, 100]
    pts = frontier(ctx.problem, floors, spec.budgets, kind=args.kind)
    if args.json:
        print(json.dumps(frontier_json(ctx, pts), indent=2, ensure_ascii=False, default=str))
        return 0
    print(f"The price of sovereignty: {ctx.scenario.title}\nhash {ctx.hash}\n")
    rows = [[f"{p.kind} >= {p.floor:g}" if p.floor is not None else "lots' own",
             _eur(p.budget), p.status, _eur(p.cost), _fmt(p.value, 2),
             "dominated" if p.dominated else "",
             ", ".join(f"{k}:{v}" for k, v in p.assignment.items()) or p.message[:60]]
            for p in pts]
    print(table(rows, ["floor", "budget", "status", "annual cost", "value", "", "award"]))
    print(f"\nDepends on assumptions: {', '.join(ctx.assumption_labels)}. {ctx.seal_note}.")
    return 0
