"""Robustness, Allocation, Compare and Export pages (AppTest, the app's own script runner).

Each page renders on every bundled scenario without an exception; its key widgets change what
a user would see change (the SMAA sample count changes the sample size of the figures, a SEAL
floor on a lot changes or empties the award, "what if" changes the ranking and undo restores
it); and the numbers shown equal the CLI's JSON for the same scenario (``scoring.report``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from scoring.engine import evaluate_path
from scoring.report.allocation import frontier_json, result_json
from scoring.report.compare import compare_data
from scoring.report.numbers import points
from scoring.report.robustness import flip_words, sensitivity_json
from scoring.robustness import flip_for, sensitivity, support
from scoring.robustness.clarify import clarify
from ui.components.fmt import score

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "ui" / "pages"
SCEN = ROOT / "data" / "scenarios"
BUNDLED = sorted(p.name for p in SCEN.glob("*.yaml"))
J0 = "hdh-2026-j0.yaml"


def page(name: str, scenario: str = J0, method: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.switch_page(f"ui/pages/{name}.py")  # through the app: its title and header
    at.query_params["scenario"] = scenario
    if method is not None:
        at.session_state["hw.method"] = method
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    return "\n".join(t.value for t in at.text)


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


# AppTest does not expose a dataframe's key: a table is found by a column only it has (the
# first such table on the page).
COLUMN = {"rb.smaa.table": "rank 1 %", "rb.wi.table": "rank with the answers",
          "al.award": "share", "al.frontier.table": "award or reason",
          "al.causes": "what must give", "al.quotes": "winning quote (per year)",
          "cmp.scenarios": "content hash", "cmp.offers": "offer(s)"}


def frame(at: AppTest, key: str) -> Any:
    for d in at.dataframe:
        if COLUMN[key] in d.value.columns:
            return d.value
    raise AssertionError(f"no table {key!r}: {[list(d.value.columns) for d in at.dataframe]}")


@pytest.mark.parametrize("name", ["robustness", "allocation", "compare", "export"])
@pytest.mark.parametrize("scenario", BUNDLED)
def test_page_renders_on_every_bundled_scenario(name: str, scenario: str) -> None:
    at = page(name, scenario)
    assert not at.error, [e.value for e in at.error]
    assert "None" not in texts(at).split()


# ------------------------------------------------------------------------------ Robustness


def test_robustness_flip_and_lead_equal_the_cli() -> None:
    """The flip of the runner-up equals ``hostwise flip``; the lead sentence the ranking."""
    ev = evaluate_path(SCEN / J0)
    cli = sensitivity_json(sensitivity(ev, "pillar", 1, 0))
    at = page("robustness")
    lead, second = cli["offers"][0], cli["offers"][1]
    assert f"{lead['offer']} leads with {points(lead['total'])}, ahead of {second['offer']}" \
        in texts(at)
    runner = second["offer"]
    assert at.selectbox(key="rb.flip.offer").value == runner
    if support(ev.method).exact:
        assert flip_words(flip_for(ev, ev.result(runner), "pillar")) in texts(at)


def test_smaa_equals_the_cli() -> None:
    """SMAA acceptability equals ``hostwise sensitivity --json`` (pillar, 10,000, seed 0)."""
    ev = evaluate_path(SCEN / J0)
    cli = sensitivity_json(sensitivity(ev, "pillar", 10_000, 0))
    acc = frame(page("robustness"), "rb.smaa.table")
    for _, row in acc.iterrows():
        want = cli["smaa"]["acceptability"][row["offer"]]
        got = [row[f"rank {r + 1} %"] for r in range(len(want))]
        # Shares of a tie group are its members' mean, which can fall on a half cent: equal up
        # to the display's rounding.
        assert got == pytest.approx([100 * x for x in want], abs=0.005 + 1e-9)


def test_smaa_sample_count_changes_the_sample_size() -> None:
    at = page("robustness")
    assert "10,000 weight vectors, seed 0." in captions(at)
    at.number_input(key="rb.samples").set_value(500).run()
    assert not at.exception
    assert "500 weight vectors, seed 0." in captions(at)
    acc = frame(at, "rb.smaa.table")
    for col in [c for c in acc.columns if c.startswith("rank ")]:
        for x in acc[col]:  # a count out of 500 (a tie group's mean of counts): 0.2 % / k
            assert any(abs(x * k / 0.2 - round(x * k / 0.2)) < 1e-6
                       for k in range(1, len(acc) + 1)), x
    assert acc["rank 1 %"].sum() == pytest.approx(100.0)


def test_smaa_samples_are_capped() -> None:
    at = page("robustness")
    ni = at.number_input(key="rb.samples")
    assert ni.max == 1_000_000


def test_what_if_changes_the_ranking_and_undo_restores_it() -> None:
    """The ranking shown after "Apply" is the engine's with that answer set (and the first
    answer able to change the winner, when there is one among those shown, does)."""
    from scoring.engine import evaluate
    from scoring.io.catalogue import load_catalogue
    from scoring.robustness.answers import with_answer

    ev = evaluate_path(SCEN / J0)
    items = [it for it in clarify(ev).items[:30] if it.kind == "answer"]  # what the page sets
    k = next((i for i, it in enumerate(items) if it.changes_winner), 0)
    it = items[k]
    value = it.set_to if it.changes_winner else it.could_be[-1]
    q = load_catalogue().question(it.question)
    offers = [with_answer(o, q, value, ev.evaluation_date) if o.offer_id == it.offer else o
              for o in ev.offers]
    want = evaluate(ev.scenario, offers, method=ev.method)
    at = page("robustness")
    at.selectbox(key="rb.wi.item").set_value(k).run()
    at.radio(key="rb.wi.value").set_value(list(it.could_be).index(value)).run()
    at.button(key="rb.wi.apply").click().run()
    assert not at.exception
    table = frame(at, "rb.wi.table")
    assert list(table["offer"]) == [r.offer.offer_id for r in want.results]
    shown = [None if x == "—" else float(x) for x in table["total with the answers"]]
    for got, r in zip(shown, want.results, strict=True):  # 2 decimals on the page
        assert (got is None) == (r.total is None)
        if got is not None and r.total is not None:
            assert got == pytest.approx(r.total, abs=0.0051)
    lead = want.leader()
    assert f"With these answers {lead.offer.offer_id if lead else 'none'} leads" in texts(at)
    if it.changes_winner:
        assert lead is not None and lead.offer.offer_id == it.new_winner
    at.button(key="rb.wi.undo").click().run()
    assert "No answer set: the ranking is the scenario's." in captions(at)
    assert "With these answers" not in texts(at)


def test_not_weighted_sum_shows_the_core_reason() -> None:
    at = page("robustness", method="topsis")
    reason = support("topsis").reason
    assert reason is not None
    assert any(reason in i.value for i in at.info)
    assert frame(at, "rb.smaa.table") is not None  # SMAA runs on the method's own scorer


# ------------------------------------------------------------------------------ Allocation


def _award_rows(at: AppTest) -> dict[str, str]:
    t = frame(at, "al.award")
    return dict(zip(t["lot"], t["offer"], strict=True))


def _seals(at: AppTest) -> dict[str, str]:
    t = frame(at, "al.award")
    return dict(zip(t["lot"], t["SEAL"], strict=True))


def _infeasible(at: AppTest) -> bool:
    return any("No award satisfies the rules" in w.value for w in at.warning)


@pytest.mark.parametrize("scenario", ["hdh-2026.yaml", J0])
def test_award_and_frontier_equal_the_cli(scenario: str) -> None:
    from scoring.allocation import frontier, solve
    from scoring.award import load_award_problem

    ctx = load_award_problem(SCEN / scenario)
    cli = result_json(ctx, solve(ctx.problem))
    at = page("allocation", scenario)
    if cli["status"] == "infeasible":
        assert _infeasible(at)
        for r in cli["relaxations"]:
            assert f"- {r}" in texts(at)
    else:
        assert not _infeasible(at)
        assert _award_rows(at) == cli["assignment"]
        cost = next(m for m in at.metric if m.label == "Annual cost")
        assert cost.value == f"€{cli['cost']:,.0f}"
    spec = ctx.scenario.allocation.frontier
    pts = frontier_json(ctx, frontier(ctx.problem, list(spec.floors), spec.budgets))["points"]
    shown = frame(at, "al.frontier.table")
    assert list(shown["status"]) == [p["status"] for p in pts]
    assert list(shown["annual cost"]) == ["—" if p["cost"] is None else f"€{p['cost']:,.0f}"
                                          for p in pts]


def test_no_award_shows_its_causes_as_a_short_table() -> None:
    """Issue 17.3: with only one offer priced, the page shows the causes as a table (one row
    per cause, the core's lines), the winning quotes as another, and the long explanation only
    inside an expander: no paragraph longer than a screen."""
    from scoring.allocation import solve
    from scoring.award import load_award_problem

    res = solve(load_award_problem(SCEN / J0).problem)
    if res.status != "infeasible":  # the bundled data gained prices: nothing to explain
        return
    at = page("allocation")
    assert _infeasible(at)
    causes = frame(at, "al.causes")
    assert list(causes["what must give"]) == [c.message for c in res.causes]
    assert causes["cause"].iloc[0] == "missing prices"
    quotes = frame(at, "al.quotes")
    assert len(quotes) == sum(len(c.winning_quotes) for c in res.causes)
    assert {"outscale", "ovhcloud"} <= set(quotes["offer"])
    assert any(v.startswith("≤ €") for v in quotes["winning quote (per year)"])
    assert "no price wins" in set(quotes["winning quote (per year)"])
    (long,) = [e for e in at.expander if e.label == "Every reason, and the fixes checked"]
    inside = {t.value for t in long.text}
    outside = [t.value for t in at.text if t.value not in inside]
    assert not any(r in t for r in res.relaxations for t in outside)  # only in the expander


def test_seal_floor_on_a_lot_changes_or_empties_the_award() -> None:
    """After a SEAL floor of 4 on a lot, either no award exists or that lot's offer has
    SEAL 4; the edit is recorded in words."""
    at = page("allocation")
    at.selectbox(key="al.lot").set_value("snds-main").run()
    seal = next(s for s in at.selectbox if s.label.startswith("SEAL floor"))
    seal.set_value(4)
    submit = next(b for b in at.button if b.label == "Apply to this lot")
    submit.click().run()
    assert not at.exception
    assert _infeasible(at) or _seals(at)["snds-main"] == "4"
    assert "lot snds-main: min_seal 4" in "\n".join(at.session_state["hw.working"].edits)
    lots = at.session_state["hw.working"].doc["lots"]
    assert next(x for x in lots if x["id"] == "snds-main")["min_seal"] == 4


def test_refused_rule_is_explained_and_changes_nothing() -> None:
    """Min vendors above max vendors is refused by the core: the page says why, and the
    working scenario keeps its rules."""
    at = page("allocation")
    before = dict(at.session_state["hw.working"].doc["allocation"])
    next(n for n in at.number_input if n.label == "Min vendors").set_value(5)
    next(n for n in at.number_input if n.label == "Max vendors").set_value(2)
    next(b for b in at.button if b.label == "Apply the rules").click().run()
    assert not at.exception
    after = at.session_state["hw.working"].doc["allocation"]
    refused = any("refused" in e.value for e in at.error)
    assert refused == (after == before)


def test_scenario_without_lots_says_so() -> None:
    at = page("allocation", "hdh-2019.yaml")
    assert any("defines no lots" in i.value for i in at.info)
    assert any(b.label.startswith("Start from:") for b in at.button)


# ------------------------------------------------------------------------------ Compare


def test_compare_2019_with_2026_matches_the_cli() -> None:
    at = page("compare")
    assert at.multiselect(key="cmp.pick").value == ["hdh-2019.yaml", J0]
    evs = [evaluate_path(SCEN / "hdh-2019.yaml"), evaluate_path(SCEN / J0)]
    cli = compare_data(evs)
    names = {r.offer.vendor_id: r.offer.vendor_name for e in evs for r in e.results}
    t = frame(at, "cmp.offers")
    ids = [s["id"] for s in cli["scenarios"]]
    for o, (_, row) in zip(cli["offers"], t.iterrows(), strict=True):
        assert row["offer(s)"] == o["offer"]
        for n in ids:
            x = o["by_scenario"].get(n)
            if x is not None and x["eligible"]:
                assert row[n] == f"#{x['rank']} ({score(x['total'])})"  # the page's format
    assert list(t["vendor"]) == [names[o["vendor"]] for o in cli["offers"]]  # names, not ids
    ovh = t[t["vendor"] == "OVHcloud"]  # one vendor id across eras: OVH 2019, OVHcloud 2026
    assert (ovh[ids[0]] != "did not bid").any() and (ovh[ids[1]] != "did not bid").any()
    lead = frame(at, "cmp.scenarios")["leader"]
    assert list(lead) == [s["leader"] for s in cli["scenarios"]]


def test_compare_four_scenarios() -> None:
    """Compare offers the working tender's scenarios only (the replay's here: the
    demonstration tender's ght-dpi-* are another tender's)."""
    from scoring.scenario.load import load_scenario_doc

    replay = [n for n in BUNDLED if load_scenario_doc(SCEN / n).get("catalogue", "hdh") == "hdh"]
    assert len(replay) < len(BUNDLED)
    at = page("compare")
    at.multiselect(key="cmp.pick").set_value(replay[:4])
    at.button[0].click().run()  # the form's "Compare": one rerun for the whole choice
    assert not at.exception
    assert len(frame(at, "cmp.scenarios")) == 4
    assert at.multiselect(key="cmp.pick").value == replay[:4]
    labels = list(at.multiselect(key="cmp.pick").options)
    assert len(set(labels)) == len(labels) == len(replay)  # told apart: file stem first
    assert all(len(label) < 70 for label in labels), labels
    assert {label.split(" · ")[0] for label in labels} == {n.removesuffix(".yaml")
                                                           for n in replay}


# ------------------------------------------------------------------------------ Export


def test_export_files_carry_the_hash_and_equal_the_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui.components.export_files as bx
    import ui.components.robustness_analyses as rb
    from scoring.report.ranking import rank_json

    monkeypatch.setattr(bx, "memo", lambda key, f: f())
    monkeypatch.setattr(rb, "memo", lambda key, f: f())
    ev = evaluate_path(SCEN / J0)
    files = bx.json_downloads(ev)
    assert len(files) == 4
    for d in files:
        assert ev.hash[:12] in d.file_name
        assert json.loads(d.data)["hash"] == ev.hash
    assert json.loads(files[0].data) == json.loads(json.dumps(rank_json(ev)))
    y = bx.scenario_yaml(ev, {"id": "x", "title": "t"}, "t")
    assert ev.hash in y.data.decode() and ev.hash[:12] in y.file_name

    at = page("export")
    shown = captions(at)
    for d in files:
        assert d.file_name in shown
    assert f"hostwise-scenario-{ev.hash[:12]}.yaml" in shown


def test_exported_scenario_yaml_reads_back() -> None:
    """The YAML download is a scenario the core reads back to the same scenario."""
    import ui.components.export_files as bx
    from scoring.io.yamlsafe import load_yaml
    from scoring.scenario.load import load_scenario_doc, parse_scenario_doc

    ev = evaluate_path(SCEN / J0)
    doc = load_scenario_doc(SCEN / J0)
    d = bx.scenario_yaml(ev, doc, ev.scenario.title)
    back = parse_scenario_doc(load_yaml(d.data, 1 << 20), "download")
    assert back.hash == ev.scenario.hash
