"""Real uvicorn processes on a real database file or PostgreSQL database, for tests that race
them and kill them. Nothing here shares a connection with the test: every request crosses a
socket into another process, which commits (or dies) on its own.

The servers (tests/servers.py `Server`) are killed with SIGKILL and started again on the same
database, and the tests look at their processes."""

from __future__ import annotations

from pathlib import Path

from app.core.auth import Role
from app.core.config import Settings
from tests.servers import ROOT, Server, prepared_database

__all__ = ["ROOT", "Server", "prepared", "start"]


def prepared(tmp_path: Path, name: str, role: Role) -> tuple[Settings, dict[str, str]]:
    """A new, migrated database on the backend under test, the settings of the servers that
    will share it, and the headers of a key of `role`."""
    url, secret = prepared_database(tmp_path, name, role)
    settings = Settings(
        database_url=url,
        secret_key="hardening-test-secret-0123456789",
        data_dir=tmp_path / "data",
        log_level="WARNING",
        db_pool_size=4,  # several servers share the PostgreSQL of the whole suite
        # Writers queue for SQLite's lock; on a loaded test machine the queue must not time
        # out (503): these tests are about what is lost, not about how long writers wait.
        sqlite_busy_timeout_ms=30_000,
    )
    return settings, {"Authorization": f"Bearer {secret}"}


def start(
    servers: list[Server],
    settings: Settings,
    tmp_path: Path,
    *,
    count: int = 1,
    env: dict[str, str] | None = None,
) -> list[Server]:
    """`count` new servers on `settings`' database, started together, registered for clean-up;
    `env` adds settings of their own (WAQAI_*)."""
    started = []
    for _ in range(count):
        server = Server(settings, tmp_path / f"server-{len(servers)}.log", env=env or {})
        servers.append(server)
        server.process = server.spawn()
        started.append(server)
    for server in started:
        server.wait_ready()
    return started
