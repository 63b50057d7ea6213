"""Offers page: every offer, answer by answer, with sources, confidence and scope; how complete
each questionnaire is; and questionnaire upload for this session.

Display only: loading and validation are the core's (``scoring.io``; ``.xlsx`` through
``scoring.io.excel.parse_workbook``). Vendor text is shown through dataframes (never HTML or
Markdown); links only for http(s) URLs. An upload is re-checked on the server (size, extension,
content), every problem of every file is listed, and nothing is loaded unless every file is
good; uploaded offers live in this session only (``state.set_uploads``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from scoring.errors import HostwiseError, QuestionnaireError
from scoring.i18n import _, format_number, ngettext
from scoring.io import MAX_FILE_BYTES, load_offers
from scoring.io.catalogue import load_catalogue
from scoring.models import Offer
from ui import state
from ui.components import charts
from ui.components import offer_views as views
from ui.components.glossary import helptext
from ui.components.header import show_error
from ui.components.safe import safe_frame
from ui.components.uploads import read_questionnaires
from ui.state import content_key

VENDORS = Path(__file__).resolve().parents[2] / "data" / "vendors"
ERAS = ("2019", "2026")


@st.cache_resource(show_spinner=False, max_entries=8)
def _bundled(key: str) -> tuple[Offer, ...]:
    """Both eras' bundled offers; ``key`` is their content hash (never stale)."""
    return load_offers([VENDORS / e for e in ERAS], load_catalogue("hdh")).offers  # HDH bids


def _upload(files: list[tuple[str, bytes]]) -> None:
    new, problems = read_questionnaires(files, state.catalogue())
    if problems:
        show_error(QuestionnaireError(problems), ngettext(
            "Nothing was loaded: {n} problem in the files below. Fix it and upload again.",
            "Nothing was loaded: {n} problems in the files below. Fix them and upload again.",
            len(problems)).format(n=len(problems)))
        return
    kept = {o.offer_id: o for o in state.uploads()}
    kept.update({o.offer_id: o for o in new})
    before = state.uploads()
    state.set_uploads(list(kept.values()))
    try:
        state.evaluation()  # the working scenario must accept them (one id per scenario)
    except HostwiseError as exc:
        state.set_uploads(before)
        show_error(exc, _("Nothing was loaded: the working scenario refuses these offers."))
        return
    st.session_state["offers.flash"] = ngettext(
        "Loaded {n} offer for this session only.", "Loaded {n} offers for this session only.",
        len(new)).format(n=len(new))
    st.rerun()


def _upload_box() -> None:
    with st.expander(_("Upload questionnaires (this session only)")):
        st.caption(_("YAML questionnaires (data/vendors/README.md) or the Excel template; at "
                     "most {size} KiB each. If any file has a problem, nothing is loaded and "
                     "every problem is listed.").format(
            size=format_number(MAX_FILE_BYTES // 1024, 0)))
        ups = st.file_uploader(_("Questionnaires"), type=["yaml", "yml", "xlsx"],
                               accept_multiple_files=True, key="offers.upload")
        ids = tuple(u.file_id for u in ups or [])
        if ups and st.session_state.get("offers.loaded") != ids:
            st.session_state["offers.loaded"] = ids
            _upload([(u.name, u.getvalue()) for u in ups])
        if state.uploads() and st.button(_("Remove the uploaded offers")):
            state.set_uploads([])
            st.rerun()


ev = state.evaluation()  # the header above it is app.py's
replay = state.is_replay_tender()  # the bundled 2019/2026 offers answer the replayed tender only
cat = ev.catalogue or state.catalogue()
try:
    with st.spinner(_("Reading the questionnaires...")):
        bundled = (_bundled(content_key([VENDORS / e for e in ERAS])) if replay
                   else tuple(o for o in ev.offers
                              if o.key not in {u.key for u in state.uploads()}))
except HostwiseError as exc:
    show_error(exc, _("The bundled questionnaires could not be loaded:"))
    st.stop()
if (flash := st.session_state.pop("offers.flash", None)) is not None:
    st.success(flash)
_upload_box()
uploaded = state.uploads()
offers = sorted([*bundled, *uploaded], key=lambda o: (o.era, o.offer_id))
seal = {r.offer.offer_id: ("—" if r.seal_overall is None else
                           f"{r.seal_overall}{'' if r.seal_complete else '?'}")
        for r in ev.results}
table = views.summary(offers, cat, seal, {o.key for o in uploaded})

c1, c2, c3 = st.columns(3)
eras = c1.multiselect(_("Era"), sorted(set(table["era"])), placeholder=_("Choose options"),
                      key=state.keep("offers.era",
                                     [ev.offers[0].era] if ev.offers else list(ERAS)))
countries = sorted(set(table["HQ country"])) if "HQ country" in table.columns else []
ctry = (c2.multiselect(_("HQ country (empty = all)"), countries,
                       placeholder=_("Choose options"), key=state.keep("offers.country", []))
        if countries else [])
seal_min = (c3.select_slider(_("Overall sovereignty level (SEAL) at least"),
                             options=[0, 1, 2, 3, 4],
                             key=state.keep("offers.seal", 0), help=helptext("SEAL"))
            if cat.uses("sovereignty") else 0)  # no SEAL level in a tender without the module
shown = table[table["era"].isin(eras or list(ERAS))]
if ctry:
    shown = shown[shown["HQ country"].isin(ctry)]
if seal_min:
    lvl = shown["SEAL"].str.rstrip("?").map(lambda s: int(s) if s.isdigit() else -1)
    shown = shown[lvl >= seal_min]
st.caption(_("Counts of answers by confidence. Unknown means the sources say nothing: it is "
             "not a no. SEAL is the overall sovereignty level (0 to 4) at the working "
             "scenario's date ('?': at most, some objectives unknown; — when the offer is not "
             "in the working scenario)."), help=helptext("unknown", "SEAL", "product line"))
st.dataframe(safe_frame(views.shown_columns(shown)), hide_index=True, width="stretch")
st.caption(ngettext("{n} offer", "{n} offers", len(shown)).format(n=len(shown)))

if shown.empty:
    st.info(_("No offer matches these filters."))
    st.stop()
pick_offers = [o for o in offers if o.offer_id in set(shown["id"]) and o.era in set(shown["era"])]
st.subheader(_("Completeness"), help=helptext("unknown", "n/a", "product line"))
z = views.grid(pick_offers, cat)
fig = charts.heatmap([f"{o.vendor_name} ({o.era})" for o in pick_offers],
                     [q.id for q in cat.questions], z, [_(s) for s in views.STATES],
                     views.STATE_COLOURS)
st.plotly_chart(fig, width="stretch")

st.subheader(_("Answers of one offer"))
keys = [o.key for o in pick_offers]
by_key = {o.key: o for o in pick_offers}
key = st.selectbox(_("Offer"), keys, key=state.keep("offers.pick", keys[0], keys),
                   format_func=lambda k: f"{by_key[k].vendor_name}: {by_key[k].offer_name} "
                                         f"({by_key[k].era})")
o = by_key[key]
st.dataframe(safe_frame(views.answers(o, cat)), hide_index=True, width="stretch",
             column_config={_("link"): st.column_config.LinkColumn(_("link"), width="small"),
                            _("source"): st.column_config.TextColumn(width="medium"),
                            _("note"): st.column_config.TextColumn(width="large")})
st.caption(_("Sources of this offer (links only for web addresses)"))
st.dataframe(safe_frame(views.sources(o)), hide_index=True, width="stretch",
             column_config={_("link"): st.column_config.LinkColumn(_("link"))})
if o.prices:
    st.caption(_("Prices as published (another product line's prices are never used for "
                 "cost)"))
    st.dataframe(safe_frame(pd.DataFrame([{
        _("item"): p.item, _("price"): p.price, _("currency"): p.currency,
        _("date"): _("undated") if p.date is None else p.date.isoformat(),
        _("confidence"): _(p.confidence),
        _("other product line"): getattr(p, "other_product", None) or ""}
        for p in o.prices])), hide_index=True, width="stretch",
        column_config={_("price"): st.column_config.NumberColumn(format="%.4f")})
