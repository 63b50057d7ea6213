"""Hostwise Streamlit entry: a thin router. All numbers come from the ``scoring`` core; the
working scenario lives in ``ui/state.py``; each page is one file under ``ui/pages``."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Hostwise", layout="wide")

PAGES = [
    ("replay", "Replay", ":material/history:"),
    ("offers", "Offers", ":material/inventory_2:"),
    ("criteria", "Criteria & weights", ":material/tune:"),
    ("ranking", "Ranking", ":material/leaderboard:"),
    ("robustness", "Robustness", ":material/query_stats:"),
    ("allocation", "Allocation", ":material/account_tree:"),
    ("compare", "Compare", ":material/compare_arrows:"),
    ("export", "Export", ":material/download:"),
    ("tender", "Tender", ":material/gavel:"),
    ("evaluate", "Evaluate", ":material/rate_review:"),
    ("moderation", "Moderation", ":material/forum:"),
    ("audit", "Audit", ":material/verified:"),
]
pages = [st.Page(f"ui/pages/{name}.py", title=title, icon=icon, url_path=name,
                 default=(name == "replay"))
         for name, title, icon in PAGES]
st.navigation(pages).run()
