"""HTTP routes of locations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement

from app.core.crud import Resource, add_routes
from app.core.types import CountryCode
from app.locations.schemas import LocationCreate, LocationKind, LocationRead, LocationUpdate
from app.models import Location
from app.search.query import TextQuery, text_filter


def location_filters(
    country: Annotated[CountryCode | None, Query(description="ISO 3166-1 alpha-3.")] = None,
    kind: Annotated[list[LocationKind], Query(description="Location kind; repeatable.")] = [],  # noqa: B006
    q: TextQuery = None,
) -> list[ColumnElement[bool]]:
    """Filters of the location list."""
    return [
        *([Location.country == country] if country else []),
        *([Location.kind.in_(kind)] if kind else []),
        *text_filter(Location.id, "location", q),
    ]


LOCATIONS = Resource(
    entity="location",
    path="/locations",
    model=Location,
    create_schema=LocationCreate,
    update_schema=LocationUpdate,
    read_schema=LocationRead,
    filters=location_filters,
)

router = APIRouter(tags=["locations"])
add_routes(router, LOCATIONS)
