"""Undetermined gates and missing prices on the clarification list (issue 17, item 2), checked
against brute force: the winning quote is compared with the offer actually priced (a real price
sheet, the whole engine re-run) on a grid of prices around it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scoring.engine import evaluate
from scoring.report.clarify import clarify_json
from scoring.robustness.clarify import clarify
from scoring.robustness.requests import price_requests
from tests.factories import EU_VENDOR, offer, scenario

QTY = 1000.0  # vm.8vcpu_32gb hours a year in the factory's workload: cost = QTY x unit price


def _offers(seed: int) -> list:
    rng = np.random.default_rng(seed)
    out = []
    for k in range(4):
        ans = {**EU_VENDOR, "tech.sla_availability": float(rng.uniform(99.0, 99.99)),
               "tech.managed_kubernetes": bool(rng.integers(0, 2)),
               "tech.french_support": bool(rng.integers(0, 2))}
        prices = None if k == 0 else {"vm.8vcpu_32gb": float(rng.uniform(0.1, 1.0))}
        out.append(offer(f"o{k}", ans, prices=prices))
    return out


def _leads_when_priced(sc, offers, unit: float, method: str) -> bool:
    priced = [offer("o0", {q: a.value for q, a in offers[0].answers.items()},
                    prices={"vm.8vcpu_32gb": unit}), *offers[1:]]
    ev = evaluate(sc, priced, method=method)
    lead = ev.leaders()
    return len(lead) == 1 and lead[0].offer_id == "o0"


@pytest.mark.parametrize("formula", ["proportional", "linear"])
@pytest.mark.parametrize("seed", range(6))
def test_the_winning_quote_is_where_a_real_price_stops_winning(seed: int, formula: str) -> None:
    sc = scenario(price_formula={"kind": formula})
    offers = _offers(seed)
    ev = evaluate(sc, offers)
    (req,) = price_requests(ev, lots=False)
    assert req.offer == "o0" and req.items == ("vm.8vcpu_32gb",)
    q = req.quote
    if q is None:  # no price wins: not even a free offer leads
        assert not _leads_when_priced(sc, offers, 0.0, "wsm")
        return
    assert not math.isinf(q)
    assert _leads_when_priced(sc, offers, q / QTY, "wsm")  # wins at the quote
    assert not _leads_when_priced(sc, offers, (q + 2.0) / QTY, "wsm")  # loses 2 EUR above
    for p in np.linspace(0.0, 3 * q, 13):  # and the grid agrees on both sides
        assert _leads_when_priced(sc, offers, p / QTY, "wsm") == (p <= q)


def test_price_and_gate_items_are_on_the_list_with_their_kind() -> None:
    sc = scenario(missing_policy="uncertain",
                  gates=[{"id": "k8s", "kind": "answer", "question": "tech.managed_kubernetes",
                          "allowed": [True], "label": "Managed Kubernetes"}])
    offers = _offers(3)
    unknown = offer("o9", {**EU_VENDOR, "tech.managed_kubernetes": None},
                    prices={"vm.8vcpu_32gb": 0.01})
    ev = evaluate(sc, [*offers, unknown])
    assert ev.result("o9").eligibility == "undetermined"
    c = clarify(ev)
    kinds = {(it.offer, it.kind) for it in c.items}
    assert ("o9", "gate") in kinds
    d = clarify_json(ev, c)
    gate = next(i for i in d["items"] if i["kind"] == "gate")
    assert gate["offer"] == "o9" and gate["question"] == "tech.managed_kubernetes"
    # Brute force: answer the gate's question the admitting way and re-score the scenario.
    admitted = offer("o9", {**EU_VENDOR, "tech.managed_kubernetes": True},
                     prices={"vm.8vcpu_32gb": 0.01})
    lead = evaluate(sc, [*offers, admitted]).leaders()
    assert gate["changes_winner"] == (len(lead) == 1 and lead[0].offer_id == "o9")
    assert gate["changes_winner"]  # the cheapest offer by far: admitted, it leads
    for it in d["items"]:
        assert it["kind"] in {"answer", "gate", "price"}
        assert "winning_quote" in it
    if any(r.eligible and r.cost.annual_cost is None for r in ev.results):
        assert any(i["kind"] == "price" for i in d["items"])


def test_a_tie_is_the_winner_of_the_clarification_list_never_one_of_its_members() -> None:
    """Two identical offers tie for first: the list's winner is the group, and an answer that
    leaves the tie as it is never 'changes the winner' to the member listed first."""
    same = {**EU_VENDOR, "tech.managed_kubernetes": True}
    a = offer("a", same, prices={"vm.8vcpu_32gb": 0.3})
    b = offer("b", same, prices={"vm.8vcpu_32gb": 0.3})
    c = offer("c", {**EU_VENDOR, "tech.managed_kubernetes": None}, prices={"vm.8vcpu_32gb": 0.9})
    ev = evaluate(scenario(), [a, b, c])
    assert [r.offer_id for r in ev.leaders()] == ["a", "b"]
    cl = clarify(ev)
    assert cl.winner == "a = b"
    for it in cl.items:  # c cannot catch up: nothing it answers moves the tie group
        if it.offer == "c":
            assert not it.changes_winner, it
