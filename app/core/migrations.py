"""The schema version: upgrade it, or check that a database is at the code's head."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

ROOT = Path(__file__).resolve().parents[2]


SEARCH_BACKEND_PREFIX = "search_fts"


# PostgreSQL-only indexes on expressions the portable metadata cannot state (0014).
MIGRATIONS_ONLY = frozenset({"ix_events_period"})


def described_by_models(name: str | None, type_: str, parent_names: object) -> bool:
    """Whether the ORM metadata describes this database object. The search backends' own
    objects (FTS5 tables, GIN indexes, all named search_fts*) and MIGRATIONS_ONLY are made by
    migrations alone."""
    return not ((name or "").startswith(SEARCH_BACKEND_PREFIX) or name in MIGRATIONS_ONLY)


class SchemaOutdated(RuntimeError):
    """The database is not migrated to the schema this code expects."""


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


@lru_cache(maxsize=1)
def head() -> str | None:
    """The newest migration this code ships."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    """The migration the database is at (None if never migrated)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision`."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Migrate the database down to `revision` ("base" empties it)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def ensure_current(engine: Engine) -> None:
    """Refuse to serve a database whose schema is older (or newer) than the code."""
    at, expected = current(engine), head()
    if at != expected:
        state = "not migrated" if at is None else f"at migration {at}"
        raise SchemaOutdated(
            f"The database is {state}; this version of Waqai needs {expected}. "
            "Run `waqai db upgrade` (with the same WAQAI_DATABASE_URL) and start again."
        )
