"""Hostwise Streamlit entry: a thin router. All numbers come from the ``scoring`` core."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Hostwise", layout="wide")

pages = [
    st.Page("ui/pages/ranking.py", title="Ranking", icon=":material/leaderboard:", default=True),
    st.Page("ui/pages/offers.py", title="Offers", icon=":material/inventory_2:"),
]
st.navigation(pages).run()
