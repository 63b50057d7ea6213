"""Bid documents (PDF, DOCX, XLSX) stored sealed with a salted SHA-256 (``documents``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = 200


def upgrade() -> None:
    op.create_table(
        "bid_documents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("tender_id", sa.Integer(), sa.ForeignKey("tenders.id"), nullable=False,
                  index=True),
        sa.Column("offer_id", sa.String(ID), nullable=False),
        sa.Column("filename", sa.String(ID), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("attached_at", sa.String(40), nullable=False),
        sa.Column("attached_by", sa.String(ID), nullable=False),
        sa.UniqueConstraint("tender_id", "offer_id", "filename", name="uq_bid_document"),
    )


def downgrade() -> None:
    op.drop_table("bid_documents")
