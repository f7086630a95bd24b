"""The `waqai` command: serve, db, demo, import, export, keys, search."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
import uvicorn

from app.core.auth import Principal, Role
from app.core.config import get_settings
from app.core.db import Database, open_database
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
    database = open_database(get_settings())
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
    if created:
        # A database that was empty has no planner statistics: without them PostgreSQL
        # recomputed every search document for every event (0.45 s for a 60-event search).
        database.refresh_statistics()
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


ImportFormatOption = Annotated[
    str, typer.Option("--format", "-f", help="csv, ndjson, acled, ucdp or gdelt.")
]


@cli.command("import")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="The file to load.")],
    format: ImportFormatOption,
    dry_run: Annotated[bool, typer.Option(help="Check and count; write nothing.")] = False,
    mode: Annotated[
        str, typer.Option(help="atomic (every row or none) or skip_invalid.")
    ] = "atomic",
    rejected: Annotated[
        Path | None, typer.Option(help="Write the rejected rows (with reasons) to this CSV.")
    ] = None,
) -> None:
    """Import a file of events in one transaction, with a progress bar and a summary."""
    from app.formats.reading import FileRejected
    from app.imports import jobs
    from app.imports.schemas import IMPORT_FORMATS, IMPORT_MODES

    if format not in IMPORT_FORMATS or mode not in IMPORT_MODES:
        typer.echo(
            f"waqai: --format is one of {', '.join(IMPORT_FORMATS)}; --mode is one of "
            f"{', '.join(IMPORT_MODES)}",
            err=True,
        )
        raise typer.Exit(code=2)
    who = Principal(role=Role.admin, name=f"cli:{getpass.getuser()}")
    with _database() as database, path.open("rb") as stream:
        _schema_must_be_current(database)
        with typer.progressbar(
            length=path.stat().st_size, label="importing", file=sys.stderr
        ) as bar:
            try:
                report = jobs.execute(
                    database,
                    stream,
                    format=format,
                    mode=mode,
                    dry_run=dry_run,
                    by=who,
                    reason=f"import of {path.name} ({format})",
                    progress=lambda rows: bar.update(stream.tell() - bar.pos),
                )
            except FileRejected as exc:
                typer.echo(f"\nwaqai: {exc.detail}", err=True)
                raise typer.Exit(code=2) from exc
    _summarise(report, mode=mode, dry_run=dry_run, rejected=rejected)


def _summarise(report: Any, *, mode: str, dry_run: bool, rejected: Path | None) -> None:
    from app.imports import jobs

    state, message = jobs.outcome(report, mode=mode, dry_run=dry_run)
    typer.echo(message)
    for row in report.rejected[:20]:
        typer.echo(f"  line {row.line}: {row.reason}", err=True)
    if len(report.rejected) > 20:
        typer.echo(f"  ... and {len(report.rejected) - 20} more", err=True)
    if rejected is not None and report.rejected:
        rejected.write_text(jobs.rejected_csv(report) or "", encoding="utf-8")
        typer.echo(f"rejected rows written to {rejected}", err=True)
    if state != "succeeded":
        raise typer.Exit(code=1)


@cli.command("export")
def export_events(
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="json, ndjson, csv, geojson, ics, atom, jsonld, timelinejs or vis.",
        ),
    ] = "ndjson",
    type: Annotated[list[str], typer.Option(help="Type code or family.* (repeatable).")] = [],  # noqa: B006
    country: Annotated[list[str], typer.Option(help="ISO 3166-1 alpha-3 (repeatable).")] = [],  # noqa: B006
    date_from: Annotated[dt.date | None, typer.Option("--from", formats=["%Y-%m-%d"])] = None,
    date_to: Annotated[dt.date | None, typer.Option("--to", formats=["%Y-%m-%d"])] = None,
    q: Annotated[str | None, typer.Option(help="Text search, as q= in the API.")] = None,
    lang: Annotated[str | None, typer.Option(help="Language of flattened text.")] = None,
    bom: Annotated[bool, typer.Option(help="CSV: start with a byte-order mark for Excel.")] = False,
    group_by: Annotated[
        str, typer.Option(help="Groups and lanes: type, actor, location or process.")
    ] = "type",
    drafts: Annotated[bool, typer.Option(help="Include drafts (as an admin would see).")] = False,
    base_url: Annotated[
        str, typer.Option(help="Where links in the export point.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Write matching events to standard output: `waqai export -f csv > events.csv`."""
    from app.core.errors import WaqaiError
    from app.events.filters import conditions, event_filters
    from app.formats.registry import EXPORTS, rendered

    if format not in EXPORTS:
        typer.echo(f"waqai: --format is one of {', '.join(EXPORTS)}", err=True)
        raise typer.Exit(code=2)
    who = Principal(role=Role.admin if drafts else None, name="cli")
    try:
        filters = event_filters(
            type=type, country=country, date_from=date_from, date_to=date_to, q=q
        )
    except WaqaiError as exc:
        typer.echo(f"waqai: {exc.detail}", err=True)
        raise typer.Exit(code=2) from exc
    out = sys.stdout.buffer
    with _database() as database, database.session(write=False) as session:
        for chunk in rendered(
            session,
            conditions(filters, who),
            EXPORTS[format],
            lang=lang,
            base_url=base_url.rstrip("/"),
            title="Waqai events",
            bom=bom,
            group_by=group_by,
        ):
            out.write(chunk)
    out.flush()


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
