"""backfill event_external_ids from the external_ids of existing events

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

events = sa.table(
    "events",
    sa.column("id", sa.Uuid()),
    sa.column("external_ids", sa.JSON()),
    sa.column("deleted_at", sa.DateTime(timezone=True)),
)
keys = sa.table(
    "event_external_ids",
    sa.column("scheme", sa.String()),
    sa.column("value", sa.String()),
    sa.column("event_id", sa.Uuid()),
)


def upgrade() -> None:
    connection = op.get_bind()
    seen: set[tuple[str, str]] = set()
    rows = []
    # Oldest first: when two events claim the same external id, the first one keeps it.
    for event_id, ids in connection.execute(sa.select(events.c.id, events.c.external_ids).order_by(events.c.id)):
        for scheme, value in (ids or {}).items():
            if (scheme, value) not in seen:
                seen.add((scheme, value))
                rows.append({"scheme": scheme, "value": value, "event_id": event_id})
    if rows:
        op.bulk_insert(keys, rows)


def downgrade() -> None:
    op.execute(keys.delete())
