"""?as_of= on single records: exactly what the service showed at that instant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from tests.factories import make_actor, make_event, make_event_process, make_process

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


class TestWholeDatabaseAsOf:
    """Lists, timelines, the tracker and exports read the past as single records do."""

    def test_the_list_before_an_event_existed_and_before_it_was_deleted(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        kept = make_event(client, editor_headers)
        first_instant = revision_times(client, f"/v1/events/{kept['id']}", editor_headers)[0]
        later = make_event(client, editor_headers, title={"ar": "خرق الهدنة", "en": "Breach"})
        client.delete(f"/v1/events/{kept['id']}", headers={**admin_headers, "If-Match": 'W/"1"'})

        def ids(params: dict[str, str]) -> list[str]:
            response = client.get("/v1/events", params=params)
            assert response.status_code == 200, response.text
            return [item["id"] for item in response.json()["items"]]

        assert ids({}) == [later["id"]]
        assert ids({"as_of": first_instant}) == [kept["id"]]
        assert ids({"as_of": first_instant, "q": "موسكو"}) == [kept["id"]]  # search index too
        assert ids({"as_of": first_instant, "q": "الهدنة"}) == []
        assert ids({}) == [later["id"]]  # the rewind left nothing behind

    def test_the_past_loosens_the_words_it_did_not_hold_yet(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        older = make_event(
            client, editor_headers, title={"en": "Haftar shells Zawiya"}, original_language="en"
        )["id"]
        instant = revision_times(client, f"/v1/events/{older}", editor_headers)[0]
        typo = make_event(
            client, editor_headers, title={"en": "Hafter leaves Zawiya"}, original_language="en"
        )["id"]

        def found(q: str, **params: str) -> set[str]:
            response = client.get("/v1/events", params={"q": q, **params})
            assert response.status_code == 200, response.text
            return {item["id"] for item in response.json()["items"]}

        # Then, no record held "Hafter": it found the word one letter off; "Zawiya", held by
        # the older event, was still there to be found by its parts.
        assert found("Hafter", as_of=instant) == {older}
        assert found("Zawiy", as_of=instant) == {older}
        assert found("Hafter") == {typo}  # now a record holds it: taken at its word
        assert found("Zawiy") == {older, typo}

    def test_a_breach_added_later_is_not_in_the_tracker_of_before(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        truce = make_process(client, editor_headers)
        clash = make_event(client, editor_headers, type="ceasefire.breach", when="2020-01-14")
        before_breach = client.get(f"/v1/processes/{truce['id']}/ceasefire").json()
        instant = dt.datetime.now(dt.UTC).isoformat()
        make_event_process(
            client,
            editor_headers,
            event_id=clash["id"],
            process_id=truce["id"],
            relation="violates",
        )
        now = client.get(f"/v1/processes/{truce['id']}/ceasefire")
        then = client.get(f"/v1/processes/{truce['id']}/ceasefire", params={"as_of": instant})
        assert now.json() != before_breach
        assert then.json() == before_breach
        assert then.headers["waqai-as-of"] == instant

    def test_the_past_asked_again_is_not_sent_again_until_the_data_changes(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        make_event(client, editor_headers)
        instant = dt.datetime.now(dt.UTC).isoformat()
        make_event(client, editor_headers)
        first = client.get("/v1/timeline", params={"as_of": instant})
        assert len(first.json()["items"]) == 1
        held = {"If-None-Match": first.headers["ETag"]}
        assert (
            client.get("/v1/timeline", params={"as_of": instant}, headers=held).status_code == 304
        )
        make_event(client, editor_headers)
        again = client.get("/v1/timeline", params={"as_of": instant}, headers=held)
        assert again.status_code == 200
        assert again.json() == first.json()

    def test_an_export_of_the_past_streams_the_past(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event = make_event(client, editor_headers)
        instant = dt.datetime.now(dt.UTC).isoformat()
        client.patch(
            f"/v1/events/{event['id']}",
            json={"title": {"ar": "عنوان لاحق"}},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        then = client.get("/v1/events/export", params={"format": "ndjson", "as_of": instant})
        assert then.status_code == 200
        assert then.headers["waqai-as-of"] == instant
        assert "محادثات موسكو" in then.text
        assert "عنوان لاحق" not in then.text
        assert "عنوان لاحق" in client.get("/v1/events/export", params={"format": "ndjson"}).text

    def test_a_future_instant_is_refused_before_any_export_starts(self, client: TestClient) -> None:
        response = client.get(
            "/v1/timeline", params={"format": "csv", "as_of": "2999-01-01T00:00:00Z"}
        )
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["errors"][0]["loc"] == ["query", "as_of"]


class TestRewindLimit:
    @pytest.fixture
    def app_settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"as_of_max_changes": 2})

    # Exports stream from their own session: the refusal must still come before the first byte.
    @pytest.mark.parametrize(
        "path", ["/v1/events", "/v1/events/export?format=csv", "/v1/timeline?format=ndjson"]
    )
    def test_too_many_changes_since_the_instant_is_a_clear_422(
        self, client: TestClient, editor_headers: Headers, path: str
    ) -> None:
        instant = dt.datetime.now(dt.UTC).isoformat()
        for _ in range(3):
            make_event(client, editor_headers)
        response = client.get(path, params={"as_of": instant})
        assert response.status_code == 422
        assert response.headers["content-type"] == "application/problem+json"
        assert "3 records changed" in response.json()["detail"]
        assert "WAQAI_AS_OF_MAX_CHANGES" in response.json()["detail"]
        assert len(client.get("/v1/events").json()["items"]) == 3


def test_a_bad_instant_is_named_once_even_where_two_parts_read_it(client: TestClient) -> None:
    response = client.get("/v1/timeline", params={"as_of": "2020-01-01T00:00:00"})
    assert response.status_code == 422
    assert len(response.json()["errors"]) == 1
    assert response.json()["errors"][0]["loc"] == ["query", "as_of"]
