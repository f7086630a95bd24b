"""A date window is searched through the sort keys' indexes, not by reading every event."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Connection, select

from app.core.auth import ANONYMOUS
from app.events.filters import TIMELINE_ORDER, EventFilters, conditions
from app.models import Event


def _plan(connection: Connection, filters: EventFilters, index: str) -> str:
    """How SQLite reads `index` for the window: which of its columns it searches on. (The
    index is named, as its choice among indexes depends on statistics an empty test database
    does not have.)"""
    stmt = select(Event.id).where(*conditions(filters, ANONYMOUS)).order_by(*TIMELINE_ORDER.columns)
    sql = str(stmt.compile(connection, compile_kwargs={"literal_binds": True}))
    sql = sql.replace("FROM events", f"FROM events INDEXED BY {index}", 1)
    rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")
    return "\n".join(str(row[-1]) for row in rows)


@pytest.fixture
def sqlite(connection: Connection) -> Connection:
    if connection.dialect.name != "sqlite":
        pytest.skip("PostgreSQL answers a window from its range index (migration 0014)")
    return connection


def test_a_places_month_is_a_range_of_its_timeline_index_on_sqlite(sqlite: Connection) -> None:
    # Written as `(...) = 1`, the window hid the sort keys: every event of the country was read
    # to find one month (0.3 s on a million events).
    filters = EventFilters(
        country=["SYR"], date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31)
    )
    plan = _plan(sqlite, filters, "ix_events_location_timeline")
    assert "ix_events_location_timeline (location_id=? AND sort_lower<?)" in plan


def test_a_month_is_a_range_of_the_timeline_index_on_sqlite(sqlite: Connection) -> None:
    filters = EventFilters(date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))
    assert "ix_events_timeline (sort_lower<?)" in _plan(sqlite, filters, "ix_events_timeline")
