"""The committee's tables (SQLAlchemy 2 declarative models).

The schema is created and upgraded only by the Alembic migrations beside this file
(``migrations/versions``); a test checks that the migrated schema equals these models, so the two
cannot drift. Timestamps are ISO 8601 UTC strings: they are hashed into the audit chain and must
read back byte for byte identical on SQLite and PostgreSQL (a ``DateTime`` column loses the time
zone on SQLite).

Optimistic locking (``version_id_col``): every UPDATE of a tender or a score says
``WHERE version = <the version read>``; a concurrent writer makes it match no row and SQLAlchemy
raises ``StaleDataError``, which the store turns into ``ConcurrentEditError``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ID = 200  # length of a name, an offer id or a question id
EMAIL = 254  # an e-mail address (RFC 5321 path limit)
ISSUER = 500  # an OpenID Connect issuer URL
SUBJECT = 255  # an OpenID Connect subject (OpenID Connect Core 1.0 section 2: at most 255)
MAX_TEXT = 10_000  # characters of a note, justification, reason, request or reply
MAX_DOCUMENT = 5_000_000  # characters of a stored JSON document (scenario, bid envelope, rank)
MAX_CATALOGUE = 4_194_304  # characters of a tender's own catalogue (io.catalogue's file limit)


def _text(label: str, limit: int = MAX_TEXT) -> dict[str, object]:
    """A Text column's limit and name, checked before every write (``store._check_limits``) so
    that SQLite and PostgreSQL refuse the same things and nothing is ever cut silently."""
    return {"max_chars": limit, "label": label}


class Base(DeclarativeBase):
    pass


class Tender(Base):
    __tablename__ = "tenders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    title: Mapped[str] = mapped_column(String(500), info={"label": "tender title"})
    state: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(ID))
    scenario_json: Mapped[str] = mapped_column(Text)  # the draft scenario mapping (JSON)
    questions_json: Mapped[str] = mapped_column(Text)  # [{"id": ..., "scale": "0-4"|"0-100"}]
    aggregation: Mapped[str] = mapped_column(String(10))  # median | mean
    published_canonical: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    opened_by: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON list of names
    technical_frozen: Mapped[bool] = mapped_column(Boolean, default=False)
    final_rank_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    awarded_offer: Mapped[str | None] = mapped_column(String(ID), nullable=True)
    award_reason: Mapped[str | None] = mapped_column(Text, nullable=True,
                                                     info=_text("award reason"))
    # migration 0004: the bid deadline (ISO 8601 UTC; bids after it are refused, sealing only
    # after it) and the first opener's signature, waiting for a second opener's confirmation
    bid_deadline: Mapped[str | None] = mapped_column(String(40), nullable=True)
    opening_first: Mapped[str | None] = mapped_column(String(ID), nullable=True)
    opening_first_at: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # migration 0006: the tender's own catalogue (YAML text, docs/catalogue.md), authored in the
    # browser or imported from a criteria workbook (``authoring``); NULL: the scenario names a
    # bundled catalogue id. Frozen and hashed at publication with the scenario.
    catalogue_yaml: Mapped[str | None] = mapped_column(
        Text, nullable=True, info=_text("tender catalogue", MAX_CATALOGUE))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's API)


class Member(Base):
    """A member of one tender's committee.

    ``name`` is the member's key in the other tables (declarations, scores, moderations): the
    typed name in local mode, the invited e-mail on a shared server. Who may *act* as the
    member is told by ``issuer`` + ``subject`` (the OpenID Connect ``iss`` and ``sub`` claims)
    once bound, never by a name (migration 0003, ``membership``): an invitation (``email``
    set, no subject yet) is bound at the invitee's first log-in with that verified e-mail."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("tender_id", "name", name="uq_member"),
                      UniqueConstraint("tender_id", "issuer", "subject",
                                       name="uq_member_subject"),
                      UniqueConstraint("tender_id", "email", name="uq_member_email"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    name: Mapped[str] = mapped_column(String(ID))
    role: Mapped[str] = mapped_column(String(20))  # chair | evaluator | observer
    opener: Mapped[bool] = mapped_column(Boolean, default=False)  # may open the bids
    email: Mapped[str | None] = mapped_column(String(EMAIL), nullable=True)  # invited as
    issuer: Mapped[str | None] = mapped_column(String(ISSUER), nullable=True)  # OIDC iss
    subject: Mapped[str | None] = mapped_column(String(SUBJECT), nullable=True)  # OIDC sub


class Declaration(Base):
    """A declaration of interest of one member about one bidder (Directive 2014/24/EU art. 24)."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("tender_id", "person", "offer_id", name="uq_declaration"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    person: Mapped[str] = mapped_column(String(ID))
    offer_id: Mapped[str] = mapped_column(String(ID))
    conflict: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, info=_text("declaration note"))
    declared_at: Mapped[str] = mapped_column(String(40))


class Submission(Base):
    """One sealed bid in two envelopes (technical, price), each with its SHA-256 over a random
    salt and the canonical content (``bids``); a NULL salt: received before migration 0004."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("tender_id", "offer_id", name="uq_submission"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    offer_id: Mapped[str] = mapped_column(String(ID))
    vendor_name: Mapped[str] = mapped_column(String(500), info={"label": "vendor name"})
    technical_json: Mapped[str] = mapped_column(Text, info={"salted_by": "technical_salt"})
    technical_sha256: Mapped[str] = mapped_column(String(64))
    price_json: Mapped[str] = mapped_column(Text, info={"salted_by": "price_salt"})
    price_sha256: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[str] = mapped_column(String(40))
    technical_salt: Mapped[str | None] = mapped_column(String(64), nullable=True)
    price_salt: Mapped[str | None] = mapped_column(String(64), nullable=True)


class BidDocument(Base):
    """One document of a bid (PDF, DOCX or XLSX), sealed: ``sha256`` is the SHA-256 of a random
    per-document ``salt`` followed by the bytes (a commitment: two identical documents look
    different before opening), checked again at opening (``documents``, migration 0005)."""

    __tablename__ = "bid_documents"
    __table_args__ = (UniqueConstraint("tender_id", "offer_id", "filename",
                                       name="uq_bid_document"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    offer_id: Mapped[str] = mapped_column(String(ID))
    filename: Mapped[str] = mapped_column(String(ID), info={"label": "document file name"})
    kind: Mapped[str] = mapped_column(String(10))  # pdf | docx | xlsx (by content)
    size: Mapped[int] = mapped_column(Integer)
    salt: Mapped[str] = mapped_column(String(64))  # hex, revealed at opening
    sha256: Mapped[str] = mapped_column(String(64))  # SHA-256(salt ‖ data)
    data: Mapped[bytes] = mapped_column(LargeBinary, info={"salted_by": "salt"})
    attached_at: Mapped[str] = mapped_column(String(40))
    attached_by: Mapped[str] = mapped_column(String(ID))


class ScoreSheet(Base):
    """An evaluator's sheet: once submitted, their scores are final and visible to the panel."""

    __tablename__ = "score_sheets"
    __table_args__ = (UniqueConstraint("tender_id", "evaluator", name="uq_sheet"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    evaluator: Mapped[str] = mapped_column(String(ID))
    submitted_at: Mapped[str | None] = mapped_column(String(40), nullable=True)


class Score(Base):
    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("tender_id", "evaluator", "offer_id", "question",
                                       name="uq_score"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    evaluator: Mapped[str] = mapped_column(String(ID))
    offer_id: Mapped[str] = mapped_column(String(ID))
    question: Mapped[str] = mapped_column(String(ID))
    value: Mapped[float] = mapped_column(Float)
    justification: Mapped[str] = mapped_column(Text, info=_text("score justification"))
    saved_at: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's API)


class Moderation(Base):
    """The consensus score the chair records for one item, with its reason."""

    __tablename__ = "moderations"
    __table_args__ = (UniqueConstraint("tender_id", "offer_id", "question",
                                       name="uq_moderation"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    offer_id: Mapped[str] = mapped_column(String(ID))
    question: Mapped[str] = mapped_column(String(ID))
    value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, info=_text("moderation reason"))
    moderated_by: Mapped[str] = mapped_column(String(ID))
    moderated_at: Mapped[str] = mapped_column(String(40))


class Clarification(Base):
    """A written clarification request (Directive 2014/24/EU art. 56(3)) and its reply."""

    __tablename__ = "clarifications"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tender_id: Mapped[int] = mapped_column(ForeignKey("tenders.id"), index=True)
    offer_id: Mapped[str] = mapped_column(String(ID))
    question: Mapped[str] = mapped_column(String(ID))
    request_text: Mapped[str] = mapped_column(Text, info=_text("clarification request"))
    deadline: Mapped[dt.date] = mapped_column(Date)
    requested_by: Mapped[str] = mapped_column(String(ID))
    requested_at: Mapped[str] = mapped_column(String(40))
    rank_before_json: Mapped[str] = mapped_column(Text)
    reply_text: Mapped[str | None] = mapped_column(Text, nullable=True,
                                                   info=_text("clarification reply"))
    reply_value_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    reply_received_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    recorded_by: Mapped[str | None] = mapped_column(String(ID), nullable=True)
    rank_after_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditRecord(Base):
    """One link of the hash chain; ``seq`` is assigned by the log (1, 2, 3 ... no gaps)."""

    __tablename__ = "audit_records"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tender_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(ID))
    authenticated: Mapped[bool] = mapped_column(Boolean)
    action: Mapped[str] = mapped_column(String(80))
    detail_json: Mapped[str] = mapped_column(Text)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    code_version: Mapped[str] = mapped_column(String(100))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # the committee rows the record's transaction wrote, as field digests (``ledger``); NULL
    # only in records written before migration 0002
    rows_json: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuditHead(Base):
    """The last link (one row): appends lock it, so the chain grows one record at a time, and a
    deleted tail record no longer matches it."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))
