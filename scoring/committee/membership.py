"""Members on a shared server: invited by e-mail, bound to a log-in, and shown only their own
tenders (issue 18).

Why invitations and not names: on a shared server anyone can type any name, and a display name
is whatever the person set at their provider. The chair invites an e-mail address with a role;
the first log-in whose provider vouches for that address (``email_verified``) binds the
membership to the log-in's issuer and subject (OpenID Connect Core 1.0 section 5.7: the only
stable identifier), with an audit record ``member.bound``. From then on the membership answers
to that subject only (``access.member``): another account that later shows the same e-mail (a
recycled mailbox, a second provider account) gets nothing.

What a person sees: a logged-in person only the tenders they are a bound member of (no title,
no log of any other); a local-mode person (a laptop, SQLite, no identity provider) every
tender of their own file, as before. The pages refuse local mode on a shared server
(``ui.components.committee``), so the second rule never applies there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy import select

from ..i18n import N_, _
from . import audit
from .access import ROLES, load_tender, member, require_role, require_state
from .errors import CommitteeError
from .identity import Person, clean_email, lookalike
from .models import Member, Tender
from .store import Store

REQUIRE_LOGIN = "HOSTWISE_REQUIRE_LOGIN"


def login_required(db_url: str, environ: Mapping[str, str]) -> bool:
    """Whether only a log-in may act: the store is shared (any database but an SQLite file,
    i.e. PostgreSQL) or the administrator says so (``HOSTWISE_REQUIRE_LOGIN=1``, e.g. an
    SQLite file on a server several people reach). On a laptop (SQLite, no variable) the
    local mode with typed names stays."""
    flag = environ.get(REQUIRE_LOGIN, "").strip().lower()
    return not db_url.startswith("sqlite") or flag in ("1", "true", "yes")


def invite(store: Store, who: Person, tender_id: int, email: str, role: str,
           opener: bool = False) -> str:
    """The chair invites ``email`` as ``role`` (``opener``: may open the bids) before the bids
    are opened; returns the address as stored (the member's key in the committee tables)."""
    if role not in ROLES:
        raise CommitteeError(_("role must be one of {roles}").format(roles=', '.join(ROLES)))
    email = clean_email(email)
    with store.tx("the invitation") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair")
        require_state(t, N_("invite members"), "draft", "published", "sealed")
        names = list(s.execute(select(Member.name).where(Member.tender_id == t.id)).scalars())
        taken = s.execute(select(Member.id).where(Member.tender_id == t.id, (
            Member.email == email) | (Member.name == email))).first()
        if taken is not None:
            raise CommitteeError(_("{email} is already invited to this tender").format(
                                     email=email))
        like = lookalike(email, names)
        if like is not None:
            raise CommitteeError(_("{email!r} looks like member {like!r} of this tender "
                                   "(case, spaces or look-alike letters): use one spelling").format(
                                     email=email, like=like))
        s.add(Member(tender_id=t.id, name=email, role=role, opener=opener, email=email))
        audit.append(s, who, "member.invited", t.id, {"email": email, "role": role,
                                                      "opener": opener})
    return email


def bind(store: Store, who: Person) -> list[int]:
    """At log-in: bind every pending invitation of the person's verified e-mail to their
    issuer and subject, one audited transaction per tender (``member.bound``); returns the
    tenders bound. A person without a verified e-mail binds nothing; an invitation already
    bound (to anyone) is never bound again; a tender where this log-in is already a member
    keeps its invitation pending (one membership per log-in and tender)."""
    if who.subject is None or who.email is None:
        return []
    with store.read() as s:
        pending = sorted(set(s.execute(select(Member.tender_id).where(
            Member.email == who.email, Member.subject.is_(None))).scalars()))
    bound = []
    for tid in pending:
        with store.tx("the binding of your membership") as s:
            m = s.execute(select(Member).where(Member.tender_id == tid,
                                               Member.email == who.email,
                                               Member.subject.is_(None))).scalar_one_or_none()
            mine = s.execute(select(Member.id).where(
                Member.tender_id == tid, Member.issuer == who.issuer,
                Member.subject == who.subject)).first()
            if m is None or mine is not None:  # bound meanwhile, or already a member
                continue
            m.issuer, m.subject = who.issuer, who.subject
            audit.append(s, who, "member.bound", tid,
                         {"email": who.email, "issuer": who.issuer, "subject": who.subject,
                          "role": m.role, "member": m.name})
            bound.append(tid)
    return bound


def acting(store: Store, who: Person, tender_id: int) -> Person:
    """The person as they act in one tender: a logged-in member under the key their membership
    was created with (their e-mail at invitation, even if the provider now sends another one).
    Anyone else is returned unchanged (and refused by the services)."""
    if who.subject is None:
        return who
    with store.read() as s:
        name = s.execute(select(Member.name).where(
            Member.tender_id == tender_id, Member.issuer == who.issuer,
            Member.subject == who.subject)).scalar_one_or_none()
    return who if name is None or name == who.name else replace(who, name=name)


def visible_tenders(store: Store, who: Person | None) -> list[tuple[int, str, str]]:
    """(id, title, state) of the tenders this person may see: a logged-in person's own (bound
    memberships only); in local mode every tender of the file."""
    with store.read() as s:
        q = select(Tender).order_by(Tender.id)
        if who is not None and who.subject is not None:
            q = q.where(Tender.id.in_(select(Member.tender_id).where(
                Member.issuer == who.issuer, Member.subject == who.subject)))
        return [(t.id, t.title, t.state) for t in s.execute(q).scalars()]


def may_see(store: Store, who: Person | None, tender_id: int) -> bool:
    """Whether ``visible_tenders`` lists this tender for this person."""
    return any(t[0] == tender_id for t in visible_tenders(store, who))


def member_persons(store: Store, tender_id: int, names: list[str]) -> list[Person]:
    """The named members of a tender as the services know them (bound ones by their log-in):
    the members present at a bid opening, attested by the member who records it."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        rows = {m.name: m for m in s.execute(select(Member).where(
            Member.tender_id == t.id, Member.name.in_(names))).scalars()}
    out = []
    for n in names:
        m = rows.get(n)
        if m is None or m.subject is None:
            out.append(Person(n))
        else:
            out.append(Person(m.name, authenticated=True, issuer=m.issuer, subject=m.subject,
                              email=m.email))
    return out


def roster(store: Store, tender_id: int) -> list[dict[str, object]]:
    """The members as the tender page lists them: key, role, opener, and how they act
    (``identity``: "local" for a typed name, "invited" for an invitation waiting for its
    first log-in, "bound" to a log-in, with its ``subject`` and ``issuer``: the subject is what
    the court would ask the provider about). Words are the page's (``roster_text``)."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        rows = s.execute(select(Member).where(Member.tender_id == t.id)
                         .order_by(Member.name)).scalars()
        return [{"member": m.name, "role": m.role, "opener": m.opener,
                 "identity": ("local" if m.email is None and m.subject is None else
                              "invited" if m.subject is None else "bound"),
                 "subject": m.subject, "issuer": m.issuer} for m in rows]


def role(store: Store, who: Person | None, tender_id: int) -> str | None:
    """The person's role in the tender, or None."""
    if who is None:
        return None
    with store.read() as s:
        m = member(s, load_tender(s, tender_id), who)
        return m.role if m else None
