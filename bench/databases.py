"""The databases a benchmark run creates for itself, and drops when asked to."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

# Where benchmark databases are made on PostgreSQL: a role that may create databases.
DEFAULT_POSTGRES = "postgresql+psycopg://waqai:waqai@127.0.0.1:5432/postgres"
SQLITE_DIR = Path("var/bench")


@dataclass(frozen=True)
class Target:
    """One benchmark database: `kind` is postgresql or sqlite."""

    kind: str
    name: str
    server_url: str = DEFAULT_POSTGRES

    @property
    def sqlalchemy_url(self) -> str:
        if self.kind == "sqlite":
            return f"sqlite:///{SQLITE_DIR / self.name}.db"
        return make_url(self.server_url).set(database=self.name).render_as_string(False)

    @property
    def driver_url(self) -> str:
        """The URL the DB-API driver takes (psycopg's conninfo, or sqlite3's path)."""
        if self.kind == "sqlite":
            return str(SQLITE_DIR / f"{self.name}.db")
        return make_url(self.sqlalchemy_url).set(drivername="postgresql").render_as_string(False)

    def sibling(self, suffix: str) -> Target:
        """Another database next to this one."""
        return Target(self.kind, f"{self.name}_{suffix}", self.server_url)

    def drop(self) -> None:
        if self.kind == "sqlite":
            for path in SQLITE_DIR.glob(f"{self.name}.db*"):
                path.unlink()
            return
        with _server(self.server_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def target(kind: str, name: str) -> Target:
    """The named benchmark database of this kind; PostgreSQL's server from
    WAQAI_BENCH_POSTGRES_URL (any database on the server; the role needs CREATEDB)."""
    if kind not in {"postgresql", "sqlite"}:
        raise ValueError(f"--db is postgresql or sqlite, not {kind!r}")
    if not name.startswith("waqai_bench"):
        raise ValueError("benchmark databases are named waqai_bench*: they are dropped at will")
    return Target(kind, name, os.environ.get("WAQAI_BENCH_POSTGRES_URL", DEFAULT_POSTGRES))


def _server(url: str) -> psycopg.Connection:
    conninfo = make_url(url).set(drivername="postgresql", database="postgres")
    return psycopg.connect(conninfo.render_as_string(False), autocommit=True)


def fresh(database: Target) -> None:
    """An empty database under the target's name, whatever was there before."""
    database.drop()
    if database.kind == "sqlite":
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        return
    with _server(database.server_url) as conn:
        conn.execute(f'CREATE DATABASE "{database.name}"')
