"""Grade criteria in a committee tender (issue 19, part 3): published with their grid as the
evaluators' scale, scored only on the grid's levels, and a weight gap refused at publication."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from scoring.committee import CommitteeError, Store, bids, opening, panel, stats, workflow
from scoring.committee.models import Tender
from scoring.errors import CatalogueError
from scoring.io import load_offers
from scoring.io.catalogue import load_catalogue

from .conftest import ALICE, BIDDER, BOB, CHAIR

DEADLINE = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
TENDER2 = Path(__file__).resolve().parents[1] / "fixtures" / "tender2"
SCENARIO: dict[str, Any] = {
    "schema": 1, "id": "graded", "title": "Graded tender",
    "catalogue": "tender2",  # bundled for the test (``bundled`` fixture): ids only here
    "evaluation_date": "2026-03-01", "offers": {"paths": ["."]}, "missing_policy": "worst",
    "weights": {"technical": {"weight": 70, "criteria": {"hosting": 40, "support": 60}},
                "cost": {"weight": 30}},
    "gates": [{"id": "iso"}],
    "workload": {"label": "ASSUMPTION T2-W", "reasoning": "test", "contract_years": 1,
                 "annual": {"vm.8vcpu_32gb": 1000}},
}


def test_grid_scales() -> None:
    s = stats.grid_scale([4, 0, 2])
    assert s == "grid 0,2,4" and stats.grid_levels(s) == (0, 2, 4)
    assert stats.on_scale(2, s) and not stats.on_scale(3, s) and not stats.on_scale(2.5, s)
    assert stats.flag_spread(s) == 2.0  # neighbouring levels are 2 apart
    assert stats.flag_reasons([0, 4], s) == ["scores differ by 4 (more than 2)"]
    assert stats.flag_reasons([0, 2], s) == ["the median 1 is not a whole level"]
    assert stats.on_scale(3, "0-4") and not stats.on_scale(3.5, "0-4")
    assert stats.grid_levels("0-100") is None


@pytest.fixture(autouse=True)
def bundled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The test tender as if bundled: a committee tender names its catalogue by id only."""
    import shutil

    from scoring.io import catalogue

    shutil.copytree(TENDER2, tmp_path / "catalogues" / "tender2")
    monkeypatch.setattr(catalogue, "CATALOGUES_DIR", tmp_path / "catalogues")


def test_a_path_is_refused_for_a_committee_tender(sqlite_store: Store) -> None:
    tid = _tender(sqlite_store, {**SCENARIO, "catalogue": str(TENDER2 / "catalogue.yaml")})
    with pytest.raises(CatalogueError, match="name a bundled catalogue id"):
        workflow.publish(sqlite_store, CHAIR, tid, DEADLINE)


def _tender(store: Store, scenario: dict[str, Any]) -> int:
    tid = workflow.create_tender(store, CHAIR, "Graded", scenario, ["svc.support_plan"])
    workflow.add_member(store, CHAIR, tid, ALICE.name, "evaluator", opener=True)
    workflow.add_member(store, CHAIR, tid, BOB.name, "evaluator", opener=True)
    return tid


def test_a_grade_is_published_on_its_grid_and_scored_on_its_levels(
        sqlite_store: Store) -> None:
    tid = _tender(sqlite_store, SCENARIO)
    workflow.publish(sqlite_store, CHAIR, tid, DEADLINE)
    with sqlite_store.read() as s:
        t = s.get(Tender, tid)
        assert t is not None
        pub = json.loads(t.published_canonical or "{}")
    assert pub["questions"] == [{"id": "svc.support_plan", "scale": "grid 0,1,2,3,4"}]
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    for o in load_offers([TENDER2 / "offers"], cat).offers:
        bids.submit_bid(sqlite_store, BIDDER, tid, o)
    workflow.seal(sqlite_store, CHAIR, tid, now=DEADLINE + dt.timedelta(minutes=1))
    opening.sign_opening(sqlite_store, ALICE, tid)
    opening.sign_opening(sqlite_store, BOB, tid)
    for who in (ALICE, BOB):
        for o in ("alpha", "beta", "gamma"):
            panel.declare(sqlite_store, who, tid, o, False)
    workflow.start_technical(sqlite_store, CHAIR, tid)
    for bad in (2.5, 7, -1):
        with pytest.raises(CommitteeError, match=r"a level of the grid \(0, 1, 2, 3, 4\)"):
            panel.save_score(sqlite_store, ALICE, tid, "alpha", "svc.support_plan", bad, "x")
    panel.save_score(sqlite_store, ALICE, tid, "alpha", "svc.support_plan", 3, "good plan")
    panel.save_score(sqlite_store, BOB, tid, "alpha", "svc.support_plan", 3, "agreed")
    for who, v in ((ALICE, 4), (BOB, 1)):
        for o in ("beta", "gamma"):
            panel.save_score(sqlite_store, who, tid, o, "svc.support_plan", v, "mixed")
        panel.submit_sheet(sqlite_store, who, tid)
    p = panel.panel(sqlite_store, CHAIR, tid)
    beta = p.item("beta", "svc.support_plan")
    assert beta.flags  # 4 vs 1: more than one level apart, and a median between levels
    with pytest.raises(CommitteeError, match="a level of the grid"):
        panel.moderate(sqlite_store, CHAIR, tid, "beta", "svc.support_plan", 2.5, "half")
    panel.moderate(sqlite_store, CHAIR, tid, "beta", "svc.support_plan", 2, "consensus")
    offers = panel.apply_consensus(load_offers([TENDER2 / "offers"], cat).offers,
                                   {"beta": {"svc.support_plan": 2.0}},
                                   {"svc.support_plan": "grid 0,1,2,3,4"})
    beta_offer = next(o for o in offers if o.offer_id == "beta")
    assert beta_offer.answers["svc.support_plan"].value == 2  # a level, as an int


def test_a_weight_gap_is_refused_at_publication(sqlite_store: Store) -> None:
    gap = {**SCENARIO, "weights": {"technical": {"weight": 70, "criteria": {"hosting": 1}},
                                   "cost": {"weight": 30}}}
    tid = _tender(sqlite_store, gap)
    with pytest.raises(CommitteeError, match=r"weights\.technical\.criteria\.support: "
                                             "criterion 'support' of the catalogue has no "
                                             "weight"):
        workflow.publish(sqlite_store, CHAIR, tid, DEADLINE)
    assert workflow.view(sqlite_store, tid).state == "draft"


def _graded(store: Store) -> int:
    """The test tender through scoring: alpha agreed at 3, beta 4 vs 1 moderated to 2."""
    tid = _tender(store, SCENARIO)
    workflow.publish(store, CHAIR, tid, DEADLINE)
    cat = load_catalogue(TENDER2 / "catalogue.yaml")
    for o in load_offers([TENDER2 / "offers"], cat).offers:
        bids.submit_bid(store, BIDDER, tid, o)
    workflow.seal(store, CHAIR, tid, now=DEADLINE + dt.timedelta(minutes=1))
    opening.sign_opening(store, ALICE, tid)
    opening.sign_opening(store, BOB, tid)
    for who in (ALICE, BOB):
        for o in ("alpha", "beta", "gamma"):
            panel.declare(store, who, tid, o, False)
    workflow.start_technical(store, CHAIR, tid)
    q = "svc.support_plan"
    panel.save_score(store, ALICE, tid, "alpha", q, 3, "a tested plan, named engineers")
    panel.save_score(store, BOB, tid, "alpha", q, 3, "plan present and credible")
    panel.save_score(store, ALICE, tid, "beta", q, 4, "24/7 desk with penalties")
    panel.save_score(store, BOB, tid, "beta", q, 1, "the desk is subcontracted, no plan")
    for who in (ALICE, BOB):
        panel.save_score(store, who, tid, "gamma", q, 2, "partial plan")
        panel.submit_sheet(store, who, tid)
    panel.moderate(store, CHAIR, tid, "beta", q, 2, "the plan exists but its desk is "
                   "subcontracted: partial")
    return tid


def test_the_consensus_answer_names_its_evaluators_moderator_and_reason(
        any_store: Store) -> None:
    """Issue 19 part 3: a committee grade enters the engine citing who graded, who moderated
    and why, as a grade read from an evaluations file does (``io.grades.consensus_note``)."""
    from scoring.committee.evaluation import tender_offers

    tid = _graded(any_store)
    with any_store.read() as s:
        t = s.get(Tender, tid)
        assert t is not None
        offers = {o.offer_id: o for o in tender_offers(s, t)}
    beta = offers["beta"].answers["svc.support_plan"]
    assert beta.value == 2 and beta.sources == (panel.CONSENSUS_SOURCE,)
    assert beta.note.startswith("committee consensus (evaluators Alice Evaluator, Bob "
                                "Evaluator; moderated by Claire Chair, ")
    assert ("moderation: the plan exists but its desk is subcontracted: partial (evaluators' "
            "justifications: Alice Evaluator: 24/7 desk with penalties; Bob Evaluator: the "
            "desk is subcontracted, no plan)") in beta.note
    alpha = offers["alpha"].answers["svc.support_plan"]
    assert alpha.value == 3 and "moderated by" not in alpha.note
    assert alpha.note.endswith("Alice Evaluator: a tested plan, named engineers; Bob "
                               "Evaluator: plan present and credible")
    src = offers["beta"].sources[panel.CONSENSUS_SOURCE]
    assert src.title == ("Evaluation committee consensus score (evaluators Alice Evaluator, "
                         "Bob Evaluator)")


def test_the_award_report_shows_a_grade_with_its_descriptor_and_justifications(
        any_store: Store) -> None:
    from scoring.committee import report

    tid = _graded(any_store)
    md = report.award_markdown(any_store, CHAIR, tid, lang="en")
    assert ("| svc.support_plan | beta | Alice Evaluator 4; Bob Evaluator 1 | 2.50 | 3 | "
            "scores differ by 3 (more than 1); the median 2.5 is not a whole level | "
            "2 — partial | Claire Chair | moderation: the plan exists but its desk is "
            "subcontracted: partial — Alice Evaluator: 24/7 desk with penalties; Bob "
            "Evaluator: the desk is subcontracted, no plan |") in md
    assert ("| svc.support_plan | alpha | Alice Evaluator 3; Bob Evaluator 3 | 3.00 | 0 | - | "
            "3 — satisfying | - | Alice Evaluator: a tested plan, named engineers; Bob "
            "Evaluator: plan present and credible |") in md
