"""Exports over HTTP: pick the format, then stream the rendering with its own session.

The request's session closes when the handler returns, before a streamed body is sent, so
the stream reads through a session of its own, in one transaction (one consistent snapshot).
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Annotated, Any

from fastapi import Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.errors import ExportsBusy, NotAcceptable, bad_query_parameter
from app.core.http import as_of_headers, if_none_match, query_cache_headers, query_etag
from app.core.types import LanguageTag
from app.formats.kept import KeptExports, blocks
from app.formats.registry import BY_MEDIA_TYPE, EXPORTS, ExportFormat, rendered
from app.history import service as history
from app.history.as_of import ReadSessions
from app.timelines.schemas import GroupBy

FORMAT_NAMES = ", ".join(EXPORTS)
FormatQuery = Annotated[
    str | None,
    Query(
        alias="format",
        max_length=20,
        description=f"One of {FORMAT_NAMES}; overrides Accept.",
        json_schema_extra={"enum": list(EXPORTS)},
    ),
]
LangQuery = Annotated[
    LanguageTag | None,
    Query(
        description="Language of flattened text (CSV, iCalendar, Atom, TimelineJS ...); "
        "falls back to each record's original language."
    ),
]
BomQuery = Annotated[
    bool, Query(description="CSV only: start with a byte-order mark so Excel reads UTF-8.")
]
GroupByQuery = Annotated[
    GroupBy,
    Query(
        description="TimelineJS groups and vis-timeline lanes: by type, actor, location or process."
    ),
]


# The JSON exports by their shape, to tell them apart where several share application/json.
EXPORT_SHAPES: dict[str, dict[str, Any]] = {
    "json": {"type": "array", "items": {"type": "object"}},
    "timelinejs": {"type": "object", "required": ["title", "events", "eras", "scale"]},
    "vis": {"type": "object", "required": ["items", "groups"]},
    "geojson": {"type": "object", "required": ["type", "features"]},
    "jsonld": {"type": "object", "required": ["@context", "@graph"]},
}


def export_content(*also: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI `content` of an answer in any export format (`also`: other application/json
    shapes the same answer may have)."""
    shapes: dict[str, list[dict[str, Any]]] = {"application/json": [*also]}
    for export in EXPORTS.values():
        media_type = export.media_type.split(";")[0]
        shape = EXPORT_SHAPES.get(export.name, {"type": "string"})
        shapes.setdefault(media_type, []).append(shape)
    return {
        media_type: {"schema": options[0] if len(options) == 1 else {"anyOf": options}}
        for media_type, options in shapes.items()
    }


def choose(request: Request, name: str | None, *, default: str = "json") -> ExportFormat:
    """The format from `format=`, else from Accept; 422 for an unknown name, 406 when Accept
    names only types Waqai cannot produce."""
    if name is not None:
        if name not in EXPORTS:
            raise bad_query_parameter(
                "format",
                f"Unknown format {name!r}; use one of {FORMAT_NAMES}.",
                f"not one of {FORMAT_NAMES}",
                "unknown_format",
            )
        return EXPORTS[name]
    accept = request.headers.get("accept", "").strip()
    if not accept:
        return EXPORTS[default]
    for media_type in _by_preference(accept):
        if media_type in ("*/*", "application/*"):
            return EXPORTS[default]
        if media_type in BY_MEDIA_TYPE:
            return EXPORTS[BY_MEDIA_TYPE[media_type]]
    raise NotAcceptable(
        f"Cannot produce {accept!r}; available: "
        + ", ".join(sorted(BY_MEDIA_TYPE))
        + " (or use format=)."
    )


def _by_preference(accept: str) -> list[str]:
    ranked = []
    for position, part in enumerate(accept.split(",")):
        media_type, *params = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, media_type.lower()))
    return [media_type for _, _, media_type in sorted(ranked)]


def export_response(
    request: Request,
    *,
    session: Session,
    open_session: ReadSessions,
    principal: Principal,
    conditions: list[Any],
    export: ExportFormat,
    lang: str | None,
    bom: bool,
    group_by: str,
    title: str,
) -> Response:
    """The matching events rendered in `export`, streamed; 304 when the client is current.
    An export given before while the data is the same is given again from its kept file."""
    version = history.data_version(session)
    etag = query_etag(request, sees_drafts=principal.sees_drafts, data_version=version)
    if if_none_match(request, etag):
        return Response(status_code=304, headers={"ETag": etag})
    base_url = str(request.base_url).rstrip("/")
    headers = _export_headers(request, export, etag=etag, private=principal.role is not None)
    exports: KeptExports = request.app.state.exports
    # Links in some formats (Atom, JSON-LD) are absolute: the host asked for is part of it.
    key = f"{etag} {base_url}"
    if (file := exports.find(key)) is not None:
        headers["Content-Length"] = str(os.fstat(file.fileno()).st_size)
        return StreamingResponse(blocks(file), media_type=export.media_type, headers=headers)
    slots: ExportSlots = request.app.state.export_slots
    release = slots.take()

    def body() -> Iterator[bytes]:
        try:
            with open_session() as stream_session:
                chunks = rendered(
                    stream_session,
                    conditions,
                    export,
                    lang=lang,
                    base_url=base_url,
                    title=title,
                    bom=bom,
                    group_by=group_by,
                )
                yield from exports.keeping(
                    key, chunks, unchanged=lambda: history.data_version(stream_session) == version
                )
        finally:
            release()

    stream = body()
    # A stream never started (the client went away first) never reaches its `finally`.
    weakref.finalize(stream, release)
    return StreamingResponse(stream, media_type=export.media_type, headers=headers)


def _export_headers(
    request: Request, export: ExportFormat, *, etag: str, private: bool
) -> dict[str, str]:
    return {
        "ETag": etag,
        "Content-Disposition": f'inline; filename="waqai-events.{export.extension}"',
        **as_of_headers(request),
        **query_cache_headers(private=private),
    }


class ExportSlots:
    """How many exports one process streams at once: each holds a database connection and a
    core for as long as the client reads; one more is refused (429) rather than queued."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._free = threading.BoundedSemaphore(size)

    def take(self) -> Callable[[], None]:
        """Hold a slot; the function returned gives it back (once, however often called)."""
        if not self._free.acquire(blocking=False):
            raise ExportsBusy(
                f"{self.size} exports are already being streamed by this server; retry shortly.",
                retry_after=5,
            )
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._free.release()

        return release
