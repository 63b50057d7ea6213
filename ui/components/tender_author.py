"""The draft's editor on the Tender page: the tender's own criteria, questions (type, grid),
weights, gates, lots, workload and the evaluators' questions, with every problem of the draft
located beside it (``scoring.committee.authoring``, ``catalogue.check_draft``).

Display only: each form calls one operation of the core with the version the page was drawn
at (a stale edit is refused there, never overwrites). The weights table shows the check of
the weights being typed before they are saved (``authoring.preview``). Text from the
catalogue (a workbook's labels) reaches the page through dataframes and ``st.text`` only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from scoring.committee import Person, authoring
from scoring.committee.catalogue import DraftCheck
from scoring.errors import HostwiseError, Problem
from scoring.i18n import LANGUAGES, _, decimal_mark, ngettext
from scoring.models import MODULES
from ui.components.committee import store
from ui.components.safe import safe_frame
from ui.components.tender_tree import apply_edit, format_form, modules_tab, pillar_forms

Change = Callable[[dict[str, Any], dict[str, Any], list[str]], None]


def problems_panel(check: DraftCheck) -> None:
    """Every problem of the draft, located (where, what), all at once; then the warnings."""
    if check.ok:
        st.success(_("The draft is valid: it can be published."))
    else:
        n = len(check.problems)
        st.error(ngettext("{n} problem stops the publication:",
                          "{n} problems stop the publication:", n).format(n=n))
        located(check.problems)
    if check.warnings:
        st.warning(_("To know (does not stop the publication):"))
        located(check.warnings)


def located(problems: tuple[Problem, ...] | list[Problem]) -> None:
    """One problem a line, where first (``st.text``: plain text, wrapped, never Markdown: a
    message may quote a workbook's words). A long list scrolls in its box."""
    box = st.container(height=360 if len(problems) > 8 else "content", border=True)
    for p in problems:
        box.text(f"{p.question or p.file}: {p.message}")


def _criteria(cat: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p, c) for p, d in (cat.get("pillars") or {}).items() if p not in MODULES
            for c in (d.get("criteria") or {})]


def _tree(cat: dict[str, Any]) -> None:
    rows = []
    for p, d in (cat.get("pillars") or {}).items():
        rows.append({_("pillar"): p, _("criterion"): "", _("question"): "", _("type"): "",
                     _("text"): str(d.get("label", ""))})
        for c, label in (d.get("criteria") or {}).items():
            rows.append({_("pillar"): p, _("criterion"): c, _("question"): "", _("type"): "",
                         _("text"): str(label)})
            rows += [{_("pillar"): p, _("criterion"): c, _("question"): q.get("id"),
                      _("type"): q.get("type"), _("text"): str(q.get("help", ""))}
                     for q in cat.get("questions") or []
                     if q.get("pillar") == p and q.get("criterion") == c]
    st.dataframe(safe_frame(pd.DataFrame(rows)), hide_index=True, width="stretch", height=300)


def criteria_tab(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> DraftCheck | None:
    """The tree, its pillars, criteria and questions; returns the check of an answer format
    being typed (before it is saved), if one is."""
    _tree(cat)
    pillar_forms(who, d, cat)
    crits = _criteria(cat)
    pillars = [p for p in (cat.get("pillars") or {}) if p not in MODULES]
    with st.form("c.a.crit.add"):
        st.markdown(_("**Add a criterion**"))
        c1, c2, c3 = st.columns([2, 2, 3])
        p = c1.selectbox(_("Pillar"), pillars, key="c.a.crit.p")
        cid = c2.text_input(_("Criterion id"), key="c.a.crit.id")
        label = c3.text_input(_("Label"), key="c.a.crit.label")
        if st.form_submit_button(_("Add the criterion")):
            apply_edit(who, d, "add_criterion", authoring.add_criterion(str(p), cid.strip(), label),
                   {"pillar": p, "criterion": cid.strip()},
                   _("The criterion {c} was added.").format(c=cid.strip()))
    if crits:
        with st.form("c.a.crit.edit"):
            st.markdown(_("**Rename or remove a criterion**"))
            c1, c2 = st.columns([2, 3])
            pc = c1.selectbox(_("Criterion"), crits, format_func=lambda x: f"{x[0]} / {x[1]}",
                              key="c.a.crit.pick")
            label = c2.text_input(_("New label"), key="c.a.crit.new")
            remove = st.checkbox(_("Remove it, with its questions and its weight"),
                                 key="c.a.crit.rm")
            if st.form_submit_button(_("Apply to the criterion")) and pc is not None:
                p, c = pc
                if remove:
                    apply_edit(who, d, "remove_criterion", authoring.remove_criterion(p, c),
                           {"pillar": p, "criterion": c},
                           _("The criterion {c} was removed.").format(c=c))
                else:
                    apply_edit(who, d, "rename_criterion", authoring.rename_criterion(p, c, label),
                           {"pillar": p, "criterion": c},
                           _("The criterion {c} was renamed.").format(c=c))
    return _question_forms(who, d, cat, crits)


def _question_forms(who: Person, d: authoring.Draft, cat: dict[str, Any],
                    crits: list[tuple[str, str]]) -> DraftCheck | None:
    if crits:
        with st.form("c.a.q.add"):
            st.markdown(_("**Add a question**"))
            c1, c2, c3 = st.columns([2, 2, 1])
            pc = c1.selectbox(_("Criterion"), crits, format_func=lambda x: f"{x[0]} / {x[1]}",
                              key="c.a.q.crit")
            qid = c2.text_input(_("Question id"), key="c.a.q.id")
            qtype = c3.selectbox(_("Type"), authoring.TYPES, index=len(authoring.TYPES) - 1,
                                 key="c.a.q.type")
            text = st.text_input(_("Question text (as the bidder reads it)"), key="c.a.q.text")
            req = st.text_input(_("Requirement (clause)"), key="c.a.q.req")
            if st.form_submit_button(_("Add the question")) and pc is not None:
                apply_edit(who, d, "add_question", authoring.add_question(
                    pc[0], pc[1], qid.strip(), str(qtype), text, req),
                    {"question": qid.strip(), "type": qtype},
                    _("The question {q} was added.").format(q=qid.strip()))
    qs = {str(q.get("id")): q for q in cat.get("questions") or []}
    if not qs:
        return None
    qid = st.selectbox(_("Question to change"), list(qs), key="c.a.q.pick")
    q = qs[str(qid)]
    _change_form(who, d, str(qid), q)
    return format_form(who, d, cat, q)


def _change_form(who: Person, d: authoring.Draft, qid: str, q: dict[str, Any]) -> None:
    with st.form(f"c.a.q.edit.{d.version}.{qid}"):
        st.markdown(_("**Change the question**"))
        text = st.text_input(_("Question text (as the bidder reads it)"),
                             value=str(q.get("help", "")))
        req = st.text_input(_("Requirement (clause)"), value=str(q.get("requirement", "")))
        qtype = st.selectbox(_("Type"), authoring.TYPES,
                             index=authoring.TYPES.index(q["type"])
                             if q.get("type") in authoring.TYPES else 0)
        grid = authoring.grid_text(q.get("grid"))
        if q.get("type") == "grade":  # other types' answer format: the form below
            grid = st.text_input(_("Grid of a grade question (level=descriptor; ...)"),
                                 value=grid, help=_("For example 0=absent; 1=partial; "
                                                    "2=complete. A third part gives the "
                                                    "level's utility: 1=partial=40."))
        remove = st.checkbox(_("Remove this question (and its weight)"))
        if st.form_submit_button(_("Apply to the question")):
            if remove:
                apply_edit(who, d, "remove_question", authoring.remove_question(str(qid)),
                       {"question": qid}, _("The question {q} was removed.").format(q=qid))
                return
            try:
                new_grid = (authoring.grid_of(grid) if qtype == q.get("type") == "grade"
                            and grid != authoring.grid_text(q.get("grid")) else None)
            except HostwiseError as exc:
                st.error(_("The grid was not read:"))
                st.text(str(exc))
                return
            apply_edit(who, d, "set_question", authoring.set_question(
                str(qid), text=text, requirement=req,
                qtype=str(qtype) if qtype != q.get("type") else None, grid=new_grid),
                {"question": qid}, _("The question {q} was changed.").format(q=qid))


def _cols() -> tuple[str, str, str, str]:
    """The weights table's columns, in the reader's language (the frame's own names: a table
    shows its column names)."""
    return _("pillar"), _("criterion"), _("question"), _("weight")


def _weight_rows(cat: dict[str, Any], sc: dict[str, Any]) -> pd.DataFrame:
    w = sc.get("weights") or {}
    rows: list[dict[str, Any]] = []
    for p, pd_ in (cat.get("pillars") or {}).items():
        pw = w.get(p) or {}
        rows.append({"pillar": p, "criterion": "", "question": "",
                     "weight": _shown(pw.get("weight") if isinstance(pw, dict) else None)})
        crit = (pw.get("criteria") if isinstance(pw, dict) else None) or {}
        for c in (pd_.get("criteria") or {}) if p not in MODULES else ():
            cw = crit.get(c)
            rows.append({"pillar": p, "criterion": c, "question": "",
                         "weight": _shown(cw.get("weight") if isinstance(cw, dict) else cw)})
            qw = (cw.get("questions") if isinstance(cw, dict) else None) or {}
            rows += [{"pillar": p, "criterion": c, "question": q.get("id"),
                      "weight": _shown(qw.get(q.get("id")))} for q in cat.get("questions") or []
                     if q.get("pillar") == p and q.get("criterion") == c]
    return pd.DataFrame(rows, columns=["pillar", "criterion", "question", "weight"]).set_axis(
        list(_cols()), axis=1)


def _shown(v: Any) -> str:
    """A weight in the table: as a number reads in the reader's language; empty when none."""
    return "" if v is None else decimal_mark(f"{float(v):g}")


def _weights_change(df: pd.DataFrame) -> Change:
    pillars: dict[str, float] = {}
    criteria: dict[tuple[str, str], float] = {}
    questions: dict[tuple[str, str, str], float] = {}
    for p, c, q, typed in df.itertuples(index=False, name=None):
        v = authoring.weight_of(typed, "/".join(x for x in (p, c, q) if x))
        if v is None:
            continue
        if not c:
            pillars[p] = float(v)
        elif not q:
            criteria[(p, c)] = float(v)
        else:
            questions[(p, c, q)] = float(v)
    return authoring.set_weights(pillars, criteria, questions)


def weights_tab(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> DraftCheck:
    """The weights, typed in a table; the check beside the editor follows what is typed
    (before saving). Returns that check."""
    st.caption(_("Pillar rows weigh the pillars, criterion rows the criteria within their "
                 "pillar, question rows the questions within their criterion (empty: equal "
                 "shares). A criterion left empty counts 0, which the publication refuses."))
    base = _weight_rows(cat, d.scenario)
    p, c, q, w = _cols()
    edited = st.data_editor(
        safe_frame(base), hide_index=True, width="stretch", height=320,
        disabled=[p, c, q], key=f"c.a.w.{d.version}",
        column_config={w: st.column_config.TextColumn()})
    try:
        change = _weights_change(edited)
    except HostwiseError as exc:
        st.error(_("A weight was not read:"))
        st.text(str(exc))
        return d.check
    typed = not edited[w].equals(base[w])
    if typed:
        st.info(_("Not saved yet: the check beside shows these weights."))
    if st.button(_("Save the weights"), key="c.a.w.save", disabled=not typed):
        apply_edit(who, d, "set_weights", change, {}, _("The weights were saved."))
    return authoring.preview(d, change) if typed else d.check


def rules_tab(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> None:
    """Gates (the catalogue's, chosen), lots and the workload (quantities per price item)."""
    gates = {str(g.get("id")): str(g.get("label", "")) for g in cat.get("gates") or []}
    have = [str(g.get("id")) for g in d.scenario.get("gates") or [] if g.get("id") in gates]
    with st.form(f"c.a.g.{d.version}"):
        picked = st.multiselect(_("Gates that apply (published minimum requirements)"),
                                list(gates), default=have,
                                format_func=lambda g: f"{g}: {gates.get(g, '')}")
        if st.form_submit_button(_("Save the gates")):
            apply_edit(who, d, "set_gates", authoring.set_gates(picked), {"gates": picked},
                   _("The gates were saved."))
    items = list(cat.get("price_items") or {})
    if items:
        annual = (d.scenario.get("workload") or {}).get("annual") or {}
        st.markdown(_("**Workload: quantities bought each year**"))
        item, qty = _("price item"), _("quantity per year")
        wl = st.data_editor(safe_frame(pd.DataFrame(
            {item: items, qty: [annual.get(i) for i in items]})), hide_index=True,
            disabled=[item], key=f"c.a.wl.{d.version}",
            column_config={qty: st.column_config.NumberColumn(min_value=0.0)})
        if st.button(_("Save the workload"), key="c.a.wl.save"):
            q = {str(i): float(n) for i, n in wl.itertuples(index=False, name=None)
                 if n is not None and not pd.isna(n)}
            apply_edit(who, d, "set_workload", authoring.set_workload(q), {},
                   _("The workload was saved."))
    lots = d.scenario.get("lots") or []
    st.markdown(_("**Lots**"))
    cols = [_("lot id"), _("name"), _("weight"), _("demand (item=quantity; ...)")]
    rows = [(lot.get("id"), lot.get("name"), lot.get("weight", 1.0),
             "; ".join(f"{k}={v}" for k, v in (lot.get("demand") or {}).items()))
            for lot in lots]
    ed = st.data_editor(safe_frame(pd.DataFrame(rows, columns=cols)), num_rows="dynamic",
                        hide_index=True, key=f"c.a.lots.{d.version}",
                        column_config={cols[2]: st.column_config.NumberColumn(min_value=0.0)})
    if st.button(_("Save the lots"), key="c.a.lots.save"):
        try:
            new = authoring.lots_of(list(ed.itertuples(index=False, name=None)), lots)
        except HostwiseError as exc:
            st.error(_("The lots were not read:"))
            st.text(str(exc))
            return
        apply_edit(who, d, "set_lots", authoring.set_lots(new), {"lots": [x["id"] for x in new]},
               _("The lots were saved."))


def evaluators_tab(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> None:
    qs = [str(q.get("id")) for q in cat.get("questions") or []
          if q.get("type") in ("grade", "level", "number", "percent")]
    with st.form(f"c.a.e.{d.version}"):
        picked = st.multiselect(_("Questions the evaluators score"), qs,
                                default=[q for q in d.questions if q in qs])
        if st.form_submit_button(_("Save the evaluators' questions")):
            apply_edit(who, d, "set_evaluated", authoring.set_evaluated(picked),
                   {"questions": picked}, _("The evaluators' questions were saved."))


def downloads(tid: int) -> None:
    """The tender's criteria workbook and the bidders' questionnaire template, generated from
    the tender's own catalogue (prepared on demand: a workbook takes a moment); the catalogue
    itself as YAML (what ``hostwise catalogue validate`` checks), as it stands."""
    try:
        text = authoring.catalogue_text(store(), tid)
    except HostwiseError:
        text = None  # a tender naming a bundled catalogue: no catalogue of its own
    if text is not None:
        st.download_button(_("Catalogue (YAML)"), text.encode("utf-8"),
                           file_name=f"tender-{tid}-catalogue.yaml", mime="application/yaml",
                           key="c.a.dl.yaml", on_click="ignore")
    key = f"hw.c.a.dl.{tid}"
    if st.button(_("Prepare the criteria workbook and the questionnaire template"),
                 key="c.a.dl"):
        try:
            st.session_state[key] = authoring.downloads(store(), tid)
        except HostwiseError as exc:
            st.error(_("The files could not be made:"))
            st.text(str(exc))
    files = st.session_state.get(key)
    if files:
        c1, c2 = st.columns(2)
        c1.download_button(_("Criteria workbook (grille d'analyse)"), files[0],
                           file_name=f"tender-{tid}-criteria.xlsx", key="c.a.dl.grid",
                           on_click="ignore")
        c2.download_button(_("Bidders' questionnaire template"), files[1],
                           file_name=f"tender-{tid}-questionnaire.xlsx", key="c.a.dl.tpl",
                           on_click="ignore")


def editor(who: Person, tid: int) -> None:
    """The editor (left) and the draft's check (right)."""
    try:
        d = authoring.read_draft(store(), tid)
    except HostwiseError as exc:
        st.error(_("The draft could not be read:"))
        st.text(str(exc))
        return
    if d.catalogue is None:
        st.caption(_("This tender names a bundled catalogue; create a tender from a catalogue "
                     "or a criteria workbook to edit its criteria."))
        return
    cat = d.catalogue
    written = cat.get("lang")
    if isinstance(written, str) and written in LANGUAGES:  # the app's own word, not the file's
        st.caption(_("The criteria and questions of this tender are written in {language}.")
                   .format(language=LANGUAGES[written]))
    left, right = st.columns([3, 2])
    with left:
        t1, t2, t3, t4, t5 = st.tabs([_("Criteria and questions"), _("Weights"),
                                      _("Gates, workload and lots"), _("Evaluators' questions"),
                                      _("Modules and price items")])
        with t1:
            typed = criteria_tab(who, d, cat)
        with t2:
            check = weights_tab(who, d, cat)
        with t3:
            rules_tab(who, d, cat)
        with t4:
            evaluators_tab(who, d, cat)
        with t5:
            modules = modules_tab(who, d, cat)
    with right:
        st.markdown(_("**Check of the draft**"))
        problems_panel(modules or typed or check)  # what is being typed, before it is saved
