"""change feed order: the writing transaction's id on every revision

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE, not batch mode: recreating the table on SQLite would lose the triggers
    # that keep revisions append-only. Existing revisions get 0: they come first in the feed.
    op.add_column(
        "revisions",
        sa.Column(
            "txid",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            server_default="0",
            nullable=False,
        ),
    )
    op.create_index("ix_revisions_feed", "revisions", ["txid", "id"])


def downgrade() -> None:
    op.drop_index("ix_revisions_feed", table_name="revisions")
    op.drop_column("revisions", "txid")
