"""Scoring engine: properties of the aggregation, gates, the replay and the JSON contract."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine import aggregate, build_leaves, evaluate, evaluate_path
from scoring.io.catalogue import load_catalogue
from tests.factories import EU_VENDOR, US_VENDOR, offer, scenario

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "data" / "scenarios"
TECH_BOOLS = ["tech.managed_kubernetes", "tech.managed_spark", "tech.managed_postgresql",
              "tech.gpu_h100", "tech.french_support", "tech.export_tools", "cert.iso27001",
              "cert.c5"]


def _offers(values: list[list[bool]], prices: list[float]) -> list:
    out = []
    for i, (vals, p) in enumerate(zip(values, prices, strict=True)):
        ans = {**EU_VENDOR, **dict(zip(TECH_BOOLS, vals, strict=False))}
        out.append(offer(f"o{i}", ans, prices={"vm.8vcpu_32gb": p}))
    return out


offer_sets = st.integers(2, 5).flatmap(lambda m: st.tuples(
    st.lists(st.lists(st.booleans(), min_size=8, max_size=8), min_size=m, max_size=m),
    st.lists(st.floats(0.05, 5.0), min_size=m, max_size=m)))
weights4 = st.lists(st.floats(0.01, 100), min_size=4, max_size=4)


def _sc(w: list[float], **kw):  # type: ignore[no-untyped-def]
    return scenario(weights={"technical": {"weight": w[0]}, "cost": {"weight": w[1]},
                             "legal": {"weight": w[2]}, "sovereignty": {"weight": w[3]}}, **kw)


@settings(max_examples=40, deadline=None)
@given(offer_sets, weights4, st.floats(0.1, 1000))
def test_scaling_weights_leaves_ranks_unchanged(data, w, k) -> None:  # type: ignore[no-untyped-def]
    offers = _offers(*data)
    a = evaluate(_sc(w), offers)
    b = evaluate(_sc([x * k for x in w]), offers)
    assert [r.offer_id for r in a.results] == [r.offer_id for r in b.results]
    for ra, rb in zip(a.results, b.results, strict=True):
        assert ra.total == pytest.approx(rb.total, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(offer_sets, weights4, st.sampled_from(["worst", "exclude"]))
def test_totals_in_range(data, w, policy) -> None:  # type: ignore[no-untyped-def]
    ev = evaluate(_sc(w, missing_policy=policy), _offers(*data))
    for r in ev.results:
        assert 0.0 <= r.total <= 100.0 + 1e-9
        rows = [x for x in ev.rows if x["offer"] == r.offer.offer_id]
        assert sum(x["contribution"] for x in rows) == pytest.approx(r.total, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(offer_sets, weights4, st.data())
def test_improving_an_answer_never_lowers_the_total(data, w, d) -> None:  # type: ignore[no-untyped-def]
    values, prices = data
    i = d.draw(st.integers(0, len(values) - 1))
    j = d.draw(st.integers(0, 7))
    better = [row[:] for row in values]
    better[i][j] = True
    sc = _sc(w)
    before = evaluate(sc, _offers(values, prices)).result(f"o{i}").total
    after = evaluate(sc, _offers(better, prices)).result(f"o{i}").total
    assert after >= before - 1e-9


@settings(max_examples=40, deadline=None)
@given(offer_sets, weights4)
def test_dominated_offer_never_outranks_dominator(data, w) -> None:  # type: ignore[no-untyped-def]
    values, prices = data
    dom = [True] * 8
    values = [dom, *values[1:]]
    prices = [min(prices), *prices[1:]]
    ev = evaluate(_sc(w), _offers(values, prices))
    top = ev.result("o0")
    for r in ev.results:
        assert r.total <= top.total + 1e-9


def test_same_inputs_identical_json() -> None:
    from scoring.report.ranking import rank_json

    a = rank_json(evaluate_path(SCEN / "hdh-2026-j0.yaml"))
    b = rank_json(evaluate_path(SCEN / "hdh-2026-j0.yaml"))
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    assert len(a["hash"]) == 64


def test_exclude_policy_renormalises_and_reports_coverage() -> None:
    o1 = offer("a", {**EU_VENDOR, "tech.managed_kubernetes": True})
    o2 = offer("b", {**EU_VENDOR, "tech.managed_kubernetes": True, "tech.managed_spark": False})
    sc = scenario(missing_policy="exclude",
                  weights={"technical": {"weight": 1, "criteria": {"platform": 1}}})
    ev = evaluate(sc, [o1, o2])
    assert ev.result("a").total == pytest.approx(100.0)  # only the answered question counts
    assert ev.result("b").total == pytest.approx(50.0)
    assert ev.result("a").coverage == pytest.approx(0.25)
    worst = evaluate(scenario(weights={"technical": {"weight": 1, "criteria": {"platform": 1}}}),
                     [o1, o2])
    assert worst.result("a").total == pytest.approx(25.0)


def test_aggregate_exclude_matches_manual_renormalisation() -> None:
    cat = load_catalogue()
    leaves = build_leaves(scenario(), cat)
    u = np.full((1, len(leaves)), np.nan)
    u[0, 0] = 80.0
    tot, eff = aggregate(u, leaves, "exclude")
    assert tot[0] == pytest.approx(80.0)
    assert eff.sum() == pytest.approx(1.0)


def test_gates_exclude_with_reason_and_keep_scores() -> None:
    sc = scenario(gates=[{"id": "hds", "kind": "hds", "label": "HDS"},
                         {"id": "imm", "kind": "immunity", "mode": "qualified"}])
    ok = offer("ok", {**EU_VENDOR, "cert.hds": True, "cert.secnumcloud": "qualified"},
               as_of=dt.date(2025, 1, 1))
    us = offer("us", {**US_VENDOR, "cert.hds": True, "cert.secnumcloud": "none"},
               as_of=dt.date(2025, 1, 1))
    unk = offer("unk", {**EU_VENDOR})
    ev = evaluate(sc, [ok, us, unk])
    assert ev.result("ok").eligible and ev.result("ok").rank == 1
    r = ev.result("us")
    assert not r.eligible and r.excluded_by == ("imm",) and r.total is not None
    assert "no SecNumCloud" in next(g.reason for g in r.gates if g.gate == "imm")
    u = ev.result("unk")
    assert set(u.excluded_by) == {"hds", "imm"}
    assert all("not demonstrated" in g.reason for g in u.gates)
    assert ev.results[-1].rank is None  # excluded last


def test_hds_v1_lapses_after_transition() -> None:
    sc = scenario(evaluation_date="2026-06-01", gates=[{"id": "hds", "kind": "hds"}])
    v1 = offer("v1", {**EU_VENDOR, "cert.hds": True}, details={"cert.hds": {"version": "v1"}})
    v2 = offer("v2", {**EU_VENDOR, "cert.hds": True}, details={"cert.hds": {"version": "v2"}})
    ev = evaluate(sc, [v1, v2])
    assert not ev.result("v1").eligible and ev.result("v2").eligible
    before = evaluate(scenario(gates=[{"id": "hds", "kind": "hds"}],
                               workload={"label": "T", "reasoning": "r", "contract_years": 2,
                                         "annual": {"vm.8vcpu_32gb": 1}}), [v1])
    assert before.result("v1").eligible
    assert any("2026-05-16" in w for w in before.result("v1").warnings)


def test_ties_reported_and_broken_by_offer_id() -> None:
    a = offer("b-offer", EU_VENDOR)
    b = offer("a-offer", EU_VENDOR)
    ev = evaluate(scenario(weights={"legal": {"weight": 1}}), [a, b])
    assert [r.offer.offer_id for r in ev.results] == ["a-offer", "b-offer"]
    assert ev.results[0].tied_with == ("b-offer",)


def test_topsis_method_ranks_eligible_offers() -> None:
    ev = evaluate_path(SCEN / "hdh-2026-j0.yaml", "topsis")
    ranked = [r for r in ev.results if r.rank]
    assert ranked and all(0 <= r.total <= 100 for r in ranked)
    assert ev.method == "topsis"


def test_replay_2019_leader_is_azure_and_gate_reasons() -> None:
    ev = evaluate_path(SCEN / "hdh-2019.yaml")
    assert ev.leader().offer.offer_id == "azure"
    for oid in ("aws", "google-cloud", "outscale"):
        assert ev.result(oid).excluded_by == ("hds",)
    assert ev.result("ovh").eligible


def test_replay_2026_strict_and_j0_switch() -> None:
    strict = evaluate_path(SCEN / "hdh-2026.yaml")
    j0 = evaluate_path(SCEN / "hdh-2026-j0.yaml")
    assert not strict.result("scaleway").eligible
    assert "immunity" in strict.result("scaleway").excluded_by
    assert j0.result("scaleway").eligible
    # SecNumCloud-qualified, HDS unknown: undetermined under ``uncertain``, never excluded
    s3ns = j0.result("s3ns")
    assert (s3ns.eligibility, s3ns.excluded_by) == ("undetermined", ())
    assert [(g.gate, g.questions) for g in s3ns.undetermined_by] == [("hds", ("cert.hds",))]
    # an HDS answer without ``since`` counts from the file's as_of: before it, undetermined
    for oid in ("aws", "google-cloud"):
        assert "hds" in [g.gate for g in j0.result(oid).undetermined_by], oid
    assert strict.hash != j0.hash
    for r in j0.results:
        if r.cost.costable:
            assert any("HDH-W26" in w for w in r.warnings)


def test_counterfactual_2019_offers_fail_2026_gates() -> None:
    ev = evaluate_path(SCEN / "cf-2019-offers-2026-rules.yaml")
    assert ev.leader() is None
    # 2019 Azure's SecNumCloud status is unknown: undetermined under ``uncertain``, excluded
    # under the tender rule (``worst``)
    azure = ev.result("azure")
    assert azure.eligibility == "undetermined" and azure.excluded_by == ()
    assert [g.gate for g in azure.undetermined_by] == ["immunity"]
    tender = evaluate(ev.scenario.model_copy(update={"missing_policy": "worst"}), ev.offers)
    assert "immunity" in tender.result("azure").excluded_by


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scoring", *args], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)


def test_cli_rank_json_contract() -> None:
    p = _cli("rank", str(SCEN / "hdh-2019.yaml"), "--json")
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    # The published keys stay (keys may be added, never renamed).
    assert {"scenario", "hash", "evaluation_date", "method", "results"} <= set(d)
    from scoring.scenario.load import load_scenario

    assert d["policy"] == load_scenario(SCEN / "hdh-2019.yaml")[0].missing_policy
    assert d["evaluation_date"] == "2019-02-28" and d["method"] == "wsm"
    ranks = [r["rank"] for r in d["results"]]
    seen_none = False
    for r in d["results"]:
        assert {"vendor", "offer", "eligible", "excluded_by", "pillars", "total", "rank"} <= set(r)
        assert set(r["pillars"]) == {"technical", "cost", "legal", "sovereignty"}
        if r["rank"] is None:
            seen_none = True
            assert not r["eligible"] and r["excluded_by"]
        else:
            assert not seen_none  # excluded last
    assert [x for x in ranks if x] == sorted(x for x in ranks if x)


def test_cli_rank_text_explain_compare() -> None:
    p = _cli("rank", str(SCEN / "hdh-2026-j0.yaml"))
    assert p.returncode == 0 and "Leader:" in p.stdout and "Excluded:" in p.stdout
    e = _cli("explain", str(SCEN / "hdh-2026-j0.yaml"), "scaleway")
    assert e.returncode == 0
    assert "answer -> utility -> weight -> contribution" in e.stdout
    assert "Legal exposure" in e.stdout
    c = _cli("compare", str(SCEN / "hdh-2019.yaml"), str(SCEN / "cf-2026-offers-2019-weights.yaml"))
    assert c.returncode == 0 and "rank chg" in c.stdout
    bad = _cli("explain", str(SCEN / "hdh-2026.yaml"), "nope")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "no offer" in bad.stderr


@pytest.mark.parametrize("name", ["hdh-2019.yaml", "hdh-2026-j0.yaml",
                                  "cf-2026-offers-2019-weights.yaml"])
@pytest.mark.parametrize("level", ["pillar", "criterion"])
def test_decision_matrix_reproduces_engine_totals(name: str, level: str) -> None:
    ev = evaluate_path(SCEN / name)
    dm = ev.matrix(level, eligible_only=False)
    ref = np.array([ev.result(o).total for o in dm.offers])
    assert np.allclose(dm.totals(), ref, atol=1e-9)
    w = np.random.default_rng(1).dirichlet(np.ones(len(dm.weights)), 4)
    assert dm.totals(w).shape == (4, len(dm.offers))
    assert np.allclose(dm.totals(w)[0], dm.totals(w[0]))


def test_decision_matrix_worst_policy_is_linear() -> None:
    offers = _offers([[True] * 8, [False] * 8], [1.0, 2.0])
    ev = evaluate(_sc([1, 1, 1, 1]), offers)
    dm = ev.matrix("pillar")
    assert np.allclose(dm.totals(), [ev.result(o).total for o in dm.offers])
    w1, w2 = np.array([1.0, 0, 0, 0]), np.array([0, 1.0, 0, 0])
    assert np.allclose(dm.totals(0.3 * w1 + 0.7 * w2), 0.3 * dm.totals(w1) + 0.7 * dm.totals(w2))


def test_hash_depends_on_content_not_location(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(ROOT / "data", tmp_path / "data")
    here = evaluate_path(SCEN / "hdh-2019.yaml").hash
    there = evaluate_path(tmp_path / "data" / "scenarios" / "hdh-2019.yaml").hash
    assert here == there
    f = tmp_path / "data" / "vendors" / "2019" / "ovh.yaml"
    f.write_bytes(f.read_bytes() + b"\n# edited\n")
    assert evaluate_path(tmp_path / "data" / "scenarios" / "hdh-2019.yaml").hash != here


def test_compare_aligns_a_vendor_across_eras() -> None:
    """A vendor bidding one offer in each scenario is one row, even when its offer id changed
    (2019 "ovh", 2026 "ovhcloud"); the deltas are the differences of the scenarios' own
    figures (outcomes live in the golden files)."""
    from scoring.report.compare import compare_data

    def era(oid: str, year: str, date: str):  # type: ignore[no-untyped-def]
        o = offer(oid, {**EU_VENDOR, "tech.managed_kubernetes": year == "2026"}, era=year,
                  as_of=dt.date(int(year), 1, 1), prices={"vm.8vcpu_32gb": 0.3})
        return o.model_copy(update={"vendor_id": "ovhcloud"})

    e19 = evaluate(scenario(id="old", evaluation_date="2019-02-28"),
                   [era("ovh", "2019", "2019-02-28"), offer("rival", EU_VENDOR, era="2019",
                                                             as_of=dt.date(2019, 1, 1))])
    e26 = evaluate(scenario(id="new"), [era("ovhcloud", "2026", "2026-04-23")])
    d = compare_data([e19, e26])
    row = next(r for r in d["offers"] if r["vendor"] == "ovhcloud")
    assert row["offer"] == "ovh / ovhcloud"
    a, b = row["by_scenario"]["old"], row["by_scenario"]["new"]
    assert a["rank"] == e19.result("ovh").rank and b["rank"] == e26.result("ovhcloud").rank
    assert row["rank_change"] == a["rank"] - b["rank"]
    assert row["pillar_delta"]["technical"] == b["pillars"]["technical"] - a["pillars"]["technical"]
    bundled = compare_data([evaluate_path(SCEN / "hdh-2019.yaml"),
                            evaluate_path(SCEN / "cf-2026-offers-2019-weights.yaml")])
    azure = next(r for r in bundled["offers"] if r["vendor"] == "microsoft")
    assert set(azure["by_scenario"]) == {"hdh-2019", "cf-2026-offers-2019-weights"}


def test_one_offer_id_per_scenario(tmp_path: Path) -> None:
    """Defect: a scenario loading both eras showed two indistinguishable 'aws' rows and made
    sensitivity/flip crash. An offer id is unique in a scenario: the clash is a located error."""
    from scoring.errors import ScenarioError

    sc = tmp_path / "both.yaml"
    sc.write_text(f"extends: {SCEN / 'hdh-2026.yaml'}\nid: both\ntitle: both\noffers:\n"
                  f"  paths: ['{ROOT / 'data/vendors/2019'}', '{ROOT / 'data/vendors/2026'}']\n",
                  encoding="utf-8")
    with pytest.raises(ScenarioError) as ei:
        evaluate_path(sc)
    lines = [p.line() for p in ei.value.problems]
    assert any("offer id 'aws' is loaded twice" in ln and "offers.paths" in ln for ln in lines)
    assert str(sc) in lines[0]


def test_hds_v2_deadline_is_data(tmp_path: Path) -> None:
    """Defect: Gate.require_v2_after was documented but never read (the date was a constant).
    An HDS gate that demands v2 from an earlier date now excludes a v1 holder then."""
    from scoring.rules.certifications import hds_status_on

    rules = load_catalogue().certifications
    assert rules.hds_v1_valid_until == dt.date(2026, 5, 16)
    o = offer("v1", {"cert.hds": True}, as_of=dt.date(2025, 1, 1),
              details={"cert.hds": {"since": dt.date(2024, 1, 1), "version": "v1"}})
    on = dt.date(2026, 1, 1)
    assert hds_status_on(o, on, rules)[0] is True
    assert hds_status_on(o, on, rules, dt.date(2025, 6, 1))[0] is False
    gate = {"id": "hds", "kind": "hds", "require_v2_after": "2025-06-01"}
    ev = evaluate(scenario(evaluation_date="2026-01-01", gates=[gate]), [o])
    assert ev.results[0].excluded_by == ("hds",)
    assert "v2 required" in ev.results[0].gates[0].reason
    ev2 = evaluate(scenario(evaluation_date="2026-01-01",
                            gates=[{"id": "hds", "kind": "hds"}]), [o])
    assert ev2.results[0].eligible


def test_a_question_outside_its_validity_window_leaves_the_tree_for_every_offer() -> None:
    """Issue 10: H100 GPUs did not exist in Feb 2019; 'no H100' then is not a failure. The
    question leaves the weight tree for all offers alike and is listed as not applicable."""
    cat = load_catalogue()
    qs = tuple(q.model_copy(update={"applies_from": dt.date(2022, 3, 22)})
               if q.id == "tech.gpu_h100" else q for q in cat.questions)
    cat2 = cat.model_copy(update={"questions": qs})
    a = offer("a", {**EU_VENDOR, "tech.gpu_h100": False, "tech.managed_kubernetes": True})
    b = offer("b", {**EU_VENDOR, "tech.gpu_h100": True, "tech.managed_kubernetes": True})
    early = evaluate(scenario(evaluation_date="2019-02-28"), [a, b], cat=cat2)
    assert "tech.gpu_h100" not in {lf.question for lf in early.leaves}
    assert "tech.gpu_h100" in [q.id for q in early.not_applicable]
    assert early.result("a").total == early.result("b").total  # no one is punished for it
    late = evaluate(scenario(evaluation_date="2026-04-23"), [a, b], cat=cat2)
    assert "tech.gpu_h100" in {lf.question for lf in late.leaves}
    assert late.result("b").total > late.result("a").total
    assert sum(lf.weight for lf in early.leaves) == pytest.approx(1.0)
