"""Write what an import changes, with the same revisions an editor's change would leave.

New events go in by the chunk, parents before children (foreign keys): first the actors,
places and sources the chunk created, then the events, then their participations, citations
and process links; then one create revision each, built from the records and rows in hand
instead of reading them back. New events and their children are rows written in bulk, table
by table, not objects passed through the unit of work, whose bookkeeping for objects nobody
changes again cost more than the writing itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.actors.schemas import ActorRead
from app.core import bulk, records
from app.core.auth import Principal
from app.events import external_ids, verification
from app.events import service as events
from app.history import service as history
from app.imports.building import NewEvent, Row
from app.locations.schemas import LocationRead
from app.models import Actor, Event, Location, Outlet, Process, Source
from app.models.base import Base, Record, utcnow
from app.processes.schemas import ProcessRead
from app.search import indexing
from app.sources.schemas import OutletRead, SourceRead

# How each kind of reference is named and pictured in revisions, as its own routes do.
READ_SHAPES: dict[type[Record], tuple[str, type[BaseModel]]] = {
    Actor: ("actor", ActorRead),
    Location: ("location", LocationRead),
    Outlet: ("outlet", OutletRead),
    Source: ("source", SourceRead),
    Process: ("process", ProcessRead),
}


def insert_new(
    session: Session,
    fresh: Sequence[NewEvent],
    references: Sequence[Record],
    *,
    by: Principal,
    reason: str,
) -> None:
    """Insert new events and the references they created, with a create revision for each."""
    session.flush()  # the places, actors and sources the events refer to
    now = utcnow()
    _insert(session, Event, [new.event for new in fresh], now)
    children: dict[type[Base], list[Row]] = defaultdict(list)
    for new in fresh:
        for model, rows in new.children().items():
            children[model].extend(rows)
    for model, rows in children.items():
        _insert(session, model, rows, now)
    indexing.index_new(session, "event", {new.event["id"]: new.document for new in fresh})
    verdicts = verification.settle(session, [new.event["id"] for new in fresh])
    created = []
    for record in references:
        entity, shape = READ_SHAPES[type(record)]
        after = shape.model_validate(record).model_dump(mode="json")
        created.append(_created(session, entity, record.id, after, by, reason))
    for new in fresh:
        new.event["verification"] = verdicts[new.event["id"]]
        after = events.snapshot(new.snapshot_source())
        created.append(_created(session, events.ENTITY, new.event["id"], after, by, reason))
    history.record_many(session, created)


def _insert(session: Session, model: type[Base], rows: list[Row], now: dt.datetime) -> None:
    """Write new rows with one statement, completed with what a flush would have filled in
    (the first version, the creation time, nulls), which their snapshots show too."""
    first = {"version": 1, "created_at": now, "updated_at": now}
    for key in (prop.key for prop in inspect(model).column_attrs):
        for row in rows:
            row.setdefault(key, first.get(key))
    bulk.insert_rows(session, model, rows)


def _created(
    session: Session,
    entity: str,
    record_id: uuid.UUID,
    after: dict[str, Any],
    by: Principal,
    reason: str,
) -> dict[str, Any]:
    return history.revision_values(
        session,
        entity_type=entity,
        entity_id=record_id,
        version=1,
        op="create",
        by=by,
        before=None,
        after=after,
        reason=reason,
    )


def update_existing(
    session: Session,
    event: Event,
    changes: dict[str, Any],
    children: Sequence[Base],
    *,
    by: Principal,
    reason: str,
) -> None:
    """Apply a row's changes and new children to a stored event, as one update revision."""
    session.flush()  # new places, actors and sources first: the changes refer to them
    if "external_ids" in changes:
        external_ids.claim(session, event.id, changes["external_ids"])

    def mutate() -> None:
        session.add_all(children)
        verification.refresh(session, event)  # claims first: see refresh
        for name, value in changes.items():
            setattr(event, name, value)

    records.revise(
        session,
        event,
        mutate,
        entity=events.ENTITY,
        snapshot=events.refreshed_snapshot(session),
        by=by,
        reason=reason,
    )
    if "sort_lower" in changes:
        events.copy_sort_keys(session, event)
