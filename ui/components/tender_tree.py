"""The draft editor's forms for the shape of the criteria tree (``scoring.committee.tree_ops``):
pillars (add, rename, remove with their content once confirmed), an enum question's options,
a number question's unit, bounds and scoring direction, the computed modules used and the
price items. Beside ``tender_author`` (criteria, questions, weights, gates, lots), which draws
these and shows the check of the draft.

Display only: each form calls one operation of the core with the version the page was drawn
at. An answer format and the modules are checked as they are typed, before they are saved
(``authoring.preview``, ``authoring.preview_change``: the check beside the editor shows them),
and what modules add or take (pillars, questions, gates) is listed first. Text from the catalogue
reaches the page through dataframes and ``st.text`` only (``ui/components/safe.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from scoring.committee import Person, authoring
from scoring.committee.catalogue import DraftCheck
from scoring.errors import HostwiseError
from scoring.i18n import _, decimal_mark
from scoring.models import MODULES
from ui.components.committee import act, store
from ui.components.safe import safe_frame

Change = Callable[[dict[str, Any], dict[str, Any], list[str]], None]


def apply_edit(who: Person, d: authoring.Draft, op: str, change: Change,
               detail: dict[str, Any], done: str) -> None:
    """One operation saved against the version the page was drawn at (audited by the core)."""
    def go() -> None:
        new = authoring.edit(store(), who, d.id, d.version, op, change, detail)
        key = f"hw.c.v.{d.id}"  # the title form's loaded version follows our own edits
        if st.session_state.get(key) == d.version:
            st.session_state[key] = new.version
    act(_("Editing the draft"), go, done)


def _refused(what: str, exc: HostwiseError) -> None:
    st.error(what)
    st.text(str(exc))


def pillar_forms(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> None:
    """Add an ordinary pillar; rename one, or remove it with what it holds (the box ticked is
    the confirmation the core asks for; the picker says how much goes with it)."""
    with st.form("c.a.pil.add"):
        st.markdown(_("**Add a pillar**"))
        c1, c2 = st.columns([2, 3])
        pid = c1.text_input(_("Pillar id"), key="c.a.pil.id").strip()
        label = c2.text_input(_("Label (in the catalogue's language)"), key="c.a.pil.label")
        if st.form_submit_button(_("Add the pillar")):
            apply_edit(who, d, "add_pillar", authoring.add_pillar(pid, label), {"pillar": pid},
                       _("The pillar {p} was added.").format(p=pid))
    ordinary = [p for p in (cat.get("pillars") or {}) if p not in MODULES]
    if not ordinary:
        return
    content = {p: authoring.pillar_content(cat, p) for p in ordinary}
    with st.form("c.a.pil.edit"):
        st.markdown(_("**Rename or remove a pillar**"))
        c1, c2 = st.columns([2, 3])
        p = c1.selectbox(_("Pillar"), ordinary, key="c.a.pil.pick",
                         format_func=lambda x: _("{p} ({c} criteria, {q} questions)").format(
                             p=x, c=len(content[x][0]), q=len(content[x][1])))
        label = c2.text_input(_("New label"), key="c.a.pil.new")
        remove = st.checkbox(_("Remove it, with its criteria, their questions and its weight"),
                             key="c.a.pil.rm")
        if st.form_submit_button(_("Apply to the pillar")) and p is not None:
            if remove:
                crit, qs = content[p]
                apply_edit(who, d, "remove_pillar", authoring.remove_pillar(p, True),
                           {"pillar": p, "criteria": crit, "questions_removed": qs},
                           _("The pillar {p} was removed.").format(p=p))
            elif not label.strip():
                st.error(_("Type the new label, or tick the removal."))
            else:
                apply_edit(who, d, "rename_pillar", authoring.rename_pillar(p, label),
                           {"pillar": p}, _("The pillar {p} was renamed.").format(p=p))


def _number(text: str, where: str) -> float | None:
    return authoring.weight_of(text, where)  # a number as typed (12, 12.5 or 12,5; empty)


def _shown(v: Any) -> str:
    return "" if v is None else decimal_mark(f"{float(v):g}")


def format_form(who: Person, d: authoring.Draft, cat: dict[str, Any],
                q: dict[str, Any]) -> DraftCheck | None:
    """The answer format of the question picked: an enum's options and their utilities, a
    number's unit, bounds and scoring direction (a grade's grid is in the question's form).
    Checked as it is typed, before it is saved: returns that check while something is typed."""
    qid, qtype = str(q.get("id")), q.get("type")
    if qtype not in ("enum", "number", "percent"):
        return None
    reader = authoring.module_reading(cat, qid)
    if reader is not None:
        st.caption(_("The {m} module reads this answer in its own format: its options and "
                     "bounds are fixed.").format(m=reader))
        return None
    with st.container(border=True):
        if qtype == "enum":
            return _options_fields(who, d, qid, q)
        return _number_fields(who, d, qid, q)


def _save(who: Person, d: authoring.Draft, change: Change | None, label: str, key: str,
          op: str, detail: dict[str, Any], done: str) -> DraftCheck | None:
    """The check of what is typed (nothing saved), and the button that saves it."""
    check = None
    if change is not None:
        try:
            check = authoring.preview(d, change)
        except HostwiseError as exc:
            _refused(_("This change cannot be made:"), exc)
            change = None
        else:
            st.info(_("Not saved yet: the check beside shows this change."))
    if st.button(label, key=key, disabled=change is None) and change is not None:
        apply_edit(who, d, op, change, detail, done)
    return check


def _options_fields(who: Person, d: authoring.Draft, qid: str, q: dict[str, Any]
                    ) -> DraftCheck | None:
    st.markdown(_("**Answer options**"))
    at = f"{d.version}.{qid}"  # keyed by version: after a save the fields show what is stored
    stored = authoring.options_text(q.get("options"))
    text = st.text_input(
        _("Options (option=utility from 0 to 100; ...)"), key=f"c.a.q.opt.{at}", value=stored,
        help=_("For example none=0; reduced=50; standard=100. An option written name= "
               "(no utility) is recorded but not scored."))
    change, options = None, None
    if text != stored:
        try:
            options = authoring.options_of(text)
        except HostwiseError as exc:
            _refused(_("The options were not read:"), exc)
        else:
            change = authoring.set_options(qid, options)
    return _save(who, d, change, _("Save the options"), f"c.a.q.opt.save.{at}", "set_options",
                 {"question": qid, "options": options},
                 _("The options of {q} were saved.").format(q=qid))


def _number_fields(who: Person, d: authoring.Draft, qid: str, q: dict[str, Any]
                   ) -> DraftCheck | None:
    st.markdown(_("**Unit, bounds and scoring**"))
    at = f"{d.version}.{qid}"
    direction, low, high = authoring.direction_of(q.get("scale"))
    stored = (str(q.get("unit") or ""), _shown(q.get("min")), _shown(q.get("max")), direction,
              _shown(low), _shown(high))
    c1, c2, c3 = st.columns(3)
    unit = c1.text_input(_("Unit"), value=stored[0], key=f"c.a.q.unit.{at}")
    lo = c2.text_input(_("Smallest answer allowed"), value=stored[1], key=f"c.a.q.min.{at}")
    hi = c3.text_input(_("Largest answer allowed"), value=stored[2], key=f"c.a.q.max.{at}")
    ways = [*authoring.DIRECTIONS, None]
    words = {"higher": _("higher is better"), "lower": _("lower is better"),
             None: _("not scored (a fact for gates)")}
    way = st.selectbox(_("Scoring direction"), ways, index=ways.index(direction),
                       format_func=lambda w: words[w], key=f"c.a.q.dir.{at}")
    c1, c2 = st.columns(2)
    s_lo = c1.text_input(_("Lower end of the scale"), value=stored[4], key=f"c.a.q.slo.{at}",
                         help=_("The answer at or below it scores 0 when higher is better, "
                                "100 when lower is better; linear in between."))
    s_hi = c2.text_input(_("Upper end of the scale"), value=stored[5], key=f"c.a.q.shi.{at}")
    change = None
    if (unit, lo, hi, way, s_lo, s_hi) != stored:
        try:
            change = authoring.set_number(
                qid, unit=unit.strip() or None, minimum=_number(lo, f"{qid}.min"),
                maximum=_number(hi, f"{qid}.max"), direction=way,
                low=_number(s_lo, f"{qid}.scale"), high=_number(s_hi, f"{qid}.scale"))
        except HostwiseError as exc:
            _refused(_("A number was not read:"), exc)
    return _save(who, d, change, _("Save the unit, bounds and scoring"),
                 f"c.a.q.num.save.{at}", "set_number", {"question": qid, "direction": way},
                 _("The unit, bounds and scoring of {q} were saved.").format(q=qid))


def _module_word(m: str) -> str:
    return {"legal": _("legal: exposure to non-EU law"),
            "sovereignty": _("sovereignty: EU Cloud Sovereignty Framework (SEAL levels)"),
            "cost": _("cost: the price sheets and the workload")}.get(m, m)


def _diff_lines(diff: authoring.TreeDiff) -> list[str]:
    parts = ((_("Pillars added"), diff.pillars_added),
             (_("Pillars removed"), diff.pillars_removed),
             (_("Questions added"), diff.questions_added),
             (_("Questions removed"), diff.questions_removed),
             (_("Gates removed (offered and applied)"), diff.gates_removed))
    return [f"{what}: {', '.join(ids)}" for what, ids in parts if ids]


def modules_tab(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> DraftCheck | None:
    """The computed modules (checked as they are picked, what they bring or take listed
    before saving) and the price items. Returns the check of the modules picked, if they
    differ from the draft's."""
    st.caption(_("A computed module scores a pillar of its own from the bidders' answers; "
                 "turned on it brings its pillar and the questions it reads, turned off it "
                 "takes them, with the gates that need it."))
    have = [m for m in cat.get("modules") or [] if m in MODULES]
    picked = st.multiselect(_("Modules the catalogue uses"), list(MODULES), default=have,
                            format_func=_module_word, key=f"c.a.m.{d.version}")
    check = None
    if set(picked) != set(have):
        change = authoring.set_modules(picked)
        try:
            check, diff = authoring.preview_change(d, change)
        except HostwiseError as exc:
            _refused(_("These modules cannot be used:"), exc)
        else:
            st.info(_("Not saved yet: the check beside shows the catalogue with these "
                      "modules."))
            for line in _diff_lines(diff):
                st.text(line)
            if st.button(_("Save the modules"), key="c.a.m.save"):
                apply_edit(who, d, "set_modules", change, {"modules": picked},
                           _("The modules were saved."))
    _price_items(who, d, cat)
    return check


def _price_items(who: Person, d: authoring.Draft, cat: dict[str, Any]) -> None:
    st.markdown(_("**Price items (what a price sheet prices; read by the cost module)**"))
    cols = [_("price item"), _("unit"), _("description")]
    items = cat.get("price_items") or {}
    rows = [(k, (v or {}).get("unit", ""), (v or {}).get("help", "")) for k, v in items.items()]
    ed = st.data_editor(safe_frame(pd.DataFrame(rows, columns=cols)), num_rows="dynamic",
                        hide_index=True, width="stretch", key=f"c.a.pi.{d.version}")
    if st.button(_("Save the price items"), key="c.a.pi.save"):
        try:
            new = authoring.price_items_of(list(ed.itertuples(index=False, name=None)))
        except HostwiseError as exc:
            _refused(_("The price items were not read:"), exc)
            return
        apply_edit(who, d, "set_price_items", authoring.set_price_items(new),
                   {"price_items": list(new)}, _("The price items were saved."))
