"""Export page: the results as files, each carrying the content hash of the result shown in
the header (in its name and inside it). The JSON files are the CLI's contracts (``hostwise
rank | explain | clarify | sensitivity --json``); the scenario as YAML; the Excel summary and
the questionnaire template from ``scoring.report.excel`` / ``scoring.io.excel``.
"""

from __future__ import annotations

import streamlit as st

from scoring.errors import HostwiseError
from scoring.i18n import _, format_number
from ui import state
from ui.components import award as aw
from ui.components import export_files as bx


def offer(d: bx.Download, key: str) -> None:
    c1, c2 = st.columns([2, 3])
    c1.download_button(d.label, data=d.data, file_name=d.file_name, mime=d.mime, key=key,
                       icon=":material/download:", width="stretch", on_click="ignore")
    c2.caption(_("{file} · {what} · {size} bytes").format(
        file=d.file_name, what=d.what, size=format_number(len(d.data), 0)))


ev = state.evaluation()
st.caption(_("Every file below carries the content hash {hash}… in its name and inside it, so "
             "a file is matched to the screen it came from.").format(hash=ev.hash[:12]))

st.subheader(_("Results (JSON, as the command line prints them)"))
with st.spinner(_("Preparing the clarification list and the sensitivity report…")):
    files = bx.json_downloads(ev)
for i, d in enumerate(files):
    offer(d, f"ex.json.{i}")

st.subheader(_("The scenario"))
w = state.working()
offer(bx.scenario_yaml(ev, w.doc, w.title), "ex.yaml")

st.subheader(_("Workbooks (Excel)"))
award = None
if ev.scenario.lots:
    try:
        award = aw.award_context(ev)
    except HostwiseError:
        award = None  # the Allocation page says why; the workbook leaves that sheet empty
with st.spinner(_("Writing the workbook…")):
    book = bx.summary_workbook(ev, award)
if isinstance(book, str):
    st.caption(_("Summary workbook: {why}.").format(why=book))
else:
    offer(book, "ex.xlsx")
era = st.selectbox(_("Questionnaire era"), ["2026", "2019"],
                   help=_("The questions in force for offers of that era."),
                   key=state.keep("ex.era", "2026", ["2026", "2019"]))
tpl = bx.template(ev, era)
if isinstance(tpl, str):
    st.caption(_("Questionnaire template: {why}.").format(why=tpl))
else:
    offer(tpl, "ex.template")
