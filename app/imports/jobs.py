"""Running an import: one transaction for the whole file, and a job row that says how it went.

The rows go in through one session whose transaction commits only at the end (and only when
the mode allows), so a crash, a kill or a refused atomic import leaves the database as it
was. The job row lives in other, short transactions, so any worker can report on it.

A job that was running when its process died must not stay "running" forever: the import's
transaction holds a lock that dies with its connection (an advisory lock on PostgreSQL, an
OS lock on the uploaded file for SQLite), and `fail_interrupted` marks failed every unfinished
job whose lock is free.
"""

from __future__ import annotations

import csv
import fcntl
import io
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.core import heap
from app.core.auth import Principal
from app.core.db import Database
from app.formats.csv_table import neutralise
from app.formats.reading import FileRejected
from app.formats.registry import IMPORTERS
from app.imports import service
from app.imports.service import Report
from app.models import ImportJob
from app.models.base import utcnow

MAX_LISTED_ERRORS = 1000
UNFINISHED = ("queued", "running")


def execute(
    database: Database,
    stream: IO[bytes],
    *,
    format: str,
    mode: str,
    dry_run: bool,
    by: Principal,
    reason: str,
    lock: Callable[[Session], None] = lambda session: None,
    progress: Callable[[int], None] = lambda rows: None,
) -> Report:
    """Import a file in one transaction; commit only what the mode and dry run allow.

    Raises FileRejected (nothing written) when the file is not the declared format.
    """
    with heap.spared(), database.session(write=True) as session:
        lock(session)
        report = service.run(
            session, IMPORTERS[format](stream), by=by, reason=reason, progress=progress
        )
        written = not dry_run and not (mode == "atomic" and report.rejected)
        if not written:
            session.rollback()
    if written and report.created + report.updated:
        database.refresh_statistics()
    return report


def rejected_csv(report: Report) -> str | None:
    """Every rejected row as CSV: its line, the reason, then its cells as read."""
    if not report.rejected:
        return None
    columns: dict[str, None] = {}
    for row in report.rejected:
        columns.update(dict.fromkeys(row.raw))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["line", "reason", *columns], lineterminator="\r\n")
    writer.writeheader()
    for row in report.rejected:
        cells = {"reason": row.reason, **row.raw}
        writer.writerow({"line": row.line, **{k: neutralise(v) for k, v in cells.items()}})
    return out.getvalue()


def outcome(report: Report, *, mode: str, dry_run: bool) -> tuple[str, str]:
    """The job's final state and a sentence saying what happened."""
    rejected = len(report.rejected)
    if rejected and (mode == "atomic" or dry_run):
        return "rejected", (
            f"{rejected} of {report.rows} rows were rejected; nothing was written "
            + ("(dry run)." if dry_run else "(atomic import: fix them, or use mode=skip_invalid).")
        )
    done = (
        f"{report.created} created, {report.updated} updated, "
        f"{report.unchanged} unchanged, {rejected} rejected"
    )
    return "succeeded", (f"Dry run: would have {done}." if dry_run else f"Imported: {done}.")


# --- jobs -------------------------------------------------------------------------------


def upload_path(data_dir: Path, job_id: uuid.UUID) -> Path:
    """Where a job's uploaded file waits until it is loaded."""
    return data_dir / "imports" / f"{job_id}.upload"


def _lock_key(job_id: uuid.UUID) -> int:
    return zlib.crc32(job_id.bytes) - (1 << 31)  # a signed 32-bit key for pg advisory locks


@contextmanager
def _file_lock(path: Path, *, wait: bool) -> Iterator[bool]:
    """An OS lock on the job's file, released when the process dies; yields whether held."""
    with path.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _set(database: Database, job_id: uuid.UUID, **values: Any) -> None:
    with database.session(write=True) as session:
        session.execute(update(ImportJob).where(ImportJob.id == job_id).values(**values))


def run_job(database: Database, job_id: uuid.UUID, *, data_dir: Path, by: Principal) -> None:
    """Load a queued job's file and record the outcome; the file is removed afterwards."""
    with database.session(write=False) as session:
        job = session.get_one(ImportJob, job_id)
    path = upload_path(data_dir, job_id)
    try:
        _set(database, job_id, state="running", started_at=utcnow())
        report = _load(database, job, path, by=by)
    except FileRejected as exc:
        _finish(database, job_id, state="rejected", message=exc.detail)
    except Exception as exc:  # the job must not stay "running"; the details go to the log
        message = f"The import crashed ({type(exc).__name__}); nothing was written."
        _finish(database, job_id, state="failed", message=message)
        raise
    else:
        state, message = outcome(report, mode=job.mode, dry_run=job.dry_run)
        problems = [{"line": r.line, "reason": r.reason} for r in report.rejected]
        _finish(
            database,
            job_id,
            state=state,
            message=message,
            rows_read=report.rows,
            counts=report.counts(),
            errors=problems[:MAX_LISTED_ERRORS],
            rejected_csv=rejected_csv(report),
        )
    finally:
        path.unlink(missing_ok=True)


def _load(database: Database, job: ImportJob, path: Path, *, by: Principal) -> Report:
    """Run the import under the lock that tells a restarted service this job is alive."""
    postgres = database.engine.dialect.name == "postgresql"
    with _file_lock(path, wait=True), path.open("rb") as stream:
        return execute(
            database,
            stream,
            format=job.format,
            mode=job.mode,
            dry_run=job.dry_run,
            by=by,
            reason=f"import {job.id} ({job.format} file {job.filename or ''})".strip(),
            lock=_advisory_lock(job.id) if postgres else lambda session: None,
            # SQLite has one writer, the import itself: progress is written at the end.
            progress=_progress(database, job.id) if postgres else lambda rows: None,
        )


def _finish(database: Database, job_id: uuid.UUID, **values: Any) -> None:
    _set(database, job_id, finished_at=utcnow(), **{k: _storable(v) for k, v in values.items()})


def _storable(value: Any) -> Any:
    """The outcome with any NUL character a rejected row carried shown as U+FFFD: PostgreSQL
    stores NUL in neither text nor JSON, and the job would stay "running" for ever."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {k: _storable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_storable(v) for v in value]
    return value


def _advisory_lock(job_id: uuid.UUID) -> Callable[[Session], None]:
    def take(session: Session) -> None:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(job_id)})

    return take


def _progress(database: Database, job_id: uuid.UUID) -> Callable[[int], None]:
    def report(rows: int) -> None:
        _set(database, job_id, rows_read=rows)

    return report


def fail_interrupted(database: Database, data_dir: Path) -> int:
    """Mark failed the unfinished jobs no live process is running; how many there were."""
    with database.session(write=False) as session:
        unfinished = session.scalars(
            select(ImportJob.id).where(ImportJob.state.in_(UNFINISHED))
        ).all()
    dead = [job_id for job_id in unfinished if not _alive(database, data_dir, job_id)]
    for job_id in dead:
        _finish(
            database,
            job_id,
            state="failed",
            message="The service stopped while this import ran; nothing of it was written.",
        )
        upload_path(data_dir, job_id).unlink(missing_ok=True)
    return len(dead)


def _alive(database: Database, data_dir: Path, job_id: uuid.UUID) -> bool:
    if database.engine.dialect.name == "postgresql":
        with database.engine.connect() as connection:
            key = {"key": _lock_key(job_id)}
            free = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar()
            if free:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
            return not free
    path = upload_path(data_dir, job_id)
    if not path.exists():
        return False
    with _file_lock(path, wait=False) as held:
        return not held
