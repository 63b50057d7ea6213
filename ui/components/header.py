"""The header of every page that reads the working scenario, and the one way core errors reach
the screen.

Header (drawn once, by ``app.py``, above whichever page runs): the working scenario's title
(never a file name), evaluation date, method label, missing-answer policy, short content hash,
the offers uploaded in this session, the labelled assumptions with their text, and a sidebar
picker of bundled scenarios by title. Scenario text may come from an upload, so it is
shown with ``st.text`` and dataframes only; the captions hold our own words and values we
control (dates, registry labels, policy names, hex hashes).

Errors: a ``HostwiseError`` becomes a plain-words ``st.error`` and the located lines as text
(``client.showErrorDetails = "none"`` hides any traceback that would still escape).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from scoring.errors import HostwiseError, ProblemsError
from scoring.i18n import _, format_date, ngettext
from scoring.messages import render
from scoring.methods.registry import METHODS
from scoring.scenario.model import Scenario, demo_label
from scoring.scenario.texts import text as sc_text
from ui import state
from ui.components.fmt import short_hash
from ui.components.glossary import glossary, helptext, method_help
from ui.components.safe import safe_frame

_PICK = "hw.pick"
_WORKING = "__working__"


def show_error(exc: HostwiseError, what: str) -> None:
    """``what`` in our words, then every located problem (file, vendor, field, message)."""
    st.error(what)
    if isinstance(exc, ProblemsError) and exc.problems:
        rows = [{_(k): render(v) if k == "message" else v for k, v in p.as_dict().items()}
                for p in exc.problems]
        st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch")
    else:
        st.text(str(exc))


def _picked() -> None:
    name = st.session_state[_PICK]
    if name != _WORKING:
        state.use_bundled(name)


def scenario_picker() -> None:
    """Sidebar: bundled scenarios by title (and the working one when it was uploaded)."""
    w = state.working()
    titles = state.bundled_titles()
    options = list(titles)
    labels = dict(titles)
    if w.bundled is None:
        options.insert(0, _WORKING)
        labels[_WORKING] = _("Uploaded: {title}").format(title=w.title)
    st.session_state[_PICK] = w.bundled or _WORKING
    st.sidebar.selectbox(_("Working scenario"), options, key=_PICK, on_change=_picked,
                         format_func=lambda n: labels.get(n, n),
                         help=_("Every page reads this scenario. Pick a bundled one to start "
                                "afresh; edit it on Criteria & weights."))
    if w.edits:
        st.sidebar.caption(ngettext(
            "{n} change in this session (Criteria & weights lists it; Reset there goes back "
            "to the bundled file).",
            "{n} changes in this session (Criteria & weights lists them; Reset there goes "
            "back to the bundled file).", len(w.edits)).format(n=len(w.edits)))
    with st.sidebar.expander(_("Glossary")):
        terms = glossary()
        st.dataframe(pd.DataFrame({_("term"): list(terms), _("meaning"): list(terms.values())}),
                     hide_index=True, width="stretch",
                     column_config={_("meaning"): st.column_config.TextColumn(width="large")})


def demo_banner(sc: Scenario | None = None) -> None:
    """"Demonstration data — fictional vendors" above anything a demonstration scenario shows
    (``Scenario.demo``): our words as a warning, the scenario's reason as plain text."""
    if sc is None:
        try:
            sc = state.scenario()
        except HostwiseError:
            return
    if sc.demo is not None:
        st.warning(demo_label(), icon=":material/science:")
        st.text(" ".join(sc_text(sc, "demo.reason").split()))


def header(replay: bool = False) -> None:
    """Draw the header of the working scenario (stop the page, with a readable message, when
    the core refuses it). ``replay``: the page shows the published scenarios, not the working
    one, and says so when the session has uploads (they are not in the replay)."""
    state.sync_url()
    scenario_picker()
    w = state.working()
    try:
        ev = state.evaluation()
    except HostwiseError as exc:
        st.text(w.shown_title)
        show_error(exc, _("The working scenario could not be scored. Nothing below would be "
                          "reliable; fix the problems listed (or reset on Criteria & "
                          "weights)."))
        st.stop()
        raise  # unreachable: st.stop() raises
    sc = ev.scenario
    m = METHODS[ev.method]
    demo_banner(sc)
    title = sc_text(sc, "title")
    st.text(_("{title}  (edited in this session)").format(title=title) if w.edits else title)
    st.caption(
        _("Evaluation date **{date}** · method **{method}** · missing answers: **{policy}** · "
          "content hash `{hash}`").format(date=format_date(sc.evaluation_date),
                                          method=_(m.label), policy=_(sc.missing_policy),
                                          hash=short_hash(ev.hash)),
        help="\n\n".join((helptext("evaluation date"), method_help(ev.method),
                            helptext("missing-answer policy", "content hash"))))
    ups = state.uploads()
    if ups:  # offer ids are outside text: plain text, never Markdown
        where = {r.offer.offer_id: r.rank for r in ev.results}
        status = {o.offer_id: _("excluded by a gate") if where.get(o.offer_id) is None
                  else _("rank {rank}").format(rank=where[o.offer_id]) for o in ups}
        st.text(_("Uploaded in this session ({n}), in the working scenario: {offers}").format(
            n=len(ups), offers=", ".join(f"{i} ({s})" for i, s in status.items())))
        if replay:
            st.caption(_("This page replays the published scenarios, which hold no uploaded "
                         "offer: yours are on Offers, Ranking, Robustness, Allocation, Compare "
                         "(the working scenario) and Export."))
    labelled = [{"id": a.id, _("assumption"): sc_text(sc, f"assumptions.{a.id}.text"),
                 _("reasoning"): sc_text(sc, f"assumptions.{a.id}.reasoning")}
                for a in sc.assumptions]
    with st.expander(_("Labelled assumptions ({n}) and workload").format(n=len(labelled)),
                     expanded=False):
        st.caption(_("A labelled assumption is a number nobody published, written "
                     "down with its reasoning."), help=helptext("ASSUMPTION"))
        if labelled:
            st.dataframe(safe_frame(pd.DataFrame(labelled)), hide_index=True, width="stretch",
                         column_config={
                             _("assumption"): st.column_config.TextColumn(width="large"),
                             _("reasoning"): st.column_config.TextColumn(width="large")})
        st.text(_("Workload ({label}): {reasoning}").format(
            label=sc_text(sc, "workload.label"),
            reasoning=" ".join(sc_text(sc, "workload.reasoning").split())))
