"""Opening by two, deadlines and salted envelopes (issue 18): the tender's bid deadline and the
first opener's signature awaiting a second opener; a random salt per envelope, so two identical
envelopes no longer have the same visible hash before opening.

Revision ID: 0004
Revises: 0002 (the lead re-chains it after 0003 when merging)
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = 200


def upgrade() -> None:
    with op.batch_alter_table("tenders") as b:
        b.add_column(sa.Column("bid_deadline", sa.String(40), nullable=True))
        b.add_column(sa.Column("opening_first", sa.String(ID), nullable=True))
        b.add_column(sa.Column("opening_first_at", sa.String(40), nullable=True))
    with op.batch_alter_table("submissions") as b:
        b.add_column(sa.Column("technical_salt", sa.String(64), nullable=True))
        b.add_column(sa.Column("price_salt", sa.String(64), nullable=True))


def downgrade() -> None:
    """Plain ``DROP COLUMN`` (SQLite 3.35+ and PostgreSQL): a batch copy of ``tenders`` would
    drop the table other tables point to, which SQLite's foreign keys refuse mid-transaction."""
    for table, column in (("submissions", "price_salt"), ("submissions", "technical_salt"),
                          ("tenders", "opening_first_at"), ("tenders", "opening_first"),
                          ("tenders", "bid_deadline")):
        op.drop_column(table, column)
