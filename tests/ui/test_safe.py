"""Outside text shown safely: formula injection neutralised, caches keyed by content."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ui.components.safe import neutral, safe_frame
from ui.state import content_key


def test_formula_cells_become_text() -> None:
    df = pd.DataFrame({"vendor": ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-1+1",
                                  "@SUM(A1)", "\tx", "\rx", "Scaleway"], "total": range(7)})
    out = safe_frame(df)
    assert all(v.startswith("'") for v in out["vendor"][:6])
    assert out["vendor"][6] == "Scaleway"
    assert list(out["total"]) == list(range(7))  # numbers stay numbers
    assert neutral(3.5) == 3.5
    assert [neutral(x) for x in ("+7.00", "-3", "+0.5")] == ["+7.00", "-3", "+0.5"]  # numbers
    assert neutral("+7.00+cmd") == "'+7.00+cmd"


def test_cache_key_follows_content_not_path(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    k1 = content_key([tmp_path])
    (tmp_path / "a.yaml").write_text("x: 2\n", encoding="utf-8")
    k2 = content_key([tmp_path])
    (tmp_path / "a.yaml").unlink()
    k3 = content_key([tmp_path])
    assert len({k1, k2, k3}) == 3
