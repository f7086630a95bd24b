"""Load the benchmark data through Waqai's own import, and measure raw COPY into the same tables.

The import is the one `waqai import --format ndjson` runs (validation, matching, revisions,
search indexing, one transaction). Its limit is PostgreSQL's COPY of the very rows the import
wrote, into the same migrated and indexed tables of a second, fresh database: what the
database itself needs to take that data in, with nothing of Waqai's on top.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import func, select

from app.core.auth import Principal, Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.imports import jobs
from app.models import Event
from app.models.base import Base
from bench.databases import Target, fresh


@dataclass(frozen=True)
class Loaded:
    """How long the import of `events` took, and the COPY of the same rows (None on SQLite)."""

    events: int
    import_seconds: float
    copy_seconds: float | None


def open_migrated(url: str) -> Database:
    """The database at `url`, migrated to the current schema."""
    database = Database(create_db_engine(Settings(database_url=url)))
    upgrade(database.engine)
    return database


def import_file(database: Database, path: Path) -> tuple[int, float]:
    """Import the NDJSON file as `waqai import` does; (events stored, seconds taken)."""
    who = Principal(role=Role.admin, name="bench")
    started = time.perf_counter()
    with path.open("rb") as stream:
        report = jobs.execute(
            database,
            stream,
            format="ndjson",
            mode="atomic",
            dry_run=False,
            by=who,
            reason=f"benchmark import of {path.name}",
        )
    seconds = time.perf_counter() - started
    if report.rejected:
        first = report.rejected[0]
        raise RuntimeError(
            f"{len(report.rejected)} rows rejected; line {first.line}: {first.reason}"
        )
    with database.session(write=False) as session:
        stored = session.scalar(select(func.count()).select_from(Event)) or 0
    return stored, seconds


def load(target: Target, path: Path) -> Loaded:
    """A fresh database loaded from `path`, with the import's and COPY's timings."""
    fresh(target)
    database = open_migrated(target.sqlalchemy_url)
    try:
        events, seconds = import_file(database, path)
    finally:
        database.dispose()
    copy_seconds = copy_into_fresh(target) if target.kind == "postgresql" else None
    return Loaded(events=events, import_seconds=seconds, copy_seconds=copy_seconds)


def _written_tables(conn: psycopg.Connection) -> list[str]:
    """Tables holding rows, parents first (foreign keys), as the import left them."""
    tables = []
    for table in Base.metadata.sorted_tables:
        if conn.execute(f'SELECT EXISTS (SELECT 1 FROM "{table.name}")').fetchone() == (True,):
            tables.append(table.name)
    return tables


def copy_columns(conn: psycopg.Connection, table: str) -> list[str]:
    """The columns COPY and INSERT can write: generated ones are the database's to compute."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [name for (name,) in rows]


def copy_into_fresh(source: Target) -> float:
    """Seconds COPY takes to write every row the import wrote into a fresh migrated copy of
    the schema (its indexes, constraints and triggers in place)."""
    copy = source.sibling("copy")
    fresh(copy)
    open_migrated(copy.sqlalchemy_url).dispose()
    with psycopg.connect(copy.driver_url) as conn:
        seeded = set(_written_tables(conn))  # rows the migrations wrote themselves
    with tempfile.TemporaryDirectory(prefix="waqai-bench-") as scratch:
        dumped = _dump(source, Path(scratch), skip=seeded)
        seconds = _restore(copy, dumped)
    copy.drop()
    return seconds


def _dump(source: Target, scratch: Path, *, skip: set[str]) -> list[tuple[str, str, Path]]:
    dumped = []
    with psycopg.connect(source.driver_url) as conn:
        for table in [name for name in _written_tables(conn) if name not in skip]:
            columns = ", ".join(f'"{name}"' for name in copy_columns(conn, table))
            path = scratch / f"{table}.copy"
            statement = f'COPY "{table}" ({columns}) TO STDOUT'
            with path.open("wb") as out, conn.cursor() as cur, cur.copy(statement) as copy:
                for block in copy:
                    out.write(block)
            dumped.append((table, columns, path))
    return dumped


def _restore(copy: Target, dumped: list[tuple[str, str, Path]]) -> float:
    """Seconds to COPY the dumped rows in, in one transaction as the import does."""
    with psycopg.connect(copy.driver_url) as conn:
        started = time.perf_counter()
        for table, columns, path in dumped:
            statement = f'COPY "{table}" ({columns}) FROM STDIN'
            with path.open("rb") as data, conn.cursor() as cur, cur.copy(statement) as sink:
                while block := data.read(1 << 20):
                    sink.write(block)
        conn.commit()
        return time.perf_counter() - started
