"""Compare page: two to four scenarios side by side (the bundled ones by title, and the working
scenario when it differs from its bundled file).

Display only: ``scoring.report.compare.compare_data`` (the CLI's ``hostwise compare --json``)
gives the rank in each scenario, the rank change, the pillar deltas, the gates that differ and
the laws reaching each vendor, with the same vendor matched across eras (the 2019 ``ovh`` and
the 2026 ``ovhcloud`` offers are one vendor). Vendor text only through dataframes.
"""

from __future__ import annotations

import streamlit as st

from scoring.engine import Evaluation, evaluate
from scoring.errors import HostwiseError
from scoring.i18n import _
from scoring.report.compare import compare_data
from scoring.scenario.texts import text as sc_text
from ui import state
from ui.components import charts
from ui.components.compare_tables import (
    laws_frame,
    offers_frame,
    scenarios_frame,
    short_label,
    vendor_names,
    vendor_ranks,
)
from ui.components.safe import safe_frame
from ui.state import content_key, memo

WORKING = "__working__"


def _bundled(name: str) -> Evaluation:
    from scoring.engine import evaluate_path

    key = content_key([state.DATA])
    return memo(("bundled", name, key), lambda: evaluate_path(state.SCENARIOS / name))


def _working(ev: Evaluation, clash: set[str]) -> Evaluation:
    """The working scenario under an id of its own when a bundled one in the comparison has
    the same id (compare rows are keyed by scenario id)."""
    if ev.scenario.id not in clash:
        return ev
    sc = ev.scenario.model_copy(update={
        "id": _("{id} (working)").format(id=ev.scenario.id),
        "title": _("{title} (working copy)").format(title=sc_text(ev.scenario, "title"))})
    return memo(("cmp-working", ev.hash),
                lambda: evaluate(sc, list(ev.offers), method=ev.method,
                                 scenario_file=ev.scenario_file))


ev = state.evaluation()
w = state.working()
titles = state.bundled_titles()
# Only scenarios of the working tender: two tenders' rankings are not a comparison (the replay's
# eras share the hdh catalogue; the ght-dpi demonstration has its own scenarios).
options = [n for n in titles
           if str(state.bundled_doc(n).get("catalogue") or state.REPLAY_CATALOGUE)
           == state.catalogue_ref()]
labels = {n: short_label(n, t) for n, t in titles.items()}
if w.bundled is None or w.edits or state.uploads():
    options.insert(0, WORKING)
    labels[WORKING] = short_label(_("working (edited)") if w.edits else _("working"), w.shown_title)
first = "hdh-2019.yaml" if "hdh-2019.yaml" in options else options[0]
second = WORKING if WORKING in options else (w.bundled or options[-1])
default = list(dict.fromkeys([first, second if second != first else options[-1]]))
# A form: picking a 3rd and a 4th scenario does not rerun the page between clicks (a rerun
# redrew the multiselect and took its focus away); the choice is kept across pages.
with st.form("cmp.form", border=False):
    st.multiselect(_("Scenarios to compare (2 to 4, in the order to read them)"), options,
                   placeholder=_("Choose options"),
                   max_selections=4, format_func=lambda n: labels.get(n, n),
                   key=state.keep("cmp.pick", default, options))
    st.form_submit_button(_("Compare"))
picked = list(st.session_state["cmp.pick"])
if len(picked) < 2:
    st.info(_("Pick at least two scenarios, then Compare."))
    st.stop()

evs: list[Evaluation] = []
names: list[str] = []
try:
    with st.spinner(_("Scoring the scenarios…")):
        bundled_ids = {_bundled(n).scenario.id for n in picked if n != WORKING}
        for n in picked:
            evs.append(_working(ev, bundled_ids) if n == WORKING else _bundled(n))
            names.append(labels.get(n, n))
except HostwiseError as exc:
    st.error(_("A scenario could not be scored:"))
    st.text(str(exc))
    st.stop()

data = memo(("compare", *(e.hash + e.scenario.id for e in evs)), lambda: compare_data(evs))
vendors = vendor_names(evs)
st.dataframe(safe_frame(scenarios_frame(data, names, evs)), hide_index=True, width="stretch",
             key="cmp.scenarios")
st.subheader(_("Rank in each scenario"))
st.caption(_("1 at the top; a missing point means the vendor did not bid; the bottom row is "
             "excluded by a gate. The same vendor is one line across eras (OVH in 2019 and "
             "OVHcloud in 2026), at its best-ranked offer."))
worst = max((r.rank or 0) for e in evs for r in e.results) + 1
st.plotly_chart(charts.bump([n.split(" · ")[0] for n in names],
                            vendor_ranks(data, vendors, worst), worst), key="cmp.bump",
                width="stretch")
st.dataframe(safe_frame(offers_frame(data, vendors)), hide_index=True, width="stretch",
             key="cmp.offers")
columns = [n.split(" · ")[0] for n in names]  # file stems and "working": our own words
st.caption(_("Rank change and pillar deltas: from {first} to {last} (a positive rank change "
             "is a move up). Gates that differ: excluded by the gate in one of the two "
             "only.").format(first=columns[0], last=columns[-1]))
st.subheader(_("Laws that reach each vendor"))
st.dataframe(safe_frame(laws_frame(data, vendors)), hide_index=True, width="stretch",
             key="cmp.laws")
