"""The language of a browser session: chosen once, switchable in the sidebar, set before any
word of the page is drawn.

Order of precedence (issue 19): the sidebar switch (kept in session state), else on a
session's first run the browser's preferred language (``st.context.locale``, the DOM's
``navigator.language``) when Hostwise speaks it, else the server's default ``HOSTWISE_LANG``
(``scoring.i18n.env_language``), else English. ``app.py`` calls ``language_switch`` at the top
of every script run, so every page (the committee pages included) renders in one language and
one session's French never leaks into another's English (``scoring.i18n`` keeps the language
in a context variable, per script-run thread).
"""

from __future__ import annotations

import streamlit as st

from scoring import i18n
from scoring.i18n import _

K_LANG = "hw.lang"


def first_language(browser: str | None) -> str:
    """The language of a session's first run: the browser's when supported, else the
    server's default (``HOSTWISE_LANG``)."""
    return i18n.normalise(browser) or i18n.env_language()


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # no browser (AppTest, bare mode): the server's default decides
        return None


def language_switch() -> str:
    """Set this run's language and draw the English/Français switch in the sidebar."""
    if K_LANG not in st.session_state or st.session_state[K_LANG] not in i18n.LANGUAGES:
        st.session_state[K_LANG] = first_language(_browser_locale())
    lang = i18n.set_language(st.session_state[K_LANG])
    st.sidebar.radio(_("Language"), list(i18n.LANGUAGES), key=K_LANG, horizontal=True,
                     format_func=i18n.LANGUAGES.__getitem__)
    return lang
