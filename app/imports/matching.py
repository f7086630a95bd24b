"""Find or create what an imported row refers to: actors, places, outlets, sources, processes.

A file refers to things by name; Waqai must not grow a second "Khalifa Haftar" because a file
spelled him the way the database already knows him. Each kind is matched by id, then by
external id, then by normalised name (and alias), and created only when nothing matches. The
indexes are read once per import and grow as records are created, so a file of a million rows
asks the database once, not once per row.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from app.core.ids import uuid7
from app.core.text import normalize
from app.formats.record import (
    ActorRecord,
    LocationRecord,
    ProcessRecord,
    SourceRecord,
)
from app.models import Actor, Location, Outlet, Process, Source
from app.models.base import Record

PlaceKey = tuple[str, str | None, float | None, float | None]


def name_key(text: str) -> str:
    """A name as matching sees it: normalised, spaces collapsed."""
    return " ".join(normalize(text).split())


def _names(localized: Mapping[str, str] | None) -> Iterable[str]:
    return (name_key(text) for text in (localized or {}).values() if text.strip())


def _place_key(name: str, country: str | None, lat: float | None, lon: float | None) -> PlaceKey:
    # Two villages may share a name in one country; ~1 km apart is the same place.
    point = (round(lat, 2), round(lon, 2)) if lat is not None and lon is not None else (None, None)
    return (name, country, *point)


class References:
    """The import's memory of every referable record, by id, external id and name."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._created: list[Record] = []
        self._revised = 0  # how many of _created already have their create revision
        self._actors = _Index()
        self._places: dict[PlaceKey | int | uuid.UUID, uuid.UUID] = {}
        self._outlets = _Index()
        self._sources: dict[Any, uuid.UUID] = {}
        self._processes = _Index()
        self._load()

    def _load(self) -> None:
        s = self.session
        live = Actor.deleted_at.is_(None)
        for row in s.execute(
            select(Actor.id, Actor.names, Actor.aliases, Actor.external_ids).where(live)
        ):
            aliases = {str(i): a["text"] for i, a in enumerate(row.aliases or []) if "text" in a}
            self._actors.add(row.id, {**row.names, **aliases}, row.external_ids)
        for place in s.execute(select(Location).where(Location.deleted_at.is_(None))).scalars():
            self._remember_place(place)
        for oid, names in s.execute(
            select(Outlet.id, Outlet.names).where(Outlet.deleted_at.is_(None))
        ):
            self._outlets.add(oid, names, {})
        for src in s.execute(select(Source).where(Source.deleted_at.is_(None))).scalars():
            self._remember_source(src)
        for pid, names in s.execute(
            select(Process.id, Process.names).where(Process.deleted_at.is_(None))
        ):
            self._processes.add(pid, names, {})

    def _remember_place(self, place: Location) -> None:
        self._places[place.id] = place.id
        if place.geonames_id is not None:
            self._places[place.geonames_id] = place.id
        for name in _names(place.names):
            self._places[_place_key(name, place.country, place.latitude, place.longitude)] = (
                place.id
            )

    def _remember_source(self, source: Source) -> None:
        self._sources[source.id] = source.id
        key = source.url or (source.outlet_id, name_key(source.title or ""))
        self._sources.setdefault(key, source.id)

    def _add(self, record: Record) -> uuid.UUID:
        self.session.add(record)
        self._created.append(record)
        return record.id

    def pending_revision(self) -> list[Record]:
        """The records created since the last call, to give them their create revisions."""
        pending = self._created[self._revised :]
        self._revised = len(self._created)
        return pending

    def take_created(self) -> list[Record]:
        """The records created since the last call, once they are safely applied (to count)."""
        created, self._created, self._revised = self._created, [], 0
        return created

    def actor(self, data: ActorRecord) -> uuid.UUID:
        """The actor a row names, created if the database has none like it."""
        found = self._actors.find(data.id, data.names, data.external_ids)
        if found is not None:
            return found
        actor = Actor(
            id=data.id or uuid7(),
            names=data.names,
            aliases=[],
            kind=data.kind,
            country=data.country,
            external_ids=data.external_ids,
        )
        set_committed_value(actor, "affiliations", [])
        self._actors.add(actor.id, data.names, data.external_ids)
        return self._add(actor)

    def location(self, data: LocationRecord) -> uuid.UUID:
        """The place a row names, matched on id, GeoNames id, then name, country and point."""
        keys: list[Any] = [data.id, data.geonames_id]
        keys += [
            _place_key(n, data.country, data.latitude, data.longitude) for n in _names(data.names)
        ]
        for key in keys:
            if key is not None and key in self._places:
                return self._places[key]
        place = Location(id=data.id or uuid7(), **data.model_dump(exclude={"id"}))
        self._remember_place(place)
        return self._add(place)

    def outlet(self, names: Mapping[str, str], kind: str) -> uuid.UUID:
        """The outlet with one of these names, or a new one."""
        found = self._outlets.find(None, names, {})
        if found is not None:
            return found
        outlet = Outlet(id=uuid7(), names=dict(names), kind=kind)
        self._outlets.add(outlet.id, names, {})
        return self._add(outlet)

    def source(self, data: SourceRecord) -> uuid.UUID:
        """The document a row cites, matched on id, URL, then outlet and title."""
        outlet_id = self.outlet(data.outlet, data.outlet_kind) if data.outlet else None
        for key in (data.id, data.url, (outlet_id, name_key(data.title or ""))):
            if key is not None and key in self._sources:
                return self._sources[key]
        source = Source(
            id=data.id or uuid7(),
            outlet_id=outlet_id,
            url=data.url,
            title=data.title,
            language=data.language,
            published_at=data.published_at,
        )
        self._remember_source(source)
        return self._add(source)

    def process(self, data: ProcessRecord) -> uuid.UUID:
        """The process a row relates to, matched on id, then name."""
        found = self._processes.find(data.id, data.names, {})
        if found is not None:
            return found
        process = Process(id=data.id or uuid7(), names=data.names, kind=data.kind)
        set_committed_value(process, "participants", [])
        self._processes.add(process.id, data.names, {})
        return self._add(process)


class _Index:
    """Ids of one kind of record by id, (scheme, external id) and normalised name."""

    def __init__(self) -> None:
        self.ids: set[uuid.UUID] = set()
        self.by_key: dict[tuple[str, str] | str, uuid.UUID] = {}

    def add(
        self, record_id: uuid.UUID, names: Mapping[str, str], external: Mapping[str, str]
    ) -> None:
        self.ids.add(record_id)
        for key in _keys(names, external):
            self.by_key.setdefault(key, record_id)

    def find(
        self, record_id: uuid.UUID | None, names: Mapping[str, str], external: Mapping[str, str]
    ) -> uuid.UUID | None:
        if record_id is not None and record_id in self.ids:
            return record_id
        for key in _keys(names, external):
            if key in self.by_key:
                return self.by_key[key]
        return None


def _keys(names: Mapping[str, str], external: Mapping[str, str]) -> list[tuple[str, str] | str]:
    """What a record is known by: its external ids first (certain), then its names."""
    return [*external.items(), *_names(names)]
