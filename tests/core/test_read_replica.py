"""WAQAI_DATABASE_READ_URL: plain reads go to the replica, writes and as-of reads to the
primary. (Two separate databases stand in for a primary and a replica not yet caught up.)"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.migrations import upgrade
from app.keys import service as keys
from app.main import create_app
from app.models import ApiKey
from tests.conftest import fresh_database_url
from tests.factories import event_body


def test_reads_come_from_the_replica_and_writes_go_to_the_primary(
    tmp_path: Path, settings: Settings
) -> None:
    primary_url = fresh_database_url(tmp_path, "primary")
    replica_url = fresh_database_url(tmp_path, "replica")
    primary, replica = (
        create_db_engine(settings, primary_url),
        create_db_engine(settings, replica_url),
    )
    for engine in (primary, replica):
        upgrade(engine)
    with primary.begin() as connection:
        with Session(connection) as session:
            _, secret = keys.create(session, name="replica test", role=Role.editor)
        rows = [dict(row._mapping) for row in connection.execute(select(ApiKey.__table__))]
    with replica.begin() as connection:  # what replication would have brought over
        connection.execute(insert(ApiKey.__table__), rows)
    configured = settings.model_copy(
        update={"database_url": primary_url, "database_read_url": replica_url}
    )
    editor = {"Authorization": f"Bearer {secret}"}
    with TestClient(create_app(configured)) as client:
        created = client.post("/v1/events", json=event_body(), headers=editor)
        assert created.status_code == 201
        path = created.headers["location"]
        assert client.get(path).status_code == 404  # the replica has not caught up
        assert client.get("/v1/events").json()["items"] == []
        now = dt.datetime.now(dt.UTC).isoformat()
        assert client.get(path, params={"as_of": now}).json()["id"] == created.json()["id"]
    for engine in (primary, replica):
        engine.dispose()
