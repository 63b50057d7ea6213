"""Bid documents: the files a bid carries beside its questionnaire (PDF, DOCX, XLSX).

Rules (Directive 2014/24/EU art. 22(3) and Annex IV: the integrity and confidentiality of
tenders; nobody reads them before the time limit; any breach is detectable):
- attached by the bid desk (``desk``: on a shared server a logged-in chair or the server's
  operator; in local mode the one who recorded the bid, since a typed name is all that tells
  two people apart there), only while the tender is published and before its bid deadline (the
  rule of ``bids.submit_bid``), and only to a bid received; the record names who attached it
  for which bidder;
- refused, before any library opens it, when it is hostile or not what its name says
  (``scoring.io.doc_guard``), too large (``MAX_DOC_BYTES`` each, ``MAX_BID_BYTES`` per bid) or
  one too many (``MAX_FILES`` per bid);
- stored sealed with a commitment, SHA-256(salt ‖ bytes) under a random per-document salt:
  before opening everyone (the chair included) sees only the name, size and commitment, and two
  identical documents (say two bidders' copies of one template) cannot be recognised; the salt
  is shown from the opening on, so anyone holding the file can recompute the commitment;
- the opening re-checks every document against its commitment (``altered``, called by
  ``bids.altered``): a changed document blocks the opening, named;
- after opening, a chair or evaluator who declared their interests reads a document
  (``read``), never one of a bidder they declared a conflict with; every reading is logged.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from ..errors import Problem, ProblemsError
from ..hashing import sha256_bytes
from ..i18n import N_, _
from ..io.doc_guard import MAX_DOC_BYTES, MEDIA_TYPES, document_problems
from . import audit, desk
from .access import STATES, conflicts, load_tender, member, require_clear, require_state
from .errors import CommitteeError, NotFound, PermissionDenied
from .identity import Person
from .models import AuditRecord, BidDocument, Submission, Tender
from .store import Store

MAX_FILES = 20  # documents per bid
MAX_BID_BYTES = 50 * 1024 * 1024  # all documents of one bid together
OPENED = STATES[STATES.index("opened"):]
__all__ = ["MAX_BID_BYTES", "MAX_DOC_BYTES", "MAX_FILES", "DocumentError", "DocumentInfo",
           "DocumentView", "altered", "attach", "listing", "read", "revealed"]


class DocumentError(ProblemsError, CommitteeError):
    """A document refused: every problem located by file and bidder."""


@dataclass(frozen=True)
class DocumentInfo:
    """What anyone sees of a document: never its content; the salt only after opening."""

    id: int
    offer_id: str
    filename: str
    kind: str
    size: int
    sha256: str  # the commitment SHA-256(salt ‖ bytes)
    attached_at: str
    salt: str | None  # None while sealed


@dataclass(frozen=True)
class DocumentView:
    """A document read after opening (the reading is in the audit log)."""

    info: DocumentInfo
    data: bytes
    content_sha256: str  # SHA-256 of the bytes alone (what ``sha256sum`` prints)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.info.kind]


def commitment(salt: str, data: bytes) -> str:
    """SHA-256 over the salt's bytes followed by the document's bytes."""
    return sha256_bytes(bytes.fromhex(salt) + data)


def _refuse(filename: str, offer_id: str, problems: list[str]) -> DocumentError:
    return DocumentError([Problem(filename, offer_id, "document", p) for p in problems],
                         f"the document {filename!r} of bid {offer_id} was refused")


def _recorded_by(s: Session, t: Tender, offer_id: str) -> str | None:
    """Who recorded the bid (the actor of its ``bid.received`` record)."""
    for r in s.execute(select(AuditRecord).where(AuditRecord.tender_id == t.id,
                                                 AuditRecord.action == "bid.received")
                       .order_by(AuditRecord.seq)).scalars():
        if json.loads(r.detail_json).get("offer") == offer_id:
            return r.actor
    return None


def attach(store: Store, recorder: Person, tender_id: int, offer_id: str, filename: str,
           data: bytes, now: dt.datetime | None = None) -> DocumentInfo:
    """Store one document of a received bid, sealed (see the module docstring for the rules).

    The bytes are checked before anything else is done with them (``doc_guard``), then the
    tender, the bid and the bid's limits, in one transaction with the audit record."""
    if len(data) > MAX_DOC_BYTES:  # before any other look at the bytes
        raise _refuse(filename, offer_id, [f"the file is {len(data):,} bytes; the limit is "
                                           f"{MAX_DOC_BYTES:,}"])
    checked, problems = document_problems(filename, data)
    if problems:
        raise _refuse(checked.name or filename, offer_id, problems)
    on_server = desk.shared(store)
    with store.tx("the document") as s:
        t = load_tender(s, tender_id)
        require_state(t, N_("attach a document to a bid"), "published")
        when = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        if t.bid_deadline and when >= dt.datetime.fromisoformat(t.bid_deadline):
            raise PermissionDenied(_("the bid deadline passed at {bid_deadline} (UTC): no "
                                     "document can be attached any more").format(
                                       bid_deadline=t.bid_deadline))
        capacity = desk.require_desk(s, t, recorder, on_server,
                                     N_("attach documents to a bid"))
        vendor = s.execute(select(Submission.vendor_name).where(
            Submission.tender_id == t.id, Submission.offer_id == offer_id)).scalar()
        if vendor is None:
            raise NotFound(_("no bid {offer_id} was received in this tender: submit the bid "
                             "(its questionnaire) first").format(
                               offer_id=offer_id))
        by = _recorded_by(s, t, offer_id)
        if not on_server and by is not None and by != recorder.name:
            raise PermissionDenied(_("bid {offer_id} was recorded by {by}; only they can "
                                     "attach its documents ({label} cannot)").format(
                                       offer_id=offer_id, by=by, label=recorder.label))
        n, total = s.execute(select(func.count(BidDocument.id), func.sum(BidDocument.size))
                             .where(BidDocument.tender_id == t.id,
                                    BidDocument.offer_id == offer_id)).one()
        total = int(total or 0)
        if n >= MAX_FILES:
            raise _refuse(checked.name, offer_id, [f"bid {offer_id} already has {n} documents; "
                                                   f"the limit is {MAX_FILES}"])
        if total + len(data) > MAX_BID_BYTES:
            raise _refuse(checked.name, offer_id, [
                f"bid {offer_id}'s documents would total {total + len(data):,} bytes; the "
                f"limit per bid is {MAX_BID_BYTES:,}"])
        if s.execute(select(BidDocument.id).where(
                BidDocument.tender_id == t.id, BidDocument.offer_id == offer_id,
                BidDocument.filename == checked.name)).first() is not None:
            raise _refuse(checked.name, offer_id, ["a document with this name is already "
                                                   "attached to this bid"])
        salt = secrets.token_hex(16)
        doc = BidDocument(tender_id=t.id, offer_id=offer_id, filename=checked.name,
                          kind=checked.kind, size=len(data), salt=salt,
                          sha256=commitment(salt, data), data=data, attached_at=audit.now(),
                          attached_by=recorder.name)
        s.add(doc)
        s.flush()
        audit.append(s, recorder, "document.attached", t.id,
                     {**desk.recorded(recorder, capacity, offer_id, vendor),
                      "document": doc.id, "name": doc.filename, "size": doc.size,
                      "sha256": doc.sha256})
        return _info(doc, opened=False)


def _info(d: BidDocument, opened: bool) -> DocumentInfo:
    return DocumentInfo(d.id, d.offer_id, d.filename, d.kind, d.size, d.sha256, d.attached_at,
                        d.salt if opened else None)


def listing(store: Store, who: Person | None, tender_id: int, offer_id: str | None = None
            ) -> list[DocumentInfo]:
    """A bid's documents (or every bid's): name, size, commitment; the salt after opening. A
    member never sees the documents of a bidder they declared a conflict with (``who`` None:
    nobody acting, as on a page before a name or a log-in)."""
    with store.read() as s:
        t = load_tender(s, tender_id)
        hidden = (conflicts(s, t, who.name)
                  if who is not None and member(s, t, who) is not None else set())
        q = (select(BidDocument).options(defer(BidDocument.data))
             .where(BidDocument.tender_id == t.id)
             .order_by(BidDocument.offer_id, BidDocument.filename))
        if offer_id is not None:
            q = q.where(BidDocument.offer_id == offer_id)
        return [_info(d, t.state in OPENED) for d in s.execute(q).scalars()
                if d.offer_id not in hidden]


def read(store: Store, who: Person, tender_id: int, doc_id: int) -> DocumentView:
    """One document's bytes, after opening, under the rules of ``bids.read_bid`` (chair or
    evaluator, interests declared, no conflict with the bidder); the reading is logged."""
    with store.tx("the record of this reading (the document is not shown)") as s:
        t = load_tender(s, tender_id)
        if t.state not in OPENED:
            raise PermissionDenied(_("bid documents are sealed until the bids are opened "
                                     "(the tender is {state})").format(
                                       state=t.state))
        d = s.get(BidDocument, doc_id)
        found = d is not None and d.tender_id == t.id
        require_clear(s, t, who, d.offer_id if d is not None and found else None,
                      N_("read its documents"), "chair", "evaluator")
        if d is None or not found:
            raise NotFound(_("no document {doc_id} in this tender").format(doc_id=doc_id))
        data = bytes(d.data)
        if commitment(d.salt, data) != d.sha256:
            raise CommitteeError(_("document {filename!r} of bid {offer_id} no longer "
                                   "matches its commitment: it was changed after it was "
                                   "received").format(
                                     filename=d.filename, offer_id=d.offer_id))
        audit.append(s, who, "document.read", t.id,
                     {"offer": d.offer_id, "document": d.id, "name": d.filename,
                      "sha256": d.sha256})
        return DocumentView(_info(d, True), data, sha256_bytes(data))


def altered(s: Session, t: Tender) -> list[str]:
    """Documents that no longer match their commitment, as ``offer (document 'name')``: the
    opening check (``bids.altered``)."""
    rows = s.execute(select(BidDocument.offer_id, BidDocument.filename, BidDocument.salt,
                            BidDocument.sha256, BidDocument.data)
                     .where(BidDocument.tender_id == t.id)
                     .order_by(BidDocument.offer_id, BidDocument.filename)
                     .execution_options(yield_per=1))  # one document in memory at a time
    return [f"{offer} (document {name!r})" for offer, name, salt, sha, data in rows
            if commitment(salt, bytes(data)) != sha]


def revealed(s: Session, t: Tender) -> dict[str, str]:
    """Document id -> salt, for the opening's audit record (the salts become public then)."""
    rows = s.execute(select(BidDocument.id, BidDocument.salt)
                     .where(BidDocument.tender_id == t.id).order_by(BidDocument.id))
    return {str(i): salt for i, salt in rows}
