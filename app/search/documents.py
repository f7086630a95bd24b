"""What each kind of record is found by: its text in every language, reduced to search terms.

Read with Core queries on the flushed state, so a change is indexed as it will be committed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.sql import one_of
from app.core.text import skeleton, terms
from app.models import Actor, Citation, Event, Location, Outlet, Participation, Process, Source


@dataclass
class Document:
    """The texts of one record, and the names whose skeletons match across scripts."""

    texts: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    # An event's sort keys, copied onto its document (app.models.SearchDocument).
    sort_keys: tuple[dt.date, dt.date] | None = None

    def add(self, *values: Any) -> None:
        for value in values:
            if isinstance(value, dict):
                self.texts.extend(str(v) for v in value.values())
            elif isinstance(value, list):
                self.texts.extend(a["text"] if isinstance(a, dict) else str(a) for a in value)
            elif value:
                self.texts.append(str(value))

    def add_names(self, names: dict[str, str] | None, aliases: list[Any] | None = None) -> None:
        before = len(self.texts)
        self.add(names or {}, aliases or [])
        self.names.extend(self.texts[before:])

    @property
    def terms(self) -> str:
        return " ".join(term for text in self.texts for term in terms(text))

    @property
    def keys(self) -> str:
        return " ".join(dict.fromkeys(k for k in map(skeleton, self.names) if k))


Documents = dict[uuid.UUID, Document]


def _live(session: Session, model: Any, ids: Iterable[uuid.UUID]) -> list[Any]:
    return [one_of(session, model.id, list(ids)), model.deleted_at.is_(None)]


def event_document(
    title: dict[str, str],
    summary: dict[str, str] | None,
    place: tuple[dict[str, str], str | None] | None,
    claims: Iterable[tuple[Any, ...]],
    actors: Iterable[tuple[Any, ...]],
    sort_keys: tuple[dt.date, dt.date],
) -> Document:
    """An event's document: its title and summary, its place's names and region, each claim's
    quote, translations and note, each actor's names, aliases and note on its part."""
    doc = Document(sort_keys=sort_keys)
    doc.add(title, summary, *(place or ()))
    for claim in claims:
        doc.add(*claim)
    for actor in actors:
        doc.add(*actor)
    return doc


def events(session: Session, ids: set[uuid.UUID]) -> Documents:
    """The events' documents, as stored (app.imports builds those of new events in hand)."""
    heads = session.execute(
        select(
            Event.id,
            Event.title,
            Event.summary,
            Location.names,
            Location.admin1,
            Event.sort_lower,
            Event.sort_upper,
        )
        .outerjoin(Location, Location.id == Event.location_id)
        .where(*_live(session, Event, ids))
    ).all()
    found = {head.id for head in heads}
    claims: dict[uuid.UUID, list[tuple[Any, ...]]] = defaultdict(list)
    for event_id, *claim in session.execute(
        select(Citation.event_id, Citation.quote, Citation.translations, Citation.note).where(
            one_of(session, Citation.event_id, found)
        )
    ):
        claims[event_id].append(tuple(claim))
    actors: dict[uuid.UUID, list[tuple[Any, ...]]] = defaultdict(list)
    for event_id, *actor in session.execute(
        select(Participation.event_id, Actor.names, Actor.aliases, Participation.note)
        .join(Actor, Actor.id == Participation.actor_id)
        .where(one_of(session, Participation.event_id, found))
    ):
        actors[event_id].append(tuple(actor))
    return {
        event_id: event_document(
            title, summary, (names, admin1), claims[event_id], actors[event_id], (lower, upper)
        )
        for event_id, title, summary, names, admin1, lower, upper in heads
    }


def actors(session: Session, ids: set[uuid.UUID]) -> Documents:
    docs: Documents = defaultdict(Document)
    for actor_id, names, aliases in session.execute(
        select(Actor.id, Actor.names, Actor.aliases).where(*_live(session, Actor, ids))
    ):
        docs[actor_id].add_names(names, aliases)
    return docs


def locations(session: Session, ids: set[uuid.UUID]) -> Documents:
    docs: Documents = defaultdict(Document)
    for location_id, names, admin1, admin2 in session.execute(
        select(Location.id, Location.names, Location.admin1, Location.admin2).where(
            *_live(session, Location, ids)
        )
    ):
        docs[location_id].add_names(names)
        docs[location_id].add(admin1, admin2)
    return docs


def sources(session: Session, ids: set[uuid.UUID]) -> Documents:
    docs: Documents = defaultdict(Document)
    for source_id, title, outlet in session.execute(
        select(Source.id, Source.title, Outlet.names)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .where(*_live(session, Source, ids))
    ):
        docs[source_id].add(title, outlet)
    return docs


def processes(session: Session, ids: set[uuid.UUID]) -> Documents:
    """Names only: processes are found by what they are called (suggestions)."""
    docs: Documents = defaultdict(Document)
    for process_id, names in session.execute(
        select(Process.id, Process.names).where(*_live(session, Process, ids))
    ):
        docs[process_id].add_names(names)
    return docs


BUILDERS: dict[str, Callable[[Session, set[uuid.UUID]], Documents]] = {
    "event": events,
    "actor": actors,
    "location": locations,
    "source": sources,
    "process": processes,
}
MODELS: dict[str, Any] = {
    "event": Event,
    "actor": Actor,
    "location": Location,
    "source": Source,
    "process": Process,
}
