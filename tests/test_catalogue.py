"""The tender catalogue (issue 19): its declarations, the grade type, and bad catalogues
refused with every problem located (docs/catalogue.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scoring.errors import CatalogueError
from scoring.io.catalogue import DEFAULT_CATALOGUE, catalogue_path, load_catalogue, parse_catalogue
from scoring.io.catalogue_yaml import catalogue_yaml
from scoring.models import PILLARS

ROOT = Path(__file__).resolve().parents[1]
TENDER2 = ROOT / "tests" / "fixtures" / "tender2"


def _doc() -> dict[str, Any]:
    return yaml.safe_load((TENDER2 / "catalogue.yaml").read_text())


def _problems(doc: dict[str, Any]) -> list[str]:
    with pytest.raises(CatalogueError) as ei:
        parse_catalogue(yaml.safe_dump(doc, sort_keys=False).encode(), "c.yaml")
    lines = [p.line() for p in ei.value.problems]
    assert all(ln.startswith("c.yaml: ") for ln in lines), lines
    return lines


def test_the_hdh_catalogue_moved_with_its_bytes_and_declares_four_pillars() -> None:
    assert DEFAULT_CATALOGUE == ROOT / "data" / "catalogues" / "hdh" / "catalogue.yaml"
    assert not (ROOT / "data" / "questions.yaml").exists()
    cat = load_catalogue()
    assert cat.version == 1 and cat.id == "hdh"
    assert cat.pillar_ids == PILLARS
    assert set(cat.modules) == {"legal", "sovereignty", "cost"}
    assert list(cat.criteria("technical")) == ["platform", "operations", "reversibility",
                                               "certifications", "delivery"]
    assert cat.criteria("legal") == {}  # a module pillar: its criteria are the module's
    assert load_catalogue("hdh") is cat  # by bundled id, same content, same object


def test_a_bundled_id_and_a_relative_path_resolve() -> None:
    assert catalogue_path("hdh") == DEFAULT_CATALOGUE
    assert catalogue_path("catalogue.yaml", TENDER2) == TENDER2 / "catalogue.yaml"
    with pytest.raises(CatalogueError, match="needs the scenario's folder"):
        catalogue_path("../x/catalogue.yaml")


def test_the_test_tender_declares_its_tree_and_grades() -> None:
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    assert cat.pillar_ids == ("technical", "cost") and cat.modules == ("cost",)
    assert cat.criteria("technical") == {"hosting": "Hosting platform",
                                         "support": "Support and reversibility"}
    support = cat.question("svc.support_plan")
    assert support.scored and not support.required
    # linear over the grid's range: 0 -> 0, 3 -> 75, 4 -> 100
    assert [support.grade_utility(v) for v in (0, 3, 4)] == [0.0, 75.0, 100.0]
    assert support.grade_utility(5) is None  # not on the grid
    rev = cat.question("svc.reversibility_plan")  # the grid's own utilities
    assert [rev.grade_utility(v) for v in (1, 2, 3)] == [0.0, 60.0, 100.0]


def test_a_grid_with_gaps_is_linear_over_its_range() -> None:
    doc = _doc()
    doc["questions"][3]["grid"] = {1: "poor", 3: "fair", 5: "good"}
    cat = parse_catalogue(yaml.safe_dump(doc).encode(), "c.yaml")
    q = cat.question("svc.support_plan")
    assert [q.grade_utility(v) for v in (1, 3, 5)] == [0.0, 50.0, 100.0]


def test_a_catalogue_round_trips_through_its_yaml_writer() -> None:
    for cat in (load_catalogue(TENDER2 / "catalogue.yaml"), load_catalogue()):
        again = parse_catalogue(catalogue_yaml(cat).encode(), "again.yaml", cat.id)
        assert again.model_dump(exclude={"sha256", "version", "title"}) == cat.model_dump(
            exclude={"sha256", "version", "title"})


BAD: list[tuple[str, Any, str]] = [
    ("duplicate id", lambda d: d["questions"].append(dict(d["questions"][0])),
     "cert.iso27001: duplicate question id"),
    ("unknown pillar", lambda d: d["questions"][1].update(pillar="quality"),
     "tech.regions.pillar: unknown pillar 'quality'"),
    ("unknown criterion", lambda d: d["questions"][1].update(criterion="network"),
     "tech.regions.criterion: unknown criterion 'network'"),
    ("grid of one level", lambda d: d["questions"][3].update(grid={0: "absent"}),
     "svc.support_plan: grid: a grade needs at least 2 levels"),
    ("non-integer level", lambda d: d["questions"][3].update(grid={0.5: "a", 1: "b"}),
     "grid level 0.5 is not an integer"),
    ("boolean level", lambda d: d["questions"][3].update(grid={True: "a", 2: "b"}),
     "grid level True is not an integer"),
    ("mixed utilities", lambda d: d["questions"][4]["grid"][2].pop("utility"),
     "give a utility for every level or for none"),
    ("decreasing utilities", lambda d: d["questions"][4]["grid"][3].update(utility=10),
     "utilities must not decrease"),
    ("required grade", lambda d: d["questions"][3].update(required=True),
     "svc.support_plan: required: a grade is scored by the committee"),
    ("enum without options", lambda d: d["questions"][2].update(options={}),
     "tech.egress: an enum question needs options"),
    ("grid on a bool", lambda d: d["questions"][0].update(grid={0: "a", 1: "b"}),
     "cert.iso27001: grid: not read by a bool question"),
    ("module pillar without module", lambda d: d.update(modules=[]),
     "pillars.cost: the cost pillar is the cost module's"),
    ("module without pillar",
     lambda d: (d.update(modules=["cost", "legal"])), "module legal is used but its pillar"),
    ("module fixes criteria", lambda d: d["pillars"]["cost"].update(criteria={"x": "y"}),
     "pillars.cost.criteria: the cost module fixes its criteria"),
    ("criterion without question",
     lambda d: d["pillars"]["technical"]["criteria"].update(extra="Nothing asked"),
     "pillars.technical.criteria.extra: no scored question"),
    ("cost without items", lambda d: d.pop("price_items"),
     "price_items: the cost module needs at least one price item"),
    ("look-alike id", lambda d: d["questions"][1].update(id="tech.r\u0435gions"),
     "question id 'tech.r\u0435gions'"),
    ("bidi in a label", lambda d: d["pillars"]["technical"].update(label="Tech\u202evalue"),
     "pillars.technical.label: contains invisible or right-to-left"),
    ("gate on an unknown question", lambda d: d["gates"][0].update(question="cert.iso"),
     "gates.iso.question: 'cert.iso' is not a question"),
    ("gate needing a module", lambda d: d["gates"].append(
        {"id": "seal", "kind": "min_seal", "level": 2}), "a min_seal gate needs the "
     "sovereignty module"),
    ("hds gate without rules", lambda d: d["gates"].append({"id": "hds", "kind": "hds"}),
     "a hds gate needs the question cert.hds"),
    ("version", lambda d: d.update(version=3), "version: 3: format version 1 or 2"),
    ("v2 without modules", lambda d: d.pop("modules"), "modules: a version-2 catalogue "
     "declares its modules"),
]


@pytest.mark.parametrize(("name", "change", "phrase"), BAD, ids=[b[0] for b in BAD])
def test_bad_catalogues_are_located(name: str, change: Any, phrase: str) -> None:
    doc = _doc()
    change(doc)
    lines = _problems(doc)
    assert any(phrase in ln for ln in lines), lines


def test_every_problem_at_once() -> None:
    doc = _doc()
    doc["questions"][1]["pillar"] = "quality"
    doc["questions"][3]["grid"] = {0: "absent"}
    doc["questions"][2]["options"] = {}
    lines = _problems(doc)
    assert len(lines) >= 3, lines


def test_a_legal_module_needs_its_questions() -> None:
    doc = _doc()
    doc["modules"] = ["cost", "legal"]
    doc["pillars"]["legal"] = {"label": "Legal exposure"}
    lines = _problems(doc)
    assert any("the legal module reads question legal.hq_country" in ln for ln in lines)
    assert any("certifications: the certification rules are needed by module legal" in ln
               for ln in lines)


def test_a_catalogue_that_is_not_yaml_or_too_big_is_refused_in_words(tmp_path: Path) -> None:
    bad = tmp_path / "catalogue.yaml"
    bad.write_bytes(b"version: 2\nid: [unclosed\n")
    with pytest.raises(CatalogueError) as ei:
        load_catalogue(bad)
    assert ei.value.problems
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 5_000_000)
    with pytest.raises(CatalogueError) as ei:
        load_catalogue(big)
    assert "bytes" in ei.value.problems[0].message
