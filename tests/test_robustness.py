"""Robustness analyses: one-way sensitivity, exact stability intervals and crossovers, flip (LP),
SMAA-2 over the decision matrix, rank reversal, and the ``sensitivity`` / ``flip`` CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from scoring import robustness as R
from scoring.engine import DecisionMatrix, evaluate, evaluate_path
from scoring.errors import InputError
from scoring.methods.smaa import smaa2
from scoring.report import robustness as RR
from scoring.robustness import paths as P
from tests.factories import EU_VENDOR, offer, scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "data" / "scenarios"
SWEEP = np.linspace(0.0, 1.0, 20001)
STEP = float(SWEEP[1])
# The weight simplex of 3 criteria on a 0.01 grid (5151 points).
GRID3 = np.array([(a, b, 100 - a - b) for a in range(101) for b in range(101 - a)],
                 dtype=float) / 100.0


@cache
def _ev(name: str):  # type: ignore[no-untyped-def]
    return evaluate_path(SCEN / name)


FROZEN = json.loads((Path(__file__).resolve().parent / "fixtures" / "dm_hdh2019_exclude.json")
                    .read_text(encoding="utf-8"))


def _dm(name: str, level: str) -> DecisionMatrix:
    """A bundled scenario's decision matrix; "hdh-2019.yaml" is the frozen fixture of the 2019
    replay under the ``exclude`` policy (partly answered pillars, identical offers), so these
    tests of the analyses do not move when the replay's data or policy are corrected."""
    if name == "hdh-2019.yaml":
        f = FROZEN[level]
        scores = np.array([[np.nan if x is None else x for x in row] for row in f["scores"]])
        return DecisionMatrix(tuple(f["offers"]), tuple(f["criteria"]), scores,
                              np.array(f["weights"]), f["policy"], tuple(f["groups"]))
    return _ev(name).matrix(level)


def _random_dm(seed: int, m: int, n: int, policy: str, groups: tuple[int, ...] | None = None,
               nan_share: float = 0.3) -> DecisionMatrix:
    rng = np.random.default_rng(seed)
    s = rng.integers(0, 101, (m, n)).astype(float)
    if policy == "exclude":
        mask = rng.random((m, n)) < nan_share
        mask[np.arange(m), rng.integers(0, n, m)] = False  # every offer answers something
        s[mask] = np.nan
    return DecisionMatrix(tuple(f"o{i}" for i in range(m)), tuple(f"c{k}" for k in range(n)),
                          s, rng.dirichlet(np.ones(n)), policy, groups or tuple(range(n)))


def _grouped(seed: int, policy: str) -> DecisionMatrix:
    return _random_dm(seed, 4, 5, policy, (0, 0, 1, 1, 2))


# --------------------------------------------------------------------------------------------
# One-way sensitivity: the rational form of the totals, crossovers, stability intervals
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", ["worst", "exclude"])
@pytest.mark.parametrize("seed", range(6))
def test_path_totals_are_the_stated_rational_functions(policy: str, seed: int) -> None:
    """N_i(t)/D_i(t) reproduces the engine's totals along every path (nested pillars too)."""
    dm = _grouped(seed, policy)
    t = np.linspace(0.01, 0.99, 17)
    for k in range(len(dm.criteria)):
        _, rest = P._path(dm, k)
        nd = P._rational(dm, k, rest)
        got = np.array([[np.polyval(N, x) / np.polyval(D, x) for N, D in nd] for x in t])
        np.testing.assert_allclose(got, dm.totals(P._weights_at(k, rest, t)), atol=1e-9)


def test_one_way_starts_at_the_current_weights() -> None:
    dm = _dm("hdh-2019.yaml", "pillar")
    ow = R.one_way(dm, "legal", steps=11)
    assert ow.criterion == "legal" and ow.totals.shape == (11, len(dm.offers))
    np.testing.assert_allclose(ow.weights_at(ow.weight)[0], dm.weights / dm.weights.sum())
    np.testing.assert_allclose(ow.weights_at(ow.t).sum(axis=1), 1.0)
    assert set(ow.ranks[0]) == set(range(1, len(dm.offers) + 1))
    # at 100 % legal the totals are the legal scores
    np.testing.assert_allclose(ow.totals[-1], np.nan_to_num(dm.scores[:, 2]))
    assert len(R.sweep(dm, steps=3)) == len(dm.criteria)
    assert json.loads(json.dumps(RR.one_way_json(ow)))["criterion"] == "legal"
    with pytest.raises(InputError):
        R.one_way(dm, "nope")
    assert R.one_way(_dm("hdh-2019.yaml", "criterion"), "SOV-1", 3).criterion == \
        "sovereignty/SOV-1"


def _sweep_interval(labels: np.ndarray, t0: float) -> tuple[float, float] | None:
    i0 = round(t0 / STEP)
    near = [i for i in (i0 - 1, i0, i0 + 1) if 0 <= i < len(SWEEP) and labels[i]]
    if not near:
        return None
    a = b = near[0]
    while a > 0 and labels[a - 1]:
        a -= 1
    while b < len(SWEEP) - 1 and labels[b + 1]:
        b += 1
    return float(SWEEP[a]), float(SWEEP[b])


def _check_against_sweep(dm: DecisionMatrix) -> int:
    """Every stability interval matches a 20001-point sweep within one grid step."""
    checked = 0
    for k, s in enumerate(R.stability_intervals(dm)):
        w, rest = P._path(dm, k)
        order = R.ranking(dm.totals(P._weights_at(k, rest, SWEEP)))
        cur = R.ranking(dm.totals(w))
        assert s.leader == dm.offers[cur[0]]
        for same, lo, hi in [(order[:, 0] == cur[0], s.leader_lo, s.leader_hi),
                             ((order == cur).all(axis=1), s.ranking_lo, s.ranking_hi)]:
            assert lo <= s.weight + 1e-12 and s.weight <= hi + 1e-12
            got = _sweep_interval(same, s.weight)
            if got is None:  # only possible for an interval narrower than the grid
                assert hi - lo < 2 * STEP
                continue
            assert abs(got[0] - lo) <= STEP * 1.001 and abs(got[1] - hi) <= STEP * 1.001, \
                (dm.criteria[k], (lo, hi), got)
            checked += 1
    return checked


@pytest.mark.parametrize(("name", "level"), [("hdh-2019.yaml", "pillar"),
                                             ("hdh-2019.yaml", "criterion"),
                                             ("hdh-2026-j0.yaml", "pillar")])
def test_stability_intervals_match_dense_sweep_on_scenarios(name: str, level: str) -> None:
    assert _check_against_sweep(_dm(name, level)) >= 2 * len(_dm(name, level).criteria) - 2


@pytest.mark.parametrize("policy", ["worst", "exclude"])
def test_stability_intervals_match_dense_sweep_on_random_matrices(policy: str) -> None:
    for seed in range(4):
        _check_against_sweep(_grouped(100 + seed, policy))
        _check_against_sweep(_random_dm(200 + seed, 4, 3, policy))


def test_hdh_2019_intervals_are_not_trivial() -> None:
    """The 2019 leader (azure) is not robust to everything: legal and sovereignty cap it."""
    by = {s.criterion: s for s in R.stability_intervals(_dm("hdh-2019.yaml", "pillar"))}
    assert by["technical"].leader == "azure"
    assert 0 < by["legal"].leader_hi < 1 and by["legal"].crossovers
    assert by["sovereignty"].crossovers[0].after == "ovh"
    assert by["legal"].ranking_hi <= by["legal"].leader_hi


@pytest.mark.parametrize("level", ["pillar", "criterion"])
def test_crossovers_are_exact(level: str) -> None:
    """At a crossover the two leaders tie; just below/above, the leader is before/after."""
    dm = _dm("hdh-2019.yaml", level)
    n_cross = 0
    for k in range(len(dm.criteria)):
        ow = R.one_way(dm, k, steps=5)
        for c in ow.crossovers:
            n_cross += 1
            names = list(dm.offers)
            at = dm.totals(ow.weights_at(c.weight)[0])
            assert abs(at[names.index(c.before)] - at[names.index(c.after)]) < 1e-9
            assert abs(at[names.index(c.before)] - c.total) < 1e-9
            for eps, who in [(-1e-7, c.before), (1e-7, c.after)]:
                tot = dm.totals(ow.weights_at(c.weight + eps)[0])
                assert dm.offers[R.ranking(tot)[0]] == who
    assert n_cross >= 3


def test_worst_policy_crossover_solves_the_linear_equation() -> None:
    s = np.array([[80.0, 20.0], [30.0, 70.0]])
    dm = DecisionMatrix(("a", "b"), ("x", "y"), s, np.array([0.5, 0.5]), "worst", (0, 1))
    ow = R.one_way(dm, "x")
    # 80t + 20(1-t) = 30t + 70(1-t)  ->  t = 0.5
    assert len(ow.crossovers) == 1 and abs(ow.crossovers[0].weight - 0.5) < 1e-12
    si = R.stability_intervals(dm)[0]
    assert si.leader == "a" and si.leader_lo == pytest.approx(0.5) and si.leader_hi == 1.0


# --------------------------------------------------------------------------------------------
# Flip
# --------------------------------------------------------------------------------------------


def _grid_min(dm: DecisionMatrix, o: int, margin: float) -> float | None:
    """Smallest L1 change on the 0.01 grid that makes offer o first by ``margin``."""
    T = dm.totals(GRID3)
    ok = T[:, o] - np.delete(T, o, axis=1).max(axis=1) >= margin
    if dm.policy == "exclude":  # every offer keeps answered weight (see flip)
        ok &= (GRID3 @ (~np.isnan(dm.scores)).astype(float).T >= 1e-6).all(axis=1)
    if not ok.any():
        return None
    return float(np.abs(GRID3[ok] - dm.weights / dm.weights.sum()).sum(axis=1).min())


def _check_flip(dm: DecisionMatrix, res: R.FlipResult) -> None:
    assert res.possible and res.weights_after is not None
    w2 = np.array(res.weights_after)
    assert np.all(w2 >= -1e-12) and abs(w2.sum() - 1) < 1e-9
    tot = dm.totals(w2)
    o = dm.offers.index(res.offer)
    assert R.ranking(tot)[0] == o  # re-scored: the offer now ranks first
    assert tot[o] - np.delete(tot, o).max() >= res.margin * (1 - 1e-6)
    assert res.distance == pytest.approx(np.abs(w2 - dm.weights / dm.weights.sum()).sum())


@pytest.mark.parametrize("seed", range(5))
def test_flip_worst_policy_is_minimal_on_a_grid(seed: int) -> None:
    dm = _random_dm(seed, 3, 3, "worst")
    for o, name in enumerate(dm.offers):
        res = R.flip(dm, name)
        g = _grid_min(dm, o, 1e-6)
        if not res.possible:
            assert g is None and res.exact
            continue
        _check_flip(dm, res)
        assert res.exact
        if g is not None:
            assert res.distance <= g + 1e-9  # no smaller change exists on the grid


@pytest.mark.parametrize("seed", range(4))
def test_flip_exclude_pillar_level_is_minimal_on_a_grid(seed: int) -> None:
    """Linear-fractional totals (each criterion its own pillar): threshold search + LP."""
    dm = _random_dm(50 + seed, 3, 3, "exclude")
    assert np.isnan(dm.scores).any()
    for o, name in enumerate(dm.offers):
        res = R.flip(dm, name)
        g = _grid_min(dm, o, 1e-6)
        if not res.possible:
            assert g is None
            continue
        _check_flip(dm, res)
        if g is not None:
            assert res.distance <= g + 1e-9


def test_flip_hdh_2019_runner_up_and_words() -> None:
    dm = _dm("hdh-2019.yaml", "pillar")
    res = R.flip(dm, "ovh")
    _check_flip(dm, res)
    assert res.method == "lp-threshold-search" and 0 < res.distance < 2
    assert "ovh would rank first" in RR.flip_words(res) and "→" in RR.flip_words(res)
    assert any(c.criterion == "legal" and c.after > c.before for c in res.changes)
    assert RR.flip_json(res)["possible"] is True
    assert "weight needed" in RR.flip_text(res)


def test_flip_hdh_2019_criterion_level_is_verified() -> None:
    dm = _dm("hdh-2019.yaml", "criterion")
    res = R.flip(dm, "orange-business")
    _check_flip(dm, res)
    assert not res.exact  # partly answered pillars: best found, not proven minimal


def test_flip_impossible_for_a_dominated_offer() -> None:
    s = np.array([[60.0, 70.0, 80.0], [50.0, 70.0, 10.0], [90.0, 0.0, 20.0]])
    dm = DecisionMatrix(("a", "b", "c"), ("x", "y", "z"), s, np.ones(3) / 3, "worst", (0, 1, 2))
    res = R.flip(dm, "b")
    assert not res.possible and res.exact and "dominated by a" in res.reason
    assert res.weights_after is None and res.distance is None
    assert "cannot rank first" in RR.flip_words(res)
    # Not dominated by any single offer, yet never strictly first: the LP proves it.
    s2 = np.array([[50.0, 50.0], [100.0, 0.0], [0.0, 100.0]])
    dm2 = DecisionMatrix(("mid", "x", "y"), ("p", "q"), s2, np.array([0.5, 0.5]), "worst",
                         (0, 1))
    res2 = R.flip(dm2, "mid")
    assert not res2.possible and res2.exact and res2.method == "lp"
    # identical offers under exclude: the later one can at best tie
    res3 = R.flip(_dm("hdh-2019.yaml", "criterion"), "santeos")
    assert not res3.possible and "identical" in res3.reason


def test_flip_excluded_offer_current_leader_and_bounds() -> None:
    ev = _ev("hdh-2019.yaml")
    dm = ev.matrix("pillar")
    res = R.flip(dm, "aws", excluded_by=["hds"])
    assert not res.possible and "excluded by the gates (hds)" in res.reason
    lead = R.flip(dm, "azure")
    assert lead.possible and lead.distance == 0.0 and not lead.changes
    s = np.array([[80.0, 20.0, 50.0], [30.0, 70.0, 50.0]])
    dmw = DecisionMatrix(("a", "b"), ("x", "y", "z"), s, np.array([0.5, 0.3, 0.2]), "worst",
                         (0, 1, 2))
    free = R.flip(dmw, "b")
    _check_flip(dmw, free)
    capped = R.flip(dmw, "b", bounds={"y": (0.0, 0.45)})
    _check_flip(dmw, capped)
    assert capped.weights_after[1] <= 0.45 + 1e-9 and capped.distance >= free.distance - 1e-9
    blocked = R.flip(dmw, "b", bounds={"x": (0.6, 1.0)})
    assert not blocked.possible and "within the given bounds" in blocked.reason
    with pytest.raises(InputError):
        R.flip(dmw, "b", bounds={"x": (0.9, 1.0), "y": (0.9, 1.0)})


# --------------------------------------------------------------------------------------------
# SMAA-2
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["pillar", "criterion"])
def test_smaa_on_hdh_2019_is_reproducible_bit_for_bit(level: str) -> None:
    dm = _dm("hdh-2019.yaml", level)
    a = R.smaa(dm, 4_000, seed=7)
    b = R.smaa(dm, 4_000, seed=7, chunk_size=333)
    assert a.engine == "totals"  # exclude policy with missing answers
    for x, y in [(a.acceptability, b.acceptability), (a.central_weights, b.central_weights),
                 (a.confidence, b.confidence)]:
        assert x.tobytes() == y.tobytes()
    np.testing.assert_allclose(a.acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(a.acceptability.sum(axis=1), 1.0)
    assert np.isnan(a.central_weights[dm.offers.index("santeos")]).all()  # never first
    assert R.smaa(dm, 4_000, seed=8).acceptability.tobytes() != a.acceptability.tobytes()
    out = json.loads(json.dumps(RR.smaa_json(a)))
    assert out["central_weights"]["santeos"] is None and len(out["acceptability"]["azure"]) == 5


def test_smaa_totals_loop_equals_smaa2_when_both_apply() -> None:
    """Same weight stream, same accumulation: the exclude-policy loop on a complete matrix
    gives smaa2's result exactly."""
    rng = np.random.default_rng(3)
    s = rng.uniform(0, 100, (5, 4))
    dm = DecisionMatrix(tuple("abcde"), tuple("wxyz"), s, np.ones(4) / 4, "exclude", (0, 0, 1, 2))
    loop = R.smaa(dm, 5_000, seed=11, engine="totals", chunk_size=1_000)
    ref = smaa2(s, n_samples=5_000, seed=11)
    np.testing.assert_array_equal(loop.acceptability, ref.acceptability)
    np.testing.assert_array_equal(loop.central_weights, ref.central_weights)
    np.testing.assert_array_equal(loop.confidence, ref.confidence)
    auto = R.smaa(dm, 5_000, seed=11)
    assert auto.engine == "smaa2"
    bounded = R.smaa(dm, 2_000, seed=1, weight_bounds={"w": (0.3, 1.0)}, weight_order=["w", "x"])
    won = ~np.isnan(bounded.central_weights[:, 0])
    assert np.all(bounded.central_weights[won, 0] >= 0.3)
    with pytest.raises(InputError):
        R.smaa(_dm("hdh-2019.yaml", "pillar"), 100, engine="smaa2")


def test_smaa_symmetric_case_through_the_matrix() -> None:
    """m offers on m criteria, offer i scores 100 on criterion i: first-rank shares 1/m."""
    m = 3
    dm = DecisionMatrix(tuple("abc"), tuple("xyz"), 100 * np.eye(m), np.ones(m) / m, "worst",
                        (0, 1, 2))
    r = R.smaa(dm, 30_000, seed=1)
    np.testing.assert_allclose(r.acceptability[:, 0], 1 / m, atol=0.01)
    np.testing.assert_allclose(np.diag(r.central_weights), (1 + 1 / 2 + 1 / 3) / m, atol=0.01)


# --------------------------------------------------------------------------------------------
# Rank reversal
# --------------------------------------------------------------------------------------------


def _topsis_example() -> DecisionMatrix:
    # With C present, TOPSIS puts B (10, 90) above A (30, 60); without C the column norms and
    # the anti-ideal point change and A moves above B. The weighted sums: A 45, B 50, C 60.
    s = np.array([[30.0, 60.0], [10.0, 90.0], [100.0, 20.0]])
    return DecisionMatrix(("A", "B", "C"), ("x", "y"), s, np.array([0.5, 0.5]), "worst", (0, 1))


def test_topsis_rank_reversal_found_and_wsm_fixed_scales_none() -> None:
    dm = _topsis_example()
    top = R.rank_reversal_check(dm, "topsis")
    assert top.found
    assert [(r.removed, r.ahead_before, r.ahead_after) for r in top.reversals] == \
        [("C", "B", "A")]
    assert "TOPSIS" in top.reversals[0].cause
    wsm = R.rank_reversal_check(dm, "wsm")
    assert not wsm.found and all(not c.reversed for c in wsm.checks)
    assert "none found" in RR.reversal_text(wsm)
    for name, level in [("hdh-2019.yaml", "pillar"), ("hdh-2019.yaml", "criterion")]:
        assert not R.rank_reversal_check(_dm(name, level), "wsm").found
    with pytest.raises(InputError):
        R.rank_reversal_check(dm, "ahp")


def _cost_offers() -> list:
    tech = ["tech.managed_kubernetes", "tech.managed_spark", "tech.managed_postgresql",
            "tech.gpu_h100", "tech.french_support", "tech.export_tools", "cert.iso27001",
            "cert.c5"]

    def mk(oid: str, n_true: int, price: float):  # type: ignore[no-untyped-def]
        ans = {**EU_VENDOR, **{q: i < n_true for i, q in enumerate(tech)}}
        return offer(oid, ans, prices={"vm.8vcpu_32gb": price})

    return [mk("cheap", 0, 1.0), mk("mid", 0, 2.0), mk("rich", 8, 4.0)]


def test_wsm_rank_reversal_only_through_the_cost_note() -> None:
    """Proportional price note = 100 × cheapest / price: withdrawing the cheapest offer re-notes
    every price (mid 50 -> 100, rich 25 -> 50) and mid overtakes rich. Any other withdrawal
    leaves the others' order alone, and on the frozen matrix nothing can reverse."""
    sc = scenario(weights={"technical": {"weight": 50}, "cost": {"weight": 50}})
    ev = evaluate(sc, _cost_offers())
    assert [r.offer.offer_id for r in ev.results] == ["cheap", "rich", "mid"]
    rep = R.rank_reversal_check(ev, "wsm")
    assert rep.basis == "evaluation"
    assert [(r.removed, r.ahead_before, r.ahead_after) for r in rep.reversals] == \
        [("cheap", "rich", "mid")]
    assert "cost note" in rep.reversals[0].cause
    assert {c.removed: c.reversed for c in rep.checks} == \
        {"cheap": True, "rich": False, "mid": False}
    assert any("cheapest eligible offer (cheap)" in n for n in rep.notes)
    assert not R.rank_reversal_check(ev.matrix("pillar"), "wsm").found
    assert json.loads(json.dumps(RR.reversal_json(rep)))["reversals"][0]["removed"] == "cheap"


def test_rank_reversal_on_the_2019_evaluation_runs_both_methods() -> None:
    ev = _ev("hdh-2019.yaml")
    for method in ("wsm", "topsis"):
        rep = R.rank_reversal_check(ev, method)
        assert len(rep.checks) == 5 and rep.method == method  # the 5 eligible offers
        assert "aws" not in rep.order


# --------------------------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def _eligible(scenario: Path) -> list[str]:
    """The scenario's eligible offers in rank order, from ``hostwise rank --json``."""
    d = json.loads(_cli("rank", str(scenario), "--json").stdout)
    return [r["offer"] for r in d["results"] if r["rank"] is not None]


def test_cli_sensitivity_text_and_json(tmp_path: Path) -> None:
    """The analyses name the runner-up the ranking names (whoever it is: outcomes are in the
    golden files), keep their JSON keys, and say so when there is only one eligible offer."""
    order = _eligible(SCEN / "hdh-2019.yaml")
    p = _cli("sensitivity", str(SCEN / "hdh-2019.yaml"), "--samples", "2000")
    assert p.returncode == 0, p.stderr
    assert "Traceback" not in p.stderr
    for part in ("Stability intervals", "rank 1 %", "Central weights",
                 f"What would flip the award to the runner-up ({order[1]})"):
        assert part in p.stdout
    j = _cli("sensitivity", str(SCEN / "hdh-2019.yaml"), "--json", "--samples", "2000",
             "--level", "criterion", "--seed", "3")
    assert j.returncode == 0, j.stderr
    d = json.loads(j.stdout)
    assert set(d) >= {"scenario", "hash", "evaluation_date", "level", "policy", "offers",
                      "excluded", "weights", "stability", "smaa", "flip"}  # keys only added
    assert d["level"] == "criterion" and d["smaa"]["seed"] == 3
    assert [o["offer"] for o in d["offers"]] == order
    assert d["flip"]["offer"] == order[1] and isinstance(d["flip"]["possible"], bool)
    assert set(d["stability"][0]) >= {"criterion", "weight", "leader", "leader_interval",
                                      "ranking_interval", "crossovers"}
    solo = tmp_path / "solo.yaml"
    solo.write_text(f"extends: {SCEN / 'hdh-2019.yaml'}\nid: solo\noffers:\n"
                    f"  include: [{order[0]}]\n", encoding="utf-8")
    one = _cli("sensitivity", str(solo))
    assert one.returncode == 0 and "Only one eligible offer" in one.stdout, one.stderr


def test_cli_flip_text_json_and_errors() -> None:
    order = _eligible(SCEN / "hdh-2019.yaml")
    runner_up = order[1]
    p = _cli("flip", str(SCEN / "hdh-2019.yaml"), runner_up, "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["scenario"] == "hdh-2019" and d["offer"] == runner_up
    assert {"weights_before", "weights_after", "changes", "distance", "moved", "words",
            "totals_after", "method", "exact", "margin", "possible"} <= set(d)
    x = _cli("flip", str(SCEN / "hdh-2019.yaml"), "aws")
    assert x.returncode == 0 and "excluded by the gates" in x.stdout
    bad = _cli("flip", str(SCEN / "hdh-2019.yaml"), "nope")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "no offer" in bad.stderr
    neg = _cli("flip", str(SCEN / "hdh-2019.yaml"), runner_up, "--margin", "-1")
    assert neg.returncode == 2 and "Traceback" not in neg.stderr


# --------------------------------------------------------------------------------------------
# Issue 8: one ranking rule, the scenario's method, exact end points, faces, speed guards
# --------------------------------------------------------------------------------------------


def test_stability_interval_end_point_is_open_where_the_leader_jumps() -> None:
    """Defect 11: a answers only c2 (exclude policy), so it keeps 90 for any weight of c1 below
    100 %; at exactly 100 % its answered weight is 0, its total 0, and b leads. The interval
    must stop short of 100 % (open end) instead of saying 'whatever the weight'."""
    s = np.array([[np.nan, 90.0], [50.0, 40.0]])
    dm = DecisionMatrix(("a", "b"), ("c1", "c2"), s, np.array([0.5, 0.5]), "exclude", (0, 1))
    assert dm.offers[R.ranking(dm.totals(np.array([1.0, 0.0])))[0]] == "b"  # the fact
    si = R.stability_intervals(dm)[0]
    assert si.leader == "a" and si.leader_lo == 0.0 and si.leader_hi == 1.0
    assert si.leader_closed == (True, False) and si.ranking_closed == (True, False)
    assert si.end_leaders == ("a", "b")
    words = RR.stability_words(si)
    assert "whatever the weight" not in words and "at exactly 100 % b leads" in words
    assert RR.stability_json(si)["leader_closed"] == [True, False]
    assert "<100 %" in RR.stability_text([si])


def test_stability_interval_closed_at_an_interior_tie_only_for_the_lower_index() -> None:
    """At a crossover the totals tie and the engine gives the place to the lower index: the
    end belongs to the interval of that offer only."""
    s = np.array([[80.0, 20.0], [30.0, 70.0]])  # a leads above 50 % of x, tie at 50 %
    for names, rows, closed in [(("a", "b"), [0, 1], True), (("b", "a"), [1, 0], False)]:
        dm = DecisionMatrix(names, ("x", "y"), s[rows], np.array([0.7, 0.3]), "worst", (0, 1))
        si = R.stability_intervals(dm)[0]
        assert si.leader == "a" and si.leader_lo == pytest.approx(0.5)
        assert si.leader_closed == (closed, True)


def test_flip_finds_an_answer_on_a_face_of_the_simplex() -> None:
    """Defect 11: o answers c1 (score 0) but not c2 in pillar P. With any weight on c1, o's P
    score is 0 and o at best ties h; with c1 at exactly 0 (and c2 > 0), P drops out of o's total
    (100) and o leads. The minimal change moves c1's 30 % elsewhere: L1 distance 0.6."""
    s = np.array([[0.0, 0.0, 100.0], [100.0, 100.0, 99.0], [0.0, np.nan, 100.0]])
    dm = DecisionMatrix(("h", "j", "o"), ("c1", "c2", "c3"), s, np.array([0.3, 0.3, 0.4]),
                        "exclude", (0, 0, 1))
    res = R.flip(dm, "o")
    _check_flip(dm, res)
    assert res.weights_after is not None and res.weights_after[0] == 0.0
    assert res.distance == pytest.approx(0.6, abs=1e-6) and res.method == "lp-face"


def test_smaa_winner_follows_the_ranking_rule_for_a_near_tie() -> None:
    """Totals 1e-10 apart tie for the engine (9 decimals) and go to the lower index; SMAA's
    fast integer-key ranking must say the same (it compared exact floats before)."""
    from scoring.methods.smaa_rank import rank_order, winners

    t = np.array([[50.0, 50.0 + 1e-10, 10.0], [20.0, 20.0 + 4e-10, 30.0]])
    np.testing.assert_array_equal(rank_order(t), R.ranking(t))
    np.testing.assert_array_equal(winners(t), R.ranking(t)[:, 0])
    u = np.array([[50.0, 50.0], [50.0 + 1e-10, 50.0 + 1e-10]])
    res = smaa2(u, n_samples=500, seed=0)
    assert res.acceptability[0, 0] == 1.0  # the engine's rule: offer 0 first


@pytest.mark.parametrize("seed", range(3))
def test_pillar_by_pillar_totals_equal_the_engine_formula(seed: int) -> None:
    from scoring.robustness._common import totals_many

    for policy in ("worst", "exclude"):
        dm = _grouped(seed, policy)
        W = np.random.default_rng(seed).dirichlet(np.ones(5), 300)
        W[:5, :2] = 0.0  # whole pillars without weight
        np.testing.assert_allclose(totals_many(dm, W), dm.totals(W), atol=1e-9)


def _topsis_ev():  # type: ignore[no-untyped-def]
    from scoring.engine import evaluate_path as ep

    return ep(SCEN / "hdh-2026-j0.yaml", method="topsis")


def test_topsis_scenario_smaa_runs_on_topsis_and_exact_analyses_say_so() -> None:
    """Defect 4: under TOPSIS Scaleway leads; the analyses must describe TOPSIS (SMAA) or say
    they do not apply (stability, flip), never the weighted sum's OVHcloud lead."""
    ev = _topsis_ev()
    assert ev.leader().offer.offer_id == "scaleway"
    lm = R.leaf_matrix(ev, "pillar")
    from scoring.methods.registry import METHODS

    got = METHODS["topsis"].score(lm.utilities, lm.expand(lm.dm.weights)[0])
    want = [ev.result(o).total for o in lm.dm.offers]
    np.testing.assert_allclose(got, want, atol=1e-9)  # zero spread = the engine's totals
    rep = R.sensitivity(ev, "pillar", 2_000, 0)
    assert rep.stability is None and not rep.support.exact
    # uncertain policy: SMAA draws every unknown answer with the weights, under TOPSIS too
    assert rep.smaa is not None and rep.smaa.engine == "uncertain" and rep.smaa.method == "topsis"
    assert rep.flip is not None and not rep.flip.supported
    d = RR.sensitivity_json(rep)
    assert d["supported"]["stability"] is False and "TOPSIS" in d["supported"]["reason"]
    assert d["stability"] == [] and d["method"] == "topsis" and d["flip"]["supported"] is False
    text = RR.sensitivity_text(rep)
    assert "exact stability intervals and flip are defined for the weighted sum; this " \
        "scenario uses TOPSIS" in text
    # Tight bounds around the scenario's weights: Scaleway wins every sample, as ranked.
    w = lm.dm.weights / lm.dm.weights.sum()
    b = np.column_stack([np.maximum(w - 0.03, 0), np.minimum(w + 0.03, 1)])
    tight = R.smaa(lm.dm, 500, 0, weight_bounds=b, method="topsis", leaves=lm)
    assert tight.acceptability[lm.dm.offers.index("scaleway"), 0] == 1.0


def test_cli_rejects_too_many_samples_and_a_negative_seed() -> None:
    big = _cli("sensitivity", str(SCEN / "hdh-2019.yaml"), "--samples", "100000000")
    assert big.returncode == 2 and "Traceback" not in big.stderr
    assert "--samples must be between 1 and 10,000,000" in big.stderr
    neg = _cli("sensitivity", str(SCEN / "hdh-2019.yaml"), "--seed", "-1")
    assert neg.returncode == 2 and "--seed must be a non-negative integer" in neg.stderr
