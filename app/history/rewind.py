"""Rewinding: the whole database as it was at a past instant, for as-of reads of any kind.

Every change left a revision picturing the record before and after it, so the records changed
since an instant T can be put back as they were at T: those created since vanish, the others
take the `before` of their first revision after T (children included), and their search
documents are rebuilt. This happens in a transaction that is always rolled back, so the
ordinary queries — lists, timelines, the ceasefire tracker, exports — answer exactly as they
would have at T, through the same code, and no one else ever sees the rewound rows.

The work is proportional to the records changed since T, not to the size of the database;
`WAQAI_AS_OF_MAX_CHANGES` bounds it (422 beyond). On SQLite the rewind holds the write lock
for the length of the read.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Subquery, func, select
from sqlalchemy.orm import Session

from app.core.db import Database
from app.core.errors import ValidationFailed, bad_query_parameter
from app.core.types import to_utc
from app.history.pictures import KINDS, Picture, Pictures, put
from app.history.service import DATA_VERSION, data_version
from app.models import Revision
from app.models.base import utcnow


def check_past(instant: dt.datetime) -> None:
    """Only the past can be vouched for: an instant still to come is refused (422)."""
    if to_utc(instant) > utcnow():
        raise bad_query_parameter(
            "as_of",
            f"as_of {instant.isoformat()} is in the future; ask about a past instant.",
            "in the future",
            "as_of_future",
        )


def _first_revisions(instant: dt.datetime) -> Subquery:
    """The first revision after `instant` of each record changed since."""
    return (
        select(func.min(Revision.id))
        .where(Revision.at > to_utc(instant), Revision.entity_type.in_(list(KINDS)))
        .group_by(Revision.entity_type, Revision.entity_id)
    ).subquery()


def check_changes(session: Session, instant: dt.datetime, *, limit: int) -> None:
    """422 if more than `limit` records changed after `instant`: too many to rewind."""
    count = session.scalar(select(func.count()).select_from(_first_revisions(instant))) or 0
    if count > limit:
        raise ValidationFailed(
            f"as_of: {count} records changed since {instant.isoformat()}, more than this "
            f"server rewinds for one request ({limit}, WAQAI_AS_OF_MAX_CHANGES); ask about a "
            "later instant, or export the data regularly.",
            field="as_of",
        )


def changed_since(session: Session, instant: dt.datetime, *, limit: int) -> Pictures:
    """Each record changed after `instant`, pictured as it was at `instant` (the `before` of
    its first later revision); 422 if there are more than `limit`."""
    check_changes(session, instant, limit=limit)
    stmt = select(Revision.entity_type, Revision.entity_id, Revision.before).where(
        Revision.id.in_(select(_first_revisions(instant)))
    )
    pictures: dict[str, dict[uuid.UUID, Picture | None]] = defaultdict(dict)
    for kind, record_id, before in session.execute(stmt):
        pictures[kind][record_id] = before
    return Pictures(dict(pictures))


def rewind(session: Session, instant: dt.datetime, *, limit: int) -> None:
    """Make the session's transaction show the database as it was at `instant`. The caller
    must roll the transaction back."""
    put(session, changed_since(session, instant, limit=limit))


@contextmanager
def rewound(database: Database, instant: dt.datetime, *, limit: int) -> Iterator[Session]:
    """A session showing the database as it was at `instant`; nothing in it is ever kept."""
    with database.scratch() as session:
        # What is shown as of then follows from every revision now: its state is the live one.
        session.info[DATA_VERSION] = data_version(session)
        rewind(session, instant, limit=limit)
        yield session
