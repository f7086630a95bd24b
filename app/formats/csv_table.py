"""Waqai's own CSV: one event per row, written by the export and read back by the import.

Scalar fields are plain columns a spreadsheet can sort; localized text, references and lists
are JSON in their cells, so nothing is lost. `title_text` and `summary_text` repeat the text in
the chosen language for people reading the file; the import reads `title` and `summary`
(and falls back to the `_text` columns for hand-made files without them).

Cells that a spreadsheet would run as a formula (starting with = + - @, a tab, or a carriage
return, perhaps after apostrophes) get an apostrophe in front, which the import takes off again,
so a round trip loses nothing and a hand-typed "'Ain Zara" stays as typed.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import orjson

from app.formats.mapping import decimal, open_table, whole_number
from app.formats.reading import Row, RowError, csv_rows, mapped_rows, require_columns
from app.formats.rendering import ExportedEvent, RenderContext

TEXT_COLUMNS = (
    "id",
    "type",
    "when",
    "title_text",
    "summary_text",
    "original_language",
    "status",
    "retraction_reason",
    "verification",
    "location_id",
    "location_name",
    "country",
    "admin1",
    "admin2",
    "location_kind",
)
JSON_COLUMNS = ("title", "summary", "location_names", "actors", "sources", "processes")
COLUMNS = (
    "id",
    "type",
    "when",
    "date_lower",
    "date_upper",
    "date_precision",
    "title_text",
    "title",
    "summary_text",
    "summary",
    "original_language",
    "status",
    "retraction_reason",
    "verification",
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "location_id",
    "location_name",
    "location_names",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "location_kind",
    "geonames_id",
    "location_precision",
    "actors",
    "sources",
    "processes",
    "external_ids",
    "tags",
    "version",
    "created_at",
    "updated_at",
)
REQUIRED = ("type", "when")
# A cell a spreadsheet would run: it starts (after any apostrophes) with one of these.
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_COUNTS = ("location_precision", "fatalities_low", "fatalities_best", "fatalities_high")
_PLACE_TEXT = (
    ("id", "location_id"),
    ("kind", "location_kind"),
    ("country", "country"),
    ("admin1", "admin1"),
    ("admin2", "admin2"),
)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text, never runs: an apostrophe in front."""
    return "'" + cell if _FORMULA.match(cell) else cell


def restore(cell: str) -> str:
    """The cell as it was before `neutralise` ("'Ain Zara" stays as it is)."""
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell[1:]) else cell


def _json(value: Any) -> str:
    return "" if value is None else orjson.dumps(value).decode()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def flat_row(event: ExportedEvent, ctx: RenderContext) -> list[str]:
    """The event as one row of cells, in the order of `COLUMNS`."""
    place = event["location"] or {}
    values: dict[str, Any] = {
        **event,
        "title_text": ctx.text(event["title"], event["original_language"]),
        "summary_text": ctx.text(event["summary"], event["original_language"]),
        "location_id": place.get("id"),
        "location_name": ctx.text(place.get("names"), event["original_language"]),
        "location_names": place.get("names"),
        "location_kind": place.get("kind"),
        **{key: place.get(key) for key in _PLACE_CELLS},
    }
    return [written(values.get(key)) for key, written in _WRITERS]


def _writer(key: str) -> Callable[[Any], str]:
    if key in (*JSON_COLUMNS, "external_ids", "tags"):
        return _json
    if key in TEXT_COLUMNS:
        return lambda value: neutralise(_cell(value))
    return _cell


_PLACE_CELLS = ("country", "admin1", "admin2", "geonames_id", "latitude", "longitude")
# How each column's cell is written, worked out once rather than per cell.
_WRITERS = tuple((key, _writer(key)) for key in COLUMNS)


def render(events: Iterable[ExportedEvent], ctx: RenderContext) -> Iterator[bytes]:
    """The events as CSV with a header line, one event per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    prefix = "\ufeff" if ctx.bom else ""
    yield (prefix + buffer.getvalue()).encode()
    for event in events:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(flat_row(event, ctx))
        yield buffer.getvalue().encode()


def read(stream: IO[bytes]) -> Iterator[Row]:
    """Rows of a Waqai CSV file as event records."""
    text, header = open_table(stream)
    require_columns(header, REQUIRED, layout="Waqai CSV")
    return mapped_rows(csv_rows(text), record_of)


def _parsed_json(raw: dict[str, str], column: str, kind: type) -> Any:
    text = raw.get(column, "")
    if not text:
        return None
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise RowError(f"{column}: not valid JSON ({exc.msg})") from exc
    if not isinstance(value, kind):
        raise RowError(f"{column}: expected a JSON {kind.__name__}")
    return value


def _localized(raw: dict[str, str], column: str, language: str) -> dict[str, str] | None:
    """JSON text keyed by language, or plain text taken to be in the record's language."""
    cell = raw.get(column, "")
    if cell.startswith("{"):
        value: dict[str, str] = _parsed_json(raw, column, dict)
        return value
    plain = cell or restore(raw.get(f"{column}_text", ""))
    return {language: plain} if plain else None


_PLACE_COLUMNS = ("location_id", "location_name", "location_names", "latitude", "longitude")


def _location(raw: dict[str, str], language: str) -> dict[str, Any] | None:
    names = _parsed_json(raw, "location_names", dict)
    name = restore(raw.get("location_name", ""))
    if names is None and name:
        names = {language: name}
    if names is None:
        return None
    place: dict[str, Any] = {"names": names}
    for key, column in _PLACE_TEXT:
        if value := restore(raw.get(column, "")):
            place[key] = value
    for key in ("latitude", "longitude"):
        place[key] = decimal(raw.get(key, ""), key)
    place["geonames_id"] = whole_number(raw.get("geonames_id", ""), "geonames_id")
    return place


def record_of(raw: dict[str, str]) -> dict[str, Any]:
    """The event record a row describes; derived and read-only columns are ignored.

    Only the columns the file has become fields, so that a file of a few columns updates just
    those: an absent `summary` column keeps the stored summary, an empty cell clears it.
    """
    language = restore(raw.get("original_language", "")) or None
    record: dict[str, Any] = {"type": restore(raw["type"]), "when": restore(raw["when"])}
    if language:
        record["original_language"] = language
    for column in ("title", "summary"):
        if column in raw or f"{column}_text" in raw:
            record[column] = _localized(raw, column, language or "en")
    if any(column in raw for column in _PLACE_COLUMNS):
        record["location"] = _location(raw, language or "en")
    for key in _COUNTS:
        if key in raw:
            record[key] = whole_number(raw[key], key)
    for key in ("id", "status", "retraction_reason", "verification"):
        if value := restore(raw.get(key, "")):
            record[key] = value
    for key in ("actors", "sources", "processes", "tags"):
        if (value := _parsed_json(raw, key, list)) is not None:
            record[key] = value
    if (ids := _parsed_json(raw, "external_ids", dict)) is not None:
        record["external_ids"] = ids
    return record
