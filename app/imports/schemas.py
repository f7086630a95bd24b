"""Shapes of import jobs and their reports."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal, get_args

from pydantic import Field

from app.core.types import Output

ImportFormat = Literal["csv", "ndjson", "acled", "ucdp", "gdelt"]
ImportMode = Literal["atomic", "skip_invalid"]
IMPORT_FORMATS: tuple[str, ...] = get_args(ImportFormat)
IMPORT_MODES: tuple[str, ...] = get_args(ImportMode)
JobState = Literal["queued", "running", "succeeded", "rejected", "failed"]


class RowProblem(Output):
    line: int = Field(description="Line of the file where the row starts (1 = first line).")
    reason: str = Field(description="What is wrong with the row.")


class ImportCounts(Output):
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    references_created: dict[str, int] = Field(
        default_factory=dict, description="Actors, locations, outlets ... created for the rows."
    )


class ImportJobRead(Output):
    """An import and what became of it."""

    id: uuid.UUID
    format: ImportFormat
    filename: str | None
    mode: ImportMode
    dry_run: bool
    state: JobState = Field(
        description="queued → running → succeeded; rejected: an atomic import or a dry run "
        "found bad rows or the file is unreadable, and nothing was written; failed: the import "
        "crashed or the service stopped during it, and nothing was written."
    )
    created_by: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    rows_read: int = Field(description="Rows read so far (updated while a PostgreSQL import runs).")
    counts: ImportCounts
    errors: list[RowProblem] = Field(description="Rejected rows (the first 1,000).")
    message: str | None = Field(description="What happened, in words.")
    rejected_rows_url: str | None = Field(
        default=None, description="CSV of every rejected row with its line and reason."
    )
