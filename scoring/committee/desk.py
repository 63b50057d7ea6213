"""The bid desk: who records a bid and attaches its documents, and what the log says of it.

Bidders are not members: someone receives their bid (by the buyer's platform, by post) and
records it. Who that may be depends on where the committee works:

- On a laptop (local mode: an SQLite file, no identity provider) the bid desk is whoever is at
  the keyboard, under a typed name that is no member's, and the log says so: "(not
  authenticated)". A member may not also be the bid desk there: a typed name is all that tells
  them apart.
- On a shared server (``membership.login_required``: PostgreSQL, or
  ``HOSTWISE_REQUIRE_LOGIN=1``) identity comes from log-in, never from a typed name, and the
  audit log must vouch for every row it records (developers' guide; bidders and members can be
  adversaries). A bid is recorded there by a chair of the tender, logged in (their member key,
  bound to the identity provider's subject: ``access.member``), or by the server's operator from
  the command line (``identity.operator``: named by their OS account, as ``hostwise audit
  report`` is). Anyone else is refused with a plain reason: an evaluator (who would score the
  bid they shaped), an observer or an auditor (who act on nothing), someone who is no member,
  and anyone not logged in.

Why the chair and no dedicated "clerk" role: before the opening the chair already holds every
power over the procedure (publication, deadline, members), and recording a bid gives no sight
of it (the envelopes stay sealed, the chair included); a clerk role would need a migration, a
place in every role list, page and translation, for a separation the operator's road already
offers (bids received by post can be recorded from the command line).

Every record names who recorded and for which bidder ("recorded for bidder X by Y"), with the
capacity the recorder acted in, so the log vouches for the row without a typed name.
"""

from __future__ import annotations

import os

from sqlalchemy.orm import Session

from ..i18n import N_, _
from .access import load_tender, member
from .errors import PermissionDenied
from .identity import Person
from .membership import login_required
from .models import Tender
from .store import Store

AS_OPERATOR = "the server's operator (command line)"
AS_CHAIR = "chair of the tender (logged in)"
AS_LOCAL = "bid desk (local mode, not authenticated)"


def shared(store: Store) -> bool:
    """Whether this store is a shared server's (``membership.login_required``: the one rule
    the pages and the command line use too)."""
    return login_required(store.url, os.environ)


def require_desk(s: Session, t: Tender, who: Person, on_server: bool, doing: str) -> str:
    """The capacity ``who`` records bids in (``AS_*``), or ``PermissionDenied`` saying who may
    (module docstring). ``doing``: "record a bid", "attach a document" (for the reason)."""
    if who.operator:
        return AS_OPERATOR
    m = member(s, t, who)
    if not on_server:
        if m is not None:
            raise PermissionDenied(_("{label} is a committee member and cannot {doing} "
                                     "(bidders are not members)").format(
                                       label=who.label, doing=_(doing)))
        return AS_LOCAL
    if who.subject is None:
        raise PermissionDenied(_("{label} is not logged in: on a shared server only a chair "
                                 "of the tender, logged in, or the server's operator "
                                 "(command line) can {doing}").format(
                                   label=who.label, doing=_(doing)))
    if m is None:
        raise PermissionDenied(_("{label} is not a member of this tender: only a chair of the "
                                 "tender, logged in, or the server's operator (command line) "
                                 "can {doing}").format(label=who.label, doing=_(doing)))
    if m.role != "chair":
        raise PermissionDenied(_("{label} is {role}: only a chair of the tender, logged in, or "
                                 "the server's operator (command line) can {doing}").format(
                                   label=who.label, role=_(m.role), doing=_(doing)))
    return AS_CHAIR


def may_record(store: Store, who: Person | None, tender_id: int) -> bool:
    """Whether the pages offer this person the bid desk's forms (the service checks again)."""
    if who is None:
        return False
    with store.read() as s:
        try:
            require_desk(s, load_tender(s, tender_id), who, shared(store), N_("record a bid"))
        except PermissionDenied:
            return False
    return True


def recorded(who: Person, capacity: str, offer_id: str, vendor: str) -> dict[str, str]:
    """What a bid's or a document's audit record says of who acted for whom."""
    return {"offer": offer_id, "vendor": vendor, "recorded_by": who.name, "as": capacity,
            "note": f"recorded for bidder {vendor} ({offer_id}) by {who.label}, {capacity}"}
