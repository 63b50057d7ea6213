"""What the page tests (AppTest) share: opening a page of the app as a visitor does (through
``app.py`` and its navigation), clicking a button by its label, the text a member reads, and
the checks that a page ran without an exception (or without an error shown). One copy, so
that every page test opens, clicks and reads the same way."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


def page(name: str, who: str | None = None, *, lang: str | None = None,
         scenario: str | None = None, timeout: float = 120) -> AppTest:
    """``ui/pages/<name>.py`` opened through the app, as a visitor opens it: in ``lang`` when
    given, with ``?scenario=`` when given, as the local member ``who`` when given."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if scenario:
        at.query_params["scenario"] = scenario
    if lang:
        at.session_state["hw.lang"] = lang
    at.switch_page(f"ui/pages/{name}.py")
    if who:
        at.session_state["hw.c.person"] = who
    return at.run()


def click(at: AppTest, label: str) -> AppTest:
    """The first button whose label starts with ``label``, clicked (the test says which
    buttons there were when none matches)."""
    hits = [b for b in at.button if b.label.startswith(label)]
    assert hits, f"no button {label!r} in {[b.label for b in at.button]}"
    return hits[0].click().run()


def texts(at: AppTest) -> str:
    """Every text, message and table the page shows, one per line."""
    parts = [e.value for e in (*at.text, *at.markdown, *at.caption, *at.success, *at.error,
                               *at.info, *at.warning)]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def ok(at: AppTest) -> AppTest:
    """The page ran without an exception (a refused step is shown in words, not raised)."""
    assert not at.exception, [e.value for e in at.exception]
    return at


def no_error(at: AppTest) -> AppTest:
    """The page ran without an exception and shows no error."""
    ok(at)
    assert not at.error, [e.value for e in at.error]
    return at
