"""Price formulas against published examples: the UK CCS relative price rule as quoted in the
Digital Marketplace guidance; weka.fr DT104 for the French formulas; Conseil d'État, 29 Oct
2013, n° 370789 (the lowest price gets the best mark)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.rules.cost import annual_cost, price_notes
from tests.factories import offer


def test_ccs_relative_price_rule() -> None:
    """UK CCS relative price rule (Shma, Digital Marketplace guidance): cheapest / bid."""
    notes = price_notes([15_000, 10_000, 30_000], "proportional", note_max=1.0)
    assert notes == pytest.approx([0.667, 1.0, 0.333], abs=5e-4)


def test_weighted_price_example() -> None:
    """Impact Bids: 40 price points; £100 → 40, £105 → 38.1, £108 → 37.04."""
    notes = price_notes([100, 105, 108], "proportional", note_max=40)
    assert notes == pytest.approx([40, 38.095, 37.037], abs=1e-3)


def test_linear_and_relevance_closed_forms() -> None:
    """weka.fr DT104: linear between Pmin and Pmax; relevance scale with n, floored at 0."""
    assert price_notes([100, 150, 200], "linear", 20) == pytest.approx([20, 10, 0])
    # n = 2: note = 20 × (200 − P) / 100; beyond 2 × Pmin the note is 0.
    assert price_notes([100, 150, 250], "relevance", 20, n=2) == pytest.approx([20, 10, 0])


@given(st.lists(st.floats(1, 1e7), min_size=1, max_size=8),
       st.sampled_from(["proportional", "linear", "relevance"]))
def test_lowest_price_gets_best_note(prices: list[float], formula: str) -> None:
    """Conseil d'État 29 Oct 2013 n° 370789: the lowest price must get the best price note."""
    notes = price_notes(prices, formula)  # type: ignore[arg-type]
    best = notes[prices.index(min(prices))]
    assert best == max(notes) == pytest.approx(100)
    assert all(0 <= x <= 100 for x in notes)
    order = sorted(range(len(prices)), key=lambda i: prices[i])
    assert all(notes[a] >= notes[b] - 1e-9 for a, b in itertools.pairwise(order))


def test_missing_price_is_not_costable_never_zero() -> None:
    o = offer("a", prices={"vm.8vcpu_32gb": 0.2})
    r = annual_cost(o, {"vm.8vcpu_32gb": 1000, "gpu.h100": 10}, {}, 1, "EUR", {})
    assert not r.costable and r.annual_cost is None
    assert r.missing == ("gpu.h100 (no price)",)


def test_currency_conversion_and_one_off() -> None:
    o = offer("a", prices={"vm.8vcpu_32gb": 0.2, "oneoff.build": 3000})
    r = annual_cost(o, {"vm.8vcpu_32gb": 1000}, {"oneoff.build": 1}, 3, "EUR", {})
    assert r.annual_cost == pytest.approx(200 + 1000)
    usd = annual_cost(o, {"vm.8vcpu_32gb": 1000}, {}, 1, "USD", {"EUR": 1.1})
    assert usd.annual_cost == pytest.approx(220)
    none = annual_cost(o, {"vm.8vcpu_32gb": 1000}, {}, 1, "USD", {})
    assert not none.costable and "no rate for EUR" in none.missing[0]


def test_a_free_offer_gets_the_best_price_note() -> None:
    """Defect: an offer costing 0 got no cost note and dropped below the same offer at real
    prices. The lowest price gets the maximum (CE 29 Oct 2013, n° 370789), 0 included."""
    for formula in ("proportional", "linear", "relevance"):
        notes = price_notes([0.0, 50.0, 100.0], formula, 100.0, 2.0)  # type: ignore[arg-type]
        assert notes[0] == 100.0, formula
        assert notes[0] >= notes[1] >= notes[2], formula


def test_a_free_offer_ranks_at_least_as_high_as_the_same_offer_priced() -> None:
    from scoring.engine import evaluate
    from tests.factories import EU_VENDOR, offer, scenario

    free = offer("free", EU_VENDOR, prices={"vm.8vcpu_32gb": 0.0})
    paid = offer("paid", EU_VENDOR, prices={"vm.8vcpu_32gb": 0.5})
    ev = evaluate(scenario(), [free, paid])
    assert ev.result("free").pillars["cost"] == 100.0
    assert ev.result("free").rank == 1 and ev.result("free").total > ev.result("paid").total
