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
    at = AppTest.from_file(str(ROOT / "ui" / "pages" / "ranking.py"), default_timeout=120)
    at.run()
    assert not at.exception
    scenarios = at.selectbox[0].options
    assert "hdh-2019.yaml" in scenarios
    for name in scenarios:
        at.selectbox[0].set_value(name).run()
        assert not at.exception, name
    at.selectbox[0].set_value("hdh-2019.yaml").run()
    assert at.dataframe[0].value.iloc[0]["offer"] == "azure"
    at.radio[0].set_value("topsis").run()
    assert not at.exception
    for offer in at.selectbox[1].options:
        at.selectbox[1].set_value(offer).run()
        assert not at.exception, offer
