"""Records as their revisions picture them, written back into the tables.

A revision keeps a record as its API showed it (its read shape as JSON), children included.
`put` makes the tables hold records exactly as pictured: their own columns, the columns that
follow from them (an event's sort keys), their children, their search documents. Rewinding
for as-of reads uses it, and so can a mirror replaying the change feed.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sqlalchemy import Column, Table, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from app.events.service import derived_dates
from app.models import (
    Actor,
    Citation,
    Event,
    EventExternalId,
    EventLink,
    EventProcess,
    Location,
    Outlet,
    Participation,
    Process,
    Source,
)
from app.models.actor import Affiliation
from app.models.base import Base
from app.search import documents
from app.search.indexing import reindex

Picture = dict[str, Any]  # a record as its revisions show it (its read shape as JSON)
Rows = Callable[[Picture], list[dict[str, Any]]]
BATCH = 500  # ids per IN (...) list, well under both databases' parameter limits


@dataclass(frozen=True)
class Child:
    """Rows that belong to a record and are listed in its picture (an event's citations)."""

    model: type[Base]
    parent: str  # the child's column naming its parent
    rows: Rows  # the child rows the parent's picture lists

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[return-value]


@dataclass(frozen=True)
class Kind:
    """How one kind of record is pictured: its table, the columns its picture leaves out but
    that follow from it, and its children."""

    model: type[Base]
    derived: Callable[[Picture], dict[str, Any]] = lambda picture: {}
    children: tuple[Child, ...] = field(default=())

    @property
    def table(self) -> Table:
        return self.model.__table__  # type: ignore[return-value]


def _listed(key: str, **renamed: str) -> Rows:
    """The picture's list `key` as rows, with some of its names being other column names."""
    return lambda picture: [
        {renamed.get(name, name): value for name, value in item.items()} for item in picture[key]
    ]


def _event_participants(picture: Picture) -> list[dict[str, Any]]:
    # Participations carry copies of their event's sort keys (the actor timeline index).
    keys = {"event_sort_lower": picture["sort_lower"], "event_sort_upper": picture["sort_upper"]}
    return [{**item, **keys} for item in picture["participants"]]


def _external_ids(picture: Picture) -> list[dict[str, Any]]:
    return [{"scheme": k, "value": v} for k, v in picture.get("external_ids", {}).items()]


def _event_dates(picture: Picture) -> dict[str, Any]:
    derived = derived_dates(picture["when"])
    return {"sort_lower": derived["sort_lower"], "sort_upper": derived["sort_upper"]}


# Parents before children: the citations name participations, so they go in after them.
KINDS: dict[str, Kind] = {
    "location": Kind(Location),
    "actor": Kind(
        Actor,
        children=(
            Child(Affiliation, "actor_id", _listed("affiliations", actor_id="target_actor_id")),
        ),
    ),
    "outlet": Kind(Outlet),
    "source": Kind(Source),
    "process": Kind(
        Process, children=(Child(Participation, "process_id", _listed("participants")),)
    ),
    "event": Kind(
        Event,
        derived=_event_dates,
        children=(
            Child(Participation, "event_id", _event_participants),
            Child(Citation, "event_id", _listed("citations")),
            Child(EventProcess, "event_id", _listed("processes")),
            Child(EventLink, "event_id", _listed("links")),
            Child(EventExternalId, "event_id", _external_ids),
        ),
    ),
}


@dataclass
class Pictures:
    """Records by kind and id, each as pictured, or None for one that must not exist."""

    pictures: dict[str, dict[uuid.UUID, Picture | None]]

    def present(self, kind: str) -> dict[uuid.UUID, Picture]:
        return {i: p for i, p in self.pictures.get(kind, {}).items() if p is not None}

    def absent(self, kind: str) -> list[uuid.UUID]:
        # Newest first (ids are time-ordered): a sub-process goes before its parent.
        return sorted(
            (i for i, p in self.pictures.get(kind, {}).items() if p is None), reverse=True
        )

    def ids(self, kind: str) -> list[uuid.UUID]:
        return list(self.pictures.get(kind, {}))

    def searchable(self) -> set[tuple[str, uuid.UUID]]:
        """The (kind, id) of each record that has a search document."""
        return {
            (kind, i)
            for kind, pictures in self.pictures.items()
            if kind in documents.BUILDERS
            for i in pictures
        }


def put(session: Session, pictures: Pictures) -> None:
    """Make the database hold these records exactly as pictured, children and search
    documents included, and not hold those pictured as None."""
    if not pictures.pictures:
        return
    _remove_children(session, pictures)
    for kind, spec in KINDS.items():
        _put_own_columns(session, spec, pictures.present(kind))
    for kind, spec in reversed(KINDS.items()):
        _delete_ids(session, spec.table.c.id, pictures.absent(kind))
    for kind, spec in KINDS.items():
        _insert_children(session, spec, pictures.present(kind))
    reindex(session, pictures.searchable())


def _remove_children(session: Session, pictures: Pictures) -> None:
    """Every pictured record's children go (children of children first); those pictured come
    back from the picture."""
    for kind, spec in reversed(KINDS.items()):
        for child in reversed(spec.children):
            _delete_ids(session, child.table.c[child.parent], pictures.ids(kind))


def _delete_ids(session: Session, column: Column[Any], ids: list[uuid.UUID]) -> None:
    for chunk in _chunks(ids):
        session.execute(delete(column.table).where(column.in_(chunk)))


def _put_own_columns(session: Session, spec: Kind, pictures: dict[uuid.UUID, Picture]) -> None:
    """Each record's own columns as pictured: rows there are updated, others inserted. A
    picture without `deleted_at` is of a live record."""
    rows = [
        {"deleted_at": None, **_row(spec.table, {**picture, **spec.derived(picture)})}
        for picture in pictures.values()
    ]
    stored = set(_existing(session, spec.table, list(pictures)))
    # One statement per set of columns: a picture taken before a column existed lacks it,
    # and that column keeps its value.
    for names, same in groupby(sorted(rows, key=_names), key=_names):
        group = list(same)
        updates = [_keyed_by_row_id(row) for row in group if row["id"] in stored]
        inserts = [row for row in group if row["id"] not in stored]
        if updates:
            stmt = (
                update(spec.table)
                .where(spec.table.c.id == bindparam("row_id"))
                .values({name: bindparam(name) for name in names if name != "id"})
            )
            session.execute(stmt, updates)
        if inserts:
            session.execute(insert(spec.table), inserts)


def _existing(session: Session, table: Table, ids: list[uuid.UUID]) -> Iterator[uuid.UUID]:
    for chunk in _chunks(ids):
        yield from session.scalars(select(table.c.id).where(table.c.id.in_(chunk)))


def _chunks(ids: list[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def _keyed_by_row_id(row: dict[str, Any]) -> dict[str, Any]:
    # An UPDATE run for many rows would also SET any column named in its parameters.
    params = dict(row)
    params["row_id"] = params.pop("id")
    return params


def _names(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(row))


def _insert_children(session: Session, spec: Kind, pictures: dict[uuid.UUID, Picture]) -> None:
    for child in spec.children:
        rows = [
            {**_row(child.table, item), child.parent: record_id}
            for record_id, picture in pictures.items()
            for item in child.rows({**picture, **spec.derived(picture)})
        ]
        for _, same in groupby(sorted(rows, key=_names), key=_names):
            session.execute(insert(child.table), list(same))


def _row(table: Table, values: dict[str, Any]) -> dict[str, Any]:
    """The values that are columns of `table`, as the column types take them."""
    return {c.name: _column_value(c, values[c.name]) for c in table.columns if c.name in values}


# Pictures are JSON: these column types are written there as text.
_FROM_TEXT: dict[type, Callable[[str], Any]] = {
    uuid.UUID: uuid.UUID,
    dt.datetime: dt.datetime.fromisoformat,
    dt.date: dt.date.fromisoformat,
}


def _column_value(column: Column[Any], value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        parse = _FROM_TEXT.get(column.type.python_type)
    except NotImplementedError:  # JSON documents have no single Python type
        return value
    return parse(value) if parse else value
