"""Causes of "no award" with unknown prices (issue 17.3): the winning quote against brute force,
the grouped cause lines, and the two wording defects of the fixes (17.4a, 17.4b).

The oracle is the exhaustive enumeration of ``test_allocation`` (written independently of the
MILP): "the offer wins the lot at price p" is read off the award the stated tie-break picks
among every feasible award of the problem with the offer's missing lines priced at p.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring.allocation import (
    AllocationProblem,
    Bid,
    Lot,
    Rules,
    solve,
    winning_quote,
)
from scoring.allocation.quotes import price_cap, priced_at
from tests.test_allocation import _apply_fix, _min_max_share, enumerate_awards, expected, problems

TOL = 0.01


def _oracle_wins(p: AllocationProblem, offer: str, lot: str, price: float) -> bool:
    pick, _ = expected(priced_at(p, offer, lot, price))
    if pick is None:
        return False
    pos = [x.id for x in p.lots].index(lot)
    return pick[0][pos] == offer


def _waiting(p: AllocationProblem, offer: str, lot: str, partial: float) -> AllocationProblem:
    """``p`` with the bid of ``offer`` on ``lot`` waiting for a quote (``partial``: priced)."""
    bids = tuple(
        replace(b, eligible=False, unpriced=("item.x",), cost=partial, reasons=("no price",))
        if (b.offer, b.lot) == (offer, lot) else b
        for b in p.bids
    )
    return AllocationProblem(p.lots, bids, p.rules)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.data())
def test_winning_quote_flips_the_award_exactly_where_brute_force_does(p, data) -> None:
    """On random problems (<= 5 lots, <= 5 offers, every rule): the offer wins the lot at the
    returned quote less the tolerance and loses above it plus the tolerance; on a grid of prices,
    it wins exactly below the quote (the interval [0, q] without a spend-share rule)."""
    eligible = [b for b in p.bids if b.eligible]
    assume(eligible)
    b = data.draw(st.sampled_from(eligible))
    partial = data.draw(st.sampled_from([0.0, 5.0]))
    w = _waiting(p, b.offer, b.lot, partial)
    q = winning_quote(w, b.offer, b.lot, tolerance=TOL)
    spend_rule = w.rules.max_spend_share_per_vendor is not None
    cap = price_cap(w)
    top = cap if q is None or math.isinf(q) else min(cap, 2 * q + 40)
    grid = sorted({round(top * k / 24 * 4) / 4 for k in range(25)})
    if q is None:
        assert not _oracle_wins(w, b.offer, b.lot, 0.0)
        if not spend_rule:
            assert not any(_oracle_wins(w, b.offer, b.lot, x) for x in grid)
        return
    if math.isinf(q):
        assert not spend_rule and w.rules.budget is None
        assert all(_oracle_wins(w, b.offer, b.lot, x) for x in [*grid, 10 * cap])
        return
    assert _oracle_wins(w, b.offer, b.lot, max(q - TOL, 0.0))
    assert not _oracle_wins(w, b.offer, b.lot, q + TOL)
    if not spend_rule:
        for x in grid:
            if abs(x - q) > TOL:
                assert _oracle_wins(w, b.offer, b.lot, x) == (x < q), (x, q)


def test_winning_quote_is_the_budget_slack_and_no_price_wins_elsewhere() -> None:
    """Two lots, one priced offer, a separation: only a second offer on one lot makes an award,
    so its winning quote is what the budget leaves; a lot where its quote cannot help says "no
    price wins"; without budget nor spend rule a lot it must take wins at any price."""
    lots = (Lot("a"), Lot("b"), Lot("c"))
    bids = [Bid("s", lot.id, 100, 80) for lot in lots]
    bids += [Bid("u", "a", 10, 60, eligible=False, unpriced=("storage",)),
             Bid("u", "c", 0, 60, eligible=False, unpriced=("storage",))]
    p = AllocationProblem(lots, tuple(bids), Rules(budget=1000, separations=(("a", "b"),)))
    q = winning_quote(p, "u", "a", tolerance=TOL)
    assert q == pytest.approx(1000 - 10 - 200, abs=TOL)  # priced lines 10, s on b and c
    assert winning_quote(p, "u", "c", tolerance=TOL) is None  # the separation still fails
    free = replace(p, rules=Rules(separations=(("a", "b"),)))
    assert winning_quote(free, "u", "a") == math.inf


def test_causes_group_the_lots_and_ask_for_quotes() -> None:
    """One line for the lots that share the same priced and unpriced offers, the quotes in it,
    then the rule conflict; JSON-ready structured items."""
    lots = (Lot("a"), Lot("b"), Lot("c"))
    bids = [Bid("s", lot.id, 100, 80) for lot in lots]
    bids += [Bid(o, lot.id, 0, 60, eligible=False, unpriced=("storage", "vm"))
             for o in ("u1", "u2") for lot in lots]
    bids += [Bid("x", lot.id, 1, 90, eligible=False, reasons=("no HDS",)) for lot in lots]
    p = AllocationProblem(lots, tuple(bids), Rules(budget=1000, separations=(("a", "b"),)))
    r = solve(p)
    assert r.status == "infeasible"
    first, second = r.causes
    assert first.kind == "unpriced" and first.lots == ("a", "b", "c")
    assert first.offers == ("u1", "u2") and first.items == ("storage", "vm")
    assert first.message == (
        "3 eligible offers for a, b and c; only s has prices for storage and vm: ask u1 and u2 "
        "for quotes (winning quote per lot: a ≤ €800/year; b ≤ €800/year; c: no price wins)"
    )
    quotes = {(q.lot, q.offer): q.price for q in first.winning_quotes}
    assert quotes["a", "u1"] == pytest.approx(800, abs=1) and quotes["c", "u2"] is None
    assert second.kind == "rules" and second.rules == ("separation:a|b",)
    d = first.to_dict()
    assert set(d) == {"kind", "lots", "offers", "items", "rules", "message", "winning_quotes"}
    assert d["winning_quotes"][0] == {"lot": "a", "offer": "u1",
                                      "max_annual_price": quotes["a", "u1"], "wins": "up_to"}


def test_a_lot_with_only_unpriced_offers_is_one_line_not_a_list_of_reasons() -> None:
    lots = (Lot("a"), Lot("b"))
    bids = [Bid("s", "b", 10, 80), Bid("u", "a", 0, 60, eligible=False, unpriced=("gpu",))]
    bids += [Bid(f"g{i}", "a", 1, 90, eligible=False, reasons=("no HDS " * 20,))
             for i in range(12)]
    r = solve(AllocationProblem(lots, tuple(bids)))
    (cause,) = r.causes
    assert cause.kind == "unpriced" and cause.lots == ("a",)
    assert cause.message == ("1 eligible offer for a; none has prices for gpu: ask u for quotes "
                             "(winning quote per lot: a: any price wins)")
    (rel,) = r.relaxation_details
    assert len(rel.message) < 120 and "12 offers fail the lot's gates" in rel.message
    assert "g11: " + "no HDS" in rel.detail  # the long form kept for the expander


def test_several_lots_only_unpriced_offers_can_take_need_each_a_quote() -> None:
    """No single quote gives an award when two lots can only go to unpriced offers: the line
    says each needs a quote (rather than "no price wins" everywhere)."""
    lots = (Lot("a"), Lot("b"))
    bids = tuple(Bid(o, lot.id, 0, 60, eligible=False, unpriced=("vm",))
                 for o in ("u1", "u2") for lot in lots)
    (cause,) = solve(AllocationProblem(lots, bids)).causes
    assert cause.message == ("2 eligible offers for a and b; none has prices for vm: ask u1 and "
                             "u2 for quotes (no award before each of a and b has a quote)")
    assert cause.winning_quotes == ()


def test_lots_nobody_can_take_for_the_same_reasons_share_one_line() -> None:
    lots = tuple(Lot(x) for x in "abc")
    bids = tuple(Bid(f"g{i}", lot.id, 1, 90, eligible=False, reasons=("no HDS",))
                 for i in range(5) for lot in lots[:2])
    r = solve(AllocationProblem(lots, (*bids, Bid("x", "c", 1, 50))))
    (cause,) = r.causes
    assert cause.kind == "coverage" and cause.lots == ("a", "b")
    assert cause.message == "no eligible offer for lots a and b: 5 offers fail each lot's gates"
    assert len(r.relaxations) == 2  # the sentences per lot stay in relaxations


# --------------------------------------------------------------------------------------------
# 17.4a: every combined fix printed is the combination re-solved
# --------------------------------------------------------------------------------------------


def _with(p: AllocationProblem, fixes: list[tuple[str, float | None]]) -> AllocationProblem:
    for key, amount in fixes:
        p = _apply_fix(p, key, amount)
    return p


def _check_combinations(p: AllocationProblem) -> int:
    """Re-solve (by enumeration) every "only together with" combination printed; the partner's
    amount is the least that works with the fix applied. Returns how many were checked."""
    r = solve(p, check_ties=False, find_binding=False)
    if r.status != "infeasible":
        return 0
    if any(k.startswith("coverage:") for d in r.relaxation_details for k in d.rules):
        return 0
    checked = 0
    for detail in r.relaxation_details:
        for fix in detail.fixes:
            if fix.alone or not fix.together_with:
                continue
            assert f"{fix.text} (only together with: {fix.together_text})" in detail.message
            combo = [(fix.rule, fix.amount),
                     *zip(fix.together_with, fix.together_amounts, strict=True)]
            assert enumerate_awards(_with(p, combo)), (detail.message, combo)
            checked += 1
            if len(fix.together_with) != 1 or fix.together_amounts[0] is None:
                continue
            (key,), (b,) = fix.together_with, fix.together_amounts
            under = _with(p, [(fix.rule, fix.amount)])
            if key in ("max_lots", "min_vendors", "max_vendors") and b > 0:
                assert not enumerate_awards(_apply_fix(under, key, b - 1)), (fix, "minimal")
            if key == "spend_share":
                assert b == pytest.approx(
                    _min_max_share(under, frozenset({"spend_share"})), abs=1e-6)
    return checked


def test_the_issue_example_prints_a_combination_that_works() -> None:
    """3 lots, 5 offers, spend share <= 20 %, min 3 vendors, max 2: "accept 2 vendors" needs a
    vendor allowed about 59 % of spend (2 vendors on 3 lots: one holds two), not 38 %."""
    lots = tuple(Lot(f"l{i}") for i in range(3))
    bids = tuple(Bid(f"o{j}", lot.id, 10 + j, 50 + j) for lot in lots for j in range(5))
    p = AllocationProblem(lots, bids, Rules(max_spend_share_per_vendor=0.2, min_vendors=3,
                                            max_vendors=2))
    assert _check_combinations(p) >= 2
    r = solve(p)
    assert "accept 2 vendors (only together with: allow a vendor 59% of spend)" in r.relaxations[0]


@st.composite
def conflicting(draw: st.DrawFn) -> AllocationProblem:
    """Small problems where vendor-count rules and a spend or lot cap overlap (where 17.4a hid)."""
    n_lots, n_offers = draw(st.integers(2, 4)), draw(st.integers(2, 5))
    lots = tuple(Lot(f"l{i}") for i in range(n_lots))
    bids = tuple(Bid(f"o{j}", lot.id, draw(st.integers(5, 30)), draw(st.integers(40, 90)))
                 for lot in lots for j in range(n_offers) if draw(st.integers(0, 5)) > 0)
    lo = draw(st.integers(1, 4))
    rules = Rules(
        max_spend_share_per_vendor=draw(st.sampled_from([None, 0.2, 0.3, 0.5])),
        min_vendors=lo,
        max_vendors=draw(st.integers(1, 4)),
        max_lots_per_vendor=draw(st.sampled_from([None, 1, 2])),
        budget=draw(st.sampled_from([None, 40, 60, 90])),
        separations=draw(st.sampled_from([(), (("l0", "l1"),)])),
    )
    return AllocationProblem(lots, bids, rules)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(conflicting(), problems()))
def test_every_printed_combination_is_the_one_resolved(p: AllocationProblem) -> None:
    _check_combinations(p)


# --------------------------------------------------------------------------------------------
# 17.4b: migration of a lot nobody can take, in the budget amount
# --------------------------------------------------------------------------------------------


def test_budget_amount_says_how_much_is_leaving_the_incumbent() -> None:
    lots = (Lot("L1", incumbent="inc", migration_cost=2000), Lot("L2"))
    bids = (Bid("inc", "L1", 100, 50, eligible=False, reasons=("no HDS",)),
            Bid("x", "L2", 10_000, 80))
    r = solve(AllocationProblem(lots, bids, Rules(budget=5000)))
    assert r.relaxations[1] == (
        "budget short by €7.0 k, of which €2.0 k is leaving the incumbent of L1")
    (fix,) = r.relaxation_details[1].fixes
    assert fix.text == (
        "raise the budget by €7.0 k, of which €2.0 k is leaving the incumbent of L1")
    assert fix.amount == pytest.approx(7000)
    # All of a shortfall can be the migration: then "of which" is the whole amount.
    r = solve(AllocationProblem(lots, bids, Rules(budget=10_500)))
    assert r.relaxations[1] == (
        "budget short by €1.5 k, of which €1.5 k is leaving the incumbent of L1")


def test_spend_share_amount_ignores_the_migration_of_a_lot_nobody_can_take() -> None:
    """Spend share is bid spend (migration excluded): the lot nobody can take changes nothing."""
    def amount(migration: float) -> float | None:
        lots = (Lot("L1", incumbent="inc", migration_cost=migration), Lot("L2"), Lot("L3"))
        bids = (Bid("inc", "L1", 100, 50, eligible=False, reasons=("no HDS",)),
                Bid("x", "L2", 30, 80), Bid("x", "L3", 10, 80), Bid("y", "L3", 20, 70))
        r = solve(AllocationProblem(lots, bids, Rules(max_spend_share_per_vendor=0.5)))
        return r.relaxation_details[1].amount

    assert amount(0) == amount(5000) == pytest.approx(0.6)
