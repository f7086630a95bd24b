"""keep the verification editors set before it was computed, as their decisions

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 08:01:00
"""

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

events = sa.table(
    "events",
    sa.column("id", sa.Uuid()),
    sa.column("verification", sa.String()),
    sa.column("verification_decision", sa.JSON()),
)


def upgrade() -> None:
    # Until now every verification was an editor's choice; without this, the next change to an
    # event's claims would silently replace it with the computed one.
    decision = {
        "verification": None,
        "reason": "Set by an editor before Waqai computed verification from claims.",
        "by": "migration 0008",
        "at": dt.datetime.now(dt.UTC).isoformat(),
    }
    connection = op.get_bind()
    for value in ("corroborated", "confirmed", "disputed"):
        connection.execute(
            events.update()
            .where(events.c.verification == value, events.c.verification_decision.is_(None))
            .values(verification_decision={**decision, "verification": value})
        )


def downgrade() -> None:
    op.execute(events.update().values(verification_decision=None))
