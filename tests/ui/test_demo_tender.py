"""The demonstration tender (``ght-dpi-demo``: fictional vendors) on every page of the app
(AppTest): no exception, the "demonstration data" label in sight, and not a word of the
replayed tender in the page itself (the sidebar's scenario picker lists every bundled scenario
by title, the replay's included, by design)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scoring.scenario.model import DEMO_LABEL

ROOT = Path(__file__).resolve().parents[2]
DEMO = "ght-dpi-demo.yaml"
PAGES = ["replay", "compare", "offers", "criteria", "ranking", "robustness", "allocation",
         "export", "tender"]
REPLAY_WORDS = re.compile(r"HDH|Health Data Hub|SNDS|Microsoft|Azure", re.IGNORECASE)
KINDS = ("title", "header", "subheader", "markdown", "text", "caption", "info", "warning",
         "error", "success", "metric", "expander", "tabs", "selectbox", "radio", "multiselect",
         "button", "checkbox", "toggle", "number_input", "slider", "select_slider",
         "text_input")


def main_text(at: AppTest) -> str:
    """Every word the page's main area shows: element values, labels, options, help texts and
    the tables' cells."""
    root = at.main
    out: list[str] = []
    for kind in KINDS:
        for e in getattr(root, kind):
            for attr in ("value", "label", "options", "help", "body"):
                v = getattr(e, attr, None)
                if v is not None and not callable(v):
                    out.append(str(v))
    for d in root.dataframe:
        out.append(" ".join(map(str, d.value.columns)) + "\n" + d.value.to_string())
    return "\n".join(out)


@pytest.mark.parametrize("name", PAGES)
def test_page_on_the_demonstration_tender(name: str, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTWISE_DB_URL", f"sqlite:///{tmp_path / 'committee.sqlite3'}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page(f"ui/pages/{name}.py")
    at.query_params["scenario"] = DEMO
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert DEMO_LABEL in [w.value for w in at.warning]  # the label, in our words
    text = main_text(at)
    assert not REPLAY_WORDS.search(text), sorted(set(REPLAY_WORDS.findall(text)))


def test_replay_page_shows_the_working_tender_overview() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["scenario"] = DEMO
    at.run()  # the landing page
    assert not at.exception
    assert [t.value for t in at.title] == ["Overview of the working tender"]
    assert any("Septentrion Infogérance (démo) leads" in t.value for t in at.text)
    assert not any("legal timeline" in s.value for s in at.subheader)


def test_offers_page_lists_only_the_demo_bids() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.switch_page("ui/pages/offers.py")
    at.query_params["scenario"] = DEMO
    at.run()
    table = next(d.value for d in at.dataframe if {"id", "era"} <= set(d.value.columns))
    assert sorted(table["id"]) == ["armorique-data", "ciel-bleu", "hexacloud", "nebulo-sante",
                                   "quartz", "septentrion"]
