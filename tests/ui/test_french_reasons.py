"""The core's reasons, flags and warnings on the French pages (issue 19): the engine writes them
in English (hash, JSON, golden files); the pages say them in French (``scoring.messages``)."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.test_messages import english_sentences
from tests.ui.test_french import _french, shown_texts


def every_text(at: AppTest) -> Iterator[str]:
    """Every word on the page: element values, labels, options and every table cell."""
    for _kind, t in shown_texts(at):
        yield t
    for d in at.dataframe:
        frame = d.value
        if isinstance(frame, pd.DataFrame):
            for col in frame.columns:
                yield from (v for v in frame[col].tolist() if isinstance(v, str))


@pytest.mark.parametrize("page", ["ranking", "robustness", "offers", "allocation"])
def test_a_french_page_says_the_core_reasons_in_french(page: str) -> None:
    at = _french(page)
    assert not at.exception, at.exception
    texts = list(every_text(at))
    left = sorted({t for text in texts for t in english_sentences(text)})
    assert not left, f"{page}: the core's English sentences on the French page: {left}"


def test_the_ranking_page_shows_the_evidence_warnings_and_reasons_in_french() -> None:
    at = _french("ranking")
    texts = "\n".join(every_text(at))
    assert "relevé sur une page non datée" in texts  # "read from an undated page"
    assert "SecNumCloud en cours seulement" in texts  # "SecNumCloud in process only"
    assert "échoit le 16 mai 2026 sauf renouvellement en v2" in texts
    assert "2026-04-23" not in texts  # dates for people are long-form
