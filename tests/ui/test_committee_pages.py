"""A whole committee run through the committee pages (AppTest), on an embedded SQLite file:
two evaluators, one conflict of interest, one disagreement moderated, one clarification
answered, and an award report that names the conflict, the clarification and the consensus
reason. The bids, Alice's work and the setup go through the services (``tests.committee``'s
``Run``); the steps a committee member takes on screen go through the pages."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scoring.committee import Store, bids, clarifications, panel, workflow
from tests.committee.conftest import ALICE, BIDDER, BOB, CHAIR, Run, bid_offers
from tests.ui.support import ROOT, click, ok, page, texts

CONFLICT = "former employee of Gamma (left in 2024)"
CONSENSUS = "Consensus: the plan is credible but unfunded"
QUESTION = "Does the offer include a managed Kubernetes service?"


def test_first_visit_asks_for_a_name_and_creates_a_tender(store: Store) -> None:
    at = page("tender", None)
    ok(at)
    assert "State your name" in texts(at)
    at = page("tender", "Dana Chair")
    assert "Dana Chair (not authenticated)" in texts(at)
    at = click(at, "Create the tender")
    ok(at)
    assert "draft" in texts(at)
    assert workflow.list_tenders(store)[0][2] == "draft"
    # a refused step says why, in words, and the page goes on
    at.text_input(key="c.m.name").set_value("Eve")
    at = click(at, "Move to the next step")  # publish with the default questions works
    ok(at)
    assert workflow.list_tenders(store)[0][2] == "published"
    assert "Bids are received until" in texts(at)  # the deadline, shown to everyone
    at = click(at, "Move to the next step")  # seal before the deadline passed
    assert "refused" in texts(at) and "once the deadline has passed" in texts(at)
    ok(at)


def test_the_tender_page_lists_the_bids_documents_sealed(store: Store) -> None:
    """While published, the Tender page shows each received bid's documents (name, size,
    salted SHA-256, nothing to read) and the bid desk's form to attach more."""
    run = Run(store).to("published")
    for o in bid_offers():
        bids.submit_bid(store, BIDDER, run.tid, o)
    at = page("tender", CHAIR.name)
    ok(at)
    assert "Bid documents" in [h.value for h in at.subheader]
    assert "Sealed: nobody, the chair included, can read a bid's documents" in texts(at)
    assert [b for b in at.button if b.label == "Attach the documents"]
    assert run.state == "published"


def test_whole_committee_run_through_the_pages(store: Store) -> None:
    run = Run(store).to("sealed")
    tid = run.tid

    # two designated openers sign, each in their own session; the chair cannot open alone
    at = page("tender", CHAIR.name)
    assert not [b for b in at.button if b.label.startswith("Sign the opening")]
    assert "Awaiting the first signature of a designated opener" in texts(at)
    alice = click(page("tender", ALICE.name), "Sign the opening (first signature)")
    ok(alice)
    assert run.state == "sealed" and "Your signature was recorded." in texts(alice)
    assert f"Signed by {ALICE.name} at " in texts(alice)
    assert "You signed." in texts(alice)
    bob = page("tender", BOB.name)
    assert f"awaiting the confirmation of another designated opener ({BOB.name})" in texts(bob)
    bob = click(bob, f"Confirm the opening signed by {ALICE.name}")
    ok(bob)
    assert run.state == "opened" and "The bids are opened." in texts(bob)

    # Bob declares his conflict with gamma on the Evaluate page; Alice through the services
    at = page("evaluate", BOB.name)
    at.radio(key="c.decl.gamma").set_value("conflict")
    at.text_input(key="c.decl.note.gamma").set_value(CONFLICT)
    at = click(at, "Record my declarations")
    ok(at)
    assert "conflict" in texts(at)
    for o in ("alpha", "beta", "gamma"):
        panel.declare(store, ALICE, tid, o, False)
    at = click(page("tender", CHAIR.name), "Move to the next step")
    assert run.state == "technical_evaluation"

    # Bob scores on the page: gamma is not shown to him
    at = page("evaluate", BOB.name)
    assert "Bid gamma" not in texts(at)
    for (o, q), v in Run.SCORES[BOB.name].items():
        at.number_input(key=f"c.s.{o}.{q}").set_value(v)
        at.text_area(key=f"c.j.{o}.{q}").set_value(f"Bob on {o}/{q}")
    at = click(at, "Save my scores for alpha")
    ok(at)
    for (o, q), v in Run.SCORES[BOB.name].items():
        at.number_input(key=f"c.s.{o}.{q}").set_value(v)
        at.text_area(key=f"c.j.{o}.{q}").set_value(f"Bob on {o}/{q}")
    at = click(at, "Save my scores for beta")
    ok(at)
    assert "4 of 4" in texts(at)
    at = click(at, "Submit my sheet")
    ok(at)
    for (o, q), v in Run.SCORES[ALICE.name].items():
        panel.save_score(store, ALICE, tid, o, q, v, f"Alice on {o}/{q}")
    panel.submit_sheet(store, ALICE, tid)

    # the chair sees the disagreement (spread, Kendall's W) and moderates it
    at = page("moderation", CHAIR.name)
    ok(at)
    assert "Kendall's W" in texts(at)
    w = next(df.value for df in at.dataframe if "Kendall's W" in df.value.columns)["Kendall's W"]
    assert all(isinstance(x, str) and x not in ("None", "nan") for x in w), list(w)  # words
    at.selectbox(key="c.mod.item").set_value("beta / sov.sov1_strategic")
    at.number_input(key="c.mod.value").set_value(2)
    at.text_area(key="c.mod.reason").set_value(CONSENSUS)
    at = click(at, "Record the consensus")
    ok(at)
    assert CONSENSUS in texts(at)
    at = click(page("tender", CHAIR.name), "Move to the next step")
    assert run.state == "clarification"

    # a clarification from the list, and the bidder's reply
    at = page("moderation", CHAIR.name)
    item = "beta / tech.managed_kubernetes"
    assert item in at.selectbox(key="c.clar.item").options
    at.selectbox(key="c.clar.item").set_value(item)
    at.text_area(key="c.clar.text").set_value(QUESTION)
    at = click(at, "Send the request")
    ok(at)
    at.text_area(key="c.rep.text").set_value("Yes, managed Kubernetes is included.")
    at = click(at, "Check the effect")  # no value entered: refused, nothing recorded
    ok(at)
    assert "no default answer" in texts(at)
    rid = clarifications.requests(store, CHAIR, tid)[0].id
    at.selectbox(key=f"c.rep.value.{rid}").set_value(True)
    at = click(at, "Check the effect")
    assert "Recording this reply changes beta: total" in texts(at)
    assert clarifications.requests(store, CHAIR, tid)[0].received_on is None
    at = click(at, "Confirm and record the reply")
    ok(at)
    assert "rank before" in texts(at)

    # evaluated, awarded, and the report
    at = click(page("tender", CHAIR.name), "Move to the next step")
    assert run.state == "evaluated", texts(at)
    at = page("tender", CHAIR.name)
    at.selectbox(key="c.award.offer").set_value(run.leader())
    at = click(at, "Move to the next step")
    assert run.state == "awarded", texts(at)
    at = page("audit", CHAIR.name)
    ok(at)
    shown = texts(at)
    assert "audit chain holds" in shown
    for must in (CONFLICT, QUESTION, CONSENSUS):
        assert must in shown, must


def test_stale_draft_save_is_refused_in_plain_words(store: Store) -> None:
    """Two sessions load the same draft; the second save is refused, the first one stays."""
    tid = workflow.create_tender(store, CHAIR, "Cloud host", {"schema": 1}, ())
    one, two = page("tender", CHAIR.name), page("tender", CHAIR.name)
    one.text_input(key="c.draft.title").set_value("Saved first")
    one = click(one, "Save the draft")
    assert "The draft was saved." in texts(one)
    two.text_input(key="c.draft.title").set_value("Saved second")
    two = click(two, "Save the draft")
    ok(two)
    assert "someone else changed this tender" in texts(two)
    assert workflow.view(store, tid).title == "Saved first"


def test_oidc_configured_asks_to_log_in(store: Store) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("ui/pages/tender.py")
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback",
                          "cookie_secret": "x" * 32, "client_id": "id", "client_secret": "s",
                          "server_metadata_url": "https://idp.example/.well-known/openid"}
    at.run()
    ok(at)
    assert [b for b in at.button if b.label == "Log in"]
    assert "Log in (sidebar) to see and work on your tenders." in texts(at)
    assert not at.text_input  # no typed name once an identity provider is configured


def test_a_tender_made_from_the_demonstration_scenario_says_so(store: Store) -> None:
    """Evaluate, Moderation and Audit show the tender's "demonstration data" label when its
    scenario is the fictional demonstration (``demo:``); a real tender shows none."""
    from scoring.scenario.load import load_scenario_doc

    demo = load_scenario_doc(ROOT / "data" / "scenarios" / "ght-dpi-demo.yaml")
    real = workflow.create_tender(store, CHAIR, "Real", load_scenario_doc(
        ROOT / "data" / "scenarios" / "hdh-2026.yaml"))
    tid = workflow.create_tender(store, CHAIR, "Rehearsal", demo)
    for name in ("evaluate", "moderation", "audit"):
        at = page(name, CHAIR.name)
        at.session_state["hw.c.tender"] = tid
        at.run()
        ok(at)
        assert "Demonstration data — fictional vendors" in [w.value for w in at.warning], name
    at = page("audit", CHAIR.name)
    at.session_state["hw.c.tender"] = real
    at.run()
    assert "Demonstration data — fictional vendors" not in [w.value for w in at.warning]
