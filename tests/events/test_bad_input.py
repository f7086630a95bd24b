"""Bad requests: each gets a problem+json naming what is wrong, and the database stays as it was."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.core.config import Settings
from app.core.db import Database
from app.models import Revision
from tests.events import expect_problem
from tests.factories import event_body, make_event, make_location

Headers = dict[str, str]
State = Callable[[], tuple[int, int, int]]
NOWHERE = str(uuid.uuid4())


@pytest.fixture
def state(client: TestClient, reader_headers: Headers, database: Database) -> State:
    """A function giving (events a reader sees, locations, revisions) right now."""

    def count(path: str) -> int:
        response = client.get(path, params={"limit": 500}, headers=reader_headers)
        assert response.status_code == 200, response.text
        return len(response.json()["items"])

    def take() -> tuple[int, int, int]:
        with database.session(write=False) as session:
            revisions = session.scalar(select(func.count()).select_from(Revision))
        return count("/v1/events"), count("/v1/locations"), revisions or 0

    return take


@pytest.fixture
def unchanged(state: State, editor_headers: Headers, client: TestClient) -> Iterator[None]:
    """Fail the test if the database changed while it ran (after the fixtures' own writes)."""
    make_event(client, editor_headers)
    before = state()
    yield
    assert state() == before


def expect_named(problem: dict[str, Any], part: str) -> None:
    """The detail and one of the `errors` name the bad part (by its loc, or in words)."""
    assert part in problem["detail"], problem
    errors = problem.get("errors") or []
    assert any(part in e["loc"] or part in e["msg"] for e in errors), problem


@pytest.mark.usefixtures("unchanged")
class TestBadEventBodies:
    @pytest.mark.parametrize(
        ("overrides", "part"),
        [
            ({"colour": "red"}, "colour"),
            ({"id": NOWHERE}, "id"),
            ({"version": 7}, "version"),
            ({"created_at": "2020-01-13T00:00:00Z"}, "created_at"),
            ({"date_lower": "2020-01-13"}, "date_lower"),
            ({"date_precision": "day"}, "date_precision"),
            ({"when": "2020-13-45"}, "when"),
            ({"when": "yesterday"}, "when"),
            ({"when": "2020-01-14/2020-01-12"}, "when"),
            ({"when": ""}, "when"),
            ({"title": {"xx-!!": "محادثات", "ar": "محادثات"}}, "title"),
            ({"title": {"zz": "talks", "ar": "محادثات"}}, "title"),
            ({"title": {"ar": "   "}}, "title"),
            ({"title": {}}, "title"),
            ({"original_language": "zz"}, "original_language"),
            ({"original_language": "en", "title": {"ar": "محادثات"}}, "title"),
            ({"type": "ceasefire"}, "type"),
            ({"status": "retracted"}, "status"),
            ({"location_precision": 8}, "location_precision"),
            ({"fatalities_low": -1}, "fatalities_low"),
            ({"fatalities_low": 10, "fatalities_best": 5}, "fatalities_low"),
            ({"fatalities_best": 10, "fatalities_high": 5}, "fatalities_high"),
            ({"fatalities_low": 10, "fatalities_high": 5}, "fatalities_low"),
        ],
    )
    def test_invalid_fields_are_422(
        self, client: TestClient, editor_headers: Headers, overrides: dict[str, Any], part: str
    ) -> None:
        response = client.post("/v1/events", json=event_body(**overrides), headers=editor_headers)
        expect_named(expect_problem(response, 422, "validation_failed"), part)

    @pytest.mark.parametrize("missing", ["type", "title", "original_language", "when"])
    def test_a_missing_field_is_422(
        self, client: TestClient, editor_headers: Headers, missing: str
    ) -> None:
        body = event_body()
        del body[missing]
        response = client.post("/v1/events", json=body, headers=editor_headers)
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["body", missing]]

    def test_an_unknown_location_is_422(self, client: TestClient, editor_headers: Headers) -> None:
        response = client.post(
            "/v1/events", json=event_body(location_id=NOWHERE), headers=editor_headers
        )
        expect_named(expect_problem(response, 422, "unknown_reference"), "location_id")

    @pytest.mark.parametrize(
        "body",
        [
            event_body(title={"ar": "خرق\u0000الهدنة"}),
            event_body(tags=["ok", "n\u0000l"]),
            {
                **event_body(),
                "participants": [
                    {"actor_id": str(uuid.uuid4()), "role": "party", "note": "\u0000"}
                ],
            },
        ],
        ids=["title", "tag", "nested"],
    )
    def test_a_nul_character_anywhere_is_422_on_both_databases(
        self, client: TestClient, editor_headers: Headers, body: dict[str, Any]
    ) -> None:
        before = client.get("/v1/events").json()["items"]
        response = client.post("/v1/events", json=body, headers=editor_headers)
        assert response.status_code == 422, response.text
        assert "NUL character" in response.json()["detail"]
        assert client.get("/v1/events").json()["items"] == before

    @pytest.mark.parametrize(
        "raw", [b'{"type": "other",', b"{'type': 'other'}", b'{"when": "2020-01-13"}}']
    )
    def test_malformed_json_is_400(
        self, client: TestClient, editor_headers: Headers, raw: bytes
    ) -> None:
        response = client.post(
            "/v1/events",
            content=raw,
            headers={**editor_headers, "Content-Type": "application/json"},
        )
        problem = expect_problem(response, 400, "malformed_json")
        assert "JSON" in problem["detail"]
        assert [e["loc"][0] for e in problem["errors"]] == ["body"]

    @pytest.mark.parametrize("raw", [b"[]", b'"an event"', b"null"])
    def test_a_body_that_is_not_an_object_is_422(
        self, client: TestClient, editor_headers: Headers, raw: bytes
    ) -> None:
        response = client.post(
            "/v1/events",
            content=raw,
            headers={**editor_headers, "Content-Type": "application/json"},
        )
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["body"]]

    @pytest.mark.parametrize(
        "content_type", [None, "text/plain", "application/x-www-form-urlencoded"]
    )
    def test_a_body_that_is_not_json_is_415(
        self, client: TestClient, editor_headers: Headers, content_type: str | None
    ) -> None:
        headers = {**editor_headers, **({"Content-Type": content_type} if content_type else {})}
        response = client.post(
            "/v1/events", content=json.dumps(event_body()).encode(), headers=headers
        )
        problem = expect_problem(response, 415, "unsupported_media_type")
        assert "application/json" in problem["detail"]


def _body_of_size(size: int) -> bytes:
    """A JSON event body exactly `size` bytes long."""
    empty = json.dumps(event_body(summary={"en": ""})).encode()
    return json.dumps(event_body(summary={"en": "x" * (size - len(empty))})).encode()


@pytest.mark.usefixtures("unchanged")
class TestBodySize:
    def test_a_body_just_over_the_limit_is_413(
        self, client: TestClient, editor_headers: Headers, app_settings: Settings
    ) -> None:
        body = _body_of_size(app_settings.max_body_bytes + 1)
        response = client.post(
            "/v1/events",
            content=body,
            headers={**editor_headers, "Content-Type": "application/json"},
        )
        problem = expect_problem(response, 413, "payload_too_large")
        assert str(app_settings.max_body_bytes) in problem["detail"]

    def test_a_streamed_body_over_the_limit_is_413(
        self, client: TestClient, editor_headers: Headers, app_settings: Settings
    ) -> None:
        body = _body_of_size(app_settings.max_body_bytes + 1)
        chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
        response = client.post(
            "/v1/events",
            content=chunks,
            headers={**editor_headers, "Content-Type": "application/json"},
        )
        assert "content-length" not in response.request.headers
        expect_problem(response, 413, "payload_too_large")

    def test_a_body_at_the_limit_is_read(
        self, client: TestClient, editor_headers: Headers, app_settings: Settings
    ) -> None:
        body = _body_of_size(app_settings.max_body_bytes)
        response = client.post(
            "/v1/events",
            content=body,
            headers={**editor_headers, "Content-Type": "application/json"},
        )
        # Read and validated, not refused for its size: the summary is over its own 20,000 limit.
        expect_named(expect_problem(response, 422, "validation_failed"), "summary")


class TestBadEventChanges:
    @pytest.fixture
    def event(self, client: TestClient, editor_headers: Headers) -> dict[str, Any]:
        return make_event(client, editor_headers, fatalities_low=2, fatalities_best=4)

    @pytest.fixture(autouse=True)
    def kept(self, client: TestClient, event: dict[str, Any], state: State) -> Iterator[None]:
        """The event and the counts are as they were after every refused change."""
        before = state()
        yield
        assert client.get(f"/v1/events/{event['id']}").json() == event
        assert state() == before

    @pytest.mark.parametrize(
        ("change", "part"),
        [
            ({"when": "2020-13-45"}, "when"),
            ({"when": "2020-01-14/2020-01-12"}, "when"),
            ({"title": None}, "title"),
            ({"title": {"zz": "talks"}}, "title"),
            ({"version": 9}, "version"),
            ({"updated_at": "2020-01-13T00:00:00Z"}, "updated_at"),
            ({"fatalities_best": 1}, "fatalities_low"),
            ({"fatalities_high": 3}, "fatalities_high"),
            ({"original_language": "fr"}, "title"),
            ({"status": "retracted"}, "retraction_reason"),
        ],
    )
    def test_invalid_changes_are_422(
        self,
        client: TestClient,
        editor_headers: Headers,
        event: dict[str, Any],
        change: dict[str, Any],
        part: str,
    ) -> None:
        response = client.patch(
            f"/v1/events/{event['id']}",
            json=change,
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        expect_named(expect_problem(response, 422, "validation_failed"), part)

    def test_an_unknown_location_is_422(
        self, client: TestClient, editor_headers: Headers, event: dict[str, Any]
    ) -> None:
        response = client.patch(
            f"/v1/events/{event['id']}",
            json={"location_id": NOWHERE},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        expect_named(expect_problem(response, 422, "unknown_reference"), "location_id")

    @pytest.mark.parametrize(
        ("if_match", "status", "code"),
        [
            (None, 428, "precondition_required"),
            ("", 428, "precondition_required"),
            ('W/"2"', 412, "version_conflict"),
            ('W/"0"', 412, "version_conflict"),
            ("banana", 412, "version_conflict"),
        ],
    )
    @pytest.mark.parametrize("method", ["PATCH", "DELETE"])
    def test_a_missing_or_stale_if_match_is_refused(
        self,
        client: TestClient,
        admin_headers: Headers,
        event: dict[str, Any],
        method: str,
        if_match: str | None,
        status: int,
        code: str,
    ) -> None:
        headers = {**admin_headers, **({"If-Match": if_match} if if_match is not None else {})}
        body = {"tags": ["changed"]} if method == "PATCH" else None
        response = client.request(method, f"/v1/events/{event['id']}", json=body, headers=headers)
        problem = expect_problem(response, status, code)
        assert "If-Match" in problem["detail"] or "version" in problem["detail"]


@pytest.mark.usefixtures("unchanged")
class TestBadLocations:
    @pytest.mark.parametrize(
        ("overrides", "part"),
        [
            ({"latitude": 90.5}, "latitude"),
            ({"latitude": -91}, "latitude"),
            ({"longitude": 180.01}, "longitude"),
            ({"longitude": -181}, "longitude"),
        ],
    )
    def test_coordinates_out_of_range_are_422(
        self, client: TestClient, editor_headers: Headers, overrides: dict[str, Any], part: str
    ) -> None:
        response = client.post(
            "/v1/locations",
            json={"names": {"en": "Nowhere"}, "kind": "other", **overrides},
            headers=editor_headers,
        )
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["body", part]]
        expect_named(problem, part)


class TestLocationEdges:
    def test_the_extreme_coordinates_are_allowed(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        made = make_location(client, editor_headers, latitude=-90, longitude=180)
        assert (made["latitude"], made["longitude"]) == (-90, 180)


class TestBadRoutes:
    def test_an_unknown_route_is_404(self, client: TestClient) -> None:
        problem = expect_problem(client.get("/v1/happenings"), 404, "not_found")
        assert "/v1/happenings" in problem["detail"]

    def test_a_wrong_method_is_405(self, client: TestClient) -> None:
        response = client.delete("/v1/events")
        problem = expect_problem(response, 405, "method_not_allowed")
        assert "DELETE" in problem["detail"]
        assert {m.strip() for m in response.headers["Allow"].split(",")} == {"GET", "POST"}

    def test_an_id_that_is_not_a_uuid_is_422(self, client: TestClient) -> None:
        problem = expect_problem(client.get("/v1/events/42"), 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["path", "event_id"]]
