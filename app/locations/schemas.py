"""Request and response shapes of locations."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import Patch, RecordRead
from app.core.types import JSON_NUMBER, CountryCode, Input, LocalizedText

LocationKind = Literal["city", "town", "village", "region", "facility", "country", "water", "other"]
Admin = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Latitude = Annotated[float, Field(ge=-90, le=90, description="WGS 84 degrees north."), JSON_NUMBER]
Longitude = Annotated[
    float, Field(ge=-180, le=180, description="WGS 84 degrees east."), JSON_NUMBER
]
GeonamesId = Annotated[int, Field(ge=1), JSON_NUMBER]


class LocationCreate(Input):
    names: LocalizedText
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    country: CountryCode | None = None
    admin1: Admin | None = None
    admin2: Admin | None = None
    kind: LocationKind
    geonames_id: GeonamesId | None = None


class LocationUpdate(Patch):
    not_nullable = frozenset({"names", "kind"})

    names: LocalizedText | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    country: CountryCode | None = None
    admin1: Admin | None = None
    admin2: Admin | None = None
    kind: LocationKind | None = None
    geonames_id: GeonamesId | None = None


class LocationRead(RecordRead):
    names: dict[str, str]
    latitude: float | None
    longitude: float | None
    country: str | None
    admin1: str | None
    admin2: str | None
    kind: LocationKind
    geonames_id: int | None
