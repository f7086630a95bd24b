"""HTTP routes of outlets and sources."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from app.core import records
from app.core.crud import Resource, add_routes
from app.core.types import CountryCode
from app.models import Outlet, Source
from app.search.query import TextQuery, text_filter
from app.sources.schemas import (
    OutletCreate,
    OutletKind,
    OutletRead,
    OutletUpdate,
    SourceCreate,
    SourceRead,
    SourceUpdate,
)


def outlet_filters(
    country: Annotated[CountryCode | None, Query(description="ISO 3166-1 alpha-3.")] = None,
    kind: Annotated[list[OutletKind], Query(description="Outlet kind; repeatable.")] = [],  # noqa: B006
) -> list[ColumnElement[bool]]:
    """Filters of the outlet list."""
    return [
        *([Outlet.country == country] if country else []),
        *([Outlet.kind.in_(kind)] if kind else []),
    ]


def source_filters(
    outlet: Annotated[uuid.UUID | None, Query(description="Outlet id.")] = None,
    q: TextQuery = None,
) -> list[ColumnElement[bool]]:
    """Filters of the source list."""
    return [
        *([Source.outlet_id == outlet] if outlet else []),
        *text_filter(Source.id, "source", q),
    ]


def source_columns(values: dict[str, Any]) -> dict[str, Any]:
    """URLs are stored as text."""
    for name in ("url", "archived_url"):
        if values.get(name) is not None:
            values[name] = str(values[name])
    return values


def check_source_refs(session: Session, values: dict[str, Any]) -> None:
    records.ensure_exists(session, Outlet, values.get("outlet_id"), field="outlet_id")


OUTLETS = Resource(
    entity="outlet",
    path="/outlets",
    model=Outlet,
    create_schema=OutletCreate,
    update_schema=OutletUpdate,
    read_schema=OutletRead,
    filters=outlet_filters,
)
SOURCES = Resource(
    entity="source",
    path="/sources",
    model=Source,
    create_schema=SourceCreate,
    update_schema=SourceUpdate,
    read_schema=SourceRead,
    filters=source_filters,
    check_refs=check_source_refs,
    to_columns=source_columns,
)

router = APIRouter(tags=["sources"])
add_routes(router, OUTLETS)
add_routes(router, SOURCES)
