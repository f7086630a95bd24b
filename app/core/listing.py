"""Keyset-paginated lists: one way to page through any query."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import CTE, ColumnElement, Select, select, true, tuple_
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.errors import InvalidCursor
from app.core.http import json_response
from app.core.pagination import DEFAULT_LIMIT, MAX_LIMIT, decode_cursor, encode_cursor, fingerprint

T = TypeVar("T")

# Open date bounds sort as the earliest/latest possible day, so NULLs need no special casing.
EARLIEST = dt.date(1, 1, 1)
LATEST = dt.date(9999, 12, 31)


class Page(BaseModel, Generic[T]):
    """One page of a list; follow `next_cursor` (or the Link header) for the next."""

    items: list[T]
    next_cursor: str | None = Field(description="Pass as ?cursor= to get the next page.")


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


# async: no thread hand-off for what only reads the request (app.core.deps).
async def page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None, Query(max_length=2000, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(page_params)]


@dataclass(frozen=True)
class SortKey:
    """The columns a list is ordered by (ending with a unique one) and how to read them back."""

    columns: Sequence[ColumnElement[Any]]
    values_of: Callable[[Any], Sequence[Any]]
    parsers: Sequence[Callable[[str], Any]]
    descending: bool = False  # every column, so one index serves both directions


def _to_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def by_id(id_column: ColumnElement[uuid.UUID]) -> SortKey:
    """Creation order: ids are UUIDv7, so sorting by id sorts by time of creation."""
    return SortKey(columns=[id_column], values_of=lambda row: [row.id], parsers=[uuid.UUID])


_PAGING = {"cursor", "limit"}


def list_query(request: Request) -> list[tuple[str, str]]:
    """The filters of a list request: its query without the paging parameters."""
    return sorted((k, v) for k, v in request.query_params.multi_items() if k not in _PAGING)


# A statement made one page (cursor, order, limit) on the given sort columns.
Paged = Callable[[Select[Any], Sequence[ColumnElement[Any]]], Select[Any]]


@dataclass(frozen=True)
class Split:
    """The rows fall into groups (`column`'s values, listed by `groups`), and an index lists
    each group's rows in the page's order. A page then takes the first rows of each group, and
    the first of those: a few short index walks instead of finding and sorting every row of
    every group (a month of one country's 25 places: 28,000 events on ten million)."""

    column: ColumnElement[Any]
    groups: CTE  # the groups' values in its first column
    # The rows' conditions as one group's walk should test them (equivalent to the query's,
    # without those that would draw the planner to another index; they may read `groups`).
    where: Sequence[Any]

    def narrowed(
        self, page: Select[Any], columns: Sequence[ColumnElement[Any]], paged: Paged
    ) -> Select[Any]:
        """`page` kept to the rows whose sort keys (`columns`) come first among the first of
        each group; `paged` pages a statement on the given sort columns."""
        one_group = select(*columns).where(*self.where, self.column == self.groups.c[0])
        # Correlated to the groups alone: the outer query reads the same table.
        firsts = paged(one_group, columns).correlate(self.groups).lateral("group_firsts")
        merged = select(*firsts.c).select_from(self.groups).join(firsts, true())
        # Taken before the page's own rows are read, so that only these are.
        top = paged(merged, list(firsts.c)).subquery("page_firsts")
        return page.where(columns[-1].in_(select(list(top.c)[-1])))


def fetch_page(
    session: Session,
    stmt: Select[Any],
    *,
    sort: SortKey,
    page: PageParams,
    settings: Settings,
    query: dict[str, Any],
    scalars: bool = True,
    split: Split | None = None,
) -> tuple[list[Any], str | None]:
    """One page of `stmt` in `sort` order, and the cursor of the next page (None at the end)."""
    query_id = fingerprint(query)
    last = _decode(settings, page.cursor, query_id, sort) if page.cursor is not None else None

    def paged(rows: Select[Any], columns: Sequence[ColumnElement[Any]]) -> Select[Any]:
        if last is not None:
            here, there = tuple_(*columns), tuple_(*last)
            rows = rows.where(here < there if sort.descending else here > there)
        order = [c.desc() for c in columns] if sort.descending else columns
        return rows.order_by(*order).limit(page.limit + 1)

    stmt = paged(stmt, sort.columns)
    result = session.execute(split.narrowed(stmt, sort.columns, paged) if split else stmt)
    rows = list(result.scalars().unique() if scalars else result)
    if len(rows) <= page.limit:
        return rows, None
    rows = rows[: page.limit]
    key = [_to_text(value) for value in sort.values_of(rows[-1])]
    return rows, encode_cursor(settings.secret_key, key, query_id)


def _decode(settings: Settings, cursor: str, query_id: str, sort: SortKey) -> list[Any]:
    key = decode_cursor(settings.secret_key, cursor, query_id)
    if len(key) != len(sort.parsers):
        raise InvalidCursor("The cursor does not fit this list.")
    try:
        return [parse(str(value)) for parse, value in zip(sort.parsers, key, strict=True)]
    except ValueError as exc:
        raise InvalidCursor("The cursor does not fit this list.") from exc


def page_response(request: Request, body: Page[Any]) -> Response:
    """The page as JSON with an ETag and, when there is more, a Link to the next page."""
    response = json_response(request, body)
    if body.next_cursor is not None:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
        url = request.url.replace(query=urlencode([*params, ("cursor", body.next_cursor)]))
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response
