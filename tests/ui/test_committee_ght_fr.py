"""The second tender (``ght-dpi-demo``, demonstration data) through the committee pages in
French (AppTest), from the Tender page's "create from the working scenario" form to the award
report: members designated, publication with a deadline, three bids recorded, the bids sealed
after the deadline (through the service with ``now=``: a page test cannot wait for a
deadline), the opening signed by two openers in two sessions, two grade criteria scored by two
evaluators against their grid with justifications, one moderated, the evaluation finished and
the award made; the report read on the Audit page is French and labelled demonstration data.
The same flow runs in Chromium in ``tests/e2e/test_ght_french_journey.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from scoring import i18n
from scoring.committee import Person, Store, documents, panel, workflow
from scoring.committee.access import load_tender
from tests.ui import support
from tests.ui.support import click, no_error, texts
from ui.components.committee import STATE_WORDS

SCENARIO = "ght-dpi-demo.yaml"
QS = ("host.architecture", "avail.dr_plan")
CHAIR, ALICE, BOB = (Person("Claire Présidente"), Person("Alice Évaluatrice"),
                     Person("Bob Évaluateur"))
BIDS = ("armorique-data", "ciel-bleu", "hexacloud")
REASON = "Le plan de reprise existe mais n'a jamais été testé : niveau 2."


def fr(message: str) -> str:
    """A message as the French page shows it."""
    with i18n.use_language("fr"):
        return i18n._(message)


def step(state: str) -> str:
    """The Tender page's button that moves the tender to ``state``, in French."""
    return fr("Move to the next step: {step}").format(step=fr(STATE_WORDS[state]))


@pytest.fixture
def store(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """The page tests' database (``tests/ui/conftest.py``), with the app in French."""
    monkeypatch.setenv("HOSTWISE_LANG", "fr")
    return store


def page(name: str, who: str | None) -> AppTest:
    """A page of the demonstration tender's working scenario (``?scenario=``)."""
    return support.page(name, who, scenario=SCENARIO, timeout=180)


def test_the_second_tender_in_french_from_creation_to_the_award_report(store: Store) -> None:
    at = page("tender", CHAIR.name)
    at.multiselect(key="c.new.q").set_value(list(QS))
    at = no_error(click(at, fr("Create the tender (you become its chair)")))
    (tid, _title, state), = workflow.list_tenders(store)
    assert state == "draft"
    for who in (ALICE, BOB):
        at.text_input(key="c.m.name").set_value(who.name)
        at.selectbox(key="c.m.role").set_value("evaluator")
        at.checkbox(key="c.m.opener").check()
        at = no_error(click(at, fr("Designate")))
    at = no_error(click(at, step("published")))
    assert workflow.view(store, tid).state == "published"
    at.multiselect(key="c.bids.pick").set_value(list(BIDS))
    at = no_error(click(at, fr("Record the bids")))
    assert workflow.view(store, tid).bidders == BIDS
    documents.attach(store, Person("bid desk"), tid, "ciel-bleu", "memoire-technique.pdf",
                     b"%PDF-1.4\n% demonstration\n%%EOF\n")
    with store.read() as s:
        deadline = dt.datetime.fromisoformat(str(load_tender(s, tid).bid_deadline))
    workflow.seal(store, CHAIR, tid, now=deadline + dt.timedelta(minutes=1))  # the clock

    no_error(click(page("tender", ALICE.name), fr("Sign the opening (first signature)")))
    confirm = fr("Confirm the opening signed by {who} (second signature: the bids open)")
    no_error(click(page("tender", BOB.name), confirm.format(who=ALICE.name)))
    assert workflow.view(store, tid).state == "opened"
    for who in (ALICE, BOB):
        no_error(click(page("evaluate", who.name), fr("Record my declarations")))
    no_error(click(page("tender", CHAIR.name), step("technical_evaluation")))

    # each evaluator grades on the page against the grid, with a justification
    given = {ALICE.name: {"avail.dr_plan": 3, "host.architecture": 3},
             BOB.name: {"avail.dr_plan": 1, "host.architecture": 3}}
    for who in (ALICE, BOB):
        at = page("evaluate", who.name)
        radio = at.radio(key="c.s.ciel-bleu.avail.dr_plan")
        assert radio.value is None  # no default level
        assert radio.options[3].startswith("3 — ")  # the level with its French descriptor
        assert radio.options[2] == "2 — procédure documentée, jamais testée"
        assert "memoire-technique.pdf" in texts(at)  # the bid's documents beside it
        for q, v in given[who.name].items():
            at.radio(key=f"c.s.ciel-bleu.{q}").set_value(v)
            at.text_area(key=f"c.j.ciel-bleu.{q}").set_value(f"{who.name} : niveau {v}")
        at = no_error(click(at, fr("Save my scores for {bid}").format(bid="ciel-bleu")))
        for o in ("armorique-data", "hexacloud"):
            for q in QS:
                panel.save_score(store, who, tid, o, q, 2, "conforme à la grille")
        no_error(click(page("evaluate", who.name),
                       fr("Submit my sheet (final: my scores become visible to the chair)")))

    at = page("moderation", CHAIR.name)
    no_error(at)
    assert fr("Disagreements and consensus") in [h.value for h in at.subheader]
    at.selectbox(key="c.mod.item").set_value("ciel-bleu / avail.dr_plan")
    assert f"{BOB.name} : niveau 1" in texts(at)  # the justifications beside the choice
    at.radio(key="c.mod.level").set_value(2)
    at.text_area(key="c.mod.reason").set_value(REASON)
    at = no_error(click(at, fr("Record the consensus")))
    assert REASON in texts(at)

    at = page("tender", CHAIR.name)
    at = no_error(click(at, step("clarification")))
    at = no_error(click(at, step("evaluated")))
    at.text_area(key="c.award.reason").set_value("Meilleur rapport qualité-prix.")
    at = no_error(click(at, step("awarded")))
    assert workflow.view(store, tid).state == "awarded"

    at = no_error(page("audit", CHAIR.name))
    md = texts(at)
    for title in ("# Rapport d'analyse des offres", "## 1. Contexte", "## 5. Notation"):
        assert title in md, title
    assert "démonstration" in md.lower()
    assert "| avail.dr_plan | ciel-bleu | " in md
    assert "| 2 — procédure documentée, jamais testée | Claire Présidente | " in md
    assert f"modération\u00a0: {REASON}" in md
    assert f"{ALICE.name}: {ALICE.name} : niveau 3" in md


def test_the_french_tender_page_says_states_and_members_in_french(store: Store) -> None:
    """The lifecycle line and the members table were English ids on the French page
    ("draft → published → … technical_evaluation", "member / role / may open bids",
    "local mode (typed name, …)"): they are the reader's words now."""
    at = page("tender", CHAIR.name)
    at.multiselect(key="c.new.q").set_value(list(QS))
    at = no_error(click(at, fr("Create the tender (you become its chair)")))
    shown = texts(at)
    line = f"**{fr('draft')}** → {fr('published')}"  # the current state in bold
    assert line in shown and fr("technical evaluation") in shown
    assert "technical_evaluation" not in shown and "draft**" not in shown
    [members] = [df.value for df in at.dataframe if fr("member") in df.value.columns]
    assert list(members.columns) == [fr("member"), fr("role"), fr("may open bids"),
                                     fr("identity")]
    assert members.iloc[0].tolist() == [CHAIR.name, fr("chair"), False,
                                        fr("local mode (typed name, not authenticated)")]
