"""The change feed replayed into an empty database reproduces the source database: a mirror
that follows GET /v1/changes answers every public read as the source does."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.demo.load import demo_id, load
from app.history.pictures import Picture, Pictures, put
from app.main import create_app
from tests.conftest import fresh_database_url
from tests.factories import make_participant
from tests.history.test_feed import follow

Headers = dict[str, str]
BREACH = demo_id("event", "truce-breaches-9th-brigade")
TRUCE = demo_id("process", "truce-2020-01-12")
HAFTAR = demo_id("actor", "haftar")


def replay(changes: list[dict[str, Any]], mirror: Database) -> None:
    """What a mirror does with the feed: keep each record as the change left it; a deletion
    keeps the last copy as a tombstone."""
    last: dict[tuple[str, str], Picture] = {}
    with mirror.session(write=True) as session:
        for change in changes:
            key = (change["entity_type"], change["entity_id"])
            if change["deleted"]:
                picture = {**last[key], "deleted_at": change["at"]}
            else:
                picture = change["record"]
            last[key] = picture
            put(session, Pictures({key[0]: {uuid.UUID(key[1]): picture}}))


def edit(client: TestClient, path: str, body: dict[str, Any], headers: Headers) -> None:
    etag = client.get(path, headers=headers).headers["etag"]
    response = client.patch(path, json=body, headers={**headers, "If-Match": etag})
    assert response.status_code == 200, response.text


@pytest.fixture
def mirror(tmp_path: Path, settings: Settings) -> Iterator[Database]:
    engine = create_db_engine(
        settings.model_copy(update={"database_url": fresh_database_url(tmp_path, "mirror")})
    )
    upgrade(engine)
    yield Database(engine)
    engine.dispose()


def test_a_mirror_fed_by_the_change_feed_answers_as_the_source(
    client: TestClient,
    database: Database,
    mirror: Database,
    settings: Settings,
    editor_headers: Headers,
    admin_headers: Headers,
) -> None:
    with database.session(write=True) as session:
        load(session)
    edit(
        client,
        f"/v1/actors/{HAFTAR}",
        {"names": {"ar": "خليفة حفتر", "en": "K. Haftar"}},
        editor_headers,
    )
    edit(
        client,
        f"/v1/events/{BREACH}",
        {"status": "retracted", "retraction_reason": "Mirror test."},
        editor_headers,
    )
    talks = demo_id("event", "moscow-talks")
    make_participant(client, editor_headers, event_id=str(talks), role="observer")
    gone = demo_id("event", "lavrov-press-conference")
    etag = client.get(f"/v1/events/{gone}").headers["etag"]
    assert (
        client.delete(f"/v1/events/{gone}", headers={**admin_headers, "If-Match": etag}).status_code
        == 204
    )

    replay(follow(client, editor_headers, "0.0", limit=200), mirror)

    with TestClient(create_app(settings, mirror), raise_server_exceptions=False) as copy:
        events = client.get("/v1/events?limit=200").json()["items"]
        paths = [
            "/v1/events?limit=200",
            "/v1/events?q=حفتر&limit=200",
            "/v1/actors?limit=200",
            "/v1/actors?q=Haftar&limit=200",
            "/v1/sources?limit=200",
            "/v1/outlets?limit=200",
            "/v1/locations?limit=200",
            "/v1/processes?limit=200",
            "/v1/timeline?limit=200&bucket=day&group_by=actor",
            f"/v1/processes/{TRUCE}/ceasefire",
            f"/v1/processes/{TRUCE}/stances",
            f"/v1/actors/{HAFTAR}/timeline",
            "/v1/events/export?format=csv",
            *(f"/v1/events/{event['id']}" for event in events),
        ]
        for path in paths:
            source, copied = client.get(path), copy.get(path)
            assert copied.status_code == source.status_code == 200, path
            assert copied.text == source.text, path
        assert len(events) >= 14
        for tombstone in (BREACH, gone):
            assert (
                copy.get(f"/v1/events/{tombstone}").status_code
                == client.get(f"/v1/events/{tombstone}").status_code
            )
