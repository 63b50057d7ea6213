"""Offers page: the bundled vendor questionnaires, answer by answer, with source and confidence.

Display only: loading and validation are the core's (``scoring.io``). Vendor text is
shown through dataframes (never rendered as HTML or Markdown).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from scoring.catalogue import load_catalogue
from scoring.errors import HostwiseError
from scoring.io import answer_counts, load_offers
from ui.components.safe import content_key, safe_frame

DATA = Path(__file__).resolve().parents[2] / "data" / "vendors"


@st.cache_data(show_spinner=False, max_entries=16)
def _load(era: str, key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``key`` is the content hash of the era's files: never a stale offer after an edit."""
    cat = load_catalogue()
    loaded = load_offers([DATA / era], cat)
    summary, answers = [], []
    for o in sorted(loaded.offers, key=lambda o: o.offer_id):
        c = answer_counts(o, cat)
        summary.append({"vendor": o.vendor_name, "offer": o.offer_name, "id": o.offer_id,
                        "as of": o.as_of.isoformat(), **c, "prices": len(o.prices)})
        for q in cat.questions:
            a = o.answer(q.id)
            src = "; ".join(o.sources[s].title for s in a.sources if s in o.sources)
            answers.append({"offer": o.offer_id, "question": q.id, "pillar": q.pillar,
                            "value": "unknown" if not a.known else str(a.value),
                            "confidence": a.confidence, "source": src, "note": a.note or ""})
    return safe_frame(pd.DataFrame(summary)), safe_frame(pd.DataFrame(answers))


st.title("Vendor offers")
era = st.radio("Era", ["2026", "2019"], horizontal=True)
try:
    summary, answers = _load(era, content_key([DATA / era]))
except HostwiseError as exc:
    st.error("The bundled questionnaires could not be loaded:")
    st.text(str(exc))
    st.stop()
st.caption("Counts of answers by confidence. Unknown means the sources say nothing: "
           "it is not a no.")
st.dataframe(summary, hide_index=True, width="stretch")
pick = st.selectbox("Offer", summary["id"].tolist())
st.dataframe(answers[answers["offer"] == pick].drop(columns="offer"), hide_index=True,
             width="stretch")
