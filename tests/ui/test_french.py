"""The app in French (issue 19): no Streamlit label left unwrapped, no English on a French page,
and the language chosen by the browser, the switch and ``HOSTWISE_LANG``.

PENDING_SECOND_PASS is the one list of files not translated yet (the committee pages, being
rewritten by other helpers when this layer was built): the lead empties it after merging, and
then both checks below cover those files too, with no other change."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from scoring import i18n
from ui.components.language import first_language

ROOT = Path(__file__).resolve().parents[2]

#: Files whose strings are translated in a second pass (after the committee work is merged).
PENDING_SECOND_PASS: set[str] = set()  # every committee file is translated and checked
#: Streamlit calls that put their first argument (or label=/help=/placeholder=) on screen.
SHOWN = {
    "title", "header", "subheader", "caption", "text", "markdown", "write", "error", "warning",
    "info", "success", "toast", "exception", "button", "download_button", "form_submit_button",
    "link_button", "page_link", "selectbox", "multiselect", "radio", "select_slider", "slider",
    "number_input", "text_input", "text_area", "date_input", "time_input", "checkbox",
    "toggle", "file_uploader", "color_picker", "camera_input", "pills", "segmented_control",
    "expander", "popover", "spinner", "tabs", "metric", "progress", "status",
    "TextColumn", "NumberColumn", "LinkColumn", "CheckboxColumn", "SelectboxColumn",
    "DateColumn", "ProgressColumn", "ListColumn", "Column",
}
KEYWORDS = ("label", "help", "placeholder")


def _non_word(s: str) -> bool:
    """Allowed unwrapped: text with no letters ("—", "=", "") or a widget id ("rank.offer")."""
    return not any(c.isalpha() for c in s) or (" " not in s and "." in s)


def _literal(node: ast.AST) -> str | None:
    """The text of a string literal or f-string (its literal parts); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def unwrapped(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every literal shown by a Streamlit call without ``_()``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in SHOWN):
            continue
        args = [node.args[0]] if node.args else []
        args += [k.value for k in node.keywords if k.arg in KEYWORDS]
        if node.func.attr == "tabs" and node.args and isinstance(node.args[0], ast.List):
            args = list(node.args[0].elts)
        for a in args:
            text = _literal(a)
            if text is not None and not _non_word(text):
                out.append((node.lineno, text))
    return out


def _files() -> Iterator[str]:
    yield "app.py"
    for p in sorted((ROOT / "ui").rglob("*.py")):
        yield str(p.relative_to(ROOT))


@pytest.mark.parametrize("name", [f for f in _files() if f not in PENDING_SECOND_PASS])
def test_every_streamlit_label_is_wrapped(name: str) -> None:
    bad = unwrapped(ROOT / name)
    assert not bad, f"{name}: wrap these in _() (scoring.i18n): {bad}"


def test_the_check_sees_an_unwrapped_label(tmp_path: Path) -> None:
    f = tmp_path / "page.py"
    f.write_text('import streamlit as st\nfrom scoring.i18n import _\nst.caption("Hello there")\n'
                 'c1.button(f"Go {x}")\nst.sidebar.radio(_("Ok"), [], help="Some help")\n'
                 'st.text("—")\nst.caption(_("Wrapped"))\n')
    assert [t for _l, t in unwrapped(f)] == ["Hello there", "Go {}", "Some help"]


def test_pending_files_exist() -> None:
    """The pending list names real files (a renamed file would silently escape the check)."""
    assert all((ROOT / f).is_file() for f in PENDING_SECOND_PASS)


# ---------------------------------------------------------------- the pages, rendered in French


def english_with_french() -> set[str]:
    """English msgids whose French differs: seeing one on a French page is a forgotten ``_()``."""
    from babel.messages.pofile import read_po

    with (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / "hostwise.po").open("rb") as fh:
        cat = read_po(fh, locale="fr_FR")
    out = set()
    for m in cat:
        ids = m.id if isinstance(m.id, list | tuple) else (m.id,)
        strs = m.string if isinstance(m.string, list | tuple) else (m.string,)
        out |= {i for i, s in zip(ids, strs, strict=False) if i and s and s != i}
    return out


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, pd.DataFrame):
        yield from (str(c) for c in value.columns)
    elif isinstance(value, list | tuple):
        for v in value:
            if isinstance(v, str):
                yield v


def shown_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(element type, text) of every element's words: values, labels, help, options and the
    column names of tables."""
    stack: list[Any] = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        kind = type(node).__name__
        widget = hasattr(node, "label")  # a widget's value is its Python value, not words
        for attr in ("value", "label", "help", "placeholder", "options", "body"):
            if attr == "value" and widget:
                continue
            try:
                v = getattr(node, attr)
            except Exception:  # an attribute some elements cannot compute in a test
                continue
            for t in _texts(v):
                yield kind, t


def pending_components(page: str) -> set[str]:
    """The pending files a page imports (``from ui.components.x import`` / ``import ... as``)."""
    tree = ast.parse((ROOT / "ui" / "pages" / f"{page}.py").read_text(encoding="utf-8"))
    mods = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            mods.add(node.module)
            mods |= {f"{node.module}.{a.name}" for a in node.names}
    files = {m.replace(".", "/") + ".py" for m in mods}
    return files & PENDING_SECOND_PASS


PAGES = ["replay", "compare", "offers", "criteria", "ranking", "robustness", "allocation",
         "export", "evaluate", "tender", "moderation", "audit"]


def _french(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["hw.lang"] = "fr"
    at.switch_page(f"ui/pages/{page}.py").run()
    return at


@pytest.mark.parametrize("page", [p for p in PAGES
                                  if f"ui/pages/{p}.py" not in PENDING_SECOND_PASS])
def test_a_french_page_shows_no_english_string(page: str) -> None:
    at = _french(page)
    assert not at.exception, at.exception
    english = english_with_french()
    left = sorted({(k, t) for k, t in shown_texts(at) if t in english})
    waiting = sorted(pending_components(page))
    if left and waiting:  # words of a pending component: checked once the list is empty
        pytest.xfail(f"{page} draws {waiting} (pending second pass): {left[:5]}")
    assert not left, f"{page}: English on the French page (an untranslated string): {left}"


def test_the_french_replay_says_the_terms_of_art_in_plain_words() -> None:
    at = _french("replay")
    words = " ".join(t.value for t in at.text) + " ".join(c.value for c in at.caption)
    assert "jeux de pondérations tirés au hasard" in words  # not "SMAA rank-1 ..."
    assert "acceptabilité" not in words and "excl." not in words
    table = next(d.value for d in at.dataframe if "rang" in d.value.columns)
    assert not any(str(r).startswith("excl. ") for r in table["rang"])
    assert any(str(r).startswith("écartée\u00a0: ") for r in table["rang"])
    assert at.radio(key="hw.lang").value == "fr"
    # French decimal marks in the scores: "77,83", never "77.83"
    assert all("." not in str(v) for v in table["note globale"] if str(v) != "—")


def test_english_stays_the_default_and_the_switch_turns_french() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    assert at.title[0].value.startswith("Replay")
    at.radio(key="hw.lang").set_value("fr").run()
    assert not at.exception
    assert at.title[0].value.startswith("Rétrospective")


def test_hostwise_lang_is_the_server_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTWISE_LANG", "fr_FR.UTF-8")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.switch_page("ui/pages/ranking.py").run()
    assert not at.exception
    assert at.title[0].value == "Classement"


@pytest.mark.parametrize("browser,env,lang", [("fr-FR", None, "fr"), ("en-US", "fr", "en"),
                                              ("de-DE", "fr", "fr"), (None, None, "en"),
                                              ("fr", "en", "fr")])
def test_the_first_language_of_a_session(monkeypatch: pytest.MonkeyPatch, browser: str | None,
                                         env: str | None, lang: str) -> None:
    """The browser's language when Hostwise speaks it, else the server's default."""
    if env is None:
        monkeypatch.delenv("HOSTWISE_LANG", raising=False)
    else:
        monkeypatch.setenv("HOSTWISE_LANG", env)
    assert first_language(browser) == lang
