"""Properties over random valid catalogues (issue 19, part 8): any tree of pillars, criteria and
question types evaluates without error under every missing-answer policy, its leaf weights
sum to 1, totals stay within 0-100, and the criteria workbook gives the catalogue back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import evaluate
from scoring.io.catalogue import parse_catalogue
from scoring.io.criteria_workbook import read_criteria_workbook
from scoring.models import Catalogue
from scoring.report.criteria_workbook import criteria_workbook
from scoring.scenario.load import parse_scenario_doc
from tests.factories import offer

TYPES = ("bool", "enum", "number", "percent", "grade", "text")


@st.composite
def tenders(draw: st.DrawFn) -> tuple[Catalogue, dict[str, Any]]:
    n_p = draw(st.integers(1, 3))
    pillars = [f"p{k}" for k in range(n_p)]
    with_cost = draw(st.booleans())
    questions: list[dict[str, Any]] = []
    doc_pillars: dict[str, Any] = {}
    weights: dict[str, Any] = {}
    n = 0
    for p in pillars:
        crits = [f"{p}c{k}" for k in range(draw(st.integers(1, 3)))]
        doc_pillars[p] = {"label": f"Pillar {p}", "criteria": {c: f"Criterion {c}"
                                                              for c in crits}}
        cw: dict[str, Any] = {}
        for c in crits:
            types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=4))
            if all(t == "text" for t in types):
                types.append("bool")  # a criterion needs a scored question
            for t in types:
                q: dict[str, Any] = {"id": f"q{n}", "pillar": p, "criterion": c, "type": t,
                                     "help": f"Question {n}", "requirement": "test"}
                if t == "enum":
                    q["options"] = {"a": draw(st.integers(0, 100)), "b": None}
                elif t == "number":
                    q.update(unit="u", min=0, max=10, scale={"worst": 0, "best": 5})
                elif t == "percent":
                    q["scale"] = {"worst": 0, "best": 100}
                elif t == "grade":
                    lo = draw(st.integers(-2, 2))
                    levels = sorted(draw(st.sets(st.integers(lo, lo + 6), min_size=2,
                                                 max_size=5)))
                    q["grid"] = {lv: f"level {lv}" for lv in levels}
                questions.append(q)
                n += 1
            cw[c] = draw(st.integers(0, 5))
        if not any(cw.values()):
            cw[crits[0]] = 1
        weights[p] = {"weight": draw(st.integers(1, 10)), "criteria": cw}
    doc: dict[str, Any] = {"version": 2, "id": "random", "title": "Random tender",
                           "modules": ["cost"] if with_cost else [], "pillars": doc_pillars,
                           "questions": questions}
    if with_cost:
        doc["pillars"]["cost"] = {"label": "Cost"}
        doc["price_items"] = {"vm": {"unit": "hour", "help": "a VM hour"}}
        weights["cost"] = {"weight": draw(st.integers(0, 10))}
    cat = parse_catalogue(yaml.safe_dump(doc).encode(), "random.yaml")
    return cat, weights


def _answers(cat: Catalogue, seed: int) -> dict[str, Any]:
    import random

    rng = random.Random(seed)
    out: dict[str, Any] = {}
    for q in cat.questions:
        if rng.random() < 0.2:
            continue  # unknown
        if q.type == "bool":
            out[q.id] = rng.random() < 0.5
        elif q.type == "enum":
            out[q.id] = rng.choice(list(q.options or {}))
        elif q.type in ("number", "percent"):
            out[q.id] = float(rng.randint(0, 10))
        elif q.type == "grade":
            out[q.id] = rng.choice(sorted(q.grid or {}))
        else:
            out[q.id] = "free text"
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tenders(), st.sampled_from(["worst", "exclude", "uncertain"]), st.integers(0, 99))
def test_random_catalogues_evaluate_and_weights_normalise(
        tender: tuple[Catalogue, dict[str, Any]], policy: str, seed: int) -> None:
    cat, weights = tender
    sc = parse_scenario_doc({
        "schema": 1, "id": "r", "title": "r", "evaluation_date": "2026-03-01",
        "offers": {"paths": ["."]}, "missing_policy": policy, "weights": weights,
        "workload": {"label": "ASSUMPTION R", "reasoning": "test",
                     "annual": {"vm": 100} if cat.uses("cost") else {}}})
    offers = [offer(f"o{k}", _answers(cat, seed + k), prices={"vm": 1.0 + k}
                    if cat.uses("cost") else None, as_of=dt.date(2026, 1, 1))
              for k in range(3)]
    ev = evaluate(sc, offers, cat=cat)
    assert sum(lf.weight for lf in ev.leaves) == pytest.approx(1.0, abs=1e-12)
    assert {lf.pillar for lf in ev.leaves} <= set(cat.pillar_ids)
    for r in ev.results:
        assert set(r.pillars) == set(cat.pillar_ids)
        if r.total is not None:
            assert -1e-9 <= r.total <= 100 + 1e-9
        if r.total_range is not None:
            assert r.total_range[0] - 1e-9 <= (r.total or 0) <= r.total_range[1] + 1e-9
    # every pillar and criterion of the catalogue is weighted here (some at 0, as written):
    # no gap to warn about
    assert ev.weight_warnings == ()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tenders())
def test_random_catalogues_round_trip_through_the_workbook(
        tender: tuple[Catalogue, dict[str, Any]]) -> None:
    cat, _ = tender
    rd = read_criteria_workbook(criteria_workbook(cat), "g.xlsx")
    again = parse_catalogue(yaml.safe_dump(rd.doc, sort_keys=False).encode(), "g.xlsx")
    assert again.model_dump(exclude={"sha256"}) == cat.model_dump(exclude={"sha256"})
