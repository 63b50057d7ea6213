"""Showing outside text safely, and caching by content rather than by path.

Bidders are adversaries. Their text reaches the page only through dataframes and ``st.text``
(never Markdown or HTML), and every text cell of a frame is neutralised for spreadsheet formula
injection first, because Streamlit's dataframe toolbar exports the frame as CSV (OWASP, "CSV
Injection": a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return is prefixed
with a quote so that a spreadsheet reads it as text).
"""

from __future__ import annotations

import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number alone ("+7.00", "-3") is no formula: a spreadsheet reads it as the number it
# is, so it is shown as is (a quote before it read as a stray character on Compare's deltas).
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")  # "," : the French decimal mark


def neutral(value: object) -> object:
    """A text value that no spreadsheet will evaluate; other values unchanged."""
    if (isinstance(value, str) and value.startswith(_FORMULA_START)
            and not _PLAIN_NUMBER.fullmatch(value)):
        return "'" + value
    return value


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def literal(text: str) -> str:
    """``text`` as Streamlit shows it literally where it renders Markdown (radio options, help
    tooltips): every Markdown and HTML special character escaped, lines joined. Why: grid
    descriptors and question texts can come from a buyer's uploaded workbook, and a link, an
    image or a LaTeX block in them must read as the characters typed, never act."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells are neutralised (numbers stay numbers)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutral)
    return out
