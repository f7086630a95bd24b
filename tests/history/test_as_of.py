"""?as_of= on single records: exactly what the service showed at that instant."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import make_actor, make_event

Headers = dict[str, str]


def revision_times(client: TestClient, path: str, headers: Headers) -> list[str]:
    return [r["at"] for r in client.get(f"{path}/revisions", headers=headers).json()]


def at(client: TestClient, path: str, instant: str, headers: Headers | None = None) -> Any:
    return client.get(path, params={"as_of": instant}, headers=headers or {})


def before(instant: str) -> str:
    moment = dt.datetime.fromisoformat(instant.replace("Z", "+00:00"))
    return (moment - dt.timedelta(microseconds=1)).isoformat()


class TestEventAsOf:
    def test_later_edits_undone_later_deletion_not_yet_and_creation_not_yet(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        path = f"/v1/events/{event['id']}"
        client.patch(
            path,
            json={"title": {"ar": "محادثات موسكو غير المباشرة"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        client.delete(path, headers={**admin_headers, "If-Match": 'W/"2"'})
        created, edited, deleted = revision_times(client, path, editor_headers)

        first = at(client, path, created)
        assert first.status_code == 200
        assert first.json()["title"] == event["title"]
        assert first.headers["waqai-as-of"].startswith(created[:19])
        assert first.headers["etag"] == 'W/"1"'
        assert at(client, path, edited).json()["title"] == {"ar": "محادثات موسكو غير المباشرة"}
        assert at(client, path, before(created)).status_code == 404
        assert at(client, path, deleted).status_code == 410
        assert client.get(path).status_code == 410  # and now, without as_of, as before

    def test_a_draft_of_the_past_stays_hidden_from_the_public(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers, status="draft")
        path = f"/v1/events/{event['id']}"
        (created,) = revision_times(client, path, editor_headers)
        assert at(client, path, created).status_code == 404
        assert at(client, path, created, editor_headers).status_code == 200

    def test_an_instant_without_an_offset_or_in_the_future_is_422(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        for instant in ("2020-01-13T10:00:00", "2999-01-01T00:00:00Z", "yesterday"):
            response = at(client, f"/v1/events/{event['id']}", instant)
            assert response.status_code == 422, instant
            assert response.json()["errors"][0]["loc"] == ["query", "as_of"]


def test_other_records_read_as_of_too(client: TestClient, editor_headers: Headers) -> None:
    actor = make_actor(client, editor_headers)
    path = f"/v1/actors/{actor['id']}"
    client.patch(
        path, json={"names": {"en": "Renamed"}}, headers={**editor_headers, "If-Match": 'W/"1"'}
    )
    created, _ = revision_times(client, path, editor_headers)
    assert at(client, path, created).json()["names"] == actor["names"]
    assert client.get(path).json()["names"] == {"en": "Renamed"}
