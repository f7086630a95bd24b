"""The benchmark: generate, import, then measure every scenario against its limit.

    python -m bench.run --events 1000000 --db postgresql
    python -m bench.run --events 10000 --db sqlite --smoke

Creates its own database (`waqai_bench_<db>_<events>`; PostgreSQL's server from
WAQAI_BENCH_POSTGRES_URL), loads generated events through Waqai's import, serves the app with
uvicorn (two workers) on loopback and measures; writes the table with the machine's
description to bench/results/<db>-<events>.md and prints it. `--smoke` checks that every
scenario runs (few requests, a short load), not how fast. `--reuse` measures a database a
previous run loaded and kept (`--keep`), reporting that run's import figures.

`--no-exports` skips the two export rows, which take over half an hour at ten million events.

`--amplify K` (PostgreSQL) copies each imported event K - 1 more times with new ids after the
import (bench/amplify.py), so that `--events 10000 --amplify 100` measures the read and export
scenarios on a million events while the import is measured on the ten thousand it imports.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import asdict
from functools import partial
from pathlib import Path

from sqlalchemy import Engine, text

from app.core.config import Settings as AppSettings
from app.core.db import create_db_engine
from bench import generate, queries, scenarios, serving
from bench.amplify import amplify
from bench.databases import Target, target
from bench.load import Loaded, load
from bench.scenarios import Result, Settings

RESULTS = Path("bench/results")
SMOKE_RESULTS = Path("var/bench/results")
SECRET = "bench-secret-key-not-for-production"


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Waqai's benchmark suite.")
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--name", help="Database name (waqai_bench...).")
    parser.add_argument("--smoke", action="store_true", help="Check the scenarios run.")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--reuse", action="store_true", help="Measure a kept database.")
    parser.add_argument("--results", type=Path, help="Directory for the table.")
    parser.add_argument("--amplify", type=int, default=1, help="Copies of each event.")
    parser.add_argument(
        "--no-exports", action="store_true", help="Skip the exports (the 10M scale row)."
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    total = args.events * args.amplify
    database = target(args.db, args.name or f"waqai_bench_{args.db}_{total}")
    settings = Settings(requests=20, load_seconds=3) if args.smoke else Settings(200, 15)
    loaded = _reused(args) if args.reuse else _load(database, args)
    try:
        heading = describe(database, args, settings)
        full = args.db == "postgresql"
        results = measure(
            database, loaded, settings, total, full=full, exports=full and not args.no_exports
        )
    finally:
        if not args.keep:
            database.drop()
    report = heading + "\n" + scenarios.table(results) + "\n"
    # A smoke run's figures mean nothing: they stay out of the committed results.
    directory = args.results or (SMOKE_RESULTS if args.smoke else RESULTS)
    directory.mkdir(parents=True, exist_ok=True)
    scenarios.result_path(directory, args.db, total).write_text(report)
    print(report)


def _load(database: Target, args: argparse.Namespace) -> Loaded:
    with tempfile.TemporaryDirectory(prefix="waqai-bench-") as scratch:
        path = Path(scratch) / "events.ndjson"
        with path.open("wb") as out:
            generate.write(out, args.events, args.seed)
        loaded = load(database, path)
    amplify(database, args.amplify)
    _load_record(args).write_text(json.dumps(asdict(loaded)))
    return loaded


def _load_record(args: argparse.Namespace) -> Path:
    """Where a run keeps its import figures for a later `--reuse` (not committed)."""
    directory = Path("var/bench")
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{args.db}-{args.events}x{args.amplify}-load.json"


def _reused(args: argparse.Namespace) -> Loaded:
    return Loaded(**json.loads(_load_record(args).read_text()))


def _app_env(database: Target) -> dict[str, str]:
    return {
        "WAQAI_DATABASE_URL": database.sqlalchemy_url,
        "WAQAI_SECRET_KEY": SECRET,
        "WAQAI_LOAD_DEMO": "false",
        "WAQAI_LOG_LEVEL": "WARNING",
    }


def _serve(database: Target, **env: str) -> AbstractContextManager[serving.Server]:
    return serving.serving("app.main:create_app", {**_app_env(database), **env}, factory=True)


@contextmanager
def _engine(database: Target) -> Iterator[Engine]:
    engine = create_db_engine(AppSettings(database_url=database.sqlalchemy_url))
    try:
        yield engine
    finally:
        engine.dispose()


KEPT = "answers kept"
BUILT = "every answer built"


def _timelines(
    engine: Engine,
    app: serving.Server,
    subject: scenarios.Subject,
    settings: Settings,
    full: bool,
    variant: str,
) -> list[Result]:
    results = scenarios.timeline_scenarios(
        engine, app, subject, settings, load=full, variant=variant
    )
    results.append(scenarios.counts_scenario(engine, app, subject, settings, variant))
    return results


def measure(
    database: Target, loaded: Loaded, settings: Settings, total: int, *, full: bool, exports: bool
) -> list[Result]:
    """Every scenario; on SQLite (`full` false) only the single-connection ones and counts;
    the exports only if asked."""
    with _engine(database) as engine:
        subject = scenarios.subject(engine)
        with _serve(database) as app:
            results = _timelines(engine, app, subject, settings, full, KEPT)
            if full:
                results.append(scenarios.actor_scenario(engine, app, subject, settings))
                results.append(scenarios.keyword_scenario(engine, app, settings))
        # The same timelines with every answer built from the events: what the kept answers
        # save, and what a query costs the first time it is asked after a change.
        with _serve(database, WAQAI_ANSWER_CACHE_MB="0") as app:
            results += _timelines(engine, app, subject, settings, full, BUILT)
        results.append(
            scenarios.import_result(loaded.events, loaded.import_seconds, loaded.copy_seconds)
        )
        if exports:
            results += _exports(database, engine, total)
    return results


def _exports(database: Target, engine: Engine, total: int) -> list[Result]:
    raw = queries.time_streamed(engine, queries.export_reads(engine))
    results = []
    # The exports kept (a gigabyte or two at a million events) go with the run.
    with tempfile.TemporaryDirectory(prefix="waqai-bench-") as data_dir:
        for format in ("ndjson", "csv"):
            serve = partial(_serve, database, WAQAI_DATA_DIR=data_dir)
            results += scenarios.export_scenarios(serve, total, format, raw)
    return results


def describe(database: Target, args: argparse.Namespace, settings: Settings) -> str:
    """A heading and the machine the figures were measured on."""
    memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    total = args.events * args.amplify
    lines = [
        f"# Benchmark: {total:,} events on {args.db}" + (" (smoke)" if args.smoke else ""),
        "",
        *(_amplified(args) if args.amplify > 1 else []),
        f"- machine: `nproc` {_nproc()}, {int(memory) / 2**20:.1f} GiB RAM",
        f"- `uname -a`: {' '.join(platform.uname())}",
        f"- database: {_version(database)}",
        f"- seed {args.seed}; {settings.requests} requests per latency scenario after a "
        "warm-up (at least 10, fewer past 30 s), "
        f"wrk {settings.connections} connections for {settings.load_seconds} s; uvicorn, "
        f"{serving.WORKERS} workers; Python {platform.python_version()}",
        "",
    ]
    return "\n".join(lines)


def _amplified(args: argparse.Namespace) -> list[str]:
    return [
        f"- data: {args.events:,} generated events imported through Waqai's import (the import "
        f"row), then each copied {args.amplify - 1} more times with new ids by SQL "
        "(bench/amplify.py): the read and export rows run on all of them",
    ]


def _nproc() -> str:
    return subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()


def _version(database: Target) -> str:
    if database.kind == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with _engine(database) as engine, engine.connect() as conn:
        return str(conn.execute(text("SELECT version()")).scalar_one()).split(" on ")[0]


if __name__ == "__main__":
    main()
