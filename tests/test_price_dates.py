"""A price read after the evaluation date is a time leak: flagged in every output that uses it
and, under ``uncertain``, widened by the scenario's labelled drift (issue 17, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from scoring.engine import evaluate
from scoring.report.explain import explain_data
from scoring.report.ranking import rank_json, rank_text
from scoring.rules.cost import price_notes
from tests.factories import EU_VENDOR, offer, scenario

ON = dt.date(2026, 4, 23)
LATE = dt.date(2026, 10, 28)  # 188 days after
DRIFT = {"label": "ASSUMPTION DRIFT-T", "per_year": 0.2, "reasoning": "test"}


def _pair():
    late = offer("late", dict(EU_VENDOR), prices={"vm.8vcpu_32gb": 0.4}, as_of=LATE)
    on_time = offer("ontime", dict(EU_VENDOR), prices={"vm.8vcpu_32gb": 0.5},
                    as_of=dt.date(2026, 1, 1))
    return late, on_time


@pytest.mark.parametrize("policy", ["worst", "uncertain"])
def test_a_late_price_is_flagged_in_rank_explain_and_text(policy: str) -> None:
    ev = evaluate(scenario(missing_policy=policy, price_drift=DRIFT), list(_pair()))
    j = {o["offer"]: o for o in rank_json(ev)["results"]}
    assert j["late"]["price_after_evaluation_date"] is True
    assert j["ontime"]["price_after_evaluation_date"] is False
    assert explain_data(ev, "late")["cost"]["price_after_evaluation_date"] is True
    assert explain_data(ev, "late")["cost"]["days_after_evaluation_date"] == (LATE - ON).days
    text = rank_text(ev)
    assert "WARNING: prices read after the evaluation date 23 April 2026" in text  # for people
    assert "late (188 days later)" in text and "ontime (" not in text
    assert "DRIFT-T" in rank_json(ev)["assumptions"]


def test_under_uncertain_the_late_cost_note_is_the_drift_interval() -> None:
    ev = evaluate(scenario(missing_policy="uncertain", price_drift=DRIFT), list(_pair()))
    assert ev.bounds is not None
    jc = next(j for j, lf in enumerate(ev.leaves) if lf.question == "cost.price_note")
    i = next(k for k, o in enumerate(ev.offers) if o.offer_id == "late")
    cost = ev.result("late").cost.annual_cost
    ref = [r.cost.annual_cost for r in ev.results]
    d = 0.2 * (LATE - ON).days / 365.25
    lo = price_notes([cost * (1 + d)], reference=ref)[0]
    hi = price_notes([cost * (1 - d)], reference=ref)[0]
    assert ev.bounds.lo[i, jc] == pytest.approx(lo)
    assert ev.bounds.hi[i, jc] == pytest.approx(hi)
    k = 1 - i  # the on-time price keeps its single note
    assert ev.bounds.lo[k, jc] == ev.bounds.hi[k, jc]
    # Without a drift assumption nothing is widened (the flag stays).
    ev0 = evaluate(scenario(missing_policy="uncertain"), list(_pair()))
    assert ev0.bounds is not None and ev0.bounds.lo[i, jc] == ev0.bounds.hi[i, jc]
    assert ev0.result("late").cost.price_after_evaluation_date


def test_the_drift_field_leaves_earlier_scenario_hashes_alone() -> None:
    a, b = scenario(), scenario(price_drift=DRIFT)
    assert "price_drift" not in a.canonical() and "price_drift" in b.canonical()
    assert a.hash != b.hash
