"""Audit records carry the committee rows their transaction wrote (``ledger``), so that
``hostwise audit verify`` vouches for the data, not only for the chain.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_records") as b:
        b.add_column(sa.Column("rows_json", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_records") as b:
        b.drop_column("rows_json")
