"""The Streamlit app runs on the bundled data: the entry, the landing page and the pages of
helper A, under every method, with the numbers of the CLI's JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from scoring.engine import evaluate_path
from scoring.methods.registry import METHODS
from scoring.report.ranking import rank_json

ROOT = Path(__file__).resolve().parents[2]


def test_app_entry_runs_and_lands_on_replay() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    assert at.title[0].value.startswith("Replay")
    assert at.query_params["scenario"] in ("hdh-2026-j0.yaml", ["hdh-2026-j0.yaml"])


def _summary(at: AppTest) -> Any:
    return next(d.value for d in at.dataframe if {"id", "era", "SEAL"} <= set(d.value.columns))


def test_offers_page_lists_both_eras_and_filters() -> None:
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "offers.py"), default_timeout=60)
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
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "ranking.py"), default_timeout=120)
    at.query_params["scenario"] = "hdh-2026-j0.yaml"
    at.run()
    for method in METHODS:
        at.radio(key="rank.method").set_value(method).run()
        assert not at.exception, method
        table = next(d.value for d in at.dataframe if "excluded by" in d.value.columns)
        cli = rank_json(evaluate_path(ROOT / "data" / "scenarios" / "hdh-2026-j0.yaml", method))
        assert list(table["offer"]) == [r["offer"] for r in cli["results"]]
        for shown, r in zip(table["total"], cli["results"], strict=True):
            assert shown == ("—" if r["total"] is None else f"{r['total']:.2f}")
        first = cli["results"][0]
        at.selectbox(key="rank.offer").set_value(first["offer"]).run()
        line = next(t.value for t in at.text if " under " in t.value)
        assert f"rank 1 under {METHODS[method].label}, total {first['total']:.2f}" in line
