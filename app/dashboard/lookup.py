"""What a page needs to name the records a record points to: names, places, sources.

Records carry ids (a participant's actor, a link's target); a page shows names. One query per
kind of record, whatever the number of ids.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dashboard.i18n import Translator
from app.models import Actor, Event, Location, Outlet, Process, Source

Names = dict[str, str]


def names_of(
    session: Session, model: type[Actor] | type[Process] | type[Location], ids: Iterable[Any]
) -> dict[uuid.UUID, Names]:
    """The names of the records with these ids (deleted ones too: history still names them)."""
    wanted = {uuid.UUID(str(i)) for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(model.id, model.names).where(model.id.in_(wanted)))
    return {record_id: names or {} for record_id, names in rows}


def named_choices(
    session: Session,
    model: type[Actor] | type[Process] | type[Location],
    t: Translator,
    *,
    limit: int | None = None,
) -> list[tuple[str, str]]:
    """(id, name) of the live records of `model`, by their name in the page's language,
    alphabetically: what a select offers."""
    stmt = select(model.id, model.names).where(model.deleted_at.is_(None)).limit(limit)
    pairs = [(str(record_id), t.pick(names)) for record_id, names in session.execute(stmt)]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


def titles_of(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Names]:
    """The titles of these events, those deleted left out. The ids are the caller's to choose:
    an event's links come already without the targets the reader may not see."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = select(Event.id, Event.title).where(Event.id.in_(wanted), Event.deleted_at.is_(None))
    return {event_id: title for event_id, title in session.execute(stmt)}  # noqa: C416


def place(session: Session, location_id: uuid.UUID | None) -> Location | None:
    """The event's place, for its name and its point on the map."""
    return session.get(Location, location_id) if location_id else None


def sources_of(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Each source's title, address, date and outlet: what a reader checks a claim against."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = (
        select(Source.id, Source.title, Source.url, Source.published_at, Outlet.names)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .where(Source.id.in_(wanted))
    )
    return {
        source_id: {"title": title, "url": url, "published_at": published, "outlet": outlet}
        for source_id, title, url, published, outlet in session.execute(stmt)
    }


def processes_of(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Each process's names and kind (a ceasefire has a tracker page to link to)."""
    wanted = set(ids)
    if not wanted:
        return {}
    stmt = select(Process.id, Process.names, Process.kind).where(Process.id.in_(wanted))
    return {pid: {"names": names, "kind": kind} for pid, names, kind in session.execute(stmt)}
