"""Engines and sessions: one way to open a session, for requests, the CLI and tests alike."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import Settings
from app.search import indexing as search_index

WRITE_OPTION = "waqai_write"


def create_db_engine(settings: Settings, url_text: str | None = None) -> Engine:
    """An engine for the configured URL (or `url_text`), with SQLite set up for safe
    concurrent use."""
    url = make_url(url_text or settings.database_url)
    # orjson reads and writes JSON columns several times faster than the standard library:
    # exports and timelines read a JSON document or three per row, and every change writes a
    # revision's two pictures (an import, thousands). It also writes Arabic as UTF-8, not as
    # escapes, in SQLite's JSON text.
    if url.get_backend_name() != "sqlite":
        return create_engine(
            url,
            pool_size=settings.db_pool_size,
            pool_timeout=settings.db_pool_timeout,
            pool_pre_ping=True,
            max_overflow=5,
            json_deserializer=orjson.loads,
            json_serializer=_json_text,
            connect_args={"options": _postgres_options(url)},
        )
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False},
        json_deserializer=orjson.loads,
        json_serializer=_json_text,
    )
    _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
    return engine


def _json_text(value: object) -> str:
    return orjson.dumps(value).decode()


# psycopg prepares a statement run five times, and PostgreSQL then settles on a generic plan
# that cannot see the filter's values: a year's counts for one country on a million events
# took 0.72 s instead of 0.29 s. Every query is planned for its own values instead.
CUSTOM_PLANS = "-c plan_cache_mode=force_custom_plan"
# Waqai keeps every instant in UTC. In a UTC session, whatever the server's own zone, the
# server's date arithmetic is UTC's and psycopg reads instants with `datetime.UTC` itself,
# which UtcDateTime then passes through instead of converting each one.
UTC_SESSION = "-c TimeZone=UTC"
# Waqai's reads are pages (LIMIT 100, an export's batch of 1,000), and many of them run at
# once. At ten million events the planner gave the busiest actor's newest page two parallel
# workers: starting them and merging their rows took 30 ms of a page that takes 6 ms read by
# one process (1 ms of SQL); a year's daily counts took the same 2.2-2.4 s either way. The
# URL's own options can turn it back on.
SERIAL_PLANS = "-c max_parallel_workers_per_gather=0"


def _postgres_options(url: URL) -> str:
    """The server options for each connection: custom serial plans in UTC, then the URL's own
    `options` (which come last, so they win, and are never dropped)."""
    asked = url.query.get("options")
    own = asked if isinstance(asked, str) else " ".join(asked or ())
    return f"{CUSTOM_PLANS} {UTC_SESSION} {SERIAL_PLANS} {own}".strip()


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, durable commits, enforced foreign keys, and BEGIN IMMEDIATE for writers.

    pysqlite's own transaction handling is switched off so that SQLAlchemy emits BEGIN itself:
    a writer that began with a deferred BEGIN could fail with "database is locked" when it
    upgrades, whereas BEGIN IMMEDIATE waits for the lock up front (busy_timeout).
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_database(settings: Settings) -> Database:
    """The configured database, reading from its replica if one is configured."""
    replica = settings.database_read_url
    return Database(
        create_db_engine(settings), create_db_engine(settings, replica) if replica else None
    )


class Database:
    """The engine and the session factories of one database (and of its read replica: plain
    reads may go there; writes, and reads that rewind, go to the primary)."""

    def __init__(self, engine: Engine, read_engine: Engine | None = None) -> None:
        self.engine = engine
        self.read_engine = read_engine or engine
        search_index.install()
        self._readers = sessionmaker(self.read_engine, expire_on_commit=False)
        self._writers = sessionmaker(
            engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    def bind_to(self, connection: Connection) -> None:
        """Make every session join `connection`'s transaction (tests roll it back afterwards)."""
        factory = sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        self._readers = self._writers = factory

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        """A session that commits when the block ends cleanly and rolls back otherwise."""
        with (self._writers if write else self._readers)() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def scratch(self) -> Iterator[Session]:
        """A writer session whose changes are always rolled back, whatever happens."""
        with self._writers() as session:
            try:
                yield session
            finally:
                session.rollback()

    def refresh_statistics(self) -> None:
        """Let the query planner see the tables as they are after a bulk change.

        Without it SQLite kept planning for the empty tables it last measured: after a
        million-row import, a keyword search took 25 s instead of 0.3 s, and the newest page of
        events 1.8 s instead of 7 ms. PostgreSQL's autovacuum would get there, later.
        """
        with self.session(write=True) as session:
            if self.engine.dialect.name == "sqlite":
                session.execute(text("PRAGMA analysis_limit=2000"))
            session.execute(text("ANALYZE"))

    def dispose(self) -> None:
        self.engine.dispose()
        self.read_engine.dispose()
