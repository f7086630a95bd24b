"""Matching events as exported events: plain dicts with their references inline.

Streams in keyset batches in timeline order (or newest first), so memory holds one batch
whatever the size of the export (and the places and actors it remembers, `Referenced`). Each
batch costs four to six queries: the events, the places not yet read, who takes part, the
actors not yet read, and the sources and processes, for the whole batch. Only the needed
columns are selected, with Core. The references are read on the session's connection:
`Session.execute` would pass their rows through the ORM's loading, a tenth of an export's
time. (The events are not: the session's hook gives a search's words their alternatives,
app.search.loose.)

An exported event has the keys of `EventRecord` (so CSV and NDJSON import back without loss)
plus `type_label`, the derived date bounds and precision, `version`, `created_at` and
`updated_at`. Values are native Python (UUID, date, datetime), for renderers to format.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Row, Select, select, tuple_
from sqlalchemy.orm import Session

from app.core.sql import one_of
from app.events import vocabulary
from app.events.filters import TIMELINE_ORDER
from app.formats.rendering import ExportedEvent
from app.models import (
    Actor,
    Citation,
    Event,
    EventProcess,
    Location,
    Outlet,
    Participation,
    Process,
    Source,
)

BATCH = 1000
EVENT_COLUMNS = (
    Event.id,
    Event.type,
    Event.when,
    Event.date_lower,
    Event.date_upper,
    Event.date_precision,
    Event.title,
    Event.summary,
    Event.original_language,
    Event.status,
    Event.retraction_reason,
    Event.verification,
    Event.fatalities_low,
    Event.fatalities_best,
    Event.fatalities_high,
    Event.location_precision,
    Event.external_ids,
    Event.tags,
    Event.version,
    Event.created_at,
    Event.updated_at,
)
# Read after the event's own columns, for the keyset; not part of an exported event.
SORT_COLUMNS = (Event.sort_lower, Event.sort_upper)
_EVENT_KEYS = tuple(c.key for c in EVENT_COLUMNS)
# The events with their sort keys and their place's id (each place is read once, `PLACES`),
# before the filters, the order and the batch are added.
EVENTS = select(*EVENT_COLUMNS, *SORT_COLUMNS, Event.location_id)


class Referenced:
    """Records many events refer to (places, actors), each read once per export by id: the
    busiest are in thousands of events, and reading one again is a row to fetch and a JSON
    document or two to decode each time. Past MAX_REMEMBERED it starts again, so memory stays
    bounded whatever the export's size."""

    MAX_REMEMBERED = 20_000

    def __init__(self, statement: Select[Any]) -> None:
        """`statement` selects the records' columns, their id first."""
        self.statement = statement
        self.id_column = statement.selected_columns[0]
        self.keys = tuple(statement.selected_columns.keys())
        self._known: dict[uuid.UUID, dict[str, Any]] = {}

    def read(self, session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
        """The records with these ids, and maybe others, by id."""
        if len(self._known) + len(ids) > self.MAX_REMEMBERED:
            self._known.clear()
        if missing := ids - self._known.keys():
            stmt = self.statement.where(one_of(session, self.id_column, missing))
            for row in session.connection().execute(stmt):
                self._known[row[0]] = dict(zip(self.keys, row, strict=True))
        return self._known


# The places and actors of an export's events, before the ids not yet read are added.
PLACES = select(
    Location.id,
    Location.names,
    Location.country,
    Location.admin1,
    Location.admin2,
    Location.latitude,
    Location.longitude,
    Location.kind,
    Location.geonames_id,
)
ACTORS = select(Actor.id, Actor.names, Actor.kind, Actor.country, Actor.external_ids)


def exported_events(
    session: Session, conditions: list[Any], *, newest_first: bool = False
) -> Iterator[ExportedEvent]:
    """Every event matching `conditions`, one batch at a time, in timeline order."""
    sort = replace(TIMELINE_ORDER, descending=newest_first)
    order = sort.columns
    stmt = (
        EVENTS.where(*conditions)
        .order_by(*(c.desc() for c in order) if newest_first else order)
        .limit(BATCH)
    )
    after: tuple[Any, ...] | None = None
    places, actors = Referenced(PLACES), Referenced(ACTORS)
    while True:
        page = stmt
        if after is not None:
            here, last = tuple_(*order), tuple_(*after)
            page = stmt.where(here < last if newest_first else here > last)
        rows = session.execute(page).all()
        yield from _with_references(session, rows, places, actors)
        if len(rows) < BATCH:
            return
        after = tuple(sort.values_of(rows[-1]))


def _with_references(
    session: Session,
    rows: Sequence[Row[Any]],
    known_places: Referenced,
    known_actors: Referenced,
) -> Iterator[ExportedEvent]:
    ids = [row.id for row in rows]
    places = known_places.read(session, {row.location_id for row in rows} - {None})
    actors = _actors(session, ids, known_actors)
    sources = _sources(session, ids)
    processes = _processes(session, ids)
    for row in rows:
        event = dict(zip(_EVENT_KEYS, row, strict=False))
        event["type_label"] = vocabulary.label(row.type)
        event["location"] = places[row.location_id] if row.location_id else None
        event["actors"] = actors.get(row.id, [])
        event["sources"] = sources.get(row.id, [])
        event["processes"] = processes.get(row.id, [])
        yield event


# What each batch reads of its events' references, before the batch's ids are added.
PARTICIPANTS = (
    select(
        Participation.event_id,
        Participation.actor_id,
        Participation.role,
        Participation.stance,
        Participation.stance_when,
    )
    .where(Participation.deleted_at.is_(None))
    .order_by(Participation.event_id, Participation.id)
)
SOURCES = (
    select(
        Citation.event_id,
        Source.id,
        Outlet.names.label("outlet"),
        Outlet.kind.label("outlet_kind"),
        Source.url,
        Source.title,
        Source.language,
        Source.published_at,
        Citation.polarity,
        Citation.quote,
        Citation.quote_language,
        Citation.note,
    )
    .join(Source, Source.id == Citation.source_id)
    .outerjoin(Outlet, Outlet.id == Source.outlet_id)
    .where(Citation.deleted_at.is_(None))
    .order_by(Citation.event_id, Citation.id)
)
PROCESSES = (
    select(
        EventProcess.event_id,
        Process.id,
        Process.names,
        Process.kind,
        EventProcess.relation,
    )
    .join(Process, Process.id == EventProcess.process_id)
    .order_by(EventProcess.event_id, EventProcess.id)
)


def _actors(
    session: Session, ids: list[uuid.UUID], known: Referenced
) -> dict[uuid.UUID | None, list[dict[str, Any]]]:
    stmt = PARTICIPANTS.where(one_of(session, Participation.event_id, ids))
    taking_part = session.connection().execute(stmt).all()
    actors = known.read(session, {row.actor_id for row in taking_part})
    out: dict[uuid.UUID | None, list[dict[str, Any]]] = defaultdict(list)
    for event_id, actor_id, role, stance, stance_when in taking_part:
        part = {"role": role, "stance": stance, "stance_when": stance_when}
        out[event_id].append(actors[actor_id] | part)
    return out


def _sources(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    grouped = _grouped(session, SOURCES.where(one_of(session, Citation.event_id, ids)))
    for items in grouped.values():
        for item in items:
            item["outlet_kind"] = item["outlet_kind"] or "other"
    return grouped


def _processes(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    return _grouped(session, PROCESSES.where(one_of(session, EventProcess.event_id, ids)))


def _grouped(session: Session, stmt: Any) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Rows keyed by their first column (the event id), the rest as dicts."""
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    result = session.connection().execute(stmt)
    keys = tuple(result.keys())[1:]
    for event_id, *values in result:
        out[event_id].append(dict(zip(keys, values, strict=True)))
    return out
