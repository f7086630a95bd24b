"""Bucketed counts: every event counted once — in its bucket, under spanning, or undated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Date, cast, func, literal, select, type_coerce
from sqlalchemy.orm import Session

from app.models import Event
from app.timelines.schemas import BucketCount, Buckets, BucketUnit, Count


def bucket_start(column: Any, unit: BucketUnit, dialect: str) -> ColumnElement[dt.date]:
    """The first day of the bucket holding `column`, computed in the database."""
    if unit == "day":
        return column  # type: ignore[no-any-return]
    if dialect == "postgresql":
        return cast(func.date_trunc(unit, column), Date)
    modifiers = {
        "week": (literal("weekday 0"), literal("-6 days")),  # ISO weeks start on Monday
        "month": (literal("start of month"),),
        "year": (literal("start of year"),),
    }[unit]
    return type_coerce(func.date(column, *modifiers), Date)


def bucket_end(start: dt.date, unit: BucketUnit) -> dt.date:
    """The last day of the bucket that starts on `start`."""
    if unit == "day":
        return start
    if unit == "week":
        return start + dt.timedelta(days=6)
    if unit == "year":
        return dt.date(start.year, 12, 31)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _as_date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def count(session: Session, conditions: list[Any], unit: BucketUnit) -> Buckets:
    """Counts per bucket and type for the events matching `conditions`."""
    dialect = session.get_bind().dialect.name
    lower = bucket_start(Event.date_lower, unit, dialect).label("lower_bucket")
    upper = bucket_start(Event.date_upper, unit, dialect).label("upper_bucket")
    stmt = (
        select(lower, upper, Event.type, func.count().label("n"))
        .where(*conditions)
        .group_by(lower, upper, Event.type)
    )
    per_bucket: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    spanning: dict[str, int] = defaultdict(int)
    undated: dict[str, int] = defaultdict(int)
    for row in session.execute(stmt):
        first, last = _as_date(row.lower_bucket), _as_date(row.upper_bucket)
        if first is None and last is None:
            undated[row.type] += row.n
        elif first is None or last is None or first != last:
            spanning[row.type] += row.n
        else:
            per_bucket[first][row.type] += row.n
    return _assemble(unit, per_bucket, spanning, undated)


def _count(by_type: dict[str, int]) -> Count:
    return Count(total=sum(by_type.values()), by_type=dict(sorted(by_type.items())))


def _assemble(
    unit: BucketUnit,
    per_bucket: dict[dt.date, dict[str, int]],
    spanning: dict[str, int],
    undated: dict[str, int],
) -> Buckets:
    buckets = [
        BucketCount(start=start, end=bucket_end(start, unit), **_count(types).model_dump())
        for start, types in sorted(per_bucket.items())
    ]
    total = sum(b.total for b in buckets) + sum(spanning.values()) + sum(undated.values())
    return Buckets(
        unit=unit, buckets=buckets, spanning=_count(spanning), undated=_count(undated), total=total
    )
