"""Every format Waqai reads or writes, by the name clients use in `format=`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.formats import (
    acled,
    atom,
    csv_table,
    gdelt,
    geojson,
    ics,
    jsonld,
    ndjson,
    timelinejs,
    ucdp,
    vis,
)
from app.formats.export import exported_events
from app.formats.reading import Reader
from app.formats.rendering import RenderContext, Renderer
from app.models.base import utcnow
from app.timelines.service import phases_of


@dataclass(frozen=True)
class ExportFormat:
    """An export format: its renderer, what it is called on the wire and on disk."""

    name: str
    media_type: str
    extension: str
    render: Renderer
    newest_first: bool = False  # feeds list the latest first; everything else is a timeline


EXPORTS = {
    f.name: f
    for f in (
        ExportFormat("json", "application/json", "json", ndjson.render_array),
        ExportFormat("ndjson", "application/x-ndjson", "ndjson", ndjson.render),
        ExportFormat("csv", "text/csv; charset=utf-8", "csv", csv_table.render),
        ExportFormat("geojson", "application/geo+json", "geojson", geojson.render),
        ExportFormat("ics", "text/calendar; charset=utf-8", "ics", ics.render),
        ExportFormat("atom", "application/atom+xml", "atom", atom.render, newest_first=True),
        ExportFormat("jsonld", "application/ld+json", "jsonld", jsonld.render),
        ExportFormat("timelinejs", "application/json", "timelinejs.json", timelinejs.render),
        ExportFormat("vis", "application/json", "vis.json", vis.render),
    )
}
# Media types a client may ask for in Accept instead of format= (the first format wins).
BY_MEDIA_TYPE = {f.media_type.split(";")[0]: f.name for f in reversed(list(EXPORTS.values()))}
IMPORTERS: dict[str, Reader] = {
    "csv": csv_table.read,
    "ndjson": ndjson.read,
    "acled": acled.read,
    "ucdp": ucdp.read,
    "gdelt": gdelt.read,
}


def rendered(
    session: Session,
    conditions: list[Any],
    export: ExportFormat,
    *,
    lang: str | None,
    base_url: str,
    title: str,
    bom: bool = False,
    group_by: str = "type",
) -> Iterator[bytes]:
    """The events matching `conditions` rendered in `export`, as a stream of bytes."""
    ctx = RenderContext(
        lang=lang,
        base_url=base_url,
        title=title,
        generated_at=utcnow(),
        eras=lambda ids: phases_of(session, ids),
        group_by=group_by,
        bom=bom,
    )
    events = exported_events(session, conditions, newest_first=export.newest_first)
    return in_blocks(export.render(events, ctx))


BLOCK = 1 << 16


def in_blocks(pieces: Iterator[bytes]) -> Iterator[bytes]:
    """The renderer's pieces (mostly one per event) gathered into blocks of about `BLOCK`
    bytes: a streamed answer sends each piece it is given through a thread hand-off and a
    write, which cost more than rendering the event."""
    block: list[bytes] = []
    size = 0
    for piece in pieces:
        block.append(piece)
        size += len(piece)
        if size >= BLOCK:
            yield b"".join(block)
            block, size = [], 0
    if block:
        yield b"".join(block)
