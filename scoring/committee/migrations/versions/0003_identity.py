"""Members bound to a log-in: the invited e-mail and, once the invitee has logged in, the
OpenID Connect issuer and subject that alone may act as the member (issue 18).

Why nullable: members designated by name (local mode, laptops) have neither, and an invitation
has an e-mail but no subject until its first log-in. Rows written before this revision are
vouched for by the audit log with the fields they had then; a field added here is NULL in them,
which ``ledger.compare`` accepts only for a field the log never recorded for that row.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members") as b:
        b.add_column(sa.Column("email", sa.String(254), nullable=True))
        b.add_column(sa.Column("issuer", sa.String(500), nullable=True))
        b.add_column(sa.Column("subject", sa.String(255), nullable=True))
        b.create_unique_constraint("uq_member_subject", ["tender_id", "issuer", "subject"])
        b.create_unique_constraint("uq_member_email", ["tender_id", "email"])


def downgrade() -> None:
    with op.batch_alter_table("members") as b:
        b.drop_constraint("uq_member_email", type_="unique")
        b.drop_constraint("uq_member_subject", type_="unique")
        b.drop_column("subject")
        b.drop_column("issuer")
        b.drop_column("email")
