"""The raw SQL each scenario is held against, built from the app's own filters and compiled to
plain SQL, then timed through the DB-API driver alone (psycopg or sqlite3): no ORM, no
SQLAlchemy execution, no HTTP.

Also what a scenario needs to know about the data: the busiest country and actor.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.sql import ClauseElement

from app.core.auth import ANONYMOUS
from app.events.filters import TIMELINE_ORDER, EventFilters, conditions
from app.formats import export
from app.models import Actor, Citation, Event, EventProcess, Location, Participation
from app.search.query import search_query
from app.timelines.service import ITEM_COLUMNS
from bench.serving import MIN_SAMPLES

STREAM_BLOCK = 1000


def sql_of(engine: Engine, stmt: ClauseElement) -> str:
    """The statement as plain SQL for this database, its values written in."""
    compiled = stmt.compile(
        dialect=engine.dialect, compile_kwargs={"literal_binds": True, "render_postcompile": True}
    )
    return str(compiled)


def run_raw(engine: Engine, sql: str) -> list[tuple[Any, ...]]:
    """Execute plain SQL through the bare DB-API connection and fetch every row."""
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(sql)
        rows: list[tuple[Any, ...]] = list(cursor.fetchall())
        cursor.close()
        connection.rollback()
        return rows
    finally:
        connection.close()


def time_raw(engine: Engine, sqls: list[str], count: int, budget: float = 30.0) -> list[float]:
    """Seconds each of `count` runs of these statements took, one after the other, on one
    connection; fewer (at least MIN_SAMPLES) when they take longer than `budget` in all."""
    connection = engine.raw_connection()
    took: list[float] = []
    deadline = time.monotonic() + budget
    try:
        cursor = connection.cursor()
        while len(took) < count and (len(took) < MIN_SAMPLES or time.monotonic() < deadline):
            started = time.perf_counter()
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
            took.append(time.perf_counter() - started)
        connection.rollback()
    finally:
        connection.close()
    return took


def export_reads(engine: Engine) -> list[str]:
    """What an export of every event reads, as plain statements: the events in timeline order,
    their places, then the actors taking part in them, their sources and processes (the export
    reads these a batch of events at a time, and each place and actor once)."""
    where = conditions(EventFilters(), ANONYMOUS)
    exported = select(Event.id).where(*where)
    places = select(Event.location_id).where(*where)
    actors = select(Participation.actor_id).where(Participation.event_id.in_(exported))
    return [
        sql_of(engine, export.EVENTS.where(*where).order_by(*TIMELINE_ORDER.columns)),
        sql_of(engine, export.PLACES.where(Location.id.in_(places))),
        sql_of(engine, export.PARTICIPANTS.where(Participation.event_id.in_(exported))),
        sql_of(engine, export.ACTORS.where(Actor.id.in_(actors))),
        sql_of(engine, export.SOURCES.where(Citation.event_id.in_(exported))),
        sql_of(engine, export.PROCESSES.where(EventProcess.event_id.in_(exported))),
    ]


def time_streamed(engine: Engine, sqls: list[str]) -> float:
    """Seconds to read every row of these statements through the bare driver, a block at a
    time from a server-side cursor (PostgreSQL), as a stream reads them."""
    connection = engine.raw_connection()
    driver = connection.driver_connection
    assert driver is not None, "a pooled connection holds its driver's"
    started = time.perf_counter()
    try:
        for number, sql in enumerate(sqls):
            with driver.cursor(name=f"streamed_{number}") as cursor:
                cursor.execute(sql)
                while cursor.fetchmany(STREAM_BLOCK):
                    pass
        return time.perf_counter() - started
    finally:
        connection.rollback()
        connection.close()


def month_window(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def busiest_country(engine: Engine) -> str:
    stmt = (
        select(Location.country, func.count())
        .join(Event, Event.location_id == Location.id)
        .group_by(Location.country)
        .order_by(func.count().desc())
        .limit(1)
    )
    return str(run_raw(engine, sql_of(engine, stmt))[0][0])


def busiest_actor(engine: Engine) -> tuple[uuid.UUID, int]:
    """The actor with the most events, and how many."""
    stmt = (
        select(Participation.actor_id, func.count())
        .group_by(Participation.actor_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    actor_id, events = run_raw(engine, sql_of(engine, stmt))[0]
    return _as_uuid(actor_id), int(events)


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def timeline_filters(country: str, month: dt.date) -> EventFilters:
    start, end = month_window(month)
    return EventFilters(country=[country], date_from=start, date_to=end)


def timeline_page(engine: Engine, filters: EventFilters, limit: int) -> list[str]:
    """The page of a timeline and its actors, as two plain statements."""
    page = (
        select(*ITEM_COLUMNS)
        .select_from(Event)
        .outerjoin(Location, Location.id == Event.location_id)
        .where(*conditions(filters, ANONYMOUS))
        .order_by(*TIMELINE_ORDER.columns)
        .limit(limit + 1)
    )
    ids = [_as_uuid(row[0]) for row in run_raw(engine, sql_of(engine, page))][:limit]
    actors = (
        select(Participation.event_id, Participation.actor_id, Participation.role, Actor.names)
        .join(Actor, Actor.id == Participation.actor_id)
        .where(Participation.event_id.in_(ids))
        .order_by(Participation.event_id, Participation.id)
    )
    return [sql_of(engine, page), sql_of(engine, actors)]


def daily_counts(engine: Engine, filters: EventFilters) -> str:
    """The GROUP BY behind counts per day and type (a day bucket is the date itself)."""
    stmt = select(Event.date_lower, Event.date_upper, Event.type, func.count()).where(
        *conditions(filters, ANONYMOUS)
    )
    return sql_of(engine, stmt.group_by(Event.date_lower, Event.date_upper, Event.type))


def _newest(filters: EventFilters, limit: int) -> Select[Any]:
    return (
        select(Event)
        .where(*conditions(filters, ANONYMOUS))
        .order_by(*(column.desc() for column in TIMELINE_ORDER.columns))
        .limit(limit + 1)
    )


def actor_newest_naive(engine: Engine, actor_id: uuid.UUID, limit: int) -> str:
    """The busiest actor's newest events the plain way: join, filter, sort everything."""
    stmt = (
        select(Event)
        .join(Participation, Participation.event_id == Event.id)
        .where(*conditions(EventFilters(), ANONYMOUS), Participation.actor_id == actor_id)
        .order_by(*(column.desc() for column in TIMELINE_ORDER.columns))
        .limit(limit + 1)
    )
    return sql_of(engine, stmt)


def keyword_newest_naive(engine: Engine, word: str, limit: int) -> str:
    """The newest events holding a common word the plain way: every match found, then sorted."""
    return sql_of(engine, _newest(EventFilters(q=search_query(word)), limit))
