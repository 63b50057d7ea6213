"""A tender's own catalogue (issue 19, part 2): the catalogue document a committee authors in
the browser or imports from its criteria workbook, stored with the tender (YAML text), frozen and
hashed at publication with the rest. NULL: the tender names a bundled catalogue id, as before.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenders") as b:
        b.add_column(sa.Column("catalogue_yaml", sa.Text(), nullable=True))


def downgrade() -> None:
    """Plain ``DROP COLUMN`` (as 0004: a batch copy of ``tenders`` breaks SQLite's foreign
    keys mid-transaction)."""
    op.drop_column("tenders", "catalogue_yaml")
