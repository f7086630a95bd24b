"""An event's possible days as one range, so a date window is an index search on PostgreSQL.

The window filters compare `date_lower`/`date_upper`, which no index can serve on its own: a
timeline month walked the whole timeline index from the first event (7 s on a million events).
The sort keys are those bounds with open ends as the earliest and latest day, so

    (date_upper IS NULL OR date_upper >= start) AND (date_lower IS NULL OR date_lower <= end)

holds exactly when [sort_lower, sort_upper] overlaps [start, end], and "within" exactly when
it is contained in it. PostgreSQL has a GiST index on that range (migration 0014) and answers
`&&` and `<@` from it; SQLite gets the same test as plain comparisons of the sort keys. The
element is added next to the original conditions, which stay the definition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Date, and_, bindparam, cast, func, literal_column, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from app.models import Event

# Written out as a literal: the index is on this very expression, and a bound '[]' would not
# match it.
INCLUSIVE = "'[]'"


class Period(ColumnElement[bool]):
    """Events whose sort-key range overlaps the window (`within`: lies inside it)."""

    # The window's days are bound parameters traversed like any other, so a cached statement
    # is reused with each query's own days.
    _traverse_internals = [  # noqa: RUF012 - SQLAlchemy declares it on instances
        ("start", InternalTraversal.dp_clauseelement),
        ("end", InternalTraversal.dp_clauseelement),
        ("within", InternalTraversal.dp_boolean),
        ("ranged", InternalTraversal.dp_boolean),
    ]
    inherit_cache = True
    type = Boolean()

    def __init__(
        self, start: dt.date | None, end: dt.date | None, *, within: bool, ranged: bool = True
    ) -> None:
        """`ranged=False`: the plain comparisons on PostgreSQL too, for a walk of another
        index in time order (a place's: app.core.listing.Split), which the range index would
        draw the planner away from; the walk starts at `least_sort_lower` instead."""
        self.start = bindparam(None, start, type_=Date())
        self.end = bindparam(None, end, type_=Date())
        self.starts, self.ends, self.within = start is not None, end is not None, within
        self.ranged = ranged

    def self_group(self, against: Any = None) -> ColumnElement[bool]:
        # It renders as a test already. Grouped as a boolean value instead, SQLite (no native
        # boolean) would get `(...) = 1`, which hides the sort keys from its planner: a place's
        # month was found by reading every event of that place (0.3 s on a million events).
        return self

    def least_sort_lower(self) -> Any:
        """The least sort key an event in the window can have (PostgreSQL; with a start)."""
        return self.start if self.within else _earliest_start(self)

    def _gen_cache_key(self, anon_map: Any, bindparams: Any) -> Any:
        # Whether each end is open changes the SQL, not only its values.
        key = super()._gen_cache_key(anon_map, bindparams)
        return (*key, self.starts, self.ends) if key is not None else None


def _window(element: Period) -> Any:
    return func.daterange(_day(element.start), _day(element.end), literal_column(INCLUSIVE))


def _day(value: Any) -> Any:
    # Typed even when written out as a literal: `range @> '2020-01-01'` is ambiguous.
    return cast(value, Date)


def _days(table: Any) -> Any:
    return func.daterange(table.c.sort_lower, table.c.sort_upper, literal_column(INCLUSIVE))


# Aliases are made once, at import: a new one builds a proxy of each column when first read
# (about 1 ms a request). So are those in app.events.filters and app.events.claims.
_SPANNING = Event.__table__.alias("spanning_window_start")


def _earliest_start(element: Period) -> Any:
    """No event overlapping the window starts before the earliest start of the events that
    hold its first day: any that starts earlier and reaches the window holds that day."""
    # `+ 0`: min() of the bare column is planned as a walk of the timeline index from its
    # start, which is the very walk this bound is for; the holders come from the GiST index.
    earliest = select(func.min(_SPANNING.c.sort_lower + 0)).where(
        _days(_SPANNING).op("@>")(_day(element.start))
    )
    return func.least(_day(element.start), earliest.scalar_subquery())


@compiles(Period, "postgresql")
def _postgresql(element: Period, compiler: Any, **kw: Any) -> str:
    if not element.ranged:
        return _portable(element, compiler, **kw)
    events, window = _days(Event.__table__), _window(element)
    test = events.op("<@" if element.within else "&&")(window)
    # The bound on the sort key lets a walk of the timeline index (a page: ORDER BY ... LIMIT)
    # start near the window instead of at the first event ever recorded.
    bound = Event.sort_lower >= element.least_sort_lower()
    return _and(compiler, [test, bound] if element.starts else [test], **kw)


@compiles(Period)
def _portable(element: Period, compiler: Any, **kw: Any) -> str:
    return _and(compiler, _comparisons(element), **kw)


def _comparisons(element: Period) -> list[Any]:
    """The test as plain comparisons of the sort keys."""
    start, end = element.start, element.end
    if element.within:
        tests = [Event.sort_lower >= start] if element.starts else []
        return tests + ([Event.sort_upper <= end] if element.ends else [])
    tests = [Event.sort_upper >= start] if element.starts else []
    return tests + ([Event.sort_lower <= end] if element.ends else [])


def _and(compiler: Any, tests: list[Any], **kw: Any) -> str:
    return "(" + str(compiler.process(and_(*tests), **kw)) + ")" if tests else "1 = 1"
