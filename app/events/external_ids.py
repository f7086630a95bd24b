"""The index of events' identifiers in other datasets: one ACLED (or UCDP, GDELT ...) id
belongs to at most one event, which is how a re-import finds what it created before."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Mapping

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from app.core.errors import Conflict
from app.core.sql import one_of
from app.models import EventExternalId

Key = tuple[str, str]


def owners(session: Session, keys: Collection[Key]) -> dict[Key, uuid.UUID]:
    """Which event holds each of these (scheme, value) ids, for those that are taken."""
    if not keys:
        return {}
    # By scheme, a list of values each: the index on (scheme, value) answers that, where
    # PostgreSQL tests an IN of (scheme, value) pairs as an OR of them on every row it holds
    # (an import's chunk of 500 rows took 40 ms on 10,000 stored ids, and grew with them).
    values: dict[str, list[str]] = defaultdict(list)
    for scheme, value in keys:
        values[scheme].append(value)
    stmt = select(EventExternalId.scheme, EventExternalId.value, EventExternalId.event_id).where(
        or_(
            *(
                and_(
                    EventExternalId.scheme == scheme, one_of(session, EventExternalId.value, named)
                )
                for scheme, named in values.items()
            )
        )
    )
    return {(scheme, value): event_id for scheme, value, event_id in session.execute(stmt)}


def claim(session: Session, event_id: uuid.UUID, ids: Mapping[str, str]) -> None:
    """Make the index hold exactly `ids` for the event; 409 if another event holds one."""
    wanted = set(ids.items())
    taken = owners(session, wanted)
    clashes = sorted(
        f"{scheme}={value}" for (scheme, value), owner in taken.items() if owner != event_id
    )
    if clashes:
        raise Conflict(
            f"external_ids: {', '.join(clashes)} already identify another event.",
            field="external_ids",
        )
    session.execute(delete(EventExternalId).where(EventExternalId.event_id == event_id))
    session.add_all(
        EventExternalId(scheme=scheme, value=value, event_id=event_id) for scheme, value in wanted
    )
    session.flush()
