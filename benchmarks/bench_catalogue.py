"""A large tender: a 400-question catalogue x 30 offers (issue 19, part 7). Run:
``python benchmarks/bench_catalogue.py [--questions 400] [--offers 30] [--seed 0]``.

Generates (deterministic seed) a version-2 catalogue with three ordinary pillars and the cost
module (bool, enum, number, percent and grade questions over 40 criteria), a scenario that
weighs every pillar, criterion and some questions, 30 questionnaires (about 10 % of the answers
unknown) and an evaluations file with the committee's grades. It then

1. checks the engine's totals against a naive reference computation of the hierarchical
   weighted sum, written here from the published rule alone (docs/methods.md: utilities per
   type, weights normalised level by level, unknown = 0 under ``worst``, price note
   proportional to the lowest cost): both sides compute the same numbers (|diff| <= 1e-9);
2. prints the warm time of ``evaluate_path`` (caches filled: the catalogue and the offers are
   read and hashed, not parsed again) and its ratio to the floor, the naive reference's own
   time on the same loaded data.

Goal: warm <= 100 ms.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from scoring.engine import evaluate_path  # noqa: E402
from scoring.io import load_offers  # noqa: E402
from scoring.io.catalogue import load_catalogue  # noqa: E402
from scoring.io.grades import load_grades  # noqa: E402
from scoring.models import Catalogue, Offer  # noqa: E402

PILLARS = ("technical", "quality", "service")
TYPES = ("bool", "enum", "number", "percent", "grade")
GOAL_MS = 100.0


def _question(rng: random.Random, qid: str, p: str, c: str) -> dict[str, Any]:
    t = rng.choice(TYPES)
    q: dict[str, Any] = {"id": qid, "pillar": p, "criterion": c, "type": t,
                         "help": f"Question {qid} (generated).", "requirement": f"CCTP {qid}"}
    if t == "enum":
        q["options"] = {"none": 0, "partial": rng.choice([25, 50, 75]), "full": 100,
                        "n_a": None}
    elif t == "number":
        q.update(unit="units", min=0, max=100, scale={"worst": 0, "best": rng.choice([10, 50])})
    elif t == "percent":
        q["scale"] = {"worst": 50, "best": 99.9}
    elif t == "grade":
        q["grid"] = {0: "absent", 1: "insufficient", 2: "partial", 3: "satisfying",
                     4: "excellent"}
    return q


def generate(folder: Path, n_questions: int, n_offers: int, seed: int) -> Path:
    """Write catalogue.yaml, scenario.yaml, grades.yaml and offers/*.yaml; return the
    scenario's path."""
    rng = random.Random(seed)
    crits = {p: [f"{p[:4]}{k:02d}" for k in range(40 // len(PILLARS) + 1)] for p in PILLARS}
    questions = []
    for n in range(n_questions):
        p = PILLARS[n % len(PILLARS)]
        c = crits[p][(n // len(PILLARS)) % len(crits[p])]
        questions.append(_question(rng, f"q{n:04d}", p, c))
    # every declared criterion needs a scored question: the generator cycles through them
    cat = {"version": 2, "id": "bench", "title": "Generated 400-question tender",
           "modules": ["cost"],
           "pillars": {**{p: {"label": p.title(), "criteria": {c: c for c in crits[p]}}
                          for p in PILLARS}, "cost": {"label": "Total cost"}},
           "price_items": {"vm": {"unit": "hour", "help": "a VM hour"},
                           "storage": {"unit": "GB-month", "help": "a GB-month"}},
           "questions": questions}
    (folder / "catalogue.yaml").write_text(yaml.safe_dump(cat, sort_keys=False))
    weights: dict[str, Any] = {}
    for p in PILLARS:
        crit: dict[str, Any] = {}
        for c in crits[p]:
            qs = [q["id"] for q in questions if q["criterion"] == c]
            if rng.random() < 0.3:
                crit[c] = {"weight": rng.randint(1, 10),
                           "questions": {q: rng.randint(1, 5) for q in qs}}
            else:
                crit[c] = rng.randint(1, 10)
        weights[p] = {"weight": rng.randint(10, 40), "criteria": crit}
    weights["cost"] = {"weight": 25}
    grades: dict[str, Any] = {}
    (folder / "offers").mkdir()
    for k in range(n_offers):
        oid = f"o{k:02d}"
        answers: dict[str, Any] = {}
        for q in questions:
            if q["type"] == "grade":
                if rng.random() < 0.9:
                    grades.setdefault(oid, {})[q["id"]] = {
                        "value": rng.randint(0, 4), "justification": "generated",
                        "evaluators": ["E1", "E2"], "date": "2026-02-01"}
                continue
            if rng.random() < 0.1:
                answers[q["id"]] = "unknown"
                continue
            v: Any = {"bool": lambda: rng.random() < 0.6,
                      "enum": lambda: rng.choice(["none", "partial", "full", "n_a"]),
                      "number": lambda: rng.randint(0, 100),
                      "percent": lambda: round(rng.uniform(40, 100), 2)}[q["type"]]()
            answers[q["id"]] = {"value": v, "source": "S1", "confidence": "confirmed"}
        doc = {"schema": 1, "vendor": {"id": oid, "name": f"Vendor {k}", "group": oid},
               "offer": {"id": oid, "name": f"Offer {k}"}, "era": "2026",
               "as_of": "2026-01-15", "currencies": ["EUR"],
               "sources": {"S1": {"title": "bid", "date": "2026-01-15"}},
               "answers": answers,
               "prices": [{"item": i, "price": round(rng.uniform(0.01, 0.2), 4),
                           "currency": "EUR", "date": "2026-01-15", "source": "S1",
                           "confidence": "confirmed"} for i in ("vm", "storage")]}
        (folder / "offers" / f"{oid}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    (folder / "grades.yaml").write_text(yaml.safe_dump({"grades": grades}, sort_keys=False))
    sc = {"schema": 1, "id": "bench", "title": "Generated tender", "catalogue": "catalogue.yaml",
          "grades": "grades.yaml", "evaluation_date": "2026-03-01",
          "offers": {"paths": ["offers"]}, "method": "wsm", "missing_policy": "worst",
          "weights": weights,
          "workload": {"label": "ASSUMPTION BENCH-W", "reasoning": "generated",
                       "contract_years": 1, "annual": {"vm": 10000, "storage": 50000}}}
    path = folder / "scenario.yaml"
    path.write_text(yaml.safe_dump(sc, sort_keys=False))
    return path


def _utility(q: Any, v: Any) -> float:
    """The published utility rules, written again from docs/catalogue.md (not the engine's)."""
    if v is None:
        return 0.0  # worst: unknown counts 0
    if q.type == "bool":
        return 100.0 if v else 0.0
    if q.type == "enum":
        u = (q.options or {}).get(v)
        return 0.0 if u is None else float(u)
    if q.type == "grade":
        lo, hi = min(q.grid), max(q.grid)
        return 100.0 * (v - lo) / (hi - lo)
    lo, hi = q.scale.worst, q.scale.best
    return min(100.0, max(0.0, (v - lo) / (hi - lo) * 100.0))


def naive_totals(sc_doc: dict[str, Any], cat: Catalogue, offers: list[Offer],
                 grades: dict[str, Any]) -> dict[str, float]:
    """Σ_p w_p Σ_c w_c Σ_q w_q u_q, each level normalised; the cost note = 100 × lowest /
    cost. Only scored questions count (an enum whose options are all null would not)."""
    w = sc_doc["weights"]
    wl = sc_doc["workload"]["annual"]
    cost = {o.offer_id: sum(wl[i] * next(p.price for p in o.prices if p.item == i) for i in wl)
            for o in offers}
    low = min(cost.values())
    sp = sum(x["weight"] for x in w.values())
    by_crit: dict[str, list[Any]] = {}
    for q in cat.questions:
        if q.scored:
            by_crit.setdefault(q.criterion, []).append(q)
    out = {}
    for o in offers:
        total = w["cost"]["weight"] / sp * 100.0 * low / cost[o.offer_id]
        for p in PILLARS:
            crit = w[p]["criteria"]
            cw = {c: (x["weight"] if isinstance(x, dict) else x) for c, x in crit.items()}
            sc_ = sum(cw.values())
            for c, x in crit.items():
                qs = by_crit.get(c, [])
                qw = ({q.id: x["questions"][q.id] for q in qs} if isinstance(x, dict)
                      else {q.id: 1 for q in qs})
                sq = sum(qw.values())
                for q in qs:
                    if q.type == "grade":
                        g = grades.get(o.offer_id, {}).get(q.id)
                        v = None if g is None else g.value
                    else:
                        a = o.answers.get(q.id)
                        v = a.value if a is not None and a.known else None
                    total += (w[p]["weight"] / sp) * (cw[c] / sc_) * (qw[q.id] / sq) * \
                        _utility(q, v)
        out[o.offer_id] = total
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=400)
    ap.add_argument("--offers", type=int, default=30)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = generate(Path(tmp), args.questions, args.offers, args.seed)
        t0 = time.perf_counter()
        ev = evaluate_path(path)
        cold = 1000 * (time.perf_counter() - t0)
        cat = load_catalogue(Path(tmp) / "catalogue.yaml")
        offers = list(load_offers([Path(tmp) / "offers"], cat).offers)
        grades, _ = load_grades(Path(tmp) / "grades.yaml", cat)
        sc_doc = yaml.safe_load(path.read_text())
        ref = naive_totals(sc_doc, cat, offers, grades)
        worst = max(abs((ev.result(k).total or 0.0) - v) for k, v in ref.items())
        assert worst <= 1e-9, f"engine and naive reference differ by {worst}"
        warm = 1000 * best_of(lambda: evaluate_path(path), 7)
        floor = 1000 * best_of(lambda: naive_totals(sc_doc, cat, offers, grades), 7)
        print(f"{args.questions} questions x {args.offers} offers ({len(ev.leaves)} leaves): "
              f"totals equal to the naive reference (max |diff| {worst:.1e})")
        print(f"evaluate_path cold {cold:.0f} ms (first parse), warm {warm:.1f} ms "
              f"(goal <= {GOAL_MS:.0f} ms: {'met' if warm <= GOAL_MS else 'MISSED'})")
        print(f"naive weighted sum on loaded data {floor:.1f} ms; warm / naive = "
              f"{warm / floor:.1f}x")


if __name__ == "__main__":
    main()
