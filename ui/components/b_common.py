"""What the Robustness, Allocation, Compare and Export pages share: the page header, the
working scenario's evaluation with a readable error, and a memo that never shares a session's
uploaded offers with another user.

Why a memo here and not ``st.cache_data`` alone: analyses (SMAA, the clarification list, the
award) are pure functions of the evaluation, whose ``hash`` covers the scenario, the method and
every offer's bytes (``scoring.engine.result_hash``), so a cache keyed by it is never stale. But
a session that uploaded questionnaires must keep what it computes to itself (issue 11: uploaded
offers "never in a cache shared by users"): it memoises in its own session state instead.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

import streamlit as st

from scoring.engine import Evaluation
from scoring.errors import HostwiseError
from ui import state
from ui.components.fmt import short_hash

T = TypeVar("T")
_SESSION_MEMO = "hw.b.memo"
_MEMO_MAX = 64


@st.cache_resource(max_entries=256, show_spinner=False)
def _shared_store() -> dict[Hashable, Any]:
    """One process-wide dict for bundled-data results (immutable values, keyed by content)."""
    return {}


def memo(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """``compute()`` once per ``key`` (which must name every input by content: an evaluation
    hash, a sample count, a seed...). Shared between users only when no offer was uploaded."""
    if state.uploads():
        store: dict[Hashable, Any] = st.session_state.setdefault(_SESSION_MEMO, {})
    else:
        store = _shared_store()
    if key not in store:
        if len(store) >= _MEMO_MAX * (1 if state.uploads() else 8):
            store.pop(next(iter(store)))
        store[key] = compute()
    value: T = store[key]
    return value


def page_start(title: str) -> Evaluation:
    """The page title, then the shared header (working scenario, date, method, content hash;
    ``ui.components.header``, owned by the other app helper), and the working scenario's
    evaluation; a one-line header and a readable error when that module is absent."""
    st.title(title)
    try:
        from ui.components.header import header as shared  # the other app helper's header
    except ImportError:
        pass
    else:
        return shared()
    w = state.working()
    try:
        ev = state.evaluation()
    except HostwiseError as exc:
        st.error("The working scenario cannot be scored. What is wrong:")
        st.text(str(exc))  # may quote vendor text: plain text only
        st.stop()
        raise  # unreachable: st.stop() raises
    st.text(w.title)
    st.caption(f"content hash {short_hash(ev.hash)}")
    return ev


_SHADOW = "hw.b.kept."


def _stash(key: str) -> None:
    st.session_state[_SHADOW + key] = st.session_state[key]


def kept(key: str, default: Any, options: Sequence[Any] | None = None) -> dict[str, Any]:
    """Widget keyword arguments that keep a choice across page visits.

    Streamlit forgets a widget's value when its page is not shown (issue 11: "the page forgets
    its choices when you visit another"); the value is copied to a shadow key on change and
    restored before the widget is drawn. The default goes through session state too, never as
    the widget's ``value``/``index`` argument (setting both is refused by Streamlit)."""
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(_SHADOW + key, default)
    if options is not None and st.session_state[key] not in options:
        st.session_state[key] = default  # a choice of another scenario: start afresh
    return {"key": key, "on_change": _stash, "args": (key,)}


def set_kept(key: str, value: Any) -> None:
    """Set a kept widget's value from code (before the widget is drawn in this run)."""
    st.session_state[key] = value
    st.session_state[_SHADOW + key] = value


def signed(x: float | None, digits: int = 2) -> str:
    """``+1.25`` / ``−1.25`` with a true minus sign (U+2212): a cell starting with ``-`` would
    be quoted by ``safe_frame`` as a possible spreadsheet formula."""
    if x is None or x != x:
        return "—"
    s = f"{x:+.{digits}f}"
    return s.replace("-", "\u2212")
