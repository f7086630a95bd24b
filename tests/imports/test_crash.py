"""A server killed in the middle of an import keeps nothing of it, and after a restart the job
says it failed. Real processes, real SIGKILL, on the backend under test."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.keys import service as keys
from app.main import create_app
from app.models import Event, Revision
from tests.conftest import fresh_database_url

ROWS = 6000


def big_file(path: Path) -> Path:
    with path.open("wb") as out:
        for i in range(ROWS):
            record = {
                "type": "violence.armed_clash",
                "when": f"2020-01-{1 + i % 28:02d}",
                "title": {"en": f"Clash {i}", "ar": f"اشتباك {i}"},
                "original_language": "en",
                "external_ids": {"test": str(i)},
                "actors": [{"names": {"en": f"Group {i % 40}"}, "role": "party"}],
            }
            out.write(orjson.dumps(record) + b"\n")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server_settings(tmp_path: Path) -> Iterator[Settings]:
    url = fresh_database_url(tmp_path, "crash")
    settings = Settings(
        database_url=url,
        secret_key="crash-test-secret-0123456789",
        data_dir=tmp_path / "data",
        log_level="WARNING",
    )
    database = Database(create_db_engine(settings))
    upgrade(database.engine)
    database.dispose()
    return settings


def start_server(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "WAQAI_DATABASE_URL": settings.database_url,
        "WAQAI_SECRET_KEY": settings.secret_key,
        "WAQAI_DATA_DIR": str(settings.data_dir),
        "WAQAI_LOAD_DEMO": "false",
        "WAQAI_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory"]
    server = subprocess.Popen([*command, "--port", str(port)], env=env)
    for _ in range(100):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    server.kill()
    raise AssertionError("the server did not start")


def wait_until_running(
    base: str, job: str, headers: dict[str, str], *, sqlite: bool
) -> dict[str, Any]:
    """The job once it runs (on PostgreSQL, once it has reported rows: it is mid-file)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state: dict[str, Any] = httpx.get(f"{base}/v1/imports/{job}", headers=headers).json()
        if state["state"] == "running" and (state["rows_read"] > 0 or sqlite):
            return state
        assert state["state"] in ("queued", "running"), state
        time.sleep(0.05)
    raise AssertionError("the import never started")


def test_a_killed_import_leaves_nothing_and_is_marked_failed(
    server_settings: Settings, tmp_path: Path
) -> None:
    database = Database(create_db_engine(server_settings))
    with database.session(write=True) as session:
        _, secret = keys.create(session, name="crash admin", role=Role.admin)
    headers = {"Authorization": f"Bearer {secret}"}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(server_settings, port)
    try:
        with big_file(tmp_path / "big.ndjson").open("rb") as data:
            response = httpx.post(
                f"{base}/v1/imports",
                headers=headers,
                files={"file": ("big.ndjson", data)},
                data={"format": "ndjson"},
                timeout=60,
            )
        assert response.status_code == 202, response.text
        job = response.json()["id"]
        wait_until_running(base, job, headers, sqlite=server_settings.is_sqlite)
        time.sleep(1.0)  # well inside the import: thousands of rows still to go
        server.send_signal(signal.SIGKILL)
        assert server.wait(timeout=10) == -signal.SIGKILL
    finally:
        server.kill()
        server.wait()

    with database.session(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 0
        assert session.scalar(select(func.count()).select_from(Revision)) == 0

    # Restarting the service reports the job as failed instead of "running" for ever.
    with TestClient(create_app(server_settings)) as client:
        after = client.get(f"/v1/imports/{job}", headers=headers).json()
    assert after["state"] == "failed"
    assert "stopped while this import ran" in after["message"]
    assert not list((server_settings.data_dir / "imports").glob("*.upload"))
    database.dispose()
