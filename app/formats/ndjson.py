"""NDJSON (one JSON object per line) and a streamed JSON array of the same objects.

Each line is an exported event; the import reads the same objects back, ignoring the fields
it derives itself (date bounds, version, timestamps, type label).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO, Any

import orjson

from app.formats.reading import FileRejected, Row, RowError
from app.formats.record import DERIVED_FIELDS
from app.formats.rendering import ExportedEvent, RenderContext


def render(events: Iterable[ExportedEvent], _ctx: RenderContext) -> Iterator[bytes]:
    """One event per line."""
    for event in events:
        yield orjson.dumps(event) + b"\n"


def render_array(events: Iterable[ExportedEvent], _ctx: RenderContext) -> Iterator[bytes]:
    """One JSON array of every event, written as it goes."""
    separator = b"[\n"
    for event in events:
        yield separator + orjson.dumps(event)
        separator = b",\n"
    yield b"[]\n" if separator == b"[\n" else b"\n]\n"


def read(stream: IO[bytes]) -> Iterator[Row]:
    """Events from NDJSON lines; blank lines are skipped."""
    first = stream.read(1)
    if not first:
        raise FileRejected("The file is empty.")
    stream.seek(0)
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        yield _row(number, line)


def _row(number: int, line: bytes) -> Row:
    raw = {"line": line.decode("utf-8", "replace").rstrip("\r\n")}
    try:
        return Row(line=number, raw=raw, record=_record(line))
    except RowError as exc:
        return Row(line=number, raw=raw, error=str(exc))


def _record(line: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(line.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as exc:
        raise RowError(f"not a JSON object ({exc.msg})") from exc
    if not isinstance(value, dict):
        raise RowError("not a JSON object")
    return {key: item for key, item in value.items() if key not in DERIVED_FIELDS}
