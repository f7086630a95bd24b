"""backfill retracted_at from the revision that retracted each retracted event

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 08:21:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """UPDATE events SET retracted_at = (
               SELECT max(revisions.at) FROM revisions
               WHERE revisions.entity_type = 'event' AND revisions.entity_id = events.id
                 AND revisions.op = 'retract')
           WHERE status = 'retracted'"""
    )


def downgrade() -> None:
    op.execute("UPDATE events SET retracted_at = NULL")
