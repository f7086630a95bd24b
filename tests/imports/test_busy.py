"""While an import holds SQLite's one write lock, other writers are told to come back (503
with Retry-After), not given a 500; reads go on."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.keys import service as keys
from app.main import create_app
from tests.conftest import TEST_URL, fresh_database_url
from tests.factories import event_body


@pytest.mark.skipif(bool(TEST_URL), reason="PostgreSQL has no single write lock to wait on")
def test_a_writer_waiting_past_the_timeout_gets_503(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'busy.db'}",
        secret_key="busy-test-secret-0123456789",
        sqlite_busy_timeout_ms=200,
        load_demo=False,
        data_dir=tmp_path,
    )
    database = Database(create_db_engine(settings))
    upgrade(database.engine)
    with database.session(write=True) as session:
        _, secret = keys.create(session, name="busy editor", role=Role.editor)
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(settings, database)) as client:
        assert client.get("/v1/events", headers=headers).status_code == 200  # key touched
        holder = sqlite3.connect(make_url(settings.database_url).database or "")
        holder.execute("BEGIN IMMEDIATE")  # what a long import does
        try:
            written = client.post("/v1/events", json=event_body(), headers=headers)
            read = client.get("/v1/events", headers=headers)
        finally:
            holder.rollback()
            holder.close()
    database.dispose()
    assert written.status_code == 503
    assert written.headers["retry-after"] == "5"
    assert written.json()["code"] == "service_unavailable"
    assert read.status_code == 200


@pytest.mark.skipif(not TEST_URL, reason="SQLite readers do not queue for pooled connections")
def test_a_request_waiting_past_the_pool_timeout_gets_503(tmp_path: Path) -> None:
    url = fresh_database_url(tmp_path, "pool")
    settings = Settings(
        database_url=url,
        secret_key="pool-test-secret-0123456789",
        db_pool_size=1,
        db_pool_timeout=0.5,
        load_demo=False,
        data_dir=tmp_path,
    )
    database = Database(create_db_engine(settings))
    upgrade(database.engine)
    held = []
    try:
        with TestClient(create_app(settings, database)) as client:
            # Every connection the pool may open (its one and five more) busy elsewhere.
            held = [database.engine.connect() for _ in range(6)]
            response = client.get("/v1/timeline")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["Retry-After"] == "5"
        assert "busy" in response.json()["detail"]
    finally:
        for connection in held:
            connection.close()
        database.dispose()
