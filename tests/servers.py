"""Real server processes (`waqai serve`) for tests that need concurrency across connections
or processes, which the in-process client, bound to one connection, cannot show."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.keys import service as keys
from tests.conftest import fresh_database_url


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


@contextmanager
def servers(url: str, count: int = 1, **settings: str) -> Iterator[list[str]]:
    """`count` server processes on the database at `url` with these WAQAI_ settings; their
    base URLs, once each answers its health probe."""
    env = {**os.environ, "WAQAI_DATABASE_URL": url, "WAQAI_LOAD_DEMO": "false"}
    env |= {"WAQAI_LOG_LEVEL": "WARNING", **{f"WAQAI_{k.upper()}": v for k, v in settings.items()}}
    waqai = str(Path(sys.executable).with_name("waqai"))
    ports = [free_port() for _ in range(count)]
    processes = [subprocess.Popen([waqai, "serve", "--port", str(p)], env=env) for p in ports]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process in zip(bases, processes, strict=True):
            _wait_until_up(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


# Generous: on a loaded 2-core machine a cold start (imports, migrations check) can take long.
STARTUP_SECONDS = 120


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server for {base} exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{base} did not come up in {STARTUP_SECONDS} s")
