"""Text from outside (grid descriptors, question texts of an uploaded criteria workbook) reaches
radio options and tooltips, which Streamlit renders as Markdown: it must read as typed."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ui.components.committee import level_text
from ui.components.safe import literal

HOSTILE = "**bold** [x](javascript:alert(1)) ![i](http://e/x.png) $x^2$ <b>hi</b>\n# title"


def _unescaped(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_hostile_descriptor_is_escaped() -> None:
    shown = level_text(3, HOSTILE)
    assert shown.startswith("3 — ")
    bare = re.sub(r"\\.", "", shown[4:])  # what is left once every escaped pair is taken out
    assert not set(bare) & set("*[]()!$<>#\n"), bare
    assert _unescaped(shown[4:]) == " ".join(HOSTILE.split())


@given(st.text())
def test_literal_reads_back_as_typed(text: str) -> None:
    """Removing the escapes gives the text back (lines joined): nothing is lost or added."""
    assert _unescaped(literal(text)) == " ".join(text.split())
