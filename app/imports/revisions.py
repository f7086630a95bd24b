"""Write what an import changes, with the same revisions an editor's change would leave.

New events go in by the chunk, parents before children (foreign keys): first the actors,
places and sources the chunk created, then the events, then their participations, citations
and process links; then one create revision each, built from the objects in hand instead of
reading them back. The events and their children are written with one INSERT per table rather
than through the unit of work, whose bookkeeping for objects nobody changes again cost more
than the writing itself; they stay out of the session and serve the revisions' snapshots.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.actors.schemas import ActorRead
from app.core import bulk, records
from app.core.auth import Principal
from app.events import external_ids, verification
from app.events import service as events
from app.history import service as history
from app.imports.building import NewEvent
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
    _insert(session, [new.event for new in fresh], now)
    _insert(session, [child for new in fresh for child in new.children()], now)
    indexing.note(session, (("event", new.event.id) for new in fresh))
    verification.settle(session, [new.event for new in fresh])
    created = []
    for record in references:
        entity, shape = READ_SHAPES[type(record)]
        after = shape.model_validate(record).model_dump(mode="json")
        created.append(_created(session, entity, record, after, by, reason))
    for new in fresh:
        _attach(new)
        after = events.snapshot(new.event)
        created.append(_created(session, events.ENTITY, new.event, after, by, reason))
    history.record_many(session, created)


def _insert(session: Session, objects: Sequence[Base], now: dt.datetime) -> None:
    """Write new objects with one INSERT per table, filling in what a flush would have: the
    first version and the creation time (on the objects too, for their snapshots)."""
    by_model: dict[type[Base], list[Base]] = defaultdict(list)
    for obj in objects:
        by_model[type(obj)].append(obj)
    for model, group in by_model.items():
        keys = [prop.key for prop in inspect(model).column_attrs]
        first = {"version": 1, "created_at": now, "updated_at": now}
        for obj in group:
            for key in keys:
                if key not in obj.__dict__:
                    set_committed_value(obj, key, first.get(key))
        rows = [{key: obj.__dict__[key] for key in keys} for obj in group]
        bulk.insert_rows(session, model, rows)


def _attach(new: NewEvent) -> None:
    """Give the new event its children without reading them back, for its snapshot."""
    set_committed_value(new.event, "participants", new.participants)
    set_committed_value(new.event, "citations", new.citations)
    set_committed_value(new.event, "process_relations", new.processes)
    set_committed_value(new.event, "links", [])


def _created(
    session: Session, entity: str, record: Record, after: dict[str, Any], by: Principal, reason: str
) -> dict[str, Any]:
    return history.revision_values(
        session,
        entity_type=entity,
        entity_id=record.id,
        version=record.version,
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
    children: NewEvent,
    *,
    by: Principal,
    reason: str,
) -> None:
    """Apply a row's changes and new children to a stored event, as one update revision."""
    session.flush()  # new places, actors and sources first: the changes refer to them
    if "external_ids" in changes:
        external_ids.claim(session, event.id, changes["external_ids"])

    def mutate() -> None:
        session.add_all(children.children())
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
