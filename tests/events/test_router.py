"""The events API: create, read, change, retract, delete, history, visibility, lists, children."""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from tests.events import expect_problem, listed_ids, revisions
from tests.factories import (
    event_body,
    make_actor,
    make_citation,
    make_event,
    make_location,
    make_participant,
    make_process,
    make_source,
)

Headers = dict[str, str]


def _patch(
    client: TestClient, path: str, headers: Headers, body: dict[str, Any], etag: str | None
) -> Any:
    extra = {"If-Match": etag} if etag is not None else {}
    return client.patch(path, json=body, headers={**headers, **extra})


def _etag(client: TestClient, path: str, headers: Headers) -> str:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return str(response.headers["ETag"])


class TestCreateEvent:
    def test_stores_the_event_and_says_where_it_is(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        body = event_body(
            summary={"en": "Indirect talks lasted eight hours."},
            verification="corroborated",
            verification_reason="Two wire services report it.",
            external_ids={"acled": "LBY1234"},
            tags=["moscow", "truce"],
        )
        response = client.post("/v1/events", json=body, headers=editor_headers)

        assert response.status_code == 201, response.text
        created = response.json()
        assert response.headers["Location"] == f"/v1/events/{created['id']}"
        assert response.headers["ETag"] == 'W/"1"'
        assert created["version"] == 1
        sent = {k: v for k, v in body.items() if k != "verification_reason"}
        assert {k: created[k] for k in sent} == sent
        decision = created["verification_decision"]
        assert (decision["verification"], decision["reason"]) == (
            "corroborated",
            "Two wire services report it.",
        )
        assert decision["by"].endswith(":test editor")
        assert created["participants"] == created["citations"] == created["links"] == []
        assert client.get(response.headers["Location"]).json() == created

    def test_is_a_draft_unless_published(self, client: TestClient, editor_headers: Headers) -> None:
        body = event_body()
        del body["status"]
        created = client.post("/v1/events", json=body, headers=editor_headers).json()
        assert (created["status"], created["verification"]) == ("draft", "unverified")
        assert created["retraction_reason"] is None

    @pytest.mark.parametrize(
        ("when", "lower", "upper", "precision"),
        [
            ("2020-01-13", "2020-01-13", "2020-01-13", "day"),
            ("2020-01", "2020-01-01", "2020-01-31", "month"),
            ("2020", "2020-01-01", "2020-12-31", "year"),
            ("2020-01-12/2020-01-14", "2020-01-12", "2020-01-14", "days"),
            ("2020-01-12/..", "2020-01-12", None, "open"),
            ("../2020-01-13", None, "2020-01-13", "open"),
            ("2020-01~", "2020-01-01", "2020-01-31", "approximate"),
            ("2020-01-1X", "2020-01-10", "2020-01-19", "days"),
            ("2020-01-13T23:30-05:00", "2020-01-13", "2020-01-13", "day"),
        ],
    )
    def test_derives_date_bounds_from_when(
        self,
        client: TestClient,
        editor_headers: Headers,
        when: str,
        lower: str | None,
        upper: str | None,
        precision: str,
    ) -> None:
        created = make_event(client, editor_headers, when=when)
        assert created["when"] == when
        assert (created["date_lower"], created["date_upper"]) == (lower, upper)
        assert created["date_precision"] == precision

    def test_places_the_event(self, client: TestClient, editor_headers: Headers) -> None:
        place = make_location(client, editor_headers)
        created = make_event(client, editor_headers, location_id=place["id"], location_precision=2)
        assert (created["location_id"], created["location_precision"]) == (place["id"], 2)

    @pytest.mark.parametrize(
        ("who", "status", "code"), [(None, 401, "unauthorized"), ("reader", 403, "forbidden")]
    )
    def test_needs_an_editor_key(
        self,
        client: TestClient,
        reader_headers: Headers,
        who: str | None,
        status: int,
        code: str,
    ) -> None:
        headers = reader_headers if who == "reader" else None
        response = client.post("/v1/events", json=event_body(), headers=headers)
        expect_problem(response, status, code)
        assert listed_ids(client, reader_headers) == set()


class TestGetEvent:
    def test_returns_the_event_with_its_etag(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        created = make_event(client, editor_headers)
        response = client.get(f"/v1/events/{created['id']}")
        assert response.status_code == 200
        assert response.headers["ETag"] == 'W/"1"'
        assert response.json() == created

    def test_answers_304_to_the_current_etag(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event_id = make_event(client, editor_headers)["id"]
        response = client.get(f"/v1/events/{event_id}", headers={"If-None-Match": 'W/"1"'})
        assert response.status_code == 304
        assert response.headers["ETag"] == 'W/"1"'
        assert response.content == b""

    def test_answers_200_to_an_old_etag(self, client: TestClient, editor_headers: Headers) -> None:
        event_id = make_event(client, editor_headers)["id"]
        _patch(client, f"/v1/events/{event_id}", editor_headers, {"tags": ["x"]}, 'W/"1"')
        response = client.get(f"/v1/events/{event_id}", headers={"If-None-Match": 'W/"1"'})
        assert response.status_code == 200
        assert (response.headers["ETag"], response.json()["tags"]) == ('W/"2"', ["x"])

    def test_unknown_id_is_404(self, client: TestClient) -> None:
        expect_problem(client.get(f"/v1/events/{uuid.uuid4()}"), 404, "event_not_found")


class TestUpdateEvent:
    def test_if_match_applies_the_change_and_bumps_the_version(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        created = make_event(client, editor_headers)
        path = f"/v1/events/{created['id']}"
        response = _patch(
            client,
            path,
            editor_headers,
            {"verification": "confirmed", "verification_reason": "Seen on video."},
            'W/"1"',
        )

        assert response.status_code == 200, response.text
        assert response.headers["ETag"] == 'W/"2"'
        updated = response.json()
        assert (updated["version"], updated["verification"]) == (2, "confirmed")
        assert updated["title"] == created["title"]
        assert updated["updated_at"] > created["updated_at"]
        assert client.get(path).json() == updated

    def test_a_new_when_rederives_the_bounds(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event_id = make_event(client, editor_headers, when="2020-01-13")["id"]
        response = _patch(
            client, f"/v1/events/{event_id}", editor_headers, {"when": "2020-01~"}, 'W/"1"'
        )
        updated = response.json()
        assert updated["when"] == "2020-01~"
        assert (updated["date_lower"], updated["date_upper"]) == ("2020-01-01", "2020-01-31")
        assert updated["date_precision"] == "approximate"

    def test_without_if_match_is_428_and_changes_nothing(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        created = make_event(client, editor_headers)
        path = f"/v1/events/{created['id']}"
        response = _patch(
            client,
            path,
            editor_headers,
            {"verification": "confirmed", "verification_reason": "Seen on video."},
            None,
        )
        expect_problem(response, 428, "precondition_required")
        assert client.get(path).json() == created

    def test_a_stale_if_match_is_412_and_keeps_the_other_change(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        path = f"/v1/events/{make_event(client, editor_headers)['id']}"
        first = _patch(
            client,
            path,
            editor_headers,
            {"verification": "confirmed", "verification_reason": "Seen on video."},
            'W/"1"',
        )
        assert first.status_code == 200

        second = _patch(
            client,
            path,
            editor_headers,
            {"verification": "disputed", "verification_reason": "Denied by both sides."},
            'W/"1"',
        )

        expect_problem(second, 412, "version_conflict")
        assert client.get(path).json() == first.json()

    def test_a_deleted_event_is_410(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        path = f"/v1/events/{make_event(client, editor_headers)['id']}"
        client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'})
        response = _patch(client, path, editor_headers, {"tags": ["x"]}, 'W/"2"')
        expect_problem(response, 410, "event_deleted")


class TestRetractEvent:
    def test_needs_a_reason(self, client: TestClient, editor_headers: Headers) -> None:
        created = make_event(client, editor_headers)
        path = f"/v1/events/{created['id']}"
        response = _patch(client, path, editor_headers, {"status": "retracted"}, 'W/"1"')
        expect_problem(response, 422, "validation_failed")
        assert client.get(path).json() == created

    def test_keeps_the_record_and_its_reason(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event_id = make_event(client, editor_headers)["id"]
        change = {"status": "retracted", "retraction_reason": "Duplicate of an earlier report."}
        response = _patch(client, f"/v1/events/{event_id}", editor_headers, change, 'W/"1"')

        assert response.status_code == 200, response.text
        tombstone = client.get(f"/v1/events/{event_id}").json()  # anyone can still read it
        assert tombstone["status"] == "retracted"
        assert tombstone["retraction_reason"] == "Duplicate of an earlier report."
        assert tombstone["created_at"] < tombstone["retracted_at"] <= tombstone["updated_at"]
        assert event_id in listed_ids(client)
        last = revisions(client, event_id, editor_headers)[-1]
        assert (last["op"], last["reason"]) == ("retract", "Duplicate of an earlier report.")
        assert last["after"]["retraction_reason"] == "Duplicate of an earlier report."

    def test_restoring_clears_the_reason(self, client: TestClient, editor_headers: Headers) -> None:
        event_id = make_event(client, editor_headers)["id"]
        path = f"/v1/events/{event_id}"
        retract = {"status": "retracted", "retraction_reason": "Wrong date."}
        _patch(client, path, editor_headers, retract, 'W/"1"')

        response = _patch(client, path, editor_headers, {"status": "published"}, 'W/"2"')

        assert response.status_code == 200, response.text
        assert (response.json()["status"], response.json()["retraction_reason"]) == (
            "published",
            None,
        )
        assert response.json()["retracted_at"] is None
        assert revisions(client, event_id, editor_headers)[-1]["op"] == "restore"


class TestDeleteEvent:
    def test_an_editor_may_not_delete(self, client: TestClient, editor_headers: Headers) -> None:
        event_id = make_event(client, editor_headers)["id"]
        response = client.delete(
            f"/v1/events/{event_id}", headers={**editor_headers, "If-Match": 'W/"1"'}
        )
        expect_problem(response, 403, "forbidden")
        assert client.get(f"/v1/events/{event_id}").status_code == 200

    def test_an_admin_deletes_and_history_remains(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        created = make_event(client, editor_headers)
        path = f"/v1/events/{created['id']}"

        response = client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'})

        assert response.status_code == 204
        assert response.content == b""
        expect_problem(client.get(path), 410, "event_deleted")
        assert listed_ids(client, admin_headers) == set()
        last = revisions(client, created["id"], admin_headers)[-1]
        assert (last["op"], last["version"], last["after"]) == ("delete", 2, None)
        record = {k: v for k, v in created.items() if k != "claims"}  # claims are a view
        assert last["before"] == record

    def test_without_if_match_is_428(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        path = f"/v1/events/{make_event(client, editor_headers)['id']}"
        expect_problem(client.delete(path, headers=admin_headers), 428, "precondition_required")
        assert client.get(path).status_code == 200

    def test_twice_is_410(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        path = f"/v1/events/{make_event(client, editor_headers)['id']}"
        client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'})
        response = client.delete(path, headers={**admin_headers, "If-Match": 'W/"2"'})
        expect_problem(response, 410, "event_deleted")


class TestEventRevisions:
    def test_every_change_writes_one_revision_naming_key_and_request(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        keys = {k["name"]: k["id"] for k in client.get("/v1/keys", headers=admin_headers).json()}
        editor, admin = (
            f"key:{keys['test editor']}:test editor",
            f"key:{keys['test admin']}:test admin",
        )
        actor_id = make_actor(client, editor_headers)["id"]

        created = client.post("/v1/events", json=event_body(), headers=editor_headers)
        path = f"/v1/events/{created.json()['id']}"
        updated = _patch(
            client,
            path,
            editor_headers,
            {"verification": "confirmed", "verification_reason": "Seen on video."},
            'W/"1"',
        )
        added = client.post(
            f"{path}/participants",
            json={"actor_id": actor_id, "role": "party"},
            headers=editor_headers,
        )
        changed = _patch(
            client, added.headers["Location"], editor_headers, {"stance": "signed"}, 'W/"1"'
        )
        removed = client.delete(
            added.headers["Location"], headers={**editor_headers, "If-Match": 'W/"2"'}
        )
        deleted = client.delete(path, headers={**admin_headers, "If-Match": 'W/"5"'})
        steps = [created, updated, added, changed, removed, deleted]
        assert [r.status_code for r in steps] == [201, 200, 201, 200, 204, 204]

        found = revisions(client, created.json()["id"], admin_headers)

        assert [(r["version"], r["op"], r["by"], r["request_id"]) for r in found] == [
            (1, "create", editor, created.headers["X-Request-ID"]),
            (2, "update", editor, updated.headers["X-Request-ID"]),
            (3, "update", editor, added.headers["X-Request-ID"]),
            (4, "update", editor, changed.headers["X-Request-ID"]),
            (5, "update", editor, removed.headers["X-Request-ID"]),
            (6, "delete", admin, deleted.headers["X-Request-ID"]),
        ]
        assert found[0]["before"] is None
        assert found[0]["after"] == {k: v for k, v in created.json().items() if k != "claims"}
        assert (found[1]["before"]["verification"], found[1]["after"]["verification"]) == (
            "unverified",
            "confirmed",
        )
        assert found[1]["changed"] == [
            "updated_at",
            "verification",
            "verification_decision",
            "version",
        ]
        assert (found[2]["before"]["participants"], found[2]["after"]["participants"]) == (
            [],
            [added.json()],
        )
        assert found[3]["after"]["participants"][0]["stance"] == "signed"
        assert found[4]["after"]["participants"] == []
        assert found[5]["after"] is None

    def test_a_request_id_sent_by_the_client_is_kept(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        response = client.post(
            "/v1/events", json=event_body(), headers={**editor_headers, "X-Request-ID": "trace-42"}
        )
        assert response.headers["X-Request-ID"] == "trace-42"
        assert revisions(client, response.json()["id"], editor_headers)[0]["request_id"] == (
            "trace-42"
        )

    def test_a_refused_change_writes_none(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        event_id = make_event(client, editor_headers)["id"]
        _patch(client, f"/v1/events/{event_id}", editor_headers, {"tags": ["x"]}, 'W/"9"')
        assert [r["op"] for r in revisions(client, event_id, editor_headers)] == ["create"]


class TestEventVisibility:
    @pytest.fixture
    def events(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        return {
            status: make_event(client, editor_headers, status=status)["id"]
            for status in ("draft", "published")
        }

    def test_anonymous_callers_see_published_events_only(
        self, client: TestClient, events: dict[str, str]
    ) -> None:
        assert listed_ids(client) == {events["published"]}
        assert client.get(f"/v1/events/{events['published']}").status_code == 200

    @pytest.mark.parametrize("suffix", ["", "/revisions", "/participants", "/citations"])
    def test_a_draft_is_404_to_anonymous_callers(
        self, client: TestClient, events: dict[str, str], suffix: str
    ) -> None:
        response = client.get(f"/v1/events/{events['draft']}{suffix}")
        expect_problem(response, 404, "event_not_found")

    def test_a_reader_key_sees_drafts(
        self, client: TestClient, reader_headers: Headers, events: dict[str, str]
    ) -> None:
        assert listed_ids(client, reader_headers) == set(events.values())
        response = client.get(f"/v1/events/{events['draft']}", headers=reader_headers)
        assert (response.status_code, response.json()["status"]) == (200, "draft")

    def test_a_deleted_draft_is_404_to_anonymous_callers(
        self, client: TestClient, admin_headers: Headers, events: dict[str, str]
    ) -> None:
        path = f"/v1/events/{events['draft']}"
        client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'})
        expect_problem(client.get(path), 404, "event_not_found")

    def test_a_bad_key_is_401_even_for_public_reads(
        self, client: TestClient, events: dict[str, str]
    ) -> None:
        response = client.get("/v1/events", headers={"Authorization": "Bearer wq_not-a-key"})
        expect_problem(response, 401, "unauthorized")


class TestPrivateServer:
    @pytest.fixture
    def app_settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"public_read": False})

    def test_anonymous_callers_get_401(self, client: TestClient, editor_headers: Headers) -> None:
        event_id = make_event(client, editor_headers)["id"]
        expect_problem(client.get("/v1/events"), 401, "unauthorized")
        expect_problem(client.get(f"/v1/events/{event_id}"), 401, "unauthorized")

    def test_a_reader_key_still_reads(
        self, client: TestClient, editor_headers: Headers, reader_headers: Headers
    ) -> None:
        event_id = make_event(client, editor_headers)["id"]
        assert listed_ids(client, reader_headers) == {event_id}


def _decode_cursor(cursor: str) -> tuple[dict[str, Any], str]:
    payload, signature = cursor.split(".")
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))), signature


def _encode_payload(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()


class TestListEvents:
    # Timeline order: an unbounded start sorts first, an unbounded end last; ties by id.
    DATES = (
        "2020-01-13",
        "2020-01",
        "../2020-01-10",
        "2020-01-12/..",
        "2020-01-13",
        "2019",
        "2020-01-12/2020-01-14",
    )

    @pytest.fixture
    def ordered(self, client: TestClient, editor_headers: Headers) -> list[str]:
        """The events' ids in the order the timeline must give them."""
        ids = [make_event(client, editor_headers, when=when)["id"] for when in self.DATES]
        return [ids[2], ids[5], ids[1], ids[6], ids[3], *sorted([ids[0], ids[4]])]

    def _pages(
        self, client: TestClient, between: Any = None, **params: Any
    ) -> list[dict[str, Any]]:
        pages, cursor = [], None
        while True:
            query = {**params, **({"cursor": cursor} if cursor else {})}
            response = client.get("/v1/events", params=query)
            assert response.status_code == 200, response.text
            pages.append(response.json())
            cursor = response.json()["next_cursor"]
            if cursor is None:
                assert "Link" not in response.headers
                return pages
            if between is not None:
                between()

    def test_is_in_timeline_order(self, client: TestClient, ordered: list[str]) -> None:
        items = client.get("/v1/events").json()["items"]
        assert [item["id"] for item in items] == ordered

    def test_pages_join_up_to_the_unpaged_list(
        self, client: TestClient, ordered: list[str]
    ) -> None:
        pages = self._pages(client, limit=2)
        assert [len(page["items"]) for page in pages] == [2, 2, 2, 1]
        assert [item["id"] for page in pages for item in page["items"]] == ordered

    def test_link_header_points_to_the_next_page(
        self, client: TestClient, ordered: list[str]
    ) -> None:
        first = client.get("/v1/events", params={"limit": 2, "verification": "unverified"})
        match = re.fullmatch(r'<([^>]+)>; rel="next"', first.headers["Link"])
        assert match is not None
        second = client.get(match.group(1))
        assert [item["id"] for item in second.json()["items"]] == ordered[2:4]

    def test_link_header_keeps_repeated_filters(
        self, client: TestClient, editor_headers: Headers, ordered: list[str]
    ) -> None:
        shelling = [
            make_event(client, editor_headers, type="violence.shelling")["id"] for _ in "ab"
        ]
        params = {"limit": 2, "type": ["negotiation.talks", "violence.shelling"]}
        first = client.get("/v1/events", params=params)
        match = re.fullmatch(r'<([^>]+)>; rel="next"', first.headers["Link"])
        assert match is not None

        second = client.get(match.group(1))

        assert second.status_code == 200, second.text
        expected = client.get("/v1/events", params={**params, "limit": 500}).json()["items"]
        assert len(expected) == len(ordered) + len(shelling)
        assert [i["id"] for i in second.json()["items"]] == [i["id"] for i in expected[2:4]]

    def test_new_events_cause_no_gap_or_duplicate(
        self, client: TestClient, editor_headers: Headers, ordered: list[str]
    ) -> None:
        whens = iter(["2018", "2020-01-13", "2021"])

        def insert() -> None:
            make_event(client, editor_headers, when=next(whens, "2022"))

        pages = self._pages(client, between=insert, limit=2)
        seen = [item["id"] for page in pages for item in page["items"]]
        assert [i for i in seen if i in ordered] == ordered
        assert len(seen) == len(set(seen))

    def test_newest_first_is_the_reverse_page_by_page(
        self, client: TestClient, editor_headers: Headers, ordered: list[str]
    ) -> None:
        late = iter(["2030", "2031"])
        pages = self._pages(
            client,
            between=lambda: make_event(client, editor_headers, when=next(late, "2032")),
            limit=3,
            sort="-date",
        )
        seen = [item["id"] for page in pages for item in page["items"]]
        # Events added later than the page being read sort before it: never seen, never repeated.
        assert seen == list(reversed(ordered))

    def test_a_tampered_cursor_is_400(self, client: TestClient, ordered: list[str]) -> None:
        cursor = client.get("/v1/events", params={"limit": 2}).json()["next_cursor"]
        payload, signature = _decode_cursor(cursor)
        payload["k"][0] = "0001-01-01"
        forged = f"{_encode_payload(payload)}.{signature}"
        for bad in (forged, "not-a-cursor", cursor[:-3]):
            response = client.get("/v1/events", params={"limit": 2, "cursor": bad})
            expect_problem(response, 400, "invalid_cursor")

    @pytest.mark.parametrize(
        "other", [{"type": "negotiation.talks"}, {"window": "within"}, {"from": "2019-01-01"}]
    )
    def test_a_cursor_is_refused_with_other_filters(
        self, client: TestClient, ordered: list[str], other: dict[str, str]
    ) -> None:
        cursor = client.get("/v1/events", params={"limit": 2}).json()["next_cursor"]
        response = client.get("/v1/events", params={"limit": 2, "cursor": cursor, **other})
        expect_problem(response, 400, "invalid_cursor")

    def test_a_cursor_is_refused_to_a_caller_who_sees_other_records(
        self, client: TestClient, reader_headers: Headers, ordered: list[str]
    ) -> None:
        cursor = client.get("/v1/events", params={"limit": 2}).json()["next_cursor"]
        response = client.get(
            "/v1/events", params={"limit": 2, "cursor": cursor}, headers=reader_headers
        )
        expect_problem(response, 400, "invalid_cursor")

    @pytest.mark.parametrize("limit", [0, -1, 501])
    def test_limit_out_of_range_is_422(self, client: TestClient, limit: int) -> None:
        problem = expect_problem(
            client.get("/v1/events", params={"limit": limit}), 422, "validation_failed"
        )
        assert [e["loc"] for e in problem["errors"]] == [["query", "limit"]]

    def test_limit_500_is_allowed(self, client: TestClient, ordered: list[str]) -> None:
        assert client.get("/v1/events", params={"limit": 500}).status_code == 200

    def test_answers_304_until_the_list_changes(
        self, client: TestClient, editor_headers: Headers, ordered: list[str]
    ) -> None:
        etag = client.get("/v1/events").headers["ETag"]
        again = client.get("/v1/events", headers={"If-None-Match": etag})
        assert (again.status_code, again.headers["ETag"]) == (304, etag)

        _patch(client, f"/v1/events/{ordered[0]}", editor_headers, {"tags": ["x"]}, 'W/"1"')

        after = client.get("/v1/events", headers={"If-None-Match": etag})
        assert after.status_code == 200
        assert after.headers["ETag"] != etag


class TestParticipants:
    @pytest.fixture
    def event_id(self, client: TestClient, editor_headers: Headers) -> str:
        return str(make_event(client, editor_headers)["id"])

    def test_adds_an_actor_with_role_and_stance(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        actor_id = make_actor(client, editor_headers)["id"]
        body = {
            "actor_id": actor_id,
            "role": "signatory",
            "stance": "left_without_signing",
            "stance_when": "2020-01-14",
            "note": "Asked for time until Tuesday.",
        }
        response = client.post(
            f"/v1/events/{event_id}/participants", json=body, headers=editor_headers
        )

        assert response.status_code == 201, response.text
        added = response.json()
        assert response.headers["Location"] == f"/v1/events/{event_id}/participants/{added['id']}"
        assert response.headers["ETag"] == 'W/"1"'
        assert {k: added[k] for k in body} == body
        assert (added["event_id"], added["process_id"]) == (event_id, None)
        event = client.get(f"/v1/events/{event_id}")
        assert (event.headers["ETag"], event.json()["participants"]) == ('W/"2"', [added])
        assert client.get(response.headers["Location"]).json() == added

    def test_an_unknown_actor_is_422(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        response = client.post(
            f"/v1/events/{event_id}/participants",
            json={"actor_id": str(uuid.uuid4()), "role": "party"},
            headers=editor_headers,
        )
        expect_problem(response, 422, "unknown_reference")
        assert _etag(client, f"/v1/events/{event_id}", editor_headers) == 'W/"1"'

    def test_changes_with_the_participants_if_match(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        added = make_participant(client, editor_headers, event_id=event_id)
        path = f"/v1/events/{event_id}/participants/{added['id']}"
        change = {"stance": "signed", "stance_when": "2020-01-13"}

        response = _patch(client, path, editor_headers, change, 'W/"1"')

        assert response.status_code == 200, response.text
        assert response.headers["ETag"] == 'W/"2"'
        assert {k: response.json()[k] for k in change} == change
        assert _etag(client, f"/v1/events/{event_id}", editor_headers) == 'W/"3"'

    def test_the_events_etag_is_not_the_participants(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        added = make_participant(client, editor_headers, event_id=event_id)
        path = f"/v1/events/{event_id}/participants/{added['id']}"
        response = _patch(client, path, editor_headers, {"stance": "signed"}, 'W/"2"')
        expect_problem(response, 412, "version_conflict")
        assert client.get(path).json() == added

    def test_a_change_without_if_match_is_428(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        added = make_participant(client, editor_headers, event_id=event_id)
        path = f"/v1/events/{event_id}/participants/{added['id']}"
        response = _patch(client, path, editor_headers, {"stance": "signed"}, None)
        expect_problem(response, 428, "precondition_required")

    def test_removes_a_participant(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        added = make_participant(client, editor_headers, event_id=event_id)
        path = f"/v1/events/{event_id}/participants/{added['id']}"

        response = client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'})

        assert response.status_code == 204
        expect_problem(client.get(path), 404, "participant_not_found")
        event = client.get(f"/v1/events/{event_id}")
        assert (event.headers["ETag"], event.json()["participants"]) == ('W/"3"', [])

    def test_a_participant_cited_by_a_claim_stays(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        added = make_participant(client, editor_headers, event_id=event_id)
        make_citation(client, editor_headers, event_id=event_id, participation_id=added["id"])
        path = f"/v1/events/{event_id}/participants/{added['id']}"
        response = client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'})
        expect_problem(response, 409, "conflict")
        assert client.get(path).status_code == 200

    def test_another_events_participant_is_404(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        other = make_event(client, editor_headers)["id"]
        added = make_participant(client, editor_headers, event_id=other)
        response = client.get(f"/v1/events/{event_id}/participants/{added['id']}")
        expect_problem(response, 404, "participant_not_found")


class TestCitations:
    @pytest.fixture
    def event_id(self, client: TestClient, editor_headers: Headers) -> str:
        return str(make_event(client, editor_headers)["id"])

    def test_records_who_says_what_in_which_language(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        participation = make_participant(client, editor_headers, event_id=event_id)
        body = {
            "source_id": make_source(client, editor_headers)["id"],
            "participation_id": participation["id"],
            "claimant_actor_id": make_actor(client, editor_headers)["id"],
            "polarity": "asserts",
            "quote": "غادر حفتر موسكو دون التوقيع",
            "quote_language": "ar",
            "translations": {"en": "Haftar left Moscow without signing"},
            "reported_when": "يوم الثلاثاء",
            "resolved_when": "2020-01-14",
        }
        response = client.post(
            f"/v1/events/{event_id}/citations", json=body, headers=editor_headers
        )

        assert response.status_code == 201, response.text
        cited = response.json()
        assert response.headers["Location"] == f"/v1/events/{event_id}/citations/{cited['id']}"
        assert {k: cited[k] for k in body} == body
        event = client.get(f"/v1/events/{event_id}")
        assert (event.headers["ETag"], event.json()["citations"]) == ('W/"3"', [cited])

    def test_needs_a_source(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        response = client.post(
            f"/v1/events/{event_id}/citations", json={"note": "x"}, headers=editor_headers
        )
        problem = expect_problem(response, 422, "validation_failed")
        assert [e["loc"] for e in problem["errors"]] == [["body", "source_id"]]

    def test_an_unknown_source_is_422(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        response = client.post(
            f"/v1/events/{event_id}/citations",
            json={"source_id": str(uuid.uuid4())},
            headers=editor_headers,
        )
        expect_problem(response, 422, "unknown_reference")

    def test_the_participation_must_be_this_events(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        other = make_event(client, editor_headers)["id"]
        foreign = make_participant(client, editor_headers, event_id=other)
        response = client.post(
            f"/v1/events/{event_id}/citations",
            json={
                "source_id": make_source(client, editor_headers)["id"],
                "participation_id": foreign["id"],
            },
            headers=editor_headers,
        )
        problem = expect_problem(response, 422, "unknown_reference")
        assert "participation_id" in problem["detail"]
        assert client.get(f"/v1/events/{event_id}").json()["citations"] == []

    def test_a_quote_needs_its_language(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        response = client.post(
            f"/v1/events/{event_id}/citations",
            json={"source_id": make_source(client, editor_headers)["id"], "quote": "..."},
            headers=editor_headers,
        )
        problem = expect_problem(response, 422, "validation_failed")
        assert "quote_language" in problem["detail"]

    @pytest.mark.parametrize(
        "figures",
        [
            {"fatalities_low": 5, "fatalities_best": 3},
            {"fatalities_best": 9, "fatalities_high": 4},
            {"fatalities_low": 9, "fatalities_high": 4},
        ],
    )
    def test_fatalities_out_of_order_are_422(
        self, client: TestClient, editor_headers: Headers, event_id: str, figures: dict[str, int]
    ) -> None:
        body = {"source_id": make_source(client, editor_headers)["id"], **figures}
        response = client.post(
            f"/v1/events/{event_id}/citations", json=body, headers=editor_headers
        )
        expect_problem(response, 422, "validation_failed")

    def test_a_change_may_not_disorder_the_fatalities(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        cited = make_citation(
            client, editor_headers, event_id=event_id, fatalities_low=2, fatalities_best=4
        )
        path = f"/v1/events/{event_id}/citations/{cited['id']}"
        response = _patch(client, path, editor_headers, {"fatalities_best": 1}, 'W/"1"')
        expect_problem(response, 422, "validation_failed")
        assert client.get(path).json() == cited

    @pytest.mark.parametrize(
        ("initial", "change"),
        [
            ({}, {"quote": "غادر حفتر موسكو"}),
            ({"quote": "x", "quote_language": "ar"}, {"quote_language": None}),
        ],
    )
    def test_a_change_may_not_leave_a_quote_without_its_language(
        self,
        client: TestClient,
        editor_headers: Headers,
        event_id: str,
        initial: dict[str, str],
        change: dict[str, str | None],
    ) -> None:
        cited = make_citation(client, editor_headers, event_id=event_id, **initial)
        path = f"/v1/events/{event_id}/citations/{cited['id']}"
        response = _patch(client, path, editor_headers, change, 'W/"1"')
        problem = expect_problem(response, 422, "validation_failed")
        assert "quote_language" in problem["detail"]
        assert client.get(path).json() == cited

    def test_changes_and_removes_a_citation(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        cited = make_citation(client, editor_headers, event_id=event_id)
        path = f"/v1/events/{event_id}/citations/{cited['id']}"

        changed = _patch(client, path, editor_headers, {"polarity": "denies"}, 'W/"1"')
        removed = client.delete(path, headers={**editor_headers, "If-Match": 'W/"2"'})

        assert (changed.status_code, changed.json()["polarity"]) == (200, "denies")
        assert removed.status_code == 204
        expect_problem(client.get(path), 404, "citation_not_found")
        assert _etag(client, f"/v1/events/{event_id}", editor_headers) == 'W/"4"'


class TestProcessRelations:
    @pytest.fixture
    def event_id(self, client: TestClient, editor_headers: Headers) -> str:
        return str(make_event(client, editor_headers, type="ceasefire.breach")["id"])

    def _add(
        self, client: TestClient, headers: Headers, event_id: str, process_id: str, relation: str
    ) -> Any:
        return client.post(
            f"/v1/events/{event_id}/processes",
            json={"process_id": process_id, "relation": relation},
            headers=headers,
        )

    def test_relates_the_event_to_a_process(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        process_id = make_process(client, editor_headers)["id"]
        response = self._add(client, editor_headers, event_id, process_id, "alleged_violation_of")

        assert response.status_code == 201, response.text
        added = response.json()
        assert (added["process_id"], added["relation"]) == (process_id, "alleged_violation_of")
        event = client.get(f"/v1/events/{event_id}")
        assert (event.headers["ETag"], event.json()["processes"]) == ('W/"2"', [added])

    def test_the_same_relation_twice_is_409(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        process_id = make_process(client, editor_headers)["id"]
        self._add(client, editor_headers, event_id, process_id, "violates")

        again = self._add(client, editor_headers, event_id, process_id, "violates")
        other = self._add(client, editor_headers, event_id, process_id, "responds_to")

        expect_problem(again, 409, "conflict")
        assert other.status_code == 201

    def test_an_unknown_process_is_422(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        response = self._add(client, editor_headers, event_id, str(uuid.uuid4()), "part_of")
        expect_problem(response, 422, "unknown_reference")

    def test_removal_needs_the_events_if_match(
        self, client: TestClient, editor_headers: Headers, event_id: str
    ) -> None:
        process_id = make_process(client, editor_headers)["id"]
        added = self._add(client, editor_headers, event_id, process_id, "part_of").json()
        path = f"/v1/events/{event_id}/processes/{added['id']}"

        missing = client.delete(path, headers=editor_headers)
        stale = client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'})
        removed = client.delete(path, headers={**editor_headers, "If-Match": 'W/"2"'})

        expect_problem(missing, 428, "precondition_required")
        expect_problem(stale, 412, "version_conflict")
        assert removed.status_code == 204
        event = client.get(f"/v1/events/{event_id}")
        assert (event.headers["ETag"], event.json()["processes"]) == ('W/"3"', [])


class TestLinks:
    @pytest.fixture
    def pair(self, client: TestClient, editor_headers: Headers) -> tuple[str, str]:
        talks = make_event(client, editor_headers)["id"]
        refusal = make_event(client, editor_headers, type="agreement.refused", when="2020-01-14")
        return refusal["id"], talks

    def _link(
        self, client: TestClient, headers: Headers, source: str, target: str, relation: str
    ) -> Any:
        return client.post(
            f"/v1/events/{source}/links",
            json={"target_event_id": target, "relation": relation},
            headers=headers,
        )

    def test_links_two_events(
        self, client: TestClient, editor_headers: Headers, pair: tuple[str, str]
    ) -> None:
        source, target = pair
        response = self._link(client, editor_headers, source, target, "follows")

        assert response.status_code == 201, response.text
        link = response.json()
        assert (link["target_event_id"], link["relation"]) == (target, "follows")
        assert client.get(f"/v1/events/{source}").json()["links"] == [link]
        assert client.get(f"/v1/events/{target}").json()["links"] == []

    def test_an_event_cannot_link_to_itself(
        self, client: TestClient, editor_headers: Headers, pair: tuple[str, str]
    ) -> None:
        response = self._link(client, editor_headers, pair[0], pair[0], "follows")
        expect_problem(response, 422, "validation_failed")

    def test_an_unknown_target_is_422(
        self, client: TestClient, editor_headers: Headers, pair: tuple[str, str]
    ) -> None:
        response = self._link(client, editor_headers, pair[0], str(uuid.uuid4()), "follows")
        expect_problem(response, 422, "unknown_reference")

    def test_a_deleted_target_is_422(
        self,
        client: TestClient,
        editor_headers: Headers,
        admin_headers: Headers,
        pair: tuple[str, str],
    ) -> None:
        client.delete(f"/v1/events/{pair[1]}", headers={**admin_headers, "If-Match": 'W/"1"'})
        response = self._link(client, editor_headers, pair[0], pair[1], "follows")
        expect_problem(response, 422, "unknown_reference")

    def test_the_same_link_twice_is_409(
        self, client: TestClient, editor_headers: Headers, pair: tuple[str, str]
    ) -> None:
        self._link(client, editor_headers, *pair, "responds_to")
        response = self._link(client, editor_headers, *pair, "responds_to")
        expect_problem(response, 409, "conflict")
        assert len(client.get(f"/v1/events/{pair[0]}").json()["links"]) == 1

    def test_removes_a_link(
        self, client: TestClient, editor_headers: Headers, pair: tuple[str, str]
    ) -> None:
        link = self._link(client, editor_headers, *pair, "follows").json()
        response = client.delete(
            f"/v1/events/{pair[0]}/links/{link['id']}",
            headers={**editor_headers, "If-Match": 'W/"2"'},
        )
        assert response.status_code == 204
        assert client.get(f"/v1/events/{pair[0]}").json()["links"] == []
