"""Role, state and conflict-of-interest checks shared by every service.

Why here and not in the pages: a rule the UI alone enforces is a rule a second browser tab, the
CLI or a script can bypass. Every service loads the tender and calls these checks inside its own
transaction, so the check and the act see the same data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..i18n import N_, _
from .errors import ConcurrentEditError, NotFound, PermissionDenied, TransitionError
from .identity import Person
from .models import Declaration, Member, Submission, Tender

R = TypeVar("R")

ROLES = (N_("chair"), N_("evaluator"), N_("observer"), N_("auditor"))  # N_: shown translated
# an auditor reads everything (the log, the panel, the clarifications, the award report) and
# acts on nothing: no service that writes accepts the role
READERS = ("chair", "observer", "auditor")
STATES = ("draft", "published", "sealed", "opened", "technical_evaluation", "clarification",
          "evaluated", "awarded")
STATE_LABELS = {
    "draft": N_("draft (weights, gates, method and questions editable)"),
    "published": N_("published (frozen and hashed; bids are received sealed)"),
    "sealed": N_("sealed (deadline passed; bids stored with their salted SHA-256, not "
                 "viewable)"),
    "opened": N_("opened (by two designated members, each in their own session)"),
    "technical_evaluation": N_("technical evaluation (price envelopes still closed)"),
    "clarification": N_("clarification (technical scores frozen; price envelopes open)"),
    "evaluated": N_("evaluated (final ranking recorded)"),
    "awarded": N_("awarded"),
}


def load_tender(s: Session, tender_id: int, expected_version: int | None = None) -> Tender:
    """The tender, or ``NotFound``; ``expected_version`` = the version the user loaded (a newer
    one means someone else saved in between: ``ConcurrentEditError``)."""
    t = s.get(Tender, tender_id)
    if t is None:
        raise NotFound(_("there is no tender {id}").format(id=tender_id))
    if expected_version is not None and t.version != expected_version:
        raise ConcurrentEditError()
    return t


def member(s: Session, t: Tender, who: Person) -> Member | None:
    """The person's membership. A logged-in person is found by issuer and subject only, and
    only under the key (name) they act with (``membership.acting``); a local-mode person by
    name, and never as a membership bound to a log-in or invited by e-mail (issue 18: a typed
    or display name is never enough to act as a logged-in member)."""
    if who.subject is not None:
        m = s.execute(select(Member).where(Member.tender_id == t.id,
                                           Member.issuer == who.issuer,
                                           Member.subject == who.subject)).scalar_one_or_none()
        return m if m is not None and m.name == who.name else None
    return s.execute(select(Member).where(Member.tender_id == t.id, Member.name == who.name,
                                          Member.subject.is_(None), Member.email.is_(None))
                     ).scalar_one_or_none()


def require_role(s: Session, t: Tender, who: Person, *roles: str) -> Member:
    """The person's membership, if it has one of ``roles``; else ``PermissionDenied``."""
    m = member(s, t, who)
    if m is None or m.role not in roles:
        need = _(" or ").join(_(r) for r in roles)
        raise PermissionDenied(
            _("{person} is not a member of this tender; this needs the role {roles}").format(
                person=who.label, roles=need) if m is None else
            _("{person} is {role}; this needs the role {roles}").format(
                person=who.label, role=_(m.role), roles=need))
    return m


def require_state(t: Tender, doing: str, *states: str) -> None:
    if t.state not in states:
        raise TransitionError(_("cannot {doing} while the tender is {state}; only when "
                                "{states}").format(doing=_(doing), state=_(t.state),
                                                   states=_(" or ").join(_(x) for x in states)))


def bidders(s: Session, t: Tender) -> list[str]:
    """Offer ids of every received bid, in offer-id order (the engine's order)."""
    return sorted(s.execute(select(Submission.offer_id).where(Submission.tender_id == t.id))
                  .scalars())


def declarations(s: Session, t: Tender, name: str) -> dict[str, Declaration]:
    rows = s.execute(select(Declaration).where(Declaration.tender_id == t.id,
                                               Declaration.person == name)).scalars()
    return {d.offer_id: d for d in rows}


def conflicts(s: Session, t: Tender, name: str) -> set[str]:
    """Offers the person declared a conflict of interest with (hidden from them)."""
    return {o for o, d in declarations(s, t, name).items() if d.conflict}


def missing_declarations(s: Session, t: Tender, name: str) -> list[str]:
    done = declarations(s, t, name)
    return [o for o in bidders(s, t) if o not in done]


def require_declared(s: Session, t: Tender, who: Person) -> None:
    """No bid is seen before a declaration about every bidder (Directive 2014/24/EU art. 24)."""
    missing = missing_declarations(s, t, who.name)
    if missing:
        raise PermissionDenied(_("{person} must first declare interests (none or a conflict) "
                                 "for every bidder; missing: {offers}").format(
            person=who.label, offers=", ".join(missing)))


def require_no_conflict(s: Session, t: Tender, who: Person, offer_id: str,
                        doing: str = N_("see or act on this bid")) -> None:
    """The one check every service makes before it reads or acts on one bidder, whatever the
    person's role (chair, evaluator, opener, observer): a declared conflict binds the person,
    not a role, so a chair conflicted with a bidder may no more moderate, clarify or award it
    than an evaluator may score it."""
    if offer_id in conflicts(s, t, who.name):
        raise PermissionDenied(_("{person} declared a conflict of interest with {offer}: they "
                                 "cannot {doing}").format(person=who.label, offer=offer_id,
                                                          doing=_(doing)))


def require_clear(s: Session, t: Tender, who: Person, offer_id: str | None, doing: str,
                  *roles: str) -> Member:
    """The checks, in one order, before a member sees or acts on one bidder's content (a bid's
    envelope, a document, a score): one of ``roles``, interests declared about every bidder
    (art. 24), no conflict with this one (``offer_id``; None: the thing asked for does not
    exist, which the caller says after these checks, so that nobody without the right learns
    what exists). The tender's state is the caller's to check first."""
    m = require_role(s, t, who, *roles)
    require_declared(s, t, who)
    if offer_id is not None:
        require_no_conflict(s, t, who, offer_id, doing)
    return m


def without_conflicts(s: Session, t: Tender, who: Person, rows: Iterable[R],
                      offer_of: Callable[[R], str]) -> list[R]:
    """``rows`` minus those about a bidder the person declared a conflict with: the one filter
    every view (scores, panel, clarifications) applies, so no view can forget one."""
    hidden = conflicts(s, t, who.name)
    return [r for r in rows if offer_of(r) not in hidden]


def free_of_conflict(s: Session, t: Tender, offer_id: str, role: str) -> list[str]:
    """Members with ``role`` who declared no conflict with ``offer_id`` (who can act instead)."""
    names = s.execute(select(Member.name).where(Member.tender_id == t.id, Member.role == role)
                      .order_by(Member.name)).scalars()
    return [n for n in names if offer_id not in conflicts(s, t, n)]
