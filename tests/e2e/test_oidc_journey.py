"""Log-in with a real OpenID Connect provider on a shared (PostgreSQL) server, in Chromium
(issue 18). The chair logs in, creates a tender and invites the evaluator by e-mail; the
evaluator logs in (another browser context, another subject), is bound by their verified
e-mail, sees only that tender and declares their interests; a third user, not a member, logs in
and sees no tender and no audit log; a forged or tampered Streamlit auth cookie gets nothing.
The second test is the whole committee journey by logged-in members, from the invitations to
the award report, checked against the audit log (``test_full_committee_journey``).

Needs ``HOSTWISE_TEST_PG_URL`` (a failure under ``CI=true``, a skip elsewhere) and Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import HAVE_CHROMIUM, SKIP_REASON, WAIT, run_over, stop

from scoring.committee import Store, audit, bids, membership, workflow
from scoring.committee.document import docx_text
from tests.committee.conftest import bid_offers, pg_schema
from tests.e2e.oidc_support import (
    CHAIR,
    EVALUATOR,
    OUTSIDER,
    SECOND,
    Account,
    log_in,
    serve_with_login,
)

pytestmark = pytest.mark.skipif(not HAVE_CHROMIUM, reason=SKIP_REASON)
TITLE = "Shared cloud host 2027"
USER_COOKIE = "_streamlit_user"


@pytest.fixture
def shared_app(oidc_issuer: str, tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """The app on a fresh PostgreSQL schema with ``[auth]`` configured; the test's own store
    on the same schema (to check what the pages did, and for the bid desk)."""
    with pg_schema("oidc_") as url:
        store = Store(url)
        proc, app, _folder = serve_with_login(oidc_issuer, {"HOSTWISE_DB_URL": url}, tmp_path)
        try:
            yield app, store
        finally:
            stop(proc)
            store.dispose()


def chair_creates_the_tender(chair: Any, app: str, store: Store) -> int:
    """The chair logs in and creates the tender from the working scenario on the Tender page
    (they become its chair); the tender's id, the only one in the database."""
    log_in(chair, app, CHAIR)
    chair.get_by_label("Tender title", exact=True).fill(TITLE)
    chair.get_by_role("button", name="Create the tender (you become its chair)").click()
    chair.get_by_text("The tender was created as a draft; you are its chair.").wait_for(
        timeout=WAIT)
    run_over(chair)
    [(tid, title, _state)] = workflow.list_tenders(store)
    assert title == TITLE
    return int(tid)


def shown(page: Any) -> str:
    run_over(page)
    return str(page.locator("[data-testid=stApp]").inner_text())


def logged_out(page: Any, app: str) -> None:
    """The pages treat this browser as nobody: a log-in button, no tender, no log."""
    for path in ("tender", "audit"):
        page.goto(f"{app}/{path}")
        page.get_by_text("Log in (sidebar) to see and work on your tenders.").wait_for(
            timeout=WAIT)
        text_now = shown(page)
        assert "Logged in as" not in text_now and TITLE not in text_now, text_now
        page.get_by_role("button", name="Log in").wait_for(timeout=WAIT)


def forged(real: str, claims: dict[str, object]) -> str:
    """A cookie value whose signed payload is replaced by ``claims`` (the signature kept):
    what someone who can edit their cookies but does not know the server's secret makes."""
    payload = base64.urlsafe_b64encode(json.dumps(json.dumps(claims)).encode()).rstrip(b"=")
    return payload.decode() + real[real.index("."):]


def test_log_in_invite_bind_and_see_only_your_tenders(shared_app: tuple[str, Store],
                                                       oidc_issuer: str, browser: Any) -> None:
    app, store = shared_app
    chair_ctx, eval_ctx, out_ctx = (browser.new_context(viewport={"width": 1400,
                                                                  "height": 1100})
                                    for _ in range(3))
    try:
        # the chair logs in and creates a tender from the working scenario
        chair = chair_ctx.new_page()
        tid = chair_creates_the_tender(chair, app, store)
        # ... and invites the evaluator by e-mail
        chair.get_by_label("E-mail", exact=True).fill(EVALUATOR.email.upper())
        chair.get_by_role("button", name="Invite", exact=True).click()
        chair.get_by_text(f"{EVALUATOR.email.upper()} was invited as evaluator.").wait_for(
            timeout=WAIT)
        run_over(chair)
        assert [(m["member"], m["identity"]) for m in membership.roster(store, tid)
                if m["role"] == "evaluator"] == [(EVALUATOR.email, "invited")]
        # the chair publishes, records three bids as the bid desk (on a shared server a
        # logged-in chair or the operator: ``desk``) and seals (services)
        [chair_p] = membership.member_persons(store, tid, [CHAIR.email])
        assert (chair_p.issuer, chair_p.subject) == (oidc_issuer, CHAIR.sub)
        deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).replace(microsecond=0)
        workflow.publish(store, chair_p, tid, deadline)
        for o in bid_offers():
            bids.submit_bid(store, chair_p, tid, o)
        workflow.seal(store, chair_p, tid, now=deadline + dt.timedelta(minutes=1))

        # the evaluator logs in: bound by the verified e-mail, sees only this tender
        ev = eval_ctx.new_page()
        log_in(ev, app, EVALUATOR, "evaluate")
        ev.get_by_text("your role: evaluator").first.wait_for(timeout=WAIT)
        bound = [r for r in audit.records(store, tid) if r.action == "member.bound"]
        assert len(bound) == 1 and json.loads(bound[0].detail_json)["subject"] == EVALUATOR.sub
        ev.get_by_role("button", name="Record my declarations").click()
        ev.get_by_text("Your declarations were recorded.").wait_for(timeout=WAIT)
        run_over(ev)
        assert "You declared about every bidder." in shown(ev)
        declared = [r for r in audit.records(store, tid) if r.action == "interest.declared"]
        assert {r.actor for r in declared} == {EVALUATOR.email} and len(declared) == 3

        # a third user, not a member: no tender, no log
        out = out_ctx.new_page()
        log_in(out, app, OUTSIDER)
        assert "No tender yet" in shown(out)
        assert TITLE not in shown(out)
        out.goto(f"{app}/audit")
        out.get_by_text(f"Logged in as {OUTSIDER.name}").wait_for(timeout=WAIT)
        seen = shown(out)
        assert TITLE not in seen and "tender.created" not in seen and "audit chain" not in seen

        # a tampered cookie (the evaluator's, its payload made to say "the chair") and one
        # signed with a guessed secret: both read as logged out
        real = next(c for c in eval_ctx.cookies() if c["name"] == USER_COOKIE)
        claims = {"iss": oidc_issuer, "sub": CHAIR.sub, "email": CHAIR.email,
                  "email_verified": True, "name": CHAIR.name, "is_logged_in": True}
        from itsdangerous import URLSafeTimedSerializer

        guessed = URLSafeTimedSerializer("guessed-secret", salt=USER_COOKIE).dumps(
            json.dumps(claims))
        copied = browser.new_context(viewport={"width": 1400, "height": 1100})
        try:  # the control: the real cookie, copied unchanged, is a log-in
            copied.add_cookies([{k: real[k] for k in ("name", "value", "domain", "path")}])
            page = copied.new_page()
            page.goto(f"{app}/evaluate")
            page.get_by_text(f"Logged in as {EVALUATOR.name}").wait_for(timeout=WAIT)
        finally:
            copied.close()
        for value in (forged(real["value"], claims), guessed):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1100})
            try:
                ctx.add_cookies([{**{k: real[k] for k in ("name", "domain", "path")},
                                  "value": value}])
                logged_out(ctx.new_page(), app)
            finally:
                ctx.close()
        assert audit.verify(store).ok
    finally:
        for ctx in (chair_ctx, eval_ctx, out_ctx):
            ctx.close()


# -- the full committee journey (issue 18, "done when") ------------------------------------------

SHOTS_ENV = "HOSTWISE_E2E_SHOTS"  # a folder: screenshots of the logged-in pages are kept there
MOD_REASON = "Consensus: the strategic plan is credible but unfunded"
AWARD_REASON = "Best value for money under the published weights."
CLARIFY = "Please state in writing whether your service is SecNumCloud qualified."
UNKNOWN = "cert.secnumcloud"  # the bids leave it unknown: the scenario's immunity gate waits
HEAD = re.compile(r"Audit head when this report was made: record (\d+), hash ([0-9a-f]{64})")


def snap(page: Any, name: str) -> None:
    """A full-page screenshot when ``HOSTWISE_E2E_SHOTS`` names a folder (to look at)."""
    folder = os.environ.get(SHOTS_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def invite(chair: Any, who: Account) -> None:
    """The chair invites ``who`` as an evaluator who may open the bids."""
    from playwright.sync_api import expect

    chair.get_by_label("E-mail", exact=True).fill(who.email)
    box = chair.get_by_role("checkbox", name="May open the bids")
    expect(box).not_to_be_checked()  # the form starts again empty for each member
    box.focus()  # a styled element covers the input: the keyboard ticks it, as a user may
    box.press("Space")
    expect(box).to_be_checked(timeout=WAIT)
    chair.get_by_role("button", name="Invite", exact=True).click()
    chair.get_by_text(f"{who.email} was invited as evaluator.").wait_for(timeout=WAIT)
    run_over(chair)


def declare(page: Any) -> None:
    """No interest in any bidder (the radios start at "none")."""
    page.get_by_role("button", name="Record my declarations").click()
    page.get_by_text("Your declarations were recorded.").wait_for(timeout=WAIT)
    run_over(page)


def score_sheet(page: Any, questions: dict[str, str], offers: list[str],
                odd: tuple[str, str, int]) -> None:
    """Score every visible bid on every question with a justification (2 everywhere but the
    ``odd`` item), then submit the sheet."""
    for o in offers:
        save = page.get_by_role("button", name=f"Save my scores for {o}")
        form = page.locator("[data-testid=stForm]").filter(has=save)
        for q, scale in questions.items():
            val = odd[2] if (o, q) == odd[:2] else 2
            kind = "level (0-4)" if scale == "0-4" else "score (0-100)"
            box = form.get_by_label(f"{q} — {kind}", exact=True)
            box.fill(str(val))
            box.press("Tab")
            form.get_by_label(f"Justification for {q} (required)", exact=True).fill(
                f"{o} {q}: scored {val}, see the bid")
        form.get_by_role("button", name=f"Save my scores for {o}").click()
        page.get_by_text(f"Your scores for {o} were saved.").wait_for(timeout=WAIT)
        run_over(page)
    page.get_by_role("button", name=re.compile(r"^Submit my sheet")).click()
    page.get_by_text("Your sheet was submitted.").wait_for(timeout=WAIT)
    run_over(page)


def pick(page: Any, label: str, option: str) -> None:
    """Choose ``option`` in the select box labelled ``label``."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(option)  # the list may be long: narrowed as a user types
    page.get_by_role("option", name=option, exact=True).click()  # the notice names it


def clarify(chair: Any, app: str, offer: str, question: str) -> None:
    """The chair asks ``offer`` about ``question`` from the clarification list, records the
    bidder's written reply (qualified), checks its effect and confirms it."""
    chair.goto(f"{app}/moderation")
    chair.get_by_role("button", name="Send the request").wait_for(timeout=WAIT)
    run_over(chair)
    listed = chair.locator("[data-testid=stDataFrame]", has_text="could change the winner"
                           ).first.text_content() or ""
    # totals by the rounding rule (61.349999999999994 was shown)
    assert question in listed and not re.search(r"\d\.\d{3,}", listed), listed
    pick(chair, "Item of the clarification list", f"{offer} / {question}")
    chair.get_by_label("Question to the bidder", exact=True).fill(CLARIFY)
    chair.get_by_role("button", name="Send the request").click()
    chair.get_by_text(f"Request about {offer} / {question} recorded.").wait_for(timeout=WAIT)
    run_over(chair)
    chair.get_by_label("Reply as written", exact=True).fill("Qualified since 2025, see annex.")
    pick(chair, "Value", "qualified")  # the question's own options (an enumeration)
    chair.get_by_role("button", name="Check the effect of this reply").click()
    chair.get_by_text("Recording this reply changes ").first.wait_for(timeout=WAIT)
    run_over(chair)
    chair.get_by_role("button", name=re.compile(r"^Confirm and record the reply")).click()
    chair.get_by_text(re.compile(r"^Reply to request #\d+ recorded\.$")).first.wait_for(
        timeout=WAIT)
    run_over(chair)
    snap(chair, "5-chair-clarification")


def step(chair: Any, app: str, target: str) -> None:
    """The chair moves the tender to ``target`` on the Tender page."""
    from ui.components.committee import state_word  # the page's own word for a state

    chair.goto(f"{app}/tender")
    chair.get_by_role("button", name=f"Move to the next step: {state_word(target)}").click()
    chair.get_by_text(f"The tender is now {state_word(target)}.").wait_for(timeout=WAIT)
    run_over(chair)


def test_full_committee_journey(shared_app: tuple[str, Store], oidc_issuer: str,
                                browser: Any, tmp_path: Path) -> None:
    """Every human act in the browser by a logged-in member (chair, two evaluators who may
    open the bids, each in their own browser context): invitations bound at first log-in,
    publication with the page's deadline, opening by two signatures, reading, scoring and
    submitting, moderation, clarification, evaluation, award and the award report; then the
    audit log names, for each act, the member whose binding carries the IdP subject of the
    person who did it, and ``hostwise audit verify --expect-head`` holds.

    Not in the browser, said here: the bids (recorded by the logged-in chair through the bid
    desk's service, ``desk``; the page's form is ``tests/ui/test_bid_desk_page.py``) and the
    sealing, whose deadline is a day ahead (``workflow.seal(now=...)``: the page cannot wait
    a day)."""
    from ui.components.committee import state_word

    app, store = shared_app
    ctxs = [browser.new_context(viewport={"width": 1400, "height": 1100},
                                accept_downloads=True) for _ in range(3)]
    try:
        chair, ev1, ev2 = (c.new_page() for c in ctxs)
        tid = chair_creates_the_tender(chair, app, store)
        for who in (EVALUATOR, SECOND):
            invite(chair, who)
        # publication with the page's deadline inputs: tomorrow, 12:00 UTC (the time shown)
        day = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).date()
        field = chair.get_by_role("group", name="Bid deadline: date (UTC)", exact=True)
        field.get_by_role("spinbutton").first.click()  # year, month, day: typed in turn
        chair.keyboard.type(day.strftime("%Y%m%d"))
        chair.keyboard.press("Tab")
        run_over(chair)
        snap(chair, "1-chair-tender-draft")
        chair.get_by_role("button", name=f"Move to the next step: {state_word('published')}"
                          ).click()
        chair.get_by_text(f"The tender is now {state_word('published')}.").wait_for(timeout=WAIT)
        run_over(chair)
        v = workflow.view(store, tid)
        deadline = dt.datetime.fromisoformat(v.bid_deadline or "")
        assert (v.state, deadline) == ("published", dt.datetime.combine(
            day, dt.time(12), tzinfo=dt.UTC)), (v.state, v.bid_deadline)
        # the logged-in chair records three bids as the bid desk (services: bidders are not
        # members); sealed after the deadline (the clock passed to the service)
        offers = [o.offer_id for o in bid_offers()]
        [chair_p] = membership.member_persons(store, tid, [CHAIR.email])
        for o in bid_offers():
            bids.submit_bid(store, chair_p, tid, o)
        workflow.seal(store, chair_p, tid, now=deadline + dt.timedelta(minutes=1))

        # each evaluator logs in (bound by their verified e-mail) and declares
        for page, who in ((ev1, EVALUATOR), (ev2, SECOND)):
            log_in(page, app, who, "evaluate")
            page.get_by_text("your role: evaluator").first.wait_for(timeout=WAIT)
            declare(page)
        # the opening: the first evaluator signs, the second confirms (two sessions)
        ev1.goto(f"{app}/tender")
        ev1.get_by_role("button", name="Sign the opening (first signature)").click()
        ev1.get_by_text("Your signature was recorded.").wait_for(timeout=WAIT)
        run_over(ev1)
        ev2.goto(f"{app}/tender")
        ev2.get_by_role("button", name=f"Confirm the opening signed by {EVALUATOR.email}"
                        ).click()
        ev2.get_by_text("The bids are opened.", exact=True).wait_for(timeout=WAIT)
        run_over(ev2)
        snap(ev2, "2-evaluator-tender-opened")
        assert workflow.view(store, tid).state == "opened"

        # the chair declares too (on the Evaluate page) and starts the evaluation
        chair.goto(f"{app}/evaluate")
        declare(chair)
        step(chair, app, "technical_evaluation")
        questions = _questions(store, tid)
        # each evaluator reads a bid (recorded), scores it all and submits; they differ
        # on one item, which the chair moderates
        odd = (offers[0], next(iter(questions)))
        for page, val, name in ((ev1, 4, "ev1"), (ev2, 0, "ev2")):
            page.goto(f"{app}/evaluate")
            page.get_by_role("button", name=f"Read the technical envelope of {offers[0]}"
                             ).click()
            page.get_by_text(f"{offers[0]}: technical envelope (your reading is recorded)"
                             ).wait_for(timeout=WAIT)
            run_over(page)
            score_sheet(page, questions, offers, (*odd, val))
            snap(page, f"3-{name}-evaluate-submitted")

        chair.goto(f"{app}/moderation")
        chair.get_by_role("button", name="Record the consensus").wait_for(timeout=WAIT)
        run_over(chair)
        chair.get_by_label("Consensus score", exact=True).fill("2")
        chair.get_by_label("Consensus score", exact=True).press("Tab")
        chair.get_by_label("Reason (written in the award report)", exact=True).fill(MOD_REASON)
        chair.get_by_role("button", name="Record the consensus").click()
        chair.get_by_text(f"The consensus of {odd[0]} / {odd[1]} was recorded.").wait_for(
            timeout=WAIT)
        run_over(chair)
        snap(chair, "4-chair-moderation")
        step(chair, app, "clarification")
        clarify(chair, app, offers[0], UNKNOWN)
        step(chair, app, "evaluated")
        chair.get_by_label("Reason (needed when not the leader)", exact=True).fill(
            AWARD_REASON)
        chair.get_by_role("button", name=f"Move to the next step: {state_word('awarded')}").click()
        chair.get_by_text(f"The tender is now {state_word('awarded')}.").wait_for(timeout=WAIT)
        run_over(chair)
        snap(chair, "6-chair-tender-awarded")
        chair.goto(f"{app}/audit")
        chair.get_by_text("audit chain holds").first.wait_for(timeout=WAIT)
        run_over(chair)
        snap(chair, "7-chair-audit")
        with chair.expect_download(timeout=WAIT) as d:
            chair.get_by_role("button", name="Award report (DOCX)").click()
        target = tmp_path / "award.docx"
        d.value.save_as(target)
    except BaseException:
        for i, c in enumerate(ctxs):  # what each person saw when it failed
            for j, p in enumerate(c.pages):
                snap(p, f"failed-{i}-{j}")
        raise
    finally:
        for c in ctxs:
            c.close()

    report = docx_text(target.read_bytes())
    for must in (MOD_REASON, f"{EVALUATOR.email} and {SECOND.email}", CLARIFY):
        assert must in report, must
    # every act under the member whose binding carries the subject of who did it
    recs = audit.records(store, tid)
    subject = {json.loads(r.detail_json)["member"]: json.loads(r.detail_json)["subject"]
               for r in recs if r.action == "member.bound"}
    assert subject == {EVALUATOR.email: EVALUATOR.sub, SECOND.email: SECOND.sub}
    subject[CHAIR.email] = CHAIR.sub  # the creator is bound at creation (checked below)
    assert (chair_p.issuer, chair_p.subject) == (oidc_issuer, CHAIR.sub)
    by: dict[str, list[str]] = {}
    for r in recs:
        assert r.actor in subject and r.authenticated, r  # the bids too: no anonymous desk
        by.setdefault(r.action, []).append(subject.get(r.actor, r.actor))
    assert by["member.bound"] == [EVALUATOR.sub, SECOND.sub]
    assert by["tender.published"] == [CHAIR.sub]
    assert by["bid.received"] == [CHAIR.sub] * len(offers)
    assert by["opening.signed"] == [EVALUATOR.sub]
    assert by["tender.opened"] == [SECOND.sub]
    assert sorted(set(by["bid.read"])) == sorted({EVALUATOR.sub, SECOND.sub})
    assert sorted(set(by["score.saved"])) == sorted({EVALUATOR.sub, SECOND.sub})
    assert len(by["score.saved"]) == 2 * len(offers) * len(questions)
    assert sorted(by["sheet.submitted"]) == sorted([EVALUATOR.sub, SECOND.sub])
    for act in ("score.moderated", "tender.awarded"):
        assert by[act] == [CHAIR.sub], act
    # the head the award report files, checked by the operator's command
    filed = HEAD.search(report)
    assert filed, "the award report files the audit head"
    n, head = filed.groups()
    cli = subprocess.run([sys.executable, "-m", "scoring.cli.main", "audit", "verify",
                          "--db", store.url, "--expect-count", n, "--expect-head", head],
                         capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0 and "audit chain holds" in cli.stdout, (cli.stdout, cli.stderr)


def _questions(store: Store, tid: int) -> dict[str, str]:
    """The published questions and their scales (what the score forms are labelled with)."""
    from scoring.committee.access import load_tender

    with store.read() as s:
        pub = json.loads(load_tender(s, tid).published_canonical or "{}")
    return {q["id"]: q["scale"] for q in pub.get("questions", [])}
