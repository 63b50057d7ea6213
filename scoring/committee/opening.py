"""The bid deadline and the opening of the bids by two (Directive 2014/24/EU Annex IV: nobody
sees a bid before the deadline, and any breach is detectable).

Deadline: set by the chair before or at publication and published with the tender; a bid after
it is refused (``bids.submit_bid``); sealing is possible only once it has passed. It may be
extended only by a chair, only before it passes, only later, with a written reason: each
extension is an audit record, and the history is shown to every member (``deadline_history``).
Why not shortened or extended after it passed: a bidder who planned for the published deadline
must not be caught out, and once it passed, moving it would admit a late bid.

Opening by two: a designated opener signs first in their own session (the first signature,
audited, tender still sealed); a *different* designated opener confirms in theirs, and only
then is the tender opened. Each signature re-checks every bid against its salted hash; the
opening record reveals the technical envelopes' salts, so every bidder can check its receipt.
The same person twice, a member not designated as opener, and a member who declared a conflict
of interest with any bidder are refused (opening shows who bid what: the four-eyes rule needs
two independent pairs of eyes).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import select

from ..i18n import N_, _
from . import audit, documents
from .access import conflicts, load_tender, member, require_role, require_state
from .bids import altered, deadline_of, salts, utc
from .errors import CommitteeError, TransitionError
from .identity import Person, clean_note
from .models import AuditRecord, Member, Submission
from .store import Store
from .transitions import check_transition, move

DEADLINE_ACTIONS = ("deadline.set", "tender.published", "deadline.extended")


def stamp(when: dt.datetime) -> str:
    """A deadline as stored and shown: ISO 8601, UTC, to the second."""
    if when.tzinfo is None:
        raise CommitteeError(_("a deadline without a time zone is ambiguous: give it in UTC"))
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def check_future(deadline: dt.datetime, now: dt.datetime) -> str:
    """The deadline as stored, refused unless it is still ahead."""
    text = stamp(deadline)
    if dt.datetime.fromisoformat(text) <= now:
        raise CommitteeError(_("the bid deadline {text} (UTC) is not in the future (now "
                               "{now})").format(
                                 text=text, now=stamp(now)))
    return text


def set_deadline(store: Store, who: Person, tender_id: int, deadline: dt.datetime,
                 now: dt.datetime | None = None) -> str:
    """The chair sets (or resets) the deadline of a draft; it is published with the tender."""
    with store.tx("the bid deadline") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, N_("set the bid deadline (after publication it can only be extended)"),
                      "draft")
        before, t.bid_deadline = t.bid_deadline, check_future(deadline, utc(now))
        s.flush()
        audit.append(s, who, "deadline.set", t.id, {"previous": before,
                                                    "deadline": t.bid_deadline})
        return t.bid_deadline


def extend_deadline(store: Store, who: Person, tender_id: int, deadline: dt.datetime,
                    reason: str, now: dt.datetime | None = None) -> str:
    """Move the deadline later: a chair, before it passes, with a written reason (logged)."""
    with store.tx("the deadline extension") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, N_("extend the bid deadline"), "published")
        when, old = utc(now), deadline_of(t)
        if old is None:
            raise TransitionError(_("this tender was published without a bid deadline"))
        if when >= old:
            raise TransitionError(_("the bid deadline passed at {bid_deadline} (UTC): it can "
                                    "no longer be extended (bids after it would be admitted "
                                    "late)").format(
                                      bid_deadline=t.bid_deadline))
        new = check_future(deadline, when)
        if dt.datetime.fromisoformat(new) <= old:
            raise CommitteeError(_("an extension moves the deadline later than "
                                   "{bid_deadline}; {new} is not (a deadline is never "
                                   "shortened)").format(
                                     bid_deadline=t.bid_deadline, new=new))
        why = clean_note(reason, "reason of the extension")
        if not why:
            raise CommitteeError(_("an extension of the bid deadline needs its reason in "
                                   "writing"))
        before, t.bid_deadline = t.bid_deadline, new
        s.flush()
        audit.append(s, who, "deadline.extended", t.id,
                     {"previous": before, "deadline": new, "reason": why})
        return new


@dataclass(frozen=True)
class DeadlineChange:
    at: str
    by: str
    action: str  # deadline.set | tender.published | deadline.extended
    deadline: str
    previous: str | None
    reason: str


def deadline_history(store: Store, tender_id: int) -> list[DeadlineChange]:
    """Every setting and extension of the deadline, from the audit log (shown to everyone)."""
    with store.read() as s:
        load_tender(s, tender_id)
        recs = s.execute(select(AuditRecord).where(
            AuditRecord.tender_id == tender_id, AuditRecord.action.in_(DEADLINE_ACTIONS))
            .order_by(AuditRecord.seq)).scalars()
        out = []
        for r in recs:
            d = json.loads(r.detail_json)
            if "deadline" not in d:
                continue
            out.append(DeadlineChange(r.at, r.actor + ("" if r.authenticated else
                                                       " (not authenticated)"), r.action,
                                      d["deadline"], d.get("previous"),
                                      d.get("reason", "")))
        return out


def seal(store: Store, who: Person, tender_id: int, now: dt.datetime | None = None) -> None:
    """The deadline has passed: no more bids (the chair records it)."""
    with store.tx("the sealing of the bids") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        check_transition(t.state, "sealed")
        deadline = deadline_of(t)
        if deadline is not None and utc(now) < deadline:
            raise TransitionError(_("the bids can be sealed once the deadline has passed: it "
                                    "is {bid_deadline} (UTC)").format(
                                      bid_deadline=t.bid_deadline))
        subs = s.execute(select(Submission).where(Submission.tender_id == t.id)
                         .order_by(Submission.offer_id)).scalars().all()
        if not subs:
            raise TransitionError(_("cannot seal a tender that received no bid"))
        move(s, t, who, "sealed", {"deadline": t.bid_deadline,
                                   "bids": {b.offer_id: [b.technical_sha256, b.price_sha256]
                                            for b in subs}})


@dataclass(frozen=True)
class OpeningStatus:
    openers: tuple[str, ...]  # designated
    first: str | None  # who signed first (None: nobody yet)
    first_at: str | None
    opened_by: tuple[str, ...]  # both, once opened

    def text(self) -> str:
        if self.opened_by:
            return f"opened by {' and '.join(self.opened_by)}"
        if self.first is None:
            return ("awaiting the first signature of a designated opener ("
                    f"{', '.join(self.openers) or 'none designated yet'})")
        others = [n for n in self.openers if n != self.first]
        return (f"signed by {self.first} at {self.first_at} (UTC); awaiting the confirmation of "
                f"another designated opener ({', '.join(others) or 'none designated yet'})")


def opening_status(store: Store, tender_id: int) -> OpeningStatus:
    with store.read() as s:
        t = load_tender(s, tender_id)
        names = s.execute(select(Member.name).where(Member.tender_id == t.id, Member.opener)
                          .order_by(Member.name)).scalars()
        return OpeningStatus(tuple(names), t.opening_first, t.opening_first_at,
                             tuple(json.loads(t.opened_by)) if t.opened_by else ())


def sign_opening(store: Store, who: Person, tender_id: int) -> str:
    """Sign the opening: the first designated opener's signature, or the second opener's
    confirmation that opens the bids. Returns "signed" or "opened"."""
    with store.tx("the signature of the opening") as s:
        t = load_tender(s, tender_id)
        check_transition(t.state, "opened")
        m = member(s, t, who)
        if m is None or not m.opener:
            raise TransitionError(_("{label} is not designated to open the bids").format(
                                      label=who.label))
        hidden = conflicts(s, t, who.name)
        if hidden:
            raise TransitionError(_("{label} declared a conflict of interest with {hidden}: "
                                    "they cannot open the bids (another designated opener "
                                    "must)").format(
                                      label=who.label, hidden=', '.join(sorted(hidden))))
        if t.opening_first == who.name:
            raise TransitionError(_("{label} already signed the opening: a different "
                                    "designated opener must confirm it in their own "
                                    "session").format(label=who.label))
        bad = altered(s, t)
        if bad:
            raise TransitionError("bids changed since they were received (hash mismatch): "
                                  + ", ".join(bad))
        if t.opening_first is None:
            t.opening_first, t.opening_first_at = who.name, audit.now()
            s.flush()
            audit.append(s, who, "opening.signed", t.id,
                         {"signature": 1, "by": who.name, "bids_match_their_hashes": True})
            return "signed"
        pair = [t.opening_first, who.name]
        t.opened_by = json.dumps(pair)
        move(s, t, who, "opened", {"opened_by": pair, "first_signature": t.opening_first_at,
                                   "confirmed_by": who.name, "bids_match_their_hashes": True,
                                   "technical_salts": salts(s, t, "technical"),
                                   "document_salts": documents.revealed(s, t)})
        return "opened"
