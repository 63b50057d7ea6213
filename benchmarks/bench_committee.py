"""Committee workspace speed: saving one score, and a whole panel scoring concurrently.

    python benchmarks/bench_committee.py                      # SQLite (+ PostgreSQL if set)
    python benchmarks/bench_committee.py --pg URL --evaluators 20 --offers 30 --questions 40

1. One score saved through ``panel.save_score`` (checks, upsert, audit record, commit), timed
   over ``--single`` saves: median and p95, on SQLite and on PostgreSQL (``--pg`` or
   ``HOSTWISE_TEST_PG_URL``; ``bash .ci/start-postgres`` starts a local one). Target <= 50 ms.
2. E evaluators x O offers x Q questions saved from P processes at once (each process owns
   E/P evaluators): afterwards every score is in the database exactly once, the audit chain
   holds, and the p95 of one save is printed. Target <= 200 ms.
The catalogue has 12 questions evaluators can score; for Q > 12 the benchmark publishes the
tender normally, then replaces its question list with Q synthetic ids in the database (the save
path that is measured is the same; stated in the output).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, text

from scoring.committee import Person, Store, audit, bids, opening, panel, workflow
from scoring.committee.identity import operator
from scoring.committee.models import Score, Tender
from scoring.models import Answer, Offer, Price, Source

CHAIR = Person("Chair", authenticated=True)
BID_DESK = operator("bench")  # records the bids on a shared store too (``committee.desk``)
SCENARIO = {
    "schema": 1, "id": "bench", "title": "bench", "evaluation_date": "2026-04-23",
    "offers": {"paths": ["."]}, "missing_policy": "worst",
    "weights": {"technical": {"weight": 40}, "cost": {"weight": 20}, "legal": {"weight": 20},
                "sovereignty": {"weight": 20}},
    "workload": {"label": "ASSUMPTION B", "reasoning": "bench", "contract_years": 1,
                 "annual": {"vm.8vcpu_32gb": 1000}},
}


def _offer(i: int) -> Offer:
    src = {"S1": Source(id="S1", title="bench", date=dt.date(2026, 1, 1))}
    return Offer(vendor_id=f"v{i:02d}", vendor_name=f"Vendor {i}", group=f"v{i:02d}",
                 offer_id=f"o{i:02d}", offer_name=f"offer {i}", era="2026",
                 as_of=dt.date(2026, 1, 1), currencies=("EUR",), sources=src,
                 answers={"cert.hds": Answer(question="cert.hds", value=True,
                                             confidence="confirmed", sources=("S1",))},
                 prices=(Price(item="vm.8vcpu_32gb", price=0.3, currency="EUR",
                               date=dt.date(2026, 1, 1), sources=("S1",),
                               confidence="confirmed"),))


def setup(url: str, evaluators: int, offers: int, questions: int) -> tuple[int, list[str]]:
    """A tender in technical evaluation with the given panel; returns (id, question ids)."""
    store = Store(url)
    tid = workflow.create_tender(store, CHAIR, "bench", SCENARIO, ["sov.sov1_strategic"])
    names = [f"Evaluator {k:02d}" for k in range(evaluators)]
    for k, n in enumerate(names):
        workflow.add_member(store, CHAIR, tid, n, "evaluator", opener=k < 2)
    deadline = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    workflow.publish(store, CHAIR, tid, deadline)
    for i in range(offers):
        bids.submit_bid(store, BID_DESK, tid, _offer(i))
    workflow.seal(store, CHAIR, tid, now=deadline + dt.timedelta(minutes=1))  # the deadline
    opening.sign_opening(store, Person(names[0]), tid)  # two openers, two signatures
    opening.sign_opening(store, Person(names[1]), tid)
    for n in names:
        for i in range(offers):
            panel.declare(store, Person(n), tid, f"o{i:02d}", False)
    workflow.start_technical(store, CHAIR, tid)
    qids = [f"bench.q{j:02d}" for j in range(questions)]
    with store.tx() as s:  # synthetic question list (see the module docstring)
        t = s.get(Tender, tid)
        assert t is not None and t.published_canonical
        pub = json.loads(t.published_canonical)
        pub["questions"] = [{"id": q, "scale": "0-4"} for q in qids]
        t.published_canonical = json.dumps(pub)
        audit.append(s, CHAIR, "bench.questions", tid, {"questions": qids})  # the log vouches
    store.dispose()
    return tid, qids


def _worker(args: tuple[str, int, list[str], int, list[str]]) -> list[float]:
    url, tid, names, offers, qids = args
    store = Store(url)
    times = []
    for n in names:
        who = Person(n)
        for i in range(offers):
            for j, q in enumerate(qids):
                t0 = time.perf_counter()
                panel.save_score(store, who, tid, f"o{i:02d}", q, (i + j) % 5, "bench")
                times.append(time.perf_counter() - t0)
    store.dispose()
    return times


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def single(url: str, n: int) -> None:
    tid, qids = setup(url, 2, 5, 40)
    store = Store(url)
    who = Person("Evaluator 00")
    times = []
    for k in range(n):
        t0 = time.perf_counter()
        panel.save_score(store, who, tid, f"o{k % 5:02d}", qids[(k // 5) % 40], k % 5, "bench")
        times.append(time.perf_counter() - t0)
    print(f"  one score saved ({n} saves): median {statistics.median(times) * 1e3:.1f} ms, "
          f"p95 {pct(times, 95) * 1e3:.1f} ms, max {max(times) * 1e3:.1f} ms (target <= 50 ms)")
    store.dispose()


def panel_run(url: str, e: int, o: int, q: int, procs: int) -> None:
    tid, qids = setup(url, e, o, q)
    names = [f"Evaluator {k:02d}" for k in range(e)]
    chunks = [names[k::procs] for k in range(procs)]
    t0 = time.perf_counter()
    with mp.get_context("spawn").Pool(procs) as pool:
        parts = pool.map(_worker, [(url, tid, c, o, qids) for c in chunks])
    wall = time.perf_counter() - t0
    times = [x for p in parts for x in p]
    store = Store(url)
    with store.read() as s:
        stored = s.execute(select(func.count()).select_from(Score)
                           .where(Score.tender_id == tid)).scalar_one()
    v = audit.verify(store)
    expected = e * o * q
    print(f"  {e} evaluators x {o} offers x {q} questions from {procs} processes "
          f"({procs} concurrent writers): "
          f"{len(times)} saves in {wall:.1f} s ({len(times) / wall:.0f}/s); stored "
          f"{stored}/{expected} {'(nothing lost)' if stored == expected else '(LOST SCORES)'}")
    print(f"  save time: p50 {statistics.median(times) * 1e3:.1f} ms, p95 "
          f"{pct(times, 95) * 1e3:.1f} ms, p99.9 {pct(times, 99.9) * 1e3:.1f} ms, max "
          f"{max(times) * 1e3:.1f} ms (targets: p95 <= 200 ms, max <= 2 s)"
          f"; {v.text()}")
    if q > 12:
        print(f"  (the {q} questions are synthetic ids: the catalogue has 12 scorable ones)")
    store.dispose()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pg", default=os.environ.get("HOSTWISE_TEST_PG_URL"))
    ap.add_argument("--evaluators", type=int, default=20)
    ap.add_argument("--offers", type=int, default=30)
    ap.add_argument("--questions", type=int, default=40)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--single", type=int, default=200)
    ap.add_argument("--skip-sqlite", action="store_true")
    a = ap.parse_args()
    targets = []
    if not a.skip_sqlite:
        targets.append(("SQLite (WAL, file on local disk)",
                        lambda: f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"))
    if a.pg:
        targets.append(("PostgreSQL (local)", lambda: _pg_schema(a.pg)))
    else:
        print("PostgreSQL skipped: pass --pg URL or set HOSTWISE_TEST_PG_URL")
    for label, make in targets:
        print(label)
        single(make(), a.single)
        panel_run(make(), a.evaluators, a.offers, a.questions, a.procs)


def _pg_schema(url: str) -> str:
    """A fresh schema per run, so repeated runs do not accumulate rows."""
    from sqlalchemy import create_engine

    name = f"bench_{os.getpid()}_{time.time_ns() % 10**9}"
    eng = create_engine(url)
    with eng.begin() as c:
        c.execute(text(f"CREATE SCHEMA {name}"))
    eng.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{name}"


if __name__ == "__main__":
    main()
