"""Find or create what an imported row refers to: actors, places, outlets, sources, processes.

A file refers to things by name; Waqai must not grow a second "Khalifa Haftar" because a file
spelled him the way the database already knows him. Each kind is matched by id, then by
external id, then by normalised name (and alias), and created only when nothing matches. The
indexes are read once per import and grow as records are created, so a file of a million rows
asks the database once, not once per row. When a chunk rolls back, `rollback_to` forgets what
the chunk created, so the indexes never point at records that do not exist.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.core.ids import uuid7
from app.core.text import normalize
from app.formats.record import ActorRecord, LocationRecord, ProcessRecord, SourceRecord
from app.models import Actor, Location, Outlet, Process, Source
from app.models.base import Record

# Two points of one place name within this many degrees (about 5 km) are the same place.
NEAR_DEGREES = 0.05


def name_key(text: str) -> str:
    """A name as matching sees it: normalised, Latin accents folded ("Ḥaftar" is "haftar"),
    spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", normalize(text))
    folded = "".join(c for c in decomposed if not (unicodedata.combining(c) and c < "\u0600"))
    return " ".join(unicodedata.normalize("NFC", folded).split())


def _names(localized: Mapping[str, str] | None) -> Iterable[str]:
    return (name_key(text) for text in (localized or {}).values() if text.strip())


@dataclass(frozen=True)
class _Place:
    id: uuid.UUID
    latitude: float | None
    longitude: float | None

    def near(self, latitude: float | None, longitude: float | None) -> bool:
        """The same place, as far as a point can tell (no point on either side: yes)."""
        if self.latitude is None or self.longitude is None or latitude is None or longitude is None:
            return True
        return (
            abs(self.latitude - latitude) <= NEAR_DEGREES
            and abs(self.longitude - longitude) <= NEAR_DEGREES
        )


class References:
    """The import's memory of every referable record, by id, external id and name."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._created: list[Record] = []
        self._revised = 0  # how many of _created already have their create revision
        self._journal: list[tuple[dict[Any, Any], Hashable]] = []  # keys added, to undo
        self._deleted: set[uuid.UUID] = set()  # ids of tombstones: never reused, never matched
        self._actors: dict[Hashable, uuid.UUID] = {}
        self._places: dict[Hashable, Any] = {}
        self._outlets: dict[Hashable, uuid.UUID] = {}
        self._sources: dict[Hashable, uuid.UUID] = {}
        self._processes: dict[Hashable, uuid.UUID] = {}
        # What new events' search documents say of the actors and places they name.
        self._actor_texts: dict[uuid.UUID, tuple[dict[str, str], list[Any]]] = {}
        self._place_texts: dict[uuid.UUID, tuple[dict[str, str], str | None]] = {}
        self._load()

    def _load(self) -> None:
        for model in (Actor, Location, Outlet, Source, Process):
            for record in self.session.scalars(select(model)):
                if record.deleted_at is None:
                    self._remember(record)
                else:
                    self._deleted.add(record.id)

    def _put(self, index: dict[Any, Any], key: Hashable, value: Any) -> None:
        if key not in index:
            index[key] = value
            self._journal.append((index, key))

    def _remember(self, record: Any) -> None:
        if isinstance(record, Actor):
            aliases = {str(i): a["text"] for i, a in enumerate(record.aliases) if "text" in a}
            self._index(self._actors, record.id, {**record.names, **aliases}, record.external_ids)
            self._actor_texts[record.id] = (record.names, record.aliases)
        elif isinstance(record, Location):
            self._remember_place(record)
            self._place_texts[record.id] = (record.names, record.admin1)
        elif isinstance(record, Outlet):
            self._index(self._outlets, record.id, record.names, {})
        elif isinstance(record, Source):
            self._remember_source(record)
        elif isinstance(record, Process):
            self._index(self._processes, record.id, record.names, {})

    def _index(
        self,
        index: dict[Hashable, uuid.UUID],
        record_id: uuid.UUID,
        names: Mapping[str, str],
        external: Mapping[str, str],
    ) -> None:
        for key in (record_id, *external.items(), *_names(names)):
            self._put(index, key, record_id)

    def _remember_place(self, place: Location) -> None:
        self._put(self._places, place.id, place.id)
        if place.geonames_id is not None:
            self._put(self._places, ("geonames", place.geonames_id), place.id)
        for name in _names(place.names):
            key = (name, place.country)
            here = _Place(place.id, place.latitude, place.longitude)
            if key not in self._places:
                self._put(self._places, key, [here])
            else:
                self._places[key].append(here)

    def _remember_source(self, source: Source) -> None:
        self._put(self._sources, source.id, source.id)
        if source.url:
            self._put(self._sources, source.url, source.id)
        else:  # only a source without an address is known by its outlet and title
            self._put(self._sources, (source.outlet_id, name_key(source.title or "")), source.id)

    def mark(self) -> tuple[int, int]:
        """Where the indexes stand, to come back to if the next changes roll back."""
        return len(self._journal), len(self._created)

    def rollback_to(self, mark: tuple[int, int]) -> None:
        """Forget what was created since `mark`: those records were rolled back."""
        journal, created = mark
        forgotten = {record.id for record in self._created[created:]}
        for index, key in reversed(self._journal[journal:]):
            del index[key]
        del self._journal[journal:], self._created[created:]
        self._revised = min(self._revised, created)
        for places in self._places.values():
            if isinstance(places, list):
                places[:] = [place for place in places if place.id not in forgotten]

    def _add(self, record: Record) -> uuid.UUID:
        self.session.add(record)
        self._created.append(record)
        self._remember(record)
        return record.id

    def _new_id(self, wanted: uuid.UUID | None) -> uuid.UUID:
        # A file may carry the id of a record deleted here: the new record gets its own.
        return wanted if wanted is not None and wanted not in self._deleted else uuid7()

    def pending_revision(self) -> list[Record]:
        """The records created since the last call, to give them their create revisions."""
        pending = self._created[self._revised :]
        self._revised = len(self._created)
        return pending

    def take_created(self) -> list[Record]:
        """The records created since the last call, once they are safely applied (to count)."""
        created, self._created, self._revised = self._created, [], 0
        return created

    def actor_text(self, actor_id: uuid.UUID) -> tuple[dict[str, str], list[Any]]:
        """A known actor's names and aliases."""
        return self._actor_texts[actor_id]

    def place_text(self, location_id: uuid.UUID) -> tuple[dict[str, str], str | None]:
        """A known place's names and region (admin1)."""
        return self._place_texts[location_id]

    def actor(self, data: ActorRecord) -> uuid.UUID:
        """The actor a row names, created if the database has none like it."""
        found = _find(self._actors, data.id, data.names, data.external_ids)
        if found is not None:
            return found
        actor = Actor(
            id=self._new_id(data.id),
            names=data.names,
            aliases=[],
            kind=data.kind,
            country=data.country,
            external_ids=data.external_ids,
        )
        set_committed_value(actor, "affiliations", [])
        return self._add(actor)

    def location(self, data: LocationRecord) -> uuid.UUID:
        """The place a row names: by id, GeoNames id, then name and country at a nearby point."""
        for key in (data.id, ("geonames", data.geonames_id) if data.geonames_id else None):
            if key is not None and key in self._places:
                found: uuid.UUID = self._places[key]
                return found
        for name in _names(data.names):
            places: list[_Place] = self._places.get((name, data.country), [])
            for place in places:
                if place.near(data.latitude, data.longitude):
                    return place.id
        fields = data.model_dump(exclude={"id"})
        return self._add(Location(id=self._new_id(data.id), **fields))

    def outlet(self, names: Mapping[str, str], kind: str) -> uuid.UUID:
        """The outlet with one of these names, or a new one."""
        found = _find(self._outlets, None, names, {})
        if found is not None:
            return found
        return self._add(Outlet(id=uuid7(), names=dict(names), kind=kind))

    def source(self, data: SourceRecord) -> uuid.UUID:
        """The document a row cites: by id, by URL, or (with no URL) by outlet and title."""
        outlet_id = self.outlet(data.outlet, data.outlet_kind) if data.outlet else None
        key = data.url or (outlet_id, name_key(data.title or ""))
        for candidate in (data.id, key):
            if candidate is not None and candidate in self._sources:
                return self._sources[candidate]
        source = Source(
            id=self._new_id(data.id),
            outlet_id=outlet_id,
            url=data.url,
            title=data.title,
            language=data.language,
            published_at=data.published_at,
        )
        return self._add(source)

    def process(self, data: ProcessRecord) -> uuid.UUID:
        """The process a row relates to, matched on id, then name."""
        found = _find(self._processes, data.id, data.names, {})
        if found is not None:
            return found
        process = Process(id=self._new_id(data.id), names=data.names, kind=data.kind)
        set_committed_value(process, "participants", [])
        return self._add(process)


def _find(
    index: Mapping[Hashable, uuid.UUID],
    record_id: uuid.UUID | None,
    names: Mapping[str, str],
    external: Mapping[str, str],
) -> uuid.UUID | None:
    """The first of id, external ids (certain) and names (likely) that the index knows."""
    # Lazily: a name's key costs more than the lookups that usually make it unneeded.
    for key in chain((record_id,), external.items(), _names(names)):
        if key is not None and key in index:
            found: uuid.UUID = index[key]
            return found
    return None
