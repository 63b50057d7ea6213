"""Fixtures of the committee tests: a fresh database per test (SQLite always; PostgreSQL when
``HOSTWISE_TEST_PG_URL`` is set, each test in its own schema), and ``Run``, which drives a
tender through the services to any state with a chair, two evaluators and an observer."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy import create_engine, text

from scoring.committee import Person, Store, bids, opening, panel, workflow
from scoring.committee.identity import operator
from scoring.models import Offer
from tests.factories import EU_VENDOR, offer

PG_ENV = "HOSTWISE_TEST_PG_URL"
QUESTIONS = ("sov.sov1_strategic", "sov.sov2_legal")
SCENARIO: dict[str, Any] = {
    "schema": 1, "id": "committee-test", "title": "Committee test tender",
    "evaluation_date": "2026-04-23", "offers": {"paths": ["."]}, "missing_policy": "worst",
    "weights": {"technical": {"weight": 40}, "cost": {"weight": 20},
                "legal": {"weight": 20}, "sovereignty": {"weight": 20}},
    "gates": [{"id": "hds", "kind": "hds", "label": "HDS certification in force",
               "reason": "Art. L.1111-8 CSP"}],
    "workload": {"label": "ASSUMPTION T", "reasoning": "test", "contract_years": 1,
                 "annual": {"vm.8vcpu_32gb": 1000}},
}
HDS = {"cert.hds": {"since": dt.date(2024, 1, 1), "version": "v2"}}


def bid_offers() -> list[Offer]:
    """Three bids: ``beta`` has an unknown answer worth clarifying; ``gamma`` fails HDS."""
    return [
        offer("alpha", {**EU_VENDOR, "cert.hds": True, "tech.managed_kubernetes": True},
              prices={"vm.8vcpu_32gb": 0.30}, details=HDS),
        offer("beta", {**EU_VENDOR, "cert.hds": True, "tech.managed_kubernetes": None},
              prices={"vm.8vcpu_32gb": 0.25}, details=HDS),
        offer("gamma", {**EU_VENDOR, "cert.hds": False}, prices={"vm.8vcpu_32gb": 0.20}),
    ]


def pg_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {PG_ENV} is not set: .ci/run must start PostgreSQL "
                    "(bash .ci/start-postgres)")
    return url


@contextlib.contextmanager
def pg_schema(prefix: str = "t_", what: str = "PostgreSQL tests") -> Iterator[str]:
    """A fresh PostgreSQL schema as a database URL whose connections use it (``search_path``),
    dropped afterwards (close what used it first): each test on its own data. Skips ``what``
    when ``HOSTWISE_TEST_PG_URL`` is not set (fails under CI: ``pg_url``)."""
    url = pg_url()
    if not url:
        pytest.skip(f"{what} skipped: set {PG_ENV} (bash .ci/start-postgres prints it)")
    schema = prefix + uuid.uuid4().hex[:12]
    admin = create_engine(url)
    with admin.begin() as c:
        c.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as c:
            c.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def pg_store() -> Iterator[Store]:
    with pg_schema() as url:
        store = Store(url)
        yield store
        store.dispose()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(f"sqlite:///{tmp_path / 'committee.sqlite3'}")
    yield store
    store.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_store(request: pytest.FixtureRequest) -> Store:
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}"
                                   "_store")


CHAIR = Person("Claire Chair", authenticated=True)
ALICE = Person("Alice Evaluator")
BOB = Person("Bob Evaluator")
OBSERVER = Person("Olga Observer")
# who records the bids in these tests: the server's operator, whom the bid desk's rule
# (``desk``) accepts on a shared store (PostgreSQL) and in local mode (SQLite) alike
BIDDER = operator("pytest")
DESK = Person("bid desk")  # the local mode's bid desk: a typed name that is no member's


class Run:
    """One tender driven through the services, step by step."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.tid = workflow.create_tender(store, CHAIR, "Cloud host", SCENARIO, QUESTIONS)
        workflow.add_member(store, CHAIR, self.tid, ALICE.name, "evaluator", opener=True)
        workflow.add_member(store, CHAIR, self.tid, BOB.name, "evaluator", opener=True)
        workflow.add_member(store, CHAIR, self.tid, OBSERVER.name, "observer")
        # a day ahead when the run starts: bids are received now, sealed after it (``now``)
        self.deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)

    @property
    def state(self) -> str:
        return workflow.view(self.store, self.tid).state

    def to(self, target: str) -> Run:
        """Advance with the default committee work (Bob conflicted with gamma, who is not
        scored by him; Alice and Bob agree except on beta / sov1)."""
        steps = {
            "published": lambda: workflow.publish(self.store, CHAIR, self.tid, self.deadline),
            "sealed": self._bids_and_seal,
            "opened": self._open,
            "technical_evaluation": self._declare_and_start,
            "clarification": self._score_moderate_freeze,
            "evaluated": lambda: workflow.finish_evaluation(self.store, CHAIR, self.tid),
            "awarded": lambda: workflow.award(self.store, CHAIR, self.tid, self.leader()),
        }
        while self.state != target:
            steps[workflow.next_state(self.state) or ""]()
        return self

    def leader(self) -> str:
        from scoring.committee.models import Tender

        with self.store.read() as s:
            t = s.get(Tender, self.tid)
            assert t is not None and t.final_rank_json
            rank = json.loads(t.final_rank_json)
        return str(next(r["offer"] for r in rank["results"] if r["rank"] == 1))

    def _bids_and_seal(self) -> None:
        for o in bid_offers():
            bids.submit_bid(self.store, BIDDER, self.tid, o)
        workflow.seal(self.store, CHAIR, self.tid, now=self.after_deadline)

    @property
    def after_deadline(self) -> dt.datetime:
        """A minute after the deadline: the bids are sealed then (the clock is passed in)."""
        return self.deadline + dt.timedelta(minutes=1)

    def _open(self) -> None:
        """Alice signs, then Bob confirms (two sessions: two people, two calls)."""
        assert opening.sign_opening(self.store, ALICE, self.tid) == "signed"
        assert opening.sign_opening(self.store, BOB, self.tid) == "opened"

    def declare(self) -> None:
        panel.declare(self.store, ALICE, self.tid, "alpha", False)
        panel.declare(self.store, ALICE, self.tid, "beta", False)
        panel.declare(self.store, ALICE, self.tid, "gamma", False)
        panel.declare(self.store, BOB, self.tid, "alpha", False)
        panel.declare(self.store, BOB, self.tid, "beta", False)
        panel.declare(self.store, BOB, self.tid, "gamma", True,
                      "former employee of Gamma (left in 2024)")

    def _declare_and_start(self) -> None:
        self.declare()
        workflow.start_technical(self.store, CHAIR, self.tid)

    SCORES: ClassVar[dict[str, dict[tuple[str, str], int]]] = {
        ALICE.name: {("alpha", "sov.sov1_strategic"): 3, ("alpha", "sov.sov2_legal"): 3,
                     ("beta", "sov.sov1_strategic"): 4, ("beta", "sov.sov2_legal"): 2,
                     ("gamma", "sov.sov1_strategic"): 1, ("gamma", "sov.sov2_legal"): 1},
        BOB.name: {("alpha", "sov.sov1_strategic"): 3, ("alpha", "sov.sov2_legal"): 3,
                   ("beta", "sov.sov1_strategic"): 1, ("beta", "sov.sov2_legal"): 2},
    }

    def score_all(self) -> None:
        for who in (ALICE, BOB):
            for (o, q), v in self.SCORES[who.name].items():
                panel.save_score(self.store, who, self.tid, o, q, v, f"{who.name} on {o}/{q}")
            panel.submit_sheet(self.store, who, self.tid)

    def _score_moderate_freeze(self) -> None:
        self.score_all()
        panel.moderate(self.store, CHAIR, self.tid, "beta", "sov.sov1_strategic", 2,
                       "Consensus: the strategic autonomy plan is credible but unfunded")
        workflow.freeze_technical(self.store, CHAIR, self.tid)


@pytest.fixture
def run(any_store: Store) -> Run:
    return Run(any_store)
