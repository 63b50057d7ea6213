"""The bundled scenarios' own words on French pages (issue 19): the picker lists their French
titles, the labelled assumptions and the workload are in French (HYPOTHÈSE, not ASSUMPTION),
and no English text of a bundled scenario is left on a French page. The words come from the
sidecars (``data/scenarios/text/``); the English pages keep the scenarios' own words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from test_french import ROOT, _french, shown_texts

from scoring.scenario.load import load_scenario
from scoring.scenario.texts import SCENARIOS_DIR, norm, text, text_fields

BUNDLED = sorted(SCENARIOS_DIR.glob("*.yaml"))


def scenario_english() -> set[str]:
    """Every bundled scenario text whose French differs (long enough to be words, not an id)."""
    out = set()
    for p in BUNDLED:
        sc, _base = load_scenario(p)
        for path, en in text_fields(sc).items():
            if len(en) > 12 and norm(text(sc, path, lang="fr")) != norm(en):
                out.add(norm(en))
    return out


def _cells(at: AppTest) -> Iterator[str]:
    for d in at.dataframe:
        v: Any = d.value
        if isinstance(v, pd.DataFrame):
            for col in v.columns:
                yield from (str(x) for x in v[col])


def _words(at: AppTest) -> list[str]:
    """Every text and table cell of the page; the engine's sentences that quote the workload
    label ("cost depends on ASSUMPTION HDH-W26") are checked too (``scenario.texts.quoted``)."""
    return [norm(t) for _k, t in shown_texts(at)] + [norm(c) for c in _cells(at)]


def test_picker_assumptions_and_workload_in_french() -> None:
    at = _french("replay")
    assert not at.exception, at.exception
    options = at.selectbox(key="hw.pick").options
    assert "Hébergeur cible du Health Data Hub, avril 2026 (rejeu strict : art. 31 de la loi " \
           "SREN lu comme exigeant la qualification SecNumCloud à la date, lecture que le HDH " \
           "n'a pas appliquée)" in options
    assert any(o.startswith("GHT Démonstration Val-de-Brume : hébergement HDS") for o in options)
    assert not any(o.startswith("Counterfactual") for o in options)
    table = next(d.value for d in at.dataframe if "id" in d.value.columns
                 and "HDH-W26" in set(d.value["id"]))
    row = table[table["id"] == "HDH-W26"].iloc[0]
    assert str(row["hypothèse"]).startswith("Volumétrie annuelle : 876 000 heures-VM")
    texts = [t.value for t in at.text]
    assert any(t.startswith("Volumétrie (HYPOTHÈSE HDH-W26)\u00a0: La volumétrie du HDH n'est "
                            "pas publique") for t in texts), texts
    assert not any("ASSUMPTION HDH-W26" in t for t in texts)


@pytest.mark.parametrize("page", ["replay", "ranking", "allocation", "export"])
def test_no_english_scenario_text_on_a_french_page(page: str) -> None:
    at = _french(page)
    assert not at.exception, at.exception
    english = scenario_english()
    left = sorted({en[:80] for w in _words(at) for en in english if en in w})
    assert not left, f"{page}: a bundled scenario's English on the French page: {left}"


def test_the_english_page_keeps_the_scenarios_words() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    assert not at.exception
    options = at.selectbox(key="hw.pick").options
    assert any(o.startswith("Counterfactual: the 2019 replay") for o in options)
    assert any(t.value.startswith("Workload (ASSUMPTION HDH-W26): The HDH workload")
               for t in at.text)
