"""Sealed bids in two envelopes, and who may read them.

A bid is stored as two canonical JSON envelopes, each with its SHA-256 at receipt:
- technical: the offer without its prices;
- price: the price lines.
Each hash is a commitment SHA-256(salt ‖ canonical content) with a fresh random salt per
envelope (``secrets.token_hex``): an unsalted hash, shown on every receipt, would tell anyone
before opening that two bidders sent identical envelopes (or confirm a guessed price list).
The salts stay in the database until their envelope opens: the technical salts are revealed
in the opening record, the price salts in the record that opens the price envelopes (revealing
them earlier would let a member test guessed price lists against the shown hashes while the
price envelopes are still closed). With its salt a bidder checks its receipt (``receipt_holds``).
Before opening nobody reads either (Directive 2014/24/EU Annex IV); the opening re-checks every
hash. Only bids received before the tender's deadline are accepted (``workflow``).
After opening a chair or an evaluator reads a bid only once they declared their interests about
every bidder, never a bid they declared a conflict with (art. 24), and the price envelope only
once the technical scores are frozen (two-envelope procedure). Observers watch the procedure and
read no bid. Every read is an explicit act (a button on the pages) and writes an audit record:
who read which bid's which envelope, and when.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..hashing import canonical_json, sha256_text
from ..i18n import N_, _
from ..models import Offer
from . import audit, desk, documents
from .access import (
    STATES,
    conflicts,
    load_tender,
    member,
    require_clear,
    require_declared,
    require_state,
)
from .errors import CommitteeError, NotFound, PermissionDenied
from .identity import Person
from .models import Submission, Tender
from .store import Store

OPENED = STATES[STATES.index("opened"):]


@dataclass(frozen=True)
class Receipt:
    """What a bidder and the log see of a bid: its hashes, never its content."""

    offer_id: str
    vendor_name: str
    technical_sha256: str
    price_sha256: str
    received_at: str


ENVELOPES = ("technical", "price")


@dataclass(frozen=True)
class BidView:
    offer_id: str
    envelope: str  # the envelope read (one per read, one audit record per read)
    technical: dict[str, Any] | None  # the technical envelope (None when the price one is read)
    prices: list[dict[str, Any]] | None  # the price envelope (None unless read)


def envelope_hash(salt: str | None, content: str) -> str:
    """SHA-256(salt ‖ canonical content); no salt for a bid received before migration 0004."""
    return sha256_text((salt or "") + content)


def new_salt() -> str:
    return secrets.token_hex(16)  # 128 random bits (Python docs: "secrets", enough for a nonce)


def technical_envelope(offer: Offer) -> str:
    return canonical_json(offer.model_dump(mode="json", exclude={"prices"}))


def price_envelope(offer: Offer) -> str:
    return canonical_json([p.model_dump(mode="json") for p in offer.prices])


def receipt_holds(offer: Offer, receipt: Receipt, technical_salt: str,
                  price_salt: str | None = None) -> bool:
    """What a bidder checks once the salts are revealed (the opening record, then the price
    opening record): its own offer, salted, gives the hashes of its receipt."""
    ok = envelope_hash(technical_salt, technical_envelope(offer)) == receipt.technical_sha256
    if price_salt is not None:
        ok = ok and envelope_hash(price_salt, price_envelope(offer)) == receipt.price_sha256
    return ok


def deadline_of(t: Tender) -> dt.datetime | None:
    return dt.datetime.fromisoformat(t.bid_deadline) if t.bid_deadline else None


def utc(now: dt.datetime | None) -> dt.datetime:
    """``now`` (tests and replays pass it; the pages never do) or the clock, in UTC."""
    when = now or dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        raise CommitteeError(_("a time without a time zone is ambiguous: give it in UTC"))
    return when.astimezone(dt.UTC)


def submit_bid(store: Store, recorder: Person, tender_id: int, offer: Offer,
               now: dt.datetime | None = None) -> Receipt:
    """Receive one sealed bid while the tender is published and before its deadline, recorded
    for the offer's bidder by ``recorder``: the bid desk (``desk``: a logged-in chair or the
    server's operator on a shared server; a non-member at the keyboard in local mode), named
    in the audit record with the bidder it recorded for."""
    on_server = desk.shared(store)
    with store.tx("the bid") as s:
        t = load_tender(s, tender_id)
        require_state(t, N_("receive a bid"), "published")
        when, deadline = utc(now), deadline_of(t)
        if deadline is not None and when >= deadline:
            raise PermissionDenied(_("the bid deadline passed at {bid_deadline} (UTC): the "
                                     "bid for {offer_id} is refused").format(
                                       bid_deadline=t.bid_deadline, offer_id=offer.offer_id))
        capacity = desk.require_desk(s, t, recorder, on_server, N_("record a bid"))
        tech, price = technical_envelope(offer), price_envelope(offer)
        ts, ps = new_salt(), new_salt()
        sub = Submission(tender_id=t.id, offer_id=offer.offer_id, vendor_name=offer.vendor_name,
                         technical_json=tech, technical_sha256=envelope_hash(ts, tech),
                         price_json=price, price_sha256=envelope_hash(ps, price),
                         received_at=audit.now(), technical_salt=ts, price_salt=ps)
        if s.execute(select(Submission).where(Submission.tender_id == t.id,
                                              Submission.offer_id == offer.offer_id)).first():
            raise CommitteeError(_("a bid for offer {offer_id} was already received").format(
                                     offer_id=offer.offer_id))
        s.add(sub)
        audit.append(s, recorder, "bid.received", t.id,
                     {**desk.recorded(recorder, capacity, offer.offer_id, offer.vendor_name),
                      "technical_sha256": sub.technical_sha256,
                      "price_sha256": sub.price_sha256})
        return Receipt(sub.offer_id, sub.vendor_name, sub.technical_sha256, sub.price_sha256,
                       sub.received_at)


def receipts(store: Store, tender_id: int) -> list[Receipt]:
    with store.read() as s:
        rows = s.execute(select(Submission).where(Submission.tender_id == tender_id)
                         .order_by(Submission.offer_id)).scalars()
        return [Receipt(b.offer_id, b.vendor_name, b.technical_sha256, b.price_sha256,
                        b.received_at) for b in rows]


def altered(s: Session, t: Tender) -> list[str]:
    """Offer ids whose stored envelopes no longer match their receipt hashes (recomputed with
    their salts), then the bid documents that no longer match their commitments
    (``documents.altered``)."""
    rows = s.execute(select(Submission).where(Submission.tender_id == t.id)).scalars()
    return sorted(b.offer_id for b in rows
                  if envelope_hash(b.technical_salt, b.technical_json) != b.technical_sha256
                  or envelope_hash(b.price_salt, b.price_json) != b.price_sha256
                  ) + documents.altered(s, t)


def salts(s: Session, t: Tender, envelope: str) -> dict[str, str | None]:
    """offer id -> the salt of one envelope of each bid (revealed in the log when it opens)."""
    rows = s.execute(select(Submission).where(Submission.tender_id == t.id)
                     .order_by(Submission.offer_id)).scalars()
    return {b.offer_id: b.technical_salt if envelope == "technical" else b.price_salt
            for b in rows}


def visible_offers(store: Store, who: Person, tender_id: int) -> list[str]:
    """The bids this person may read now (none before opening or before declaring)."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        m = member(s, t, who)
        if m is None or m.role == "observer" or t.state not in OPENED:
            return []
        try:
            require_declared(s, t, who)
        except PermissionDenied:
            return []
        hidden = conflicts(s, t, who.name)
        return sorted(b for b in s.execute(select(Submission.offer_id).where(
            Submission.tender_id == t.id)).scalars() if b not in hidden)


def read_bid(store: Store, who: Person, tender_id: int, offer_id: str,
             envelope: str = "technical") -> BidView:
    """One envelope of one bid, under every rule of the module docstring. Each read writes an
    audit record (who, which bid, which envelope, when) in the same transaction: no content
    leaves the store without its record."""
    if envelope not in ENVELOPES:
        raise CommitteeError(_("envelope must be one of {envelopes}").format(
                                 envelopes=', '.join(ENVELOPES)))
    with store.tx("the record of this reading (the bid is not shown)") as s:
        t = load_tender(s, tender_id)
        if t.state not in OPENED:
            raise PermissionDenied(_("bids are sealed until opened (the tender is {state})").format(
                                       state=t.state))
        if envelope == "price" and not t.technical_frozen:
            raise PermissionDenied(_("price envelopes stay closed until the technical scores "
                                     "are frozen (two-envelope procedure)"))
        require_clear(s, t, who, offer_id, N_("see or act on this bid"), "chair", "evaluator")
        b = s.execute(select(Submission).where(Submission.tender_id == t.id,
                                               Submission.offer_id == offer_id)
                      ).scalar_one_or_none()
        if b is None:
            raise NotFound(_("no bid {offer_id} in this tender").format(offer_id=offer_id))
        audit.append(s, who, "bid.read", t.id, {"offer": offer_id, "envelope": envelope})
        if envelope == "price":
            return BidView(offer_id, envelope, None, json.loads(b.price_json))
        return BidView(offer_id, envelope, json.loads(b.technical_json), None)


def read_prices(store: Store, who: Person, tender_id: int, offer_id: str
                ) -> list[dict[str, Any]]:
    """The price envelope alone: refused until the technical scores are frozen."""
    view = read_bid(store, who, tender_id, offer_id, "price")
    assert view.prices is not None
    return view.prices


def offers_of(s: Session, t: Tender) -> list[Offer]:
    """Every bid as an engine ``Offer`` (internal: the evaluation, never a person's view);
    prices only once the technical scores are frozen."""
    out = []
    for b in s.execute(select(Submission).where(Submission.tender_id == t.id)
                       .order_by(Submission.offer_id)).scalars():
        doc = json.loads(b.technical_json)
        doc["prices"] = json.loads(b.price_json) if t.technical_frozen else []
        out.append(Offer.model_validate(doc))
    return out
