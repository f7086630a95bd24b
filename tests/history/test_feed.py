"""GET /v1/changes: a client mirrors the database by following the feed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core.auth import Principal, Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.history import feed, service
from tests.conftest import TEST_URL
from tests.factories import make_actor, make_event
from tests.hardening.test_production import throwaway_cluster


def end_of_feed(client: TestClient, headers: dict[str, str]) -> str:
    page = client.get("/v1/changes?limit=500", headers=headers).json()
    while page["items"]:
        page = client.get(f"/v1/changes?limit=500&since={page['next']}", headers=headers).json()
    cursor: str = page["next"]
    return cursor


def follow(client: TestClient, headers: dict[str, str], since: str, limit: int = 50) -> list[Any]:
    items: list[Any] = []
    while True:
        page = client.get(f"/v1/changes?since={since}&limit={limit}", headers=headers).json()
        if not page["items"]:
            return items
        items += page["items"]
        since = page["next"]


class TestFeed:
    def test_creates_updates_and_tombstones_in_order(
        self, client: TestClient, editor_headers: dict[str, str], admin_headers: dict[str, str]
    ) -> None:
        start = end_of_feed(client, editor_headers)
        event = make_event(client, editor_headers)
        actor = make_actor(client, editor_headers)
        etag = client.get(f"/v1/events/{event['id']}", headers=editor_headers).headers["etag"]
        client.patch(
            f"/v1/events/{event['id']}",
            json={"title": {"ar": "عنوان جديد"}},
            headers={**editor_headers, "If-Match": etag},
        )
        etag = client.get(f"/v1/events/{event['id']}", headers=editor_headers).headers["etag"]
        deleted = client.delete(
            f"/v1/events/{event['id']}", headers={**admin_headers, "If-Match": etag}
        )
        assert deleted.status_code == 204
        changes = follow(client, editor_headers, start, limit=1)  # one page per change
        assert [(c["entity_type"], c["op"], c["version"]) for c in changes] == [
            ("event", "create", 1),
            ("actor", "create", 1),
            ("event", "update", 2),
            ("event", "delete", 3),
        ]
        assert changes[2]["record"]["title"] == {"ar": "عنوان جديد"}
        assert changes[3]["deleted"] is True
        assert changes[3]["record"] is None
        assert changes[1]["entity_id"] == actor["id"]

    def test_an_up_to_date_reader_gets_nothing_and_keeps_its_place(
        self, client: TestClient, reader_headers: dict[str, str]
    ) -> None:
        end = end_of_feed(client, reader_headers)
        again = client.get(f"/v1/changes?since={end}", headers=reader_headers).json()
        assert again == {"items": [], "next": end}

    def test_needs_a_key(self, client: TestClient) -> None:
        response = client.get("/v1/changes")
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"

    def test_a_cursor_that_is_not_one_is_400(
        self, client: TestClient, reader_headers: dict[str, str]
    ) -> None:
        response = client.get("/v1/changes?since=yesterday", headers=reader_headers)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"


@pytest.mark.skipif(not TEST_URL, reason="SQLite has one writer: id order is commit order")
def test_a_change_committed_late_is_not_skipped() -> None:
    """Transaction A writes first but commits last; B's later change waits in the feed until
    A is done, so a reader that read B can still read A. On a server of the test's own: the
    horizon is cluster-wide, and another test's long transaction on the shared server held
    it back past any wait."""
    with throwaway_cluster("") as url:
        _late_commit_is_served_in_order(url)


def _late_commit_is_served_in_order(url: str) -> None:
    settings = Settings(database_url=url, secret_key="x" * 20)
    database = Database(create_db_engine(settings))
    upgrade(database.engine)
    who = Principal(role=Role.admin, name="feed test")

    def write(session: Any, name: str) -> None:
        session.execute(text("SELECT 1"))
        service.record(
            session,
            entity_type="actor",
            entity_id=uuid.uuid4(),
            version=1,
            op="create",
            by=who,
            before=None,
            after={"name": name},
        )

    with database.session(write=True) as early:
        write(early, "A")  # A's transaction stays open ...
        with database.session(write=True) as late:
            write(late, "B")  # ... while B commits
        with database.session(write=False) as reader:
            seen = [r.after["name"] for r in feed.changes(reader, feed.START, limit=10)]
        assert seen == []  # B is held back while A, older, is still open
    # Once A is done, both come, A first.
    with database.session(write=False) as reader:
        names = [r.after["name"] for r in feed.changes(reader, feed.START, limit=10)]
    database.dispose()
    assert names == ["A", "B"]
