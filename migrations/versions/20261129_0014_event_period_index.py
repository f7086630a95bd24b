"""PostgreSQL indexes each event's possible days as a range, for date windows

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 13:30:00

A timeline of one country and one month walked the (sort_lower, sort_upper, id) index from the
very first event, filtering as it went: 7 s on a million events. A GiST index on the range of
the sort keys answers "overlaps the window" and "lies within it" directly (the filters add the
range test next to their own, app/events/periods.py). SQLite has no range type and is unchanged.
The index lives outside the ORM metadata, like the search backends' objects.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_events_period",
        "events",
        [sa.text("daterange(sort_lower, sort_upper, '[]')")],
        postgresql_using="gist",
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_events_period", table_name="events")
