"""The `waqai` command: serve, db, demo, keys."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
import uvicorn

from app.core.auth import Role
from app.core.config import get_settings
from app.core.db import Database, create_db_engine
from app.core.migrations import SchemaOutdated, current, downgrade, ensure_current, head, upgrade

cli = typer.Typer(help="Waqai: conflict-event timelines.", no_args_is_help=True)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_cli = typer.Typer(help="The demo data set from the seed article.", no_args_is_help=True)
keys_cli = typer.Typer(help="API keys.", no_args_is_help=True)
search_cli = typer.Typer(help="The text search index.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
cli.add_typer(demo_cli, name="demo")
cli.add_typer(keys_cli, name="keys")
cli.add_typer(search_cli, name="search")


@contextmanager
def _database() -> Iterator[Database]:
    """The configured database, its connections closed when the command ends."""
    database = Database(create_db_engine(get_settings()))
    try:
        yield database
    finally:
        database.dispose()


def _schema_must_be_current(database: Database) -> None:
    try:
        ensure_current(database.engine)
    except SchemaOutdated as exc:
        typer.echo(f"waqai: {exc}", err=True)
        raise typer.Exit(code=2) from exc


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the API and dashboard; an embedded SQLite file is migrated and seeded first."""
    settings = get_settings()
    with _database() as database:
        if settings.is_sqlite:
            upgrade(database.engine)
            if settings.load_demo:
                _load_demo(database, quiet=True)
            _index_if_missing(database)
        else:
            _schema_must_be_current(database)
    # Workers are separate processes: give them one cursor-signing secret unless one is set.
    os.environ.setdefault("WAQAI_SECRET_KEY", settings.secret_key)
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level.lower(),
        access_log=False,
    )


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database up (to the newest schema by default)."""
    with _database() as database:
        upgrade(database.engine, revision)
        typer.echo(f"database at {current(database.engine)}")


@db_cli.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="'base' empties it.")]) -> None:
    """Migrate the database down."""
    with _database() as database:
        downgrade(database.engine, revision)
        typer.echo(f"database at {current(database.engine)}")


@db_cli.command("current")
def db_current() -> None:
    """Show the database's migration and the code's."""
    with _database() as database:
        typer.echo(f"database: {current(database.engine)}\ncode:     {head()}")


def _load_demo(database: Database, *, quiet: bool = False) -> None:
    from app.demo.load import load

    with database.session(write=True) as session:
        created = load(session)
    if created or not quiet:
        typer.echo(f"demo: {created} records created" if created else "demo: already loaded")


@demo_cli.command("load")
def demo_load() -> None:
    """Load the seed-article data set (safe to run again: it creates only what is missing)."""
    with _database() as database:
        _schema_must_be_current(database)
        _load_demo(database)


@keys_cli.command("create")
def keys_create(
    name: Annotated[str, typer.Option(help="Who or what the key is for.")],
    role: Annotated[Role, typer.Option(help="reader, editor or admin.")],
    expires_days: Annotated[int | None, typer.Option(help="Expire after this many days.")] = None,
) -> None:
    """Create a key and print it once; only its hash is stored."""
    from app.keys import service

    expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_days) if expires_days else None
    with _database() as database, database.session(write=True) as session:
        key, secret = service.create(session, name=name, role=role, expires_at=expires_at)
        typer.echo(
            f"created {key.role} key {key.id} ({key.name}); store it now, it is not shown again:",
            err=True,
        )
    typer.echo(secret)


@keys_cli.command("list")
def keys_list() -> None:
    """List keys (never their secrets)."""
    from app.keys import service

    with _database() as database, database.session(write=False) as session:
        for key in service.list_all(session):
            state = "revoked" if key.revoked_at else "active"
            typer.echo(f"{key.id}  {key.role:<6}  {state:<7}  {key.name}")


@keys_cli.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key's id.")]) -> None:
    """Revoke a key at once."""
    import uuid

    from app.keys import service

    with _database() as database, database.session(write=True) as session:
        key = service.revoke(session, uuid.UUID(key_id))
        typer.echo(f"revoked {key.id} ({key.name})")


def _index_if_missing(database: Database) -> None:
    from app.search.indexing import is_missing, reindex_all

    with database.session(write=True) as session:
        if is_missing(session):
            typer.echo(f"search: {reindex_all(session)} records indexed")


@search_cli.command("reindex")
def search_reindex() -> None:
    """Rebuild the search index from the records (changes keep it current by themselves)."""
    from app.search.indexing import reindex_all

    with _database() as database:
        _schema_must_be_current(database)
        with database.session(write=True) as session:
            typer.echo(f"search: {reindex_all(session)} records indexed")


def main() -> None:
    cli(prog_name="waqai")


if __name__ == "__main__":
    main()
