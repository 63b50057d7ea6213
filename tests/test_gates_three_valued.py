"""Three-valued eligibility (issue 17, item 1) and shared ranks for ties (item 4), each
mechanism checked against brute force on small synthetic scenarios: the unknown answers are
enumerated, the scenario re-scored for each value, and the engine's three-valued verdict, its
leader and its "could lead if admitted" list must match what the enumeration shows."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import Evaluation, evaluate
from scoring.engine.admission import admissions, could_lead
from scoring.models import Offer
from scoring.ranking import TIE_TOLERANCE, ranks, shared_ranks, tie_groups
from scoring.report.ranking import rank_json, rank_text
from tests.factories import EU_VENDOR, US_VENDOR, offer, scenario

GATE_Q = "tech.managed_kubernetes"
ON = dt.date(2026, 4, 23)
GATES = [{"id": "k8s", "kind": "answer", "question": GATE_Q, "allowed": [True],
          "label": "Managed Kubernetes"},
         {"id": "hds", "kind": "hds", "label": "HDS"}]
HDS_SINCE = {"cert.hds": {"since": dt.date(2020, 1, 1), "version": "v2"}}


def _o(oid: str, k8s: bool | None, extra: dict[str, Any] | None = None, *,
       hds_since: bool = True, as_of: dt.date = dt.date(2026, 1, 1), eu: bool = True) -> Offer:
    """An offer whose gate answers are given (None = unknown); ``hds_since`` False leaves the
    HDS answer undated (it then counts only from ``as_of``)."""
    ans = {**(EU_VENDOR if eu else US_VENDOR), GATE_Q: k8s, "cert.hds": True, **(extra or {})}
    return offer(oid, ans, as_of=as_of, prices={"vm.8vcpu_32gb": 0.3},
                 details=HDS_SINCE if hds_since else {"cert.hds": {"version": "v2"}})


def _sc(policy: str = "uncertain") -> Any:
    return scenario(missing_policy=policy, gates=GATES)


def _pool() -> list[Offer]:
    """Known pass, known fail, an unknown gate answer (twice, far apart in their other
    answers), an undated HDS answer whose file is dated after the evaluation date."""
    return [
        _o("pass-hi", True, {"tech.managed_spark": True, "tech.gpu_h100": True}),
        _o("pass-lo", True),
        _o("fail", False, {"tech.managed_spark": True}),
        _o("unk-strong", None, {"tech.managed_spark": True, "tech.gpu_h100": True,
                                "tech.managed_postgresql": True, "cert.iso27001": True}),
        _o("unk-weak", None, {"tech.managed_spark": False, "tech.gpu_h100": False}, eu=False),
        _o("undated", True, {"tech.managed_spark": True}, hds_since=False,
           as_of=dt.date(2026, 11, 28)),
    ]


def _with(o: Offer, qid: str, value: Any, **extra: Any) -> Offer:
    from scoring.models import Answer
    a = Answer(question=qid, value=value, confidence="confirmed", sources=("S1",), **extra)
    return o.model_copy(update={"answers": {**o.answers, qid: a}})


def _worlds(o: Offer) -> list[Offer]:
    """Every resolution of the offer's unknown gate inputs: the gate answer's values, and for
    an undated HDS answer a start before and after the evaluation date."""
    out = [o]
    if not o.answer(GATE_Q).known:
        out = [_with(x, GATE_Q, v) for x in out for v in (False, True)]
    hds = o.answer("cert.hds")
    if hds.known and hds.since is None:
        out = [_with(x, "cert.hds", True, since=d, version="v2")
               for x in out for d in (ON - dt.timedelta(days=30), ON + dt.timedelta(days=30))]
    return out


def test_three_valued_gates_match_enumeration() -> None:
    """pass = passes in every world, fail = fails in every world, undetermined = both occur;
    and the undetermined gates name the questions that were enumerated."""
    ev = evaluate(_sc(), _pool())
    for r in ev.results:
        seen = set()
        for w in _worlds(r.offer):
            worst = evaluate(_sc("worst"), [w])  # one world: every gate input known
            seen.add(worst.results[0].eligible)
        expected = ("pass" if seen == {True} else "fail" if seen == {False}
                    else "undetermined")
        assert r.eligibility == expected, (r.offer_id, seen)
        assert r.eligible == (expected == "pass")
        if expected == "undetermined":
            qs = {q for g in r.undetermined_by for q in g.questions}
            assert qs == ({GATE_Q} if not r.offer.answer(GATE_Q).known else {"cert.hds"})
            assert r.excluded_by == () and r.rank is None
            assert r.rank_range is not None and r.rank_range_label.endswith("-excluded")
    assert ev.result("undated").eligibility == "undetermined"  # never "fail" before as_of


def test_worst_and_exclude_still_fail_unknowns() -> None:
    """The tender rule: unknown is not demonstrated, so it fails (as before)."""
    for policy in ("worst", "exclude"):
        ev = evaluate(_sc(policy), _pool())
        for oid in ("unk-strong", "unk-weak", "undated"):
            r = ev.result(oid)
            assert r.eligibility == "fail" and r.excluded_by, (policy, oid)
            assert all("not demonstrated" in g.reason for g in r.gates if not g.passed)
        assert not ev.undetermined() and admissions(ev) == ()


def _first_group(ev: Evaluation) -> set[str]:
    """Brute force: the passing offers within the tie tolerance of the best passing total."""
    passing = [r for r in ev.results if r.eligibility == "pass" and r.total is not None]
    if not passing:
        return set()
    totals = sorted((r.total for r in passing), reverse=True)  # type: ignore[misc]
    # the gap rule: walk down while neighbours are within the tolerance
    cut = totals[0]
    for t in totals[1:]:
        if cut - t > TIE_TOLERANCE:
            break
        cut = t
    return {r.offer_id for r in passing if r.total is not None and r.total >= cut}


def test_leader_is_named_among_passing_offers() -> None:
    ev = evaluate(_sc(), _pool())
    assert {r.offer_id for r in ev.leaders()} == _first_group(ev)
    lead = ev.leader()
    assert lead is not None and lead.eligibility == "pass"
    # an undetermined offer may total more than the leader: it is still not the leader
    strong = ev.result("unk-strong")
    assert strong.total is not None and lead.total is not None
    assert strong.total > lead.total
    text = rank_text(ev)
    assert f"Leader: {lead.offer.vendor_name} ({lead.offer_id})" in text
    assert "Unk-Strong: eligibility undetermined (tech.managed_kubernetes unknown)" in text


def test_could_lead_matches_enumeration_of_admissible_values() -> None:
    """"could lead if admitted" names exactly the undetermined offers that some admissible
    value of their unknown gate inputs puts in the first tie group of the passing offers."""
    offers = _pool()
    ev = evaluate(_sc(), offers)
    expected = set()
    for r in ev.undetermined():
        for w in _worlds(r.offer):
            others = [x if x.offer_id != r.offer_id else w for x in offers]
            ev2 = evaluate(_sc(), others)
            r2 = ev2.result(r.offer_id)
            if r2.eligibility == "pass" and r.offer_id in _first_group(ev2):
                expected.add(r.offer_id)
    got = {a.offer for a in could_lead(ev)}
    assert got == expected
    assert "unk-strong" in got and "unk-weak" not in got  # the pool exercises both outcomes
    text = rank_text(ev)
    for oid in got:
        assert f"({oid}) could lead if its" in text or f"({oid}) could tie for first" in text
    data = rank_json(ev)
    assert {c["offer"] for c in data["could_lead"]} == expected


def test_rank_json_three_states() -> None:
    data = json.loads(json.dumps(rank_json(evaluate(_sc(), _pool()))))
    by = {r["offer"]: r for r in data["results"]}
    assert by["pass-hi"]["eligibility"] == "pass" and by["pass-hi"]["eligible"] is True
    assert by["fail"]["eligibility"] == "fail" and by["fail"]["excluded_by"] == ["k8s"]
    u = by["unk-weak"]
    assert (u["eligibility"], u["eligible"], u["rank"]) == ("undetermined", False, None)
    assert u["undetermined_by"] == [{"gate": "k8s", "questions": [GATE_Q]}]
    assert u["rank_range"][1] == "excluded"
    assert by["undated"]["undetermined_by"] == [{"gate": "hds", "questions": ["cert.hds"]}]


def test_passing_offer_rank_range_counts_undetermined_rivals() -> None:
    """Best rank among the passing offers alone, worst rank with every undetermined offer
    admitted: brute force over the interval ends, admissions as subsets."""
    ev = evaluate(_sc(), _pool())
    passing = [r for r in ev.results if r.eligibility == "pass"]
    open_ = list(ev.undetermined())
    for r in passing:
        assert r.total_range is not None and r.rank_range is not None
        best = worst = None
        for k in range(len(open_) + 1):
            for admitted in itertools.combinations(open_, k):
                rivals = [x for x in passing if x is not r] + list(admitted)
                b = 1 + sum(x.total_range[0] > r.total_range[1] + TIE_TOLERANCE  # type: ignore
                            for x in rivals)
                w = 1 + sum(x.total_range[1] >= r.total_range[0] - TIE_TOLERANCE  # type: ignore
                            for x in rivals)
                best = b if best is None else min(best, b)
                worst = w if worst is None else max(worst, w)
        assert r.rank_range == (best, worst), r.offer_id


def test_tie_is_a_tie_in_text_and_json() -> None:
    """Two offers with identical files tie: they share rank 1 ("1="), each lists the other,
    and no sentence names one of them the leader."""
    a = _o("alpha", True)
    b = _o("bravo", True)
    c = _o("charlie", True, {"tech.managed_spark": False, "cert.iso27001": False}, eu=False)
    for policy in ("worst", "uncertain"):
        ev = evaluate(_sc(policy), [c, b, a])
        data = rank_json(ev)
        by = {r["offer"]: r for r in data["results"]}
        assert by["alpha"]["rank"] == by["bravo"]["rank"] == 1
        assert by["alpha"]["rank_label"] == by["bravo"]["rank_label"] == "1="
        assert by["alpha"]["tied_with"] == ["bravo"] and by["bravo"]["tied_with"] == ["alpha"]
        assert by["charlie"]["rank"] == 3 and by["charlie"]["rank_label"] == "3"
        assert sorted(data["leaders"]) == ["alpha", "bravo"]
        text = rank_text(ev)
        assert "Alpha (alpha) and Bravo (bravo) tie for first" in text
        assert "Leader:" not in text and "leads" not in text
        assert sum(line.startswith("1= ") for line in text.splitlines()) == 2


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([50.0, 50.0 + 5e-10, 51.0, 49.0, 49.0 - 4e-10, 10.0]),
                min_size=1, max_size=7))
def test_shared_ranks_follow_the_gap_rule(totals: list[float]) -> None:
    """Shared rank = 1 + offers in better tie groups; a tie group is a maximal run of totals
    whose neighbours (in descending order) differ by at most the tolerance; positions within
    a group are the rule's offer-order tie-break."""
    t = np.array(totals)
    g = tie_groups(t)
    order = sorted(range(len(t)), key=lambda i: -t[i])
    for a_, b_ in itertools.pairwise(order):
        same = t[a_] - t[b_] <= TIE_TOLERANCE
        assert (g[a_] == g[b_]) == same
    sr = shared_ranks(t)
    pos = ranks(t)
    for i in range(len(t)):
        assert sr[i] == 1 + sum(1 for j in range(len(t)) if g[j] < g[i])
        members = [j for j in range(len(t)) if g[j] == g[i]]
        assert sr[i] == min(pos[j] for j in members)


@pytest.mark.parametrize("policy", ["worst", "uncertain"])
def test_no_leader_named_without_a_passing_offer(policy: str) -> None:
    ev = evaluate(_sc(policy), [_o("x", None), _o("y", False)])
    assert ev.leader() is None and ev.leaders() == ()
    assert "No offer passes every gate." in rank_text(ev)
    if policy == "uncertain":
        assert [a.offer for a in could_lead(ev)] == ["x"]  # alone, admitted it is first


def test_smaa_shares_a_tie_group_and_counts_undetermined_candidates() -> None:
    """Identical offers share their acceptabilities (the offer-order tie-break would give one
    of them every first place); under ``uncertain`` the undetermined offers are candidates."""
    from scoring.report.robustness import acceptability_text
    from scoring.robustness.scenario import smaa_for

    a, b = _o("alpha", True), _o("bravo", True)
    c = _o("charlie", True, {"tech.managed_spark": False}, eu=False)
    s = smaa_for(evaluate(_sc("worst"), [a, b, c]), samples=500)
    ia, ib = s.offers.index("alpha"), s.offers.index("bravo")
    assert s.tie_groups == (("alpha", "bravo"),)
    assert np.array_equal(s.acceptability[ia], s.acceptability[ib])
    assert s.acceptability[ia, 0] == pytest.approx(0.5)
    ev = evaluate(_sc(), _pool())
    s2 = smaa_for(ev, samples=500)
    assert set(s2.offers) == {r.offer_id for r in ev.results if r.eligibility != "fail"}
    assert "unk-strong ?" in acceptability_text(s2, [r.offer_id for r in ev.undetermined()])
