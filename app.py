"""Hostwise Streamlit entry: the router, and what every page shares, drawn once.

All numbers come from the ``scoring`` core; the working scenario lives in ``ui/state.py``; each
page is one file under ``ui/pages`` and draws only its own content. This file draws, around
``st.navigation``, the page's title and (on the pages that read the working scenario) the
header and the sidebar's scenario picker, so a page cannot forget them or draw them twice.

Every page has its own address, Replay included: Streamlit serves a default page at ``/`` and
then answers "Page not found" at its own ``url_path``. So the default page is a hidden one at
``/`` that sends the visitor to ``/replay`` (keeping the query string), and ``/replay`` is an
ordinary page: both addresses show Replay and the sidebar marks it.
"""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.components.header import demo_banner, header, scenario_picker

st.set_page_config(page_title="Hostwise", layout="wide")

# section -> (file under ui/pages, sidebar label, icon, page heading)
SECTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    "Replay": [
        ("replay", "Replay", ":material/history:",
         "Replay: the Health Data Hub's host, 2019 and 2026"),
        ("compare", "Compare", ":material/compare_arrows:", "Compare"),
    ],
    "Analyse": [
        ("offers", "Offers", ":material/inventory_2:", "Vendor offers"),
        ("criteria", "Criteria & weights", ":material/tune:", "Criteria & weights"),
        ("ranking", "Ranking", ":material/leaderboard:", "Ranking"),
        ("robustness", "Robustness", ":material/query_stats:", "Robustness"),
    ],
    "Award": [
        ("allocation", "Allocation", ":material/account_tree:", "Allocation"),
        ("export", "Export", ":material/download:", "Export"),
    ],
    "Committee": [
        ("tender", "Tender", ":material/gavel:", "Tender"),
        ("evaluate", "Evaluate", ":material/rate_review:", "Evaluate"),
        ("moderation", "Moderation", ":material/forum:", "Moderation"),
        ("audit", "Audit", ":material/verified:", "Audit"),
    ],
}
HEADINGS = {name: heading for pages in SECTIONS.values() for name, _, _, heading in pages}
# Committee pages work on a tender, not on the working scenario: no header. Tender still
# creates a tender from the working scenario and records bids of its offers: it gets the picker.
NO_HEADER = {name for name, *_ in SECTIONS["Committee"]}
PICKER_ONLY = {"tender"}

PAGES = {name: st.Page(f"ui/pages/{name}.py", title=title, icon=icon, url_path=name)
         for pages in SECTIONS.values() for name, title, icon, _ in pages}


def _to_replay() -> None:
    """The root address: Replay, at its own address (never drawn: app.py switches first)."""
    st.switch_page(PAGES["replay"], query_params=st.query_params.to_dict())


ROOT = st.Page(_to_replay, title="Hostwise", url_path="home", default=True,
               visibility="hidden")
nav = {section: [PAGES[name] for name, *_ in pages] for section, pages in SECTIONS.items()}
nav["Replay"].insert(0, ROOT)
page = st.navigation(nav)
if page.url_path == "":  # the root address
    _to_replay()
name = page.url_path
replayed = name != "replay" or state.is_replay_tender()  # another tender: its overview
st.title(HEADINGS[name] if replayed else "Overview of the working tender")
if name not in NO_HEADER:
    header(replay=name == "replay" and replayed)
elif name in PICKER_ONLY:
    scenario_picker()
    demo_banner()
page.run()
