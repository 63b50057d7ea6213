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

from scoring.i18n import N_, _
from ui import state
from ui.components.header import demo_banner, header, scenario_picker
from ui.components.language import language_switch

st.set_page_config(page_title="Hostwise", layout="wide")
language_switch()  # sets this run's language before any word is drawn (issue 19)

# section -> (file under ui/pages, sidebar label, icon, page heading); English marked with N_
# and translated below, on every run, in the session's language.
SECTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    N_("Replay"): [
        ("replay", N_("Replay"), ":material/history:",
         N_("Replay: the Health Data Hub's host, 2019 and 2026")),
        ("compare", N_("Compare"), ":material/compare_arrows:", N_("Compare")),
    ],
    N_("Analyse"): [
        ("offers", N_("Offers"), ":material/inventory_2:", N_("Vendor offers")),
        ("criteria", N_("Criteria & weights"), ":material/tune:", N_("Criteria & weights")),
        ("ranking", N_("Ranking"), ":material/leaderboard:", N_("Ranking")),
        ("robustness", N_("Robustness"), ":material/query_stats:", N_("Robustness")),
    ],
    N_("Award"): [
        ("allocation", N_("Allocation"), ":material/account_tree:", N_("Allocation")),
        ("export", N_("Export"), ":material/download:", N_("Export")),
    ],
    N_("Committee"): [
        ("tender", N_("Tender"), ":material/gavel:", N_("Tender")),
        ("evaluate", N_("Evaluate"), ":material/rate_review:", N_("Evaluate")),
        ("moderation", N_("Moderation"), ":material/forum:", N_("Moderation")),
        ("audit", N_("Audit"), ":material/verified:", N_("Audit")),
    ],
}
HEADINGS = {name: heading for pages in SECTIONS.values() for name, _t, _i, heading in pages}
# Committee pages work on a tender, not on the working scenario: no header. Tender still
# creates a tender from the working scenario and records bids of its offers: it gets the picker.
NO_HEADER = {name for name, *_rest in SECTIONS["Committee"]}
PICKER_ONLY = {"tender"}

PAGES = {name: st.Page(f"ui/pages/{name}.py", title=_(title), icon=icon, url_path=name)
         for pages in SECTIONS.values() for name, title, icon, _h in pages}


def _to_replay() -> None:
    """The root address: Replay, at its own address (never drawn: app.py switches first)."""
    st.switch_page(PAGES["replay"], query_params=st.query_params.to_dict())


ROOT = st.Page(_to_replay, title="Hostwise", url_path="home", default=True,
               visibility="hidden")
nav = {_(section): [PAGES[name] for name, *_rest in pages]
       for section, pages in SECTIONS.items()}
nav[_("Replay")].insert(0, ROOT)
page = st.navigation(nav)
if page.url_path == "":  # the root address
    _to_replay()
name = page.url_path
replayed = name != "replay" or state.is_replay_tender()  # another tender: its overview
st.title(_(HEADINGS[name]) if replayed else _("Overview of the working tender"))
if name not in NO_HEADER:
    header(replay=name == "replay" and replayed)
elif name in PICKER_ONLY:
    scenario_picker()
    demo_banner()
page.run()
