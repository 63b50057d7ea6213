"""Sealed bids in two envelopes, and who may read them.

A bid is stored as two canonical JSON envelopes, each with its SHA-256 at receipt:
- technical: the offer without its prices;
- price: the price lines.
Before opening nobody reads either (Directive 2014/24/EU Annex IV); opening re-checks every hash.
After opening a chair or an evaluator reads a bid only once they declared their interests about
every bidder, never a bid they declared a conflict with (art. 24), and the price envelope only
once the technical scores are frozen (two-envelope procedure). Observers watch the procedure and
read no bid. Every read is logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..hashing import canonical_json, sha256_text
from ..models import Offer
from . import audit, documents
from .access import (
    STATES,
    conflicts,
    load_tender,
    member,
    require_declared,
    require_no_conflict,
    require_role,
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


@dataclass(frozen=True)
class BidView:
    offer_id: str
    technical: dict[str, Any]
    prices: list[dict[str, Any]] | None  # None while the price envelope is closed


def submit_bid(store: Store, bidder: Person, tender_id: int, offer: Offer) -> Receipt:
    """Receive one sealed bid while the tender is published (before the deadline)."""
    with store.tx("the bid") as s:
        t = load_tender(s, tender_id)
        require_state(t, "receive a bid", "published")
        if member(s, t, bidder) is not None:
            raise PermissionDenied(f"{bidder.label} is a committee member and cannot bid")
        tech = canonical_json(offer.model_dump(mode="json", exclude={"prices"}))
        price = canonical_json([p.model_dump(mode="json") for p in offer.prices])
        sub = Submission(tender_id=t.id, offer_id=offer.offer_id, vendor_name=offer.vendor_name,
                         technical_json=tech, technical_sha256=sha256_text(tech), price_json=price,
                         price_sha256=sha256_text(price), received_at=audit.now())
        if s.execute(select(Submission).where(Submission.tender_id == t.id,
                                              Submission.offer_id == offer.offer_id)).first():
            raise CommitteeError(f"a bid for offer {offer.offer_id} was already received")
        s.add(sub)
        audit.append(s, bidder, "bid.received", t.id,
                     {"offer": offer.offer_id, "technical_sha256": sub.technical_sha256,
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
    """Offer ids whose stored envelopes no longer match their receipt hashes, then the bid
    documents that no longer match their commitments (``documents.altered``)."""
    rows = s.execute(select(Submission).where(Submission.tender_id == t.id)).scalars()
    return sorted(b.offer_id for b in rows
                  if sha256_text(b.technical_json) != b.technical_sha256
                  or sha256_text(b.price_json) != b.price_sha256) + documents.altered(s, t)


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


def read_bid(store: Store, who: Person, tender_id: int, offer_id: str) -> BidView:
    """One bid's content, under every rule of the module docstring (each read is logged)."""
    with store.tx("the record of this reading (the bid is not shown)") as s:
        t = load_tender(s, tender_id)
        require_role(s, t, who, "chair", "evaluator")
        if t.state not in OPENED:
            raise PermissionDenied(f"bids are sealed until opened (the tender is {t.state})")
        require_declared(s, t, who)
        require_no_conflict(s, t, who, offer_id)
        b = s.execute(select(Submission).where(Submission.tender_id == t.id,
                                               Submission.offer_id == offer_id)
                      ).scalar_one_or_none()
        if b is None:
            raise NotFound(f"no bid {offer_id} in this tender")
        prices = json.loads(b.price_json) if t.technical_frozen else None
        audit.append(s, who, "bid.read", t.id, {"offer": offer_id,
                                                "price_envelope": prices is not None})
        return BidView(offer_id, json.loads(b.technical_json), prices)


def read_prices(store: Store, who: Person, tender_id: int, offer_id: str
                ) -> list[dict[str, Any]]:
    """The price envelope alone: refused until the technical scores are frozen."""
    with store.read() as s:
        if not load_tender(s, tender_id).technical_frozen:
            raise PermissionDenied("price envelopes stay closed until the technical scores "
                                   "are frozen (two-envelope procedure)")
    view = read_bid(store, who, tender_id, offer_id)
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
