"""The committee schema: tenders, members, declarations, sealed submissions, score sheets,
scores, moderations, clarifications, and the hash-chained audit log with its head.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ID = 200
GENESIS = "0" * 64  # the "previous hash" of the first audit record


def _key() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _tender() -> sa.Column[int]:
    return sa.Column("tender_id", sa.Integer(), sa.ForeignKey("tenders.id"), nullable=False,
                     index=True)


def upgrade() -> None:
    op.create_table(
        "tenders", _key(),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("state", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(ID), nullable=False),
        sa.Column("scenario_json", sa.Text(), nullable=False),
        sa.Column("questions_json", sa.Text(), nullable=False),
        sa.Column("aggregation", sa.String(10), nullable=False),
        sa.Column("published_canonical", sa.Text(), nullable=True),
        sa.Column("published_hash", sa.String(64), nullable=True),
        sa.Column("opened_by", sa.Text(), nullable=True),
        sa.Column("technical_frozen", sa.Boolean(), nullable=False),
        sa.Column("final_rank_json", sa.Text(), nullable=True),
        sa.Column("awarded_offer", sa.String(ID), nullable=True),
        sa.Column("award_reason", sa.Text(), nullable=True),
    )
    op.create_table(
        "members", _key(), _tender(),
        sa.Column("name", sa.String(ID), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("opener", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("tender_id", "name", name="uq_member"),
    )
    op.create_table(
        "declarations", _key(), _tender(),
        sa.Column("person", sa.String(ID), nullable=False),
        sa.Column("offer_id", sa.String(ID), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("declared_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("tender_id", "person", "offer_id", name="uq_declaration"),
    )
    op.create_table(
        "submissions", _key(), _tender(),
        sa.Column("offer_id", sa.String(ID), nullable=False),
        sa.Column("vendor_name", sa.String(500), nullable=False),
        sa.Column("technical_json", sa.Text(), nullable=False),
        sa.Column("technical_sha256", sa.String(64), nullable=False),
        sa.Column("price_json", sa.Text(), nullable=False),
        sa.Column("price_sha256", sa.String(64), nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("tender_id", "offer_id", name="uq_submission"),
    )
    op.create_table(
        "score_sheets", _key(), _tender(),
        sa.Column("evaluator", sa.String(ID), nullable=False),
        sa.Column("submitted_at", sa.String(40), nullable=True),
        sa.UniqueConstraint("tender_id", "evaluator", name="uq_sheet"),
    )
    op.create_table(
        "scores", _key(), _tender(),
        sa.Column("evaluator", sa.String(ID), nullable=False),
        sa.Column("offer_id", sa.String(ID), nullable=False),
        sa.Column("question", sa.String(ID), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("tender_id", "evaluator", "offer_id", "question", name="uq_score"),
    )
    op.create_table(
        "moderations", _key(), _tender(),
        sa.Column("offer_id", sa.String(ID), nullable=False),
        sa.Column("question", sa.String(ID), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moderated_by", sa.String(ID), nullable=False),
        sa.Column("moderated_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("tender_id", "offer_id", "question", name="uq_moderation"),
    )
    op.create_table(
        "clarifications", _key(), _tender(),
        sa.Column("offer_id", sa.String(ID), nullable=False),
        sa.Column("question", sa.String(ID), nullable=False),
        sa.Column("request_text", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(ID), nullable=False),
        sa.Column("requested_at", sa.String(40), nullable=False),
        sa.Column("rank_before_json", sa.Text(), nullable=False),
        sa.Column("reply_text", sa.Text(), nullable=True),
        sa.Column("reply_value_json", sa.Text(), nullable=True),
        sa.Column("reply_received_on", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(ID), nullable=True),
        sa.Column("rank_after_json", sa.Text(), nullable=True),
    )
    op.create_table(
        "audit_records",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("tender_id", sa.Integer(), nullable=True, index=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(ID), nullable=False),
        sa.Column("authenticated", sa.Boolean(), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("detail_json", sa.Text(), nullable=False),
        sa.Column("inputs_hash", sa.String(64), nullable=False),
        sa.Column("code_version", sa.String(100), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])


def downgrade() -> None:
    for name in ("audit_head", "audit_records", "clarifications", "moderations", "scores",
                 "score_sheets", "submissions", "declarations", "members", "tenders"):
        op.drop_table(name)
