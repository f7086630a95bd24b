"""The change feed: every change to every record, in an order no reader can fall behind.

Revision ids are handed out when a row is written, not when its transaction commits, so a
reader paging by id alone could read id 11 while id 10's transaction is still open, and then
never see 10. On PostgreSQL the feed therefore orders by (writing transaction, id) and serves
only changes of transactions older than every transaction still running: anything that commits
later sorts after what was served. SQLite has one writer at a time, so id order is commit order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import or_, select, text, tuple_
from sqlalchemy.orm import Session

from app.core.errors import InvalidCursor
from app.models import Revision

_HORIZON = text(
    "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
    "pg_current_xact_id_if_assigned()::text::bigint"
)
_POSITION = re.compile(r"^(\d{1,19})\.(\d{1,19})$")
START = (0, 0)


def parse_position(cursor: str | None) -> tuple[int, int]:
    """The feed position a `since` cursor names (the start when there is none)."""
    if cursor is None:
        return START
    match = _POSITION.match(cursor)
    if match is None:
        raise InvalidCursor("since: not a change-feed cursor; use the `next` of a previous page.")
    return int(match[1]), int(match[2])


def cursor(position: tuple[int, int]) -> str:
    """The `since` cursor naming a feed position."""
    return f"{position[0]}.{position[1]}"


def position_of(revision: Revision) -> tuple[int, int]:
    """The feed position just after this revision."""
    return revision.txid, revision.id


def changes(session: Session, since: tuple[int, int], *, limit: int) -> Sequence[Revision]:
    """The next changes after `since`, oldest first, none that a later reader could miss."""
    stmt = (
        select(Revision)
        .where(tuple_(Revision.txid, Revision.id) > tuple_(*since))
        .order_by(Revision.txid, Revision.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        horizon, own = session.execute(_HORIZON).one()
        # The reader's own transaction, if it wrote (a test's, say), sees its own changes.
        stmt = stmt.where(or_(Revision.txid < horizon, Revision.txid == own))
    return session.scalars(stmt).all()
