"""Production mode refuses a placeholder secret and a database that could lose acknowledged
commits, reading what the app's own connections live with."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.production import UnsafeProduction, durability_problems, refuse_unsafe
from app.core.production import secret_problems as problems_of
from tests.conftest import TEST_URL, fresh_database_url
from tests.hardening.servers import Server, prepared

GOOD_SECRET = "hardening-8Jq2vN0xLw5sKd3R"
needs_postgres = pytest.mark.skipif(not TEST_URL, reason="a PostgreSQL run only")


def production(url: str, **overrides: Any) -> Settings:
    return Settings(
        **{"database_url": url, "secret_key": GOOD_SECRET, "production": True, **overrides}
    )


@contextmanager
def engine_of(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    try:
        yield engine
    finally:
        engine.dispose()


class TestSecrets:
    @pytest.mark.parametrize(
        "secret",
        [
            "change-me-in-production",
            "compose-demo-secret-please-set-in-production",  # docker-compose.yml's fallback
            "Example-Secret-Key-0123456789",
            "your-placeholder-secret-key",
        ],
    )
    def test_a_placeholder_secret_key_is_refused(self, secret: str) -> None:
        settings = production("sqlite:///unused.db", secret_key=secret)
        assert problems_of(settings) == ["WAQAI_SECRET_KEY is a placeholder; set a random value."]

    @pytest.mark.parametrize("name", sorted(n for n in Settings.model_fields if n.endswith("_url")))
    @pytest.mark.parametrize("password", ["secret", "changeme", "please-change", "example"])
    def test_a_placeholder_password_in_any_url_is_refused_without_being_shown(
        self, name: str, password: str
    ) -> None:
        url = f"scheme://waqai:{password}@host:5432/waqai"
        settings = production("sqlite:///unused.db").model_copy(update={name: url})
        (problem,) = problems_of(settings)
        assert f"WAQAI_{name.upper()}" in problem
        assert password not in problem

    def test_generated_secrets_pass(self) -> None:
        for _ in range(300):
            token = secrets.token_urlsafe(32)
            url = f"postgresql+psycopg://waqai:{token}@db/waqai"
            assert problems_of(production(url, secret_key=token)) == [], token

    def test_outside_production_nothing_is_checked(self, tmp_path: Path) -> None:
        settings = Settings(
            database_url=f"sqlite:///{tmp_path / 'dev.db'}", secret_key="change-me-in-production"
        )
        with engine_of(settings) as engine:
            synchronous(engine, "OFF")
            refuse_unsafe(settings, engine)

    def test_every_problem_is_named_at_once(self, tmp_path: Path) -> None:
        settings = production(f"sqlite:///{tmp_path / 'prod.db'}", secret_key="please-change-me")
        with engine_of(settings) as engine:
            synchronous(engine, "NORMAL")
            with pytest.raises(UnsafeProduction) as refused:
                refuse_unsafe(settings, engine)
        assert len(refused.value.problems) == 2
        assert "WAQAI_SECRET_KEY" in str(refused.value)
        assert "synchronous=NORMAL" in str(refused.value)


def synchronous(engine: Engine, level: str) -> None:
    """Lower SQLite's durability on every new connection, after the app has set FULL."""

    @event.listens_for(engine, "connect")
    def _lower(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA synchronous={level}")


class TestSqlite:
    def test_the_apps_own_connections_are_durable(self, tmp_path: Path) -> None:
        settings = production(f"sqlite:///{tmp_path / 'prod.db'}")
        with engine_of(settings) as engine:
            assert durability_problems(engine) == []
            refuse_unsafe(settings, engine)

    @pytest.mark.parametrize("level", ["OFF", "NORMAL"])
    def test_synchronous_below_full_is_refused(self, tmp_path: Path, level: str) -> None:
        settings = production(f"sqlite:///{tmp_path / 'prod.db'}")
        with engine_of(settings) as engine:
            synchronous(engine, level)
            assert durability_problems(engine) == [
                f"SQLite runs with PRAGMA synchronous={level}; commits need FULL."
            ]
            with pytest.raises(UnsafeProduction):
                refuse_unsafe(settings, engine)


@needs_postgres
class TestPostgres:
    def test_a_durable_server_passes(self, tmp_path: Path) -> None:
        settings = production(fresh_database_url(tmp_path, "durable"))
        with engine_of(settings) as engine:
            assert durability_problems(engine) == []

    def test_synchronous_commit_off_for_the_database_is_refused(self, tmp_path: Path) -> None:
        url = fresh_database_url(tmp_path, "async_db")
        owner = create_engine(url, isolation_level="AUTOCOMMIT")
        with owner.connect() as connection:
            name = make_url(url).database
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
        owner.dispose()
        with engine_of(production(url)) as engine:
            (problem,) = durability_problems(engine)
        assert "synchronous_commit=off" in problem

    def test_synchronous_commit_off_in_the_url_is_refused(self, tmp_path: Path) -> None:
        url = make_url(fresh_database_url(tmp_path, "async_url"))
        url = url.update_query_dict({"options": "-c synchronous_commit=off"})
        settings = production(url.render_as_string(hide_password=False))
        with engine_of(settings) as engine, pytest.raises(UnsafeProduction) as refused:
            refuse_unsafe(settings, engine)
        assert "synchronous_commit=off" in str(refused.value)

    def test_the_urls_options_apply_beside_the_apps_own(self, tmp_path: Path) -> None:
        url = make_url(fresh_database_url(tmp_path, "options"))
        url = url.update_query_dict(
            {"options": "-c synchronous_commit=off -c max_parallel_workers_per_gather=1"}
        )
        settings = production(url.render_as_string(hide_password=False))
        names = (
            "synchronous_commit",
            "plan_cache_mode",
            "TimeZone",
            "max_parallel_workers_per_gather",
        )
        with engine_of(settings) as engine, engine.connect() as connection:
            shown = [connection.scalar(text(f"SHOW {name}")) for name in names]
        assert shown == ["off", "force_custom_plan", "UTC", "1"]

    def test_pages_are_read_by_one_process(self, tmp_path: Path) -> None:
        url = fresh_database_url(tmp_path, "serial")
        with engine_of(production(url)) as engine, engine.connect() as connection:
            assert connection.scalar(text("SHOW max_parallel_workers_per_gather")) == "0"

    @pytest.mark.parametrize(
        ("fsync", "problems"),
        [
            ("off", ["PostgreSQL runs with fsync=off: a crash can lose or corrupt any data."]),
            ("on", []),
        ],
    )
    def test_fsync_off_is_refused(self, fsync: str, problems: list[str]) -> None:
        with throwaway_cluster(f"-c fsync={fsync}") as url, engine_of(production(url)) as engine:
            assert durability_problems(engine) == problems


def postgres_bin() -> Path | None:
    """Where PostgreSQL's server programs are (initdb, pg_ctl), if installed here."""
    found = shutil.which("initdb") or next(
        iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None
    )
    return Path(found).parent if found else None


@contextmanager
def throwaway_cluster(options: str) -> Iterator[str]:
    """A PostgreSQL server of the test's own, started with `options` (fsync cannot be turned
    off for one session or database, and the shared server's configuration is not ours to
    change); it listens only on a socket in its own directory. Yields its URL."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL's server programs are not installed")
    as_owner: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="waqai_h2_pg_"))
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(root, "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    pg_ctl = [*as_owner, str(bindir / "pg_ctl"), "-D", str(data)]
    initdb = [*as_owner, str(bindir / "initdb"), "-D", str(data), "-U", "waqai"]
    server = f"{options} -k {root} -c listen_addresses= -c max_connections=10"
    try:
        subprocess.run([*initdb, "--auth=trust", "--no-sync"], check=True, capture_output=True)
        subprocess.run(
            [*pg_ctl, "-w", "-t", "30", "-l", str(log), "-o", server, "start"],
            check=True,
            capture_output=True,
        )
        yield f"postgresql+psycopg://waqai@/postgres?host={root}"
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


class TestStartup:
    """The service itself, started in production mode by uvicorn (the servers of
    test_crash_safety.py run in production mode too: a safe setup starts)."""

    def test_a_placeholder_secret_stops_the_service(
        self, tmp_path: Path, running: list[Server]
    ) -> None:
        settings, _ = prepared(tmp_path, "unsafe", Role.reader)
        env = {"WAQAI_PRODUCTION": "true", "WAQAI_SECRET_KEY": "change-me-in-production"}
        server = Server(settings, tmp_path / "server.log", env=env)
        running.append(server)
        server.process = process = server.spawn()
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            try:
                httpx.get(f"{server.url}/healthz", timeout=2)
            except httpx.TransportError:
                time.sleep(0.05)
                continue
            raise AssertionError("the service started with a placeholder secret")
        assert process.returncode not in (None, 0)
        assert "WAQAI_SECRET_KEY is a placeholder" in server.output()
