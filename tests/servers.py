"""Real server processes for tests that need concurrency across connections or processes,
which the in-process client, bound to one connection, cannot show: every request crosses a
socket into another process, which commits (or dies) on its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.keys import service as keys
from tests.conftest import fresh_database_url

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 120  # a loaded 2-core machine can take long to import and start the app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def prepared_database(tmp_path: Path, name: str, role: Role) -> tuple[str, str]:
    """A fresh, migrated database of the backend under test and a key for it: (url, secret)."""
    url = fresh_database_url(tmp_path, name)
    database = Database(create_db_engine(Settings(database_url=url)))
    upgrade(database.engine)
    with database.session(write=True) as session:
        _, secret = keys.create(session, name=f"{name} test", role=role)
    database.dispose()
    return url, secret


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


@contextmanager
def servers(url: str, count: int = 1, **settings: str) -> Iterator[list[str]]:
    """`count` server processes on the migrated database at `url`, with these WAQAI_ settings
    (a shared secret unless given); their base URLs, once each answers its health probe."""
    scratch = Path(tempfile.mkdtemp(prefix="waqai-servers-"))
    secret = settings.pop("secret_key", "test-servers-secret-0123456789")
    shared = Settings(database_url=url, secret_key=secret, data_dir=scratch / "data")
    env = {f"WAQAI_{name.upper()}": value for name, value in settings.items()}
    started = [Server(shared, scratch / f"server-{i}.log", env=env) for i in range(count)]
    try:
        for server in started:
            server.process = server.spawn()
        for server in started:
            server.wait_ready()
        yield [server.url for server in started]
    finally:
        for server in started:
            server.kill()
