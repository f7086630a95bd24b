"""GeoJSON (RFC 7946): one FeatureCollection, one Feature per event, written as it goes.

Positions are [longitude, latitude] (WGS 84). An event without coordinates is still a Feature,
with `"geometry": null` as the RFC allows, so a map shows what it can and nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import orjson

from app.formats.describe import actor_names
from app.formats.rendering import ExportedEvent, RenderContext

HEADER = b'{"type":"FeatureCollection","features":['
FOOTER = b"]}\n"


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """A FeatureCollection, one Feature per event."""
    yield HEADER
    separator = b"\n"
    for event in events:
        yield separator + orjson.dumps(feature(event, ctx))
        separator = b",\n"
    yield b"\n" + FOOTER


def feature(event: ExportedEvent, ctx: RenderContext) -> dict[str, Any]:
    """The event as a Feature: a Point where it has coordinates, else a null geometry."""
    return {
        "type": "Feature",
        "id": str(event["id"]),
        "geometry": geometry(event["location"]),
        "properties": properties(event, ctx),
    }


def geometry(location: dict[str, Any] | None) -> dict[str, Any] | None:
    """A Point at [lon, lat], or None when the place (or its coordinates) is unknown."""
    if location is None or location["latitude"] is None or location["longitude"] is None:
        return None
    return {"type": "Point", "coordinates": [location["longitude"], location["latitude"]]}


def properties(event: ExportedEvent, ctx: RenderContext) -> dict[str, Any]:
    """What a map popup or a GIS attribute table shows about the event."""
    original, location = event["original_language"], event["location"]
    return {
        "id": event["id"],
        "type": event["type"],
        "type_label": ctx.text(event["type_label"], "en"),
        "when": event["when"],
        "date_lower": event["date_lower"],
        "date_upper": event["date_upper"],
        "date_precision": event["date_precision"],
        "title": ctx.text(event["title"], original),
        "title_i18n": event["title"],
        "verification": event["verification"],
        "fatalities_low": event["fatalities_low"],
        "fatalities_best": event["fatalities_best"],
        "fatalities_high": event["fatalities_high"],
        "location": ctx.text(location["names"], original) if location else None,
        "location_precision": event["location_precision"],
        "country": location["country"] if location else None,
        "actors": actor_names(event, ctx),
        "url": ctx.event_url(event["id"]),
    }
