"""The clarification list: every claim is checked by re-scoring with that answer set."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.engine import evaluate, evaluate_path
from scoring.io.catalogue import load_catalogue
from scoring.robustness.answers import with_answer
from scoring.robustness.clarify import clarify
from tests.factories import EU_VENDOR, offer, scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "data" / "scenarios"
CAT = load_catalogue()


def _rescored(ev, item, value):  # type: ignore[no-untyped-def]
    q = CAT.question(item.question)
    offers = [with_answer(o, q, value, ev.evaluation_date) if o.offer_id == item.offer else o
              for o in ev.offers]
    return evaluate(ev.scenario, offers, method=ev.method)


@pytest.mark.parametrize("name", ["hdh-2019", "hdh-2026", "hdh-2026-j0"])
def test_every_winner_change_is_confirmed_by_rescoring(name: str) -> None:
    ev = evaluate_path(SCEN / f"{name}.yaml")
    c = clarify(ev)
    assert not c.not_assessed
    for it in c.items:
        if it.changes_winner and it.kind == "answer":  # gates and prices: test_requests.py
            ev2 = _rescored(ev, it, it.set_to)
            lead = ev2.leader()
            assert (lead.offer.offer_id if lead else None) == it.new_winner, it


@pytest.mark.parametrize("policy", ["worst", "exclude", "uncertain"])
def test_direct_totals_equal_a_full_rescoring(policy: str) -> None:
    """The fast paths (one row re-aggregated; one offer re-scored alone when its eligibility
    does not change) give the totals a full evaluation of the scenario gives."""
    a = offer("a", {**EU_VENDOR, "tech.managed_kubernetes": True},
              prices={"vm.8vcpu_32gb": 0.3})
    b = offer("b", {**EU_VENDOR, "tech.managed_kubernetes": None, "tech.gpu_h100": None},
              prices={"vm.8vcpu_32gb": 0.35})
    ev = evaluate(scenario(missing_policy=policy), [a, b])
    items = [it for it in clarify(ev).items if it.kind == "answer"]  # direct, and re-scored
    assert any(it.path == "direct" for it in items)
    assert any(it.path == "re-scored" for it in items)
    for it in items:
        totals = [_rescored(ev, it, v).result(it.offer).total for v in it.could_be]
        assert min(totals) == pytest.approx(it.total_range[0], abs=1e-9), it
        assert max(totals) == pytest.approx(it.total_range[1], abs=1e-9), it


def test_a_gate_answer_can_readmit_an_offer_and_change_the_winner() -> None:
    """An unknown HDS fails the gate as 'not demonstrated'; resolving it can make the offer
    eligible, and if it then scores highest the list says so and names it."""
    strong = offer("strong", {**EU_VENDOR, "cert.hds": None, "tech.managed_kubernetes": True,
                              "tech.managed_spark": True}, prices={"vm.8vcpu_32gb": 0.3})
    weak = offer("weak", {**EU_VENDOR, "cert.hds": True}, prices={"vm.8vcpu_32gb": 0.3},
                 details={"cert.hds": {"since": __import__("datetime").date(2024, 1, 1),
                                       "version": "v2"}})
    ev = evaluate(scenario(gates=[{"id": "hds", "kind": "hds"}]), [strong, weak])
    assert ev.leader().offer.offer_id == "weak"
    hds = next(it for it in clarify(ev).items if it.question == "cert.hds")
    assert hds.changes_winner and hds.new_winner == "strong" and hds.set_to is True
    assert clarify(ev).items[0] == hds  # winner-changing items come first


def test_pairs_claims_are_confirmed_by_rescoring() -> None:
    from scoring.robustness.clarify import clarify_pairs

    ev = evaluate_path(SCEN / "hdh-2026-j0.yaml")
    singles = clarify(ev)
    pairs, tried, left = clarify_pairs(ev, singles, top=10, budget_s=60)
    assert tried == 45 and left == 0
    for p in pairs:
        offers = list(ev.offers)
        for o_id, qid, v in (p.first, p.second):
            offers = [with_answer(o, CAT.question(qid), v, ev.evaluation_date)
                      if o.offer_id == o_id else o for o in offers]
        lead = evaluate(ev.scenario, offers, method=ev.method).leader()
        assert (lead.offer.offer_id if lead else None) == p.new_winner != singles.winner


def test_clarify_cli_json_contract() -> None:
    import json
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "scoring", "clarify",
                        str(SCEN / "hdh-2019.yaml"), "--json", "--top", "5"],
                       capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert {"scenario", "hash", "items"} <= set(d) and len(d["items"]) == 5
    for it in d["items"]:
        assert {"offer", "question", "current", "could_be", "total_range", "rank_range",
                "changes_winner", "new_winner"} <= set(it)
    bad = subprocess.run([sys.executable, "-m", "scoring", "clarify",
                          str(SCEN / "hdh-2019.yaml"), "--top", "0"],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert bad.returncode == 2 and "--top" in bad.stderr


def test_smaa_samples_unknown_answers_inside_their_intervals() -> None:
    """Under the uncertain policy SMAA draws every unknown answer in its interval: at the
    scenario's own weights each sampled total lies in the offer's total range, and their mean
    is the point total (the middle of every interval)."""
    import numpy as np

    from scoring.robustness.smaa import leaf_matrix, uncertain_scorer

    base = evaluate_path(SCEN / "hdh-2019.yaml")
    ev = evaluate(base.scenario.model_copy(update={"missing_policy": "uncertain"}), base.offers)
    lm = leaf_matrix(ev, "pillar")
    score = uncertain_scorer(ev, lm, seed=3)
    w = np.tile(lm.dm.weights / lm.dm.weights.sum(), (20_000, 1))
    totals = score(w)
    for k, o in enumerate(lm.dm.offers):
        r = ev.result(o)
        lo, hi = r.total_range
        assert totals[:, k].min() >= lo - 1e-6 and totals[:, k].max() <= hi + 1e-6
        assert abs(totals[:, k].mean() - r.total) < 0.2
    again = uncertain_scorer(ev, lm, seed=3)(w)
    assert np.array_equal(totals, again)  # seeded
