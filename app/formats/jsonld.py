"""schema.org JSON-LD: `{"@context": "https://schema.org", "@graph": [Event, ...]}`, streamed.

Only properties schema.org defines for Event are used. Belligerents are not `organizer`,
`performer` or `attendee` (those describe concerts and conferences): an actor goes under
`about`, wrapped in a schema.org `Role` whose `roleName` keeps its part ("accused", "mediator"),
and so does a peace process with the event's relation to it ("violates"). Sources are
`subjectOf`: creative works about the event, each with its publisher. `startDate`/`endDate` are
the inclusive calendar bounds; an unknown end (or start) is left out and the description says
so in words. External ids become `identifier` PropertyValues, and `sameAs` where they are URLs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson

from app.formats.describe import describe, language_of
from app.formats.rendering import ExportedEvent, RenderContext

HEADER = b'{"@context":"https://schema.org","@graph":['
FOOTER = b"]}\n"
ACTOR_TYPES = {"person": "Person", "state": "Country"}
NEWS_OUTLETS = {"news_agency", "broadcaster", "newspaper"}


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """One JSON-LD document whose graph holds one schema.org Event per event."""
    yield HEADER
    separator = b"\n"
    for event in events:
        yield separator + orjson.dumps(node(event, ctx))
        separator = b",\n"
    yield b"\n" + FOOTER


def node(event: ExportedEvent, ctx: RenderContext) -> dict[str, Any]:
    """The event as a schema.org Event; empty properties are left out."""
    url = ctx.event_url(event["id"])
    name = ctx.text(event["title"], event["original_language"])
    language = language_of(event["title"], name)
    data: dict[str, Any] = {
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": name,
        "alternateName": [
            {"@value": text, "@language": tag}
            for tag, text in event["title"].items()
            if tag != language
        ],
        "inLanguage": language,
        "description": describe(event, ctx),
        "startDate": event["date_lower"],
        "endDate": event["date_upper"],
        "location": place(event, ctx),
        "about": [*actor_roles(event, ctx), *process_roles(event, ctx)],
        "subjectOf": [work(source, ctx) for source in event["sources"]],
        "keywords": [event["type"], *event["tags"]],
        "identifier": identifiers(event),
        "sameAs": [value for value in event["external_ids"].values() if is_url(value)],
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def is_url(value: object) -> bool:
    """Whether an external id is itself a web address (only those can be `sameAs`)."""
    return isinstance(value, str) and value.startswith(("https://", "http://"))


def identifiers(event: ExportedEvent) -> list[Any]:
    """Waqai's id, then each external id as a PropertyValue named by its scheme."""
    external = [
        {"@type": "PropertyValue", "propertyID": scheme, "value": value}
        for scheme, value in event["external_ids"].items()
    ]
    return [str(event["id"]), *external]


def place(event: ExportedEvent, ctx: RenderContext) -> dict[str, Any] | None:
    """A Place with its coordinates and country, or None for an event without a place."""
    location = event["location"]
    if location is None:
        return None
    data: dict[str, Any] = {
        "@type": "Place",
        "name": ctx.text(location["names"], event["original_language"]),
    }
    if location["latitude"] is not None and location["longitude"] is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": location["latitude"],
            "longitude": location["longitude"],
        }
    if location["country"]:
        # ISO 3166-1 alpha-3 as stored; a Country node says which code it is.
        data["address"] = {
            "@type": "PostalAddress",
            "addressCountry": {"@type": "Country", "identifier": location["country"]},
        }
    if location.get("geonames_id"):
        data["sameAs"] = f"https://sws.geonames.org/{location['geonames_id']}/"
    return data


def actor_roles(event: ExportedEvent, ctx: RenderContext) -> list[dict[str, Any]]:
    """Each actor as a Role (its part in the event) around an Organization, Person or Country."""
    roles = []
    for actor in event["actors"]:
        thing: dict[str, Any] = {
            "@type": ACTOR_TYPES.get(actor["kind"], "Organization"),
            "@id": f"{ctx.base_url}/v1/actors/{actor['id']}",
            "name": ctx.text(actor["names"], event["original_language"]),
        }
        if wikidata := (actor.get("external_ids") or {}).get("wikidata"):
            thing["sameAs"] = f"https://www.wikidata.org/wiki/{wikidata}"
        role: dict[str, Any] = {"@type": "Role", "roleName": actor["role"], "about": thing}
        if actor.get("stance"):
            stance = f"{actor['stance']} {actor.get('stance_when') or ''}".strip()
            role["description"] = stance
        roles.append(role)
    return roles


def process_roles(event: ExportedEvent, ctx: RenderContext) -> list[dict[str, Any]]:
    """Each process as a Role (the event's relation to it) around an Event."""
    return [
        {
            "@type": "Role",
            "roleName": process["relation"],
            "about": {
                "@type": "Event",
                "@id": f"{ctx.base_url}/v1/processes/{process['id']}",
                "name": ctx.text(process["names"], event["original_language"]),
            },
        }
        for process in event["processes"]
    ]


def work(source: Mapping[str, Any], ctx: RenderContext) -> dict[str, Any]:
    """A source as the creative work that reports the event, with its publisher."""
    data: dict[str, Any] = {
        "@type": "NewsArticle" if source.get("outlet_kind") in NEWS_OUTLETS else "CreativeWork",
        "url": source.get("url"),
        "headline": source.get("title"),
        "inLanguage": source.get("language"),
        "datePublished": source.get("published_at"),
    }
    if source.get("outlet"):
        data["publisher"] = {"@type": "Organization", "name": ctx.text(source["outlet"])}
    return {key: value for key, value in data.items() if value is not None}
