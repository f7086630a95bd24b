"""What every importer shares: decoding real-world files, numbered rows, and the two kinds of
failure (a bad row, which is reported and skipped or rolls back; a bad file, which stops).

An importer is a function `read(stream) -> Iterator[Row]` over a seekable binary stream. It
never reads the whole file into memory, and it does not validate the record it builds: the
import pipeline does that once for every format (`EventRecord`).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from app.core.errors import WaqaiError

CHUNK = 1 << 20
# Real exports hold notes of many kilobytes; the csv module's default cap is 128 KiB.
csv.field_size_limit(16 * 1024 * 1024)


class FileRejected(WaqaiError):
    """The file as a whole cannot be read as the declared format."""

    status = 422
    code = "import_file_rejected"
    title = "File cannot be imported"


class RowError(ValueError):
    """One row cannot become an event; the message names the column and the value."""


@dataclass(frozen=True, slots=True)
class Row:
    """One record of a file: where it starts, what it says, and what it became.

    `record` is the input of `EventRecord` (a plain dict); `error` is set instead when the
    importer could not build one. `raw` is the row as read, for the rejected-rows file.
    """

    line: int
    raw: dict[str, str]
    record: dict[str, Any] | None = None
    error: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)


Reader = Callable[[IO[bytes]], Iterator[Row]]


def text_stream(stream: IO[bytes]) -> io.TextIOWrapper:
    """The file as text: UTF-8 (a BOM is dropped), or Windows-1252, the other encoding real
    ACLED and spreadsheet exports come in.

    Reads the file once to decide, in chunks, then rewinds; line ends stay as written so that
    the csv module handles CRLF and line breaks inside quoted fields. A file that is UTF-8 up to
    a stray byte is refused, naming the line, rather than read as Windows-1252 throughout (which
    would garble every Arabic letter in it).
    """
    encoding = _encoding(stream)
    stream.seek(0)
    return _BorrowedText(stream, encoding=encoding, newline="")


class _BorrowedText(io.TextIOWrapper):
    """Text over a binary stream the caller owns: when this wrapper goes away (a reader's
    generator ends), the caller's file stays open."""

    def close(self) -> None:
        with contextlib.suppress(ValueError):  # already detached
            self.detach()


def _encoding(stream: IO[bytes]) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, lines, multibyte = 0, 1, False
    while chunk := stream.read(CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            multibyte = multibyte or any(byte >= 0xC2 for byte in chunk[: exc.start])
            if multibyte:
                line = lines + chunk[: exc.start].count(b"\n")
                raise FileRejected(
                    f"line {line}: byte {offset + exc.start} is not UTF-8, though the file "
                    "is UTF-8 before it; save the file as UTF-8 again."
                ) from exc
            return "cp1252"
        multibyte = multibyte or any(byte >= 0xC2 for byte in chunk)
        offset += len(chunk)
        lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"  # cut off inside a character: not UTF-8 after all
    return "utf-8-sig"


def csv_rows(
    text: IO[str], *, delimiter: str = ",", fieldnames: list[str] | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as dicts with the line each starts on (a quoted note may span several lines).

    Headers are read from the first line unless `fieldnames` is given (GDELT has none).
    Surrounding spaces are trimmed from headers and cells; empty trailing columns are dropped.
    """
    reader = csv.reader(text, delimiter=delimiter, strict=True)
    names = fieldnames
    start = 1
    try:
        for cells in reader:
            if names is None:
                names = _header(cells)
                start = reader.line_num + 1
                continue
            if any(cell.strip() for cell in cells):
                yield start, _as_dict(names, cells, start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise FileRejected(f"line {reader.line_num}: not a readable CSV file ({exc}).") from exc
    except UnicodeDecodeError as exc:  # a byte Windows-1252 does not define either
        raise FileRejected(
            f"line {reader.line_num + 1}: the file is neither UTF-8 nor Windows-1252 text."
        ) from exc


def _header(cells: list[str]) -> list[str]:
    """Column names; two columns of one name would leave it unclear which one counts."""
    names = [name.strip() for name in cells]
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        raise FileRejected(f"line 1: the header names {', '.join(repeated)} more than once.")
    return names


def _as_dict(names: list[str], cells: list[str], line: int) -> dict[str, str]:
    """The row by column name; a short row's missing cells are empty, as spreadsheets mean."""
    if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
        raise FileRejected(
            f"line {line}: {len(cells)} cells but the header names {len(names)} columns."
        )
    padded = [*cells, *[""] * (len(names) - len(cells))]
    return {name: cell.strip() for name, cell in zip(names, padded, strict=False) if name}


def require_columns(present: Iterable[str], required: Iterable[str], *, layout: str) -> None:
    """Refuse a file that lacks columns the layout needs, naming every missing one."""
    have = set(present)
    missing = [name for name in required if name not in have]
    if missing:
        raise FileRejected(
            f"This is not a {layout} file: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}."
        )


def peek_header(text: IO[str], *, delimiter: str = ",") -> list[str]:
    """The header cells of a CSV text stream, leaving the stream where it was."""
    position = text.tell()
    try:
        line = text.readline()
    except UnicodeDecodeError as exc:
        raise FileRejected("line 1: the file is neither UTF-8 nor Windows-1252 text.") from exc
    text.seek(position)
    if not line.strip():
        raise FileRejected("The file is empty.")
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]


def mapped_rows(
    rows: Iterable[tuple[int, dict[str, str]]], build: Callable[[dict[str, str]], dict[str, Any]]
) -> Iterator[Row]:
    """Each raw row with the record `build` makes of it, or the reason it could not."""
    for line, raw in rows:
        try:
            yield Row(line=line, raw=raw, record=build(raw))
        except RowError as exc:
            yield Row(line=line, raw=raw, error=str(exc))
