"""Scenario lots -> allocation problem -> award, on the bundled HDH 2026 scenarios."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.allocation import frontier, solve
from scoring.award import load_award_problem
from scoring.errors import ScenarioError
from scoring.report.allocation import result_json

ROOT = Path(__file__).resolve().parents[1]
SCEN = ROOT / "data" / "scenarios"


@pytest.fixture(scope="module")
def j0():  # type: ignore[no-untyped-def]
    return load_award_problem(SCEN / "hdh-2026-j0.yaml")


def test_bids_follow_lot_gates_and_price_sheets(j0) -> None:  # type: ignore[no-untyped-def]
    bids = {(b.lot, b.offer): b for b in j0.problem.bids}
    # Health-data lots keep the HDS and immunity gates: Azure cannot bid.
    assert not bids[("snds-main", "azure")].eligible
    assert any("Immunity" in r for r in bids[("snds-main", "azure")].reasons)
    # The GPU lot has no gates: Azure bids, costed on its GPU price only.
    assert bids[("gpu-ai", "azure")].eligible
    # Hetzner has no GPU price: it cannot bid on the GPU lot, and says why.
    h = bids[("gpu-ai", "hetzner")]
    assert not h.eligible and any("gpu.h100" in r for r in h.reasons)
    # A costed bid is the lot demand times the price sheet.
    s = bids[("backup", "scaleway")]
    assert s.cost == pytest.approx(2_000_000 * 0.01)


def test_bundled_2026_j0_award_keeps_every_rule(j0) -> None:  # type: ignore[no-untyped-def]
    """Whatever the award (the outcome is in tests/golden), it keeps the scenario's rules:
    every lot once, the separation, the budget, and migration costs only where a lot leaves
    its incumbent, spread over the contract term."""
    res = solve(j0.problem)
    d = result_json(j0, res)
    assert {"scenario", "hash", "status", "objective", "assignment", "cost", "value",
            "binding", "relaxations", "ties"} <= set(d)
    assert d["assumptions"] == [*j0.scenario.assumption_ids, "LEGAL-PTS"]  # + the timeline's
    if res.status not in ("optimal", "feasible"):
        assert res.relaxations  # an infeasible award says what would make it feasible
        return
    a = res.assignment
    lots = {lot.id: lot for lot in j0.scenario.lots}
    assert set(a) == set(lots)
    assert a["backup"] != a["snds-main"]  # separation rule
    assert res.cost <= 1_550_000
    moved = sum(lot.migration_cost for k, lot in lots.items() if a[k] != lot.incumbent)
    assert res.migration_cost == pytest.approx(moved / j0.scenario.workload.contract_years)


def test_strict_2026_award_or_the_reason_in_words() -> None:
    ctx = load_award_problem(SCEN / "hdh-2026.yaml")
    res = solve(ctx.problem)
    assert res.status in ("optimal", "feasible", "infeasible")
    if res.status == "infeasible":
        assert res.relaxations and all(isinstance(r, str) and r for r in res.relaxations)


def test_frontier_is_monotone(j0) -> None:  # type: ignore[no-untyped-def]
    pts = frontier(j0.problem, [0, 1, 2, 3, 4])
    for a, b in itertools.pairwise(pts):
        if b.status in ("optimal", "feasible"):
            assert a.status in ("optimal", "feasible")
            assert b.value <= a.value + 1e-6  # a higher floor never gives more value
    assert [p.floor for p in pts] == [0, 1, 2, 3, 4]


def test_scenario_without_lots_is_a_clear_error() -> None:
    with pytest.raises(ScenarioError, match="no lots"):
        load_award_problem(SCEN / "hdh-2019.yaml")


def test_cli_allocate_and_frontier() -> None:
    run = [sys.executable, "-m", "scoring"]
    p = subprocess.run([*run, "allocate", str(SCEN / "hdh-2026-j0.yaml"), "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    d = json.loads(p.stdout)
    assert d["status"] in ("optimal", "feasible", "infeasible") and len(d["hash"]) == 64
    t = subprocess.run([*run, "allocate", str(SCEN / "hdh-2026.yaml")], capture_output=True,
                       text=True, cwd=ROOT, timeout=120)
    assert t.returncode == 0 and "Traceback" not in t.stderr
    if json.loads(subprocess.run([*run, "allocate", str(SCEN / "hdh-2026.yaml"), "--json"],
                                 capture_output=True, text=True, cwd=ROOT,
                                 timeout=120).stdout)["status"] == "infeasible":
        assert "What must give" in t.stdout  # an infeasible award says what would fix it
    f = subprocess.run([*run, "frontier", str(SCEN / "hdh-2026-j0.yaml"), "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert f.returncode == 0, f.stderr
    assert len(json.loads(f.stdout)["points"]) == 5
    bad = subprocess.run([*run, "allocate", str(SCEN / "hdh-2019.yaml")], capture_output=True,
                         text=True, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "no lots" in bad.stderr and "Traceback" not in bad.stderr


def test_award_carries_the_same_hash_as_the_ranking(j0) -> None:  # type: ignore[no-untyped-def]
    from scoring.engine import evaluate_path

    assert j0.hash == evaluate_path(SCEN / "hdh-2026-j0.yaml").hash


def test_cli_output_piped_into_head_has_no_traceback() -> None:
    p = subprocess.run(f"{sys.executable} -m scoring questions | head -1", shell=True,
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "Traceback" not in p.stderr


def test_bad_lot_is_located_in_the_scenario_file(tmp_path: Path) -> None:
    """Defect 6: ``min_share: 2`` on a lot used to say "Invalid allocation problem" with
    ``file: ""``. Every problem names the scenario file, the lot and the field, all at once."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        f"extends: {SCEN / 'hdh-2026-j0.yaml'}\n"
        "id: bad\n"
        "lots:\n"
        "  - {id: storage, name: Storage, demand: {storage.object: 1000}, min_share: 2}\n"
        "  - {id: gpu, name: GPU, demand: {gpu.h100: 10}, min_seal: 9, gates: []}\n"
        "allocation: {separations: []}\n",
        encoding="utf-8",
    )
    p = subprocess.run([sys.executable, "-m", "scoring", "allocate", str(bad), "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 2, p.stderr
    problems = json.loads(p.stdout)["problems"]
    where = {(x["file"], x["question"]) for x in problems}
    assert (str(bad), "lots.storage.min_share") in where
    assert (str(bad), "lots.gpu.min_seal") in where
    assert all("Traceback" not in x["message"] for x in problems)
    with pytest.raises(ScenarioError) as err:
        load_award_problem(bad)
    assert {q.question for q in err.value.problems} >= {"lots.storage.min_share",
                                                         "lots.gpu.min_seal"}


def test_offers_waiting_for_a_quote_are_marked_with_their_items(j0) -> None:  # type: ignore[no-untyped-def]
    """An offer that passes a lot's gates but lacks prices is waiting for a quote (its priced
    lines kept as its cost); an offer failing a gate is not, whatever its prices."""
    bids = {(b.lot, b.offer): b for b in j0.problem.bids}
    assert bids[("snds-main", "outscale")].unpriced == ("storage.object", "vm.8vcpu_32gb")
    assert not bids[("snds-main", "outscale")].eligible
    assert bids[("backup", "ovhcloud")].unpriced == ("storage.object",)
    assert bids[("snds-main", "aruba")].unpriced == ()  # fails the HDS gate
    assert bids[("snds-main", "scaleway")].unpriced == ()


def test_j0_says_why_in_one_grouped_line_per_cause(j0) -> None:  # type: ignore[no-untyped-def]
    """Only Scaleway is priced on the health-data lots: allocate says so in one line, whom to
    ask for quotes and the winning quote per lot (the budget's slack where a quote helps, "no
    price wins" where it cannot), then the rule that fails; each line is one line."""
    from scoring.allocation import winning_quote
    from scoring.award import winning_quote as award_quote

    res = solve(j0.problem)
    if res.status != "infeasible":  # the bundled data gained prices: an award, nothing to say
        return
    first = res.causes[0]
    assert first.kind == "unpriced"
    assert {"outscale", "ovhcloud"} <= set(first.offers)
    assert set(first.items) == {"storage.object", "vm.8vcpu_32gb"}
    assert {"snds-main", "backup"} <= set(first.lots)
    n = len(first.offers) + 1  # Scaleway has the prices
    assert first.message.startswith(f"{n} eligible offers for ")
    assert "only scaleway has prices for storage.object and vm.8vcpu_32gb: ask " in first.message
    assert "for quotes (winning quote per lot: " in first.message
    assert all("\n" not in c.message and len(c.message) < 400 for c in res.causes)
    # The quote on snds-main is what the budget leaves once the other lots are awarded.
    p = j0.problem
    cost = {(b.lot, b.offer): b.cost for b in p.bids}
    rest = (sum(cost[lot, "scaleway"] for lot in ("analytics", "workspaces", "backup"))
            + cost["gpu-ai", "ovhcloud-public"] + sum(lot.migration_cost for lot in p.lots))
    slack = 1_550_000 - rest - cost["snds-main", "outscale"]
    quotes = {(q.lot, q.offer): q.price for q in first.winning_quotes}
    assert slack - 1.0 <= quotes["snds-main", "outscale"] <= slack
    assert quotes["snds-main", "outscale"] == winning_quote(p, "outscale", "snds-main")
    assert award_quote(j0, "outscale", "snds-main") == quotes["snds-main", "outscale"]
    assert ("analytics", "outscale") in quotes and quotes["analytics", "outscale"] is None


def test_cli_prints_the_causes_and_the_frontier_says_why() -> None:
    run = [sys.executable, "-m", "scoring"]
    j0 = str(SCEN / "hdh-2026-j0.yaml")
    d = json.loads(subprocess.run([*run, "allocate", j0, "--json"], capture_output=True,
                                  text=True, cwd=ROOT, timeout=120).stdout)
    if d["status"] != "infeasible":
        return
    assert d["causes"] and d["causes"][0]["kind"] == "unpriced"
    assert {"kind", "lots", "offers", "items", "message", "winning_quotes"} <= set(d["causes"][0])
    text = subprocess.run([*run, "allocate", j0], capture_output=True, text=True, cwd=ROOT,
                          timeout=120).stdout
    lines = text[text.index("What must give:"):text.index("Depends on")].strip().splitlines()
    assert lines[1:] == [f"  - {c['message']}" for c in d["causes"]]
    f = subprocess.run([*run, "frontier", j0], capture_output=True, text=True, cwd=ROOT,
                       timeout=120).stdout
    assert "No award at the scenario's own floors" in f
    assert f"  - {d['causes'][0]['message']}" in f
    fj = json.loads(subprocess.run([*run, "frontier", j0, "--json"], capture_output=True,
                                   text=True, cwd=ROOT, timeout=120).stdout)
    assert [c["message"] for c in fj["causes"]] == [c["message"] for c in d["causes"]]
    assert all(len(p["message"]) < 300 for p in fj["points"])  # no paragraph per point
