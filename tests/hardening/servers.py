"""Real uvicorn processes on a real database file or PostgreSQL database, for tests that race
them and kill them. Nothing here shares a connection with the test: every request crosses a
socket into another process, which commits (or dies) on its own.

tests/servers.py starts servers for a block and stops them politely; these are killed with
SIGKILL and started again on the same database, and the tests look at their processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

from app.core.auth import Role
from app.core.config import Settings
from tests.servers import free_port, prepared_database

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 45  # a loaded 2-core machine takes 10-20 s to import and start the app


@dataclass
class Server:
    """One `uvicorn app.main:create_app` process, which can be killed and started again."""

    settings: Settings
    log: Path
    env: dict[str, str] = field(default_factory=dict)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        """Wait until the spawned process answers /healthz."""
        assert self.process is not None
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited at startup:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise AssertionError(f"the server did not start:\n{self.output()}")

    def spawn(self) -> subprocess.Popen[bytes]:
        """The process, started; it may not be listening yet (or may refuse to start)."""
        # Only this server's settings: none of the developer's WAQAI_* leak in.
        env = {k: v for k, v in os.environ.items() if not k.startswith("WAQAI_")}
        env.update(
            WAQAI_DATABASE_URL=self.settings.database_url,
            WAQAI_SECRET_KEY=self.settings.secret_key,
            WAQAI_DATA_DIR=str(self.settings.data_dir),
            WAQAI_DB_POOL_SIZE=str(self.settings.db_pool_size),
            WAQAI_SQLITE_BUSY_TIMEOUT_MS=str(self.settings.sqlite_busy_timeout_ms),
            WAQAI_LOG_LEVEL="WARNING",
        )
        env.update(self.env)
        command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
        options = ["--host", "127.0.0.1", "--port", str(self.port), "--no-access-log"]
        with self.log.open("ab") as log:
            return subprocess.Popen([*command, *options], cwd=ROOT, env=env, stderr=log, stdout=log)

    def kill(self) -> None:
        """SIGKILL: no shutdown handler, no rollback, no flush; the process just stops."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=10) == -signal.SIGKILL

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


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
