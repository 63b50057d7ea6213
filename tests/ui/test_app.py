"""The Streamlit app runs on the bundled data: every page renders without an exception."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def test_offers_page_lists_bundled_offers() -> None:
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "offers.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Vendor offers"
    summary = at.dataframe[0].value
    assert {"scaleway", "ovhcloud", "s3ns", "azure"} <= set(summary["id"])
    at.radio[0].set_value("2019").run()
    assert not at.exception
    assert "santeos" in set(at.dataframe[0].value["id"])


def test_app_entry_runs() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception


def test_ranking_page_every_scenario_and_method() -> None:
    """Every bundled scenario renders under every method, the table equals the CLI's JSON, and
    the explanation under it is of the method selected (rank and total as in the table)."""
    from scoring.engine import evaluate_path
    from scoring.methods.registry import METHODS
    from scoring.report.ranking import rank_json

    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "ranking.py"), default_timeout=120)
    at.run()
    assert not at.exception
    scenarios = at.selectbox[0].options
    assert "hdh-2019.yaml" in scenarios
    for name in scenarios:
        at.selectbox[0].set_value(name).run()
        assert not at.exception, name
    at.selectbox[0].set_value("hdh-2026-j0.yaml").run()
    for method in METHODS:
        at.radio[0].set_value(method).run()
        assert not at.exception, method
        table = at.dataframe[0].value
        cli = rank_json(evaluate_path(ROOT / "data" / "scenarios" / "hdh-2026-j0.yaml", method))
        assert list(table["offer"]) == [r["offer"] for r in cli["results"]]
        for shown, r in zip(table["total"], cli["results"], strict=True):
            if r["total"] is None:
                assert shown is None or shown != shown  # None or NaN in the frame
            else:
                assert abs(shown - r["total"]) < 1e-6
        for offer in at.selectbox[1].options[:3]:
            at.selectbox[1].set_value(offer).run()
            assert not at.exception, offer
            row = table[table["offer"] == offer].iloc[0]
            line = at.text[0].value
            if row["eligible"]:
                assert f"rank {int(row['rank'])} under {METHODS[method].label}" in line
                assert f"total {row['total']:.2f}" in line
            else:
                assert "excluded" in line
