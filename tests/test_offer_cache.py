"""The parsed-offer cache holds a whole offer set (issue 16): a warm load re-parses nothing,
even past the old 256-entry bound where an LRU smaller than the set missed on every file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring.io import load_offers, offers
from scoring.io.catalogue import load_catalogue
from scoring.io.questionnaire import MAX_FILES

ROOT = Path(__file__).resolve().parent.parent


def test_cache_holds_the_largest_set_twice() -> None:
    assert offers.CACHE_SIZE >= 2 * MAX_FILES


def test_warm_load_of_300_offers_parses_nothing(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    doc = yaml.safe_load((ROOT / "data" / "vendors" / "2026" / "aruba.yaml").read_text("utf-8"))
    folder = tmp_path / "2026"
    folder.mkdir()
    for k in range(300):
        d = {**doc, "vendor": {**doc["vendor"], "id": f"v{k}", "name": f"Vendor {k}"},
             "offer": {**doc["offer"], "id": f"o{k}", "name": f"Offer {k}"}}
        (folder / f"o{k:03d}.yaml").write_text(yaml.safe_dump(d), encoding="utf-8")
    cat = load_catalogue()
    offers.clear_cache()
    calls = []
    parse = offers.parse_questionnaire
    monkeypatch.setattr(offers, "parse_questionnaire",
                        lambda *a: calls.append(1) or parse(*a))
    first = load_offers([folder], cat)
    assert len(calls) == 300
    second = load_offers([folder], cat)
    assert len(calls) == 300  # all 300 from the cache
    assert second.offers == first.offers
    offers.clear_cache()
