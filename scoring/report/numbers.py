"""One rounding rule for every number a person reads: the CLI's text reports and the app.

Why one rule: a committee compares the page with the printed report. Before this module the app
showed Scaleway at 77.83, ``hostwise rank`` printed 77.82 and the JSON held 77.825: the total
is the float 77.82499999999999, which Python's ``format`` rounds by its binary value (down),
while the page first rounded to the JSON's 6 decimals (77.825) and then rounded that (up).

The rule: a score is read as the JSON holds it (rounded to 6 decimals, which strips the binary
tail of the arithmetic), then rounded to the shown decimals half away from zero, as people and
spreadsheets round (77.825 -> 77.83; -0.125 -> -0.13). The JSON keeps its 6 decimals: that is
data, not display. ``points`` is the only place text and pages turn a score into digits.

The decimal mark is the reader's (issue 19): ``points`` rounds first, by the one rule, then
writes the digits with the current language's mark (``77.83`` in English, ``77,83`` in French),
so the French page and ``HOSTWISE_LANG=fr hostwise rank`` still print the same digits. JSON and
the workbook's cells hold numbers, never these strings.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from scoring.i18n import decimal_mark, language

DATA_DECIMALS = 6  # what the JSON contracts hold (scoring.report.ranking and robustness)


def as_data(x: float) -> Decimal:
    """``x`` as the JSON holds it: 6 decimals, exactly (a Decimal, no binary tail)."""
    return Decimal(repr(round(float(x), DATA_DECIMALS)))


def points(x: float | None, digits: int = 2, missing: str = "-") -> str:
    """A score with ``digits`` decimals by the one rule (half away from zero on the JSON's
    value); ``missing`` for a value that does not exist (None or NaN). The CLI's text uses the
    default ``-``; the app passes an em dash."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    q = Decimal(1).scaleb(-digits)
    out = as_data(x).quantize(q, rounding=ROUND_HALF_UP)
    if out == 0:
        out = abs(out)  # never "-0.00"
    return decimal_mark(f"{out:.{digits}f}")


def percent(x: float | None, digits: int = 0, missing: str = "-") -> str:
    """A share as a percentage for people: ``45%`` (English), ``45 %`` (French: a narrow
    no-break space before the sign, CLDR). The digits are Python's ``%`` format, as every
    English page and report printed them before the language layer (so nothing English moves)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    text = decimal_mark(f"{float(x):.{digits}%}"[:-1])
    return f"{text}\u202f%" if language() == "fr" else f"{text}%"
