"""Turn an imported record into rows: a new event with its children, or the changes that bring
a stored event in line with it.

An import never takes away what editors added: localized text gains or replaces languages,
tags and external ids are merged, and children (actors, sources, processes) are only added.
Only the fields a row actually carries are compared, so a file without a status does not
un-retract an event.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from app.core.ids import uuid7
from app.events.service import check_merged, derived_dates
from app.formats.record import ActorRecord, EventRecord, SourceRecord
from app.imports.matching import References
from app.models import Citation, Event, EventExternalId, EventProcess, Participation
from app.models.base import Base
from app.search.documents import Document, event_document

SCALARS = (
    "type",
    "when",
    "original_language",
    "status",
    "retraction_reason",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "location_precision",
)
T = TypeVar("T")
MERGED_MAPS = ("title", "summary", "external_ids")


Row = dict[str, Any]


@dataclass
class NewEvent:
    """An event about to be inserted, as the rows it writes: its own and its children's."""

    event: Row
    participants: list[Row] = field(default_factory=list)
    citations: list[Row] = field(default_factory=list)
    processes: list[Row] = field(default_factory=list)
    keys: list[Row] = field(default_factory=list)
    document: Document = field(default_factory=Document)  # what search finds it by

    def children(self) -> dict[type[Base], list[Row]]:
        """The children's rows by table, parents first."""
        return {
            Participation: self.participants,
            Citation: self.citations,
            EventProcess: self.processes,
            EventExternalId: self.keys,
        }

    def snapshot_source(self) -> Row:
        """The event and its children, shaped as the event's revisions picture it."""
        return {
            **self.event,
            "participants": self.participants,
            "citations": self.citations,
            "process_relations": self.processes,
            "links": [],
        }


class RowRefused(Exception):
    """A valid row that cannot be applied to what the database holds."""


def build_event(record: EventRecord, refs: References) -> NewEvent:
    """A new event from the record, its references found or created."""
    if record.title is None:
        raise RowRefused("title: a new event needs a title (this row matches no stored event)")
    values = record.model_dump(include={*SCALARS, "title", "summary", "external_ids", "tags"})
    event: Row = {
        "id": record.id or uuid7(),
        "verification": "unverified",  # the claims decide, once they are stored
        "verification_decision": None,
        "location_id": refs.location(record.location) if record.location else None,
        **values,
        **derived_dates(record.when),
    }
    new = NewEvent(event=event)
    sort_keys = (event["sort_lower"], event["sort_upper"])
    new.participants, new.citations, new.processes = _children(
        event["id"], sort_keys, record, refs, known=None
    )
    new.keys = [
        {"scheme": scheme, "value": value, "event_id": event["id"]}
        for scheme, value in record.external_ids.items()
    ]
    new.document = event_document(
        event["title"],
        event["summary"],
        refs.place_text(event["location_id"]) if event["location_id"] else None,
        ((claim["quote"], claim["translations"], claim["note"]) for claim in new.citations),
        ((*refs.actor_text(part["actor_id"]), part.get("note")) for part in new.participants),
        sort_keys,
    )
    return new


def _children(
    event_id: uuid.UUID,
    sort_keys: tuple[dt.date, dt.date],
    record: EventRecord,
    refs: References,
    *,
    known: Event | None,
) -> tuple[list[Row], list[Row], list[Row]]:
    """Rows for the record's actors, sources and processes that `known` (the stored event)
    lacks."""
    parts = _missing(
        (((refs.actor(actor), actor.role), actor) for actor in record.actors),
        {(p.actor_id, p.role) for p in known.participants} if known else set(),
    )
    cites = _missing(
        (((refs.source(source), source.quote), source) for source in record.sources),
        {(c.source_id, c.quote) for c in known.citations} if known else set(),
    )
    rels = _missing(
        (((refs.process(p), p.relation), p) for p in record.processes),
        {(r.process_id, r.relation) for r in known.process_relations} if known else set(),
    )
    return (
        [_participation(event_id, sort_keys, key[0], actor) for key, actor in parts],
        [_citation(event_id, key[0], source) for key, source in cites],
        [
            {"id": uuid7(), "event_id": event_id, "process_id": key[0], "relation": key[1]}
            for key, _ in rels
        ],
    )


def _missing(pairs: Iterable[tuple[Any, T]], stored: set[Any]) -> list[tuple[Any, T]]:
    """Each (key, item) whose key is not stored yet, once: a file naming the same actor twice
    in one role means it once."""
    seen: dict[Any, T] = {}
    for key, item in pairs:
        if key not in stored:
            seen.setdefault(key, item)
    return list(seen.items())


def _participation(
    event_id: uuid.UUID, sort_keys: tuple[dt.date, dt.date], actor_id: Any, actor: ActorRecord
) -> Row:
    return {
        "id": uuid7(),
        "event_id": event_id,
        "actor_id": actor_id,
        "role": actor.role,
        "stance": actor.stance,
        "stance_when": actor.stance_when,
        "event_sort_lower": sort_keys[0],
        "event_sort_upper": sort_keys[1],
    }


def _citation(event_id: uuid.UUID, source_id: Any, source: SourceRecord) -> Row:
    return {
        "id": uuid7(),
        "event_id": event_id,
        "source_id": source_id,
        "polarity": source.polarity,
        "quote": source.quote,
        "quote_language": source.quote_language,
        "translations": {},
        "note": source.note,
    }


def new_children(event: Event, record: EventRecord, refs: References) -> list[Base]:
    """The children a stored event gains from the record (none: an empty list)."""
    sort_keys = (event.sort_lower, event.sort_upper)
    parts, cites, rels = _children(event.id, sort_keys, record, refs, known=event)
    return [
        *(Participation(**row) for row in parts),
        *(Citation(**row) for row in cites),
        *(EventProcess(**row) for row in rels),
    ]


def changes_to(event: Event, record: EventRecord, refs: References) -> dict[str, Any]:
    """The column values that differ between the stored event and the record's fields."""
    sent = record.model_dump(exclude_unset=True)
    wanted: dict[str, Any] = {name: sent[name] for name in SCALARS if name in sent}
    for name in MERGED_MAPS:
        if sent.get(name):
            wanted[name] = {**(getattr(event, name) or {}), **sent[name]}
    if "tags" in sent:
        wanted["tags"] = list(dict.fromkeys([*event.tags, *sent["tags"]]))
    if "location" in sent:
        wanted["location_id"] = refs.location(record.location) if record.location else None
    changes = {name: value for name, value in wanted.items() if getattr(event, name) != value}
    check_merged(event, changes)  # e.g. a new best figure below the stored low one
    if "when" in changes:
        changes.update(derived_dates(changes["when"]))
    return changes
