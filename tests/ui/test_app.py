"""The Streamlit app runs on the bundled data: the entry, the landing page and the pages of
helper A, under every method, with the numbers of the CLI's JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from scoring.engine import evaluate_path
from scoring.methods.registry import METHODS
from scoring.report.numbers import points
from scoring.report.ranking import rank_json

ROOT = Path(__file__).resolve().parents[2]


def test_app_entry_runs_and_lands_on_replay() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Replay")
    assert at.query_params["scenario"] in ("hdh-2026-j0.yaml", ["hdh-2026-j0.yaml"])
    # How much of the 2019 lead the contract-vehicle question carries, as compare computes it.
    from scoring.report.compare import compare_data

    lc = compare_data([evaluate_path(SCEN / "hdh-2019.yaml"),
                       evaluate_path(SCEN / "cf-2019-no-vehicle.yaml")])["lead_change"]
    shown = " ".join(t.value for t in at.text)
    assert (f"{points(lc['carried'])} points ({lc['share']:.0%}) come from the 'existing "
            "purchasing vehicle' question alone") in shown
    # Tied offers share their rank in the era table ("4="), never 4 and 5.
    table = next(d.value for d in at.dataframe
                 if {"rank", "vendor", "ranks"} <= set(d.value.columns))
    ranked = rank_json(evaluate_path(SCEN / "hdh-2019.yaml"))["results"]
    tied = [r for r in ranked if r["tied_with"]]
    assert tied  # Docaposte and Santéos: identical 2019 files
    for r in tied:
        assert f"{r['rank']}=" in list(table["rank"])


def _summary(at: AppTest) -> Any:
    return next(d.value for d in at.dataframe if {"id", "era", "SEAL"} <= set(d.value.columns))


def test_offers_page_lists_both_eras_and_filters() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("ui/pages/offers.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Vendor offers"
    summary = _summary(at)
    assert {"scaleway", "ovhcloud", "s3ns", "azure"} <= set(summary["id"])
    assert set(summary["era"]) == {"2026"}  # the working scenario's era first
    at.multiselect(key="offers.era").set_value(["2019"]).run()
    assert not at.exception
    assert "santeos" in set(_summary(at)["id"])
    at.multiselect(key="offers.era").set_value(["2026"]).run()
    at.select_slider(key="offers.seal").set_value(3).run()
    assert not at.exception
    seal = _summary(at)["SEAL"].str.rstrip("?")
    assert len(seal) and all(s.isdigit() and int(s) >= 3 for s in seal)


def test_ranking_page_every_method_is_the_cli() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.switch_page("ui/pages/ranking.py")
    at.query_params["scenario"] = "hdh-2026-j0.yaml"
    at.run()
    for method in METHODS:
        at.radio(key="rank.method").set_value(method).run()
        assert not at.exception, method
        table = next(d.value for d in at.dataframe if "excluded by" in d.value.columns)
        cli = rank_json(evaluate_path(ROOT / "data" / "scenarios" / "hdh-2026-j0.yaml", method))
        assert list(table["offer"]) == [r["offer"] for r in cli["results"]]
        for shown, r in zip(table["total"], cli["results"], strict=True):
            assert shown == ("—" if r["total"] is None else points(r['total']))
        first = cli["results"][0]
        at.selectbox(key="rank.offer").set_value(first["offer"]).run()
        line = next(t.value for t in at.text if " under " in t.value)
        assert f"rank 1 under {METHODS[method].label}, total {points(first['total'])}" in line


# ---------------------------------------------------------------- the app around the pages


def test_every_page_file_is_in_one_section_with_its_own_address() -> None:
    """12 pages in 4 sections; the title and header are app.py's (each page draws neither)."""
    import ast

    class Unmark(ast.NodeTransformer):  # N_("Replay") -> "Replay" (the English ids)
        def visit_Call(self, node: ast.Call) -> ast.AST:
            if getattr(node.func, "id", "") == "N_" and len(node.args) == 1:
                return self.visit(node.args[0])
            return self.generic_visit(node)

    tree = Unmark().visit(ast.parse((ROOT / "app.py").read_text(encoding="utf-8")))
    sections = next(ast.literal_eval(n.value) for n in ast.walk(tree)
                    if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "SECTIONS")
    assert list(sections) == ["Replay", "Analyse", "Award", "Committee"]
    names = [p[0] for pages in sections.values() for p in pages]
    assert sorted(names) == sorted(p.stem for p in (ROOT / "ui" / "pages").glob("[!_]*.py"))
    import re

    for p in (ROOT / "ui" / "pages").glob("[!_]*.py"):
        src = p.read_text(encoding="utf-8")
        assert not re.search(r"\bst\.title\(|(?<![\w.])header\(", src), p.name


def test_header_is_drawn_once_on_every_scenario_page() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["scenario"] = "hdh-2026-j0.yaml"
    for page, heading in [("replay", "Replay"), ("ranking", "Ranking"),
                          ("robustness", "Robustness"), ("export", "Export")]:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, page
        assert next(t.value for t in at.title).startswith(heading), page
        hashes = [c.value for c in at.caption if c.value.startswith("Evaluation date")]
        assert len(hashes) == 1, (page, hashes)
        assert at.selectbox(key="hw.pick").value == "hdh-2026-j0.yaml"


def _cli_totals(scenario: str) -> dict[str, str]:
    """offer id -> total as ``hostwise rank`` prints it (the text table, not the JSON)."""
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "scoring", "rank", str(SCEN / scenario)],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.startswith("rank "))
    # left-aligned columns: a column's cells start where its header starts
    at_offer, at_total = lines[head].index(" offer ") + 1, lines[head].index(" total ") + 1
    totals: dict[str, str] = {}
    for ln in lines[head + 2:]:
        if not ln.strip():
            break
        totals[ln[at_offer:].split()[0]] = ln[at_total:].split()[0]
    return totals


SCEN = ROOT / "data" / "scenarios"


def test_page_and_cli_print_the_same_total_for_every_offer() -> None:
    """One rounding rule (scoring.report.numbers): every total reads the same in ``hostwise
    rank`` and on the page, and is the JSON's value (6 decimals: data) rounded by that rule."""
    from scoring.report.numbers import points

    for scenario in ("hdh-2026-j0.yaml", "hdh-2019.yaml"):
        cli = _cli_totals(scenario)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        at.query_params["scenario"] = scenario
        at.switch_page("ui/pages/ranking.py").run()
        assert not at.exception
        table = next(d.value for d in at.dataframe if "excluded by" in d.value.columns)
        page = dict(zip(table["offer"], table["total"], strict=True))
        assert set(page) == set(cli), scenario
        for offer, shown in page.items():
            assert shown == cli[offer], (scenario, offer, shown, cli[offer])
        data = rank_json(evaluate_path(SCEN / scenario))
        for r in data["results"]:
            assert points(r["total"]) == cli[r["offer"]]
    # the case seen in issue 16: a total of 77.82499999999999 (JSON 77.825) read 77.83 on the
    # page and 77.82 in the CLI; the one rule rounds the JSON's value half away from zero
    assert points(77.82499999999999) == "77.83" and points(-0.125) == "-0.13"
    assert points(None) == "-" and points(float("nan"), 2, "—") == "—"


def _upload(offer_id: str) -> list[Any]:
    import re

    from ui.components.uploads import read_questionnaires

    src = (ROOT / "data" / "vendors" / "2026" / "hetzner.yaml").read_text(encoding="utf-8")
    src = re.sub(r"(?m)^vendor:.*$", f"vendor: {{id: {offer_id}, name: NewCo, group: x}}", src,
                 count=1)
    src = re.sub(r"(?m)^offer:.*$", f"offer: {{id: {offer_id}, name: NewCo cloud}}", src, count=1)
    offers, problems = read_questionnaires([(f"{offer_id}.yaml", src.encode())])
    assert not problems
    return offers


def test_an_uploaded_offer_is_in_the_working_scenario_on_every_page() -> None:
    """Loaded on Offers, the offer is scored on Ranking (in its table, with its gates), counted
    in the header of every page, and Replay says plainly that it replays published data."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["scenario"] = "hdh-2026-j0.yaml"
    at.session_state["hw.uploads"] = _upload("newco")
    at.switch_page("ui/pages/ranking.py").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "excluded by" in d.value.columns)
    assert "newco" in set(table["offer"])
    for page in ("ranking", "robustness", "allocation", "compare", "replay"):
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, page
        line = [t.value for t in at.text if t.value.startswith("Uploaded in this session")]
        assert line and "newco (" in line[0], page
    assert any("hold no uploaded offer" in c.value for c in at.caption)  # on Replay


def test_one_line_per_vendor_across_eras_on_replay_and_compare() -> None:
    """OVH's 2019 offer and OVHcloud's 2026 offers are one vendor (id ``ovhcloud``): one line,
    named, with a rank in both eras; the chart has a y-axis title."""
    from scoring.report.compare import compare_data
    from ui.components import charts
    from ui.components.compare_tables import short_label, vendor_names, vendor_ranks

    evs = [evaluate_path(SCEN / "hdh-2019.yaml"), evaluate_path(SCEN / "hdh-2026-j0.yaml")]
    ranks = vendor_ranks(compare_data(evs), vendor_names(evs), 99)
    assert "OVHcloud" in ranks and all(r is not None for r in ranks["OVHcloud"])
    assert not [n for n in ranks if "ovh" in n.lower() and n != "OVHcloud"]
    fig = charts.bump(["2019", "2026"], ranks, 99)
    assert fig.layout.yaxis.title.text
    labels = [short_label(p.name, "x" * 80) for p in SCEN.glob("*.yaml")]
    assert len(set(labels)) == len(labels) and max(map(len, labels)) < 80


def test_committee_pages_have_no_scenario_header_and_tender_has_the_picker() -> None:
    """A committee works on a tender; only Tender, which creates one from the working scenario,
    offers the scenario picker."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for page, picker in [("tender", True), ("evaluate", False), ("audit", False)]:
        at.switch_page(f"ui/pages/{page}.py").run()
        assert not at.exception, page
        assert not [c for c in at.caption if c.value.startswith("Evaluation date")], page
        assert bool([s for s in at.selectbox if s.key == "hw.pick"]) == picker, page
