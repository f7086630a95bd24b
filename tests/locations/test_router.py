"""Locations: places with WGS 84 coordinates, filters, and the shared record life cycle."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_location

Headers = dict[str, str]


def _ids(response: Any) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


class TestCreateLocation:
    def test_created_with_location_and_etag(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        body = {
            "names": {"ar": "ترهونة", "en": "Tarhuna"},
            "latitude": 32.435,
            "longitude": 13.634,
            "country": "LBY",
            "admin1": "Murqub",
            "kind": "town",
            "geonames_id": 2210221,
        }
        response = client.post("/v1/locations", json=body, headers=editor_headers)
        assert response.status_code == 201, response.text
        location = response.json()
        assert response.headers["Location"] == f"/v1/locations/{location['id']}"
        assert response.headers["ETag"] == 'W/"1"'
        assert {k: location[k] for k in body} == body
        assert location["admin2"] is None
        got = client.get(response.headers["Location"])
        assert got.status_code == 200
        assert got.json() == location

    @pytest.mark.parametrize(
        ("override", "field"),
        [
            ({"latitude": 91}, "latitude"),
            ({"longitude": -180.5}, "longitude"),
            ({"country": "XXX"}, "country"),
            ({"kind": "planet"}, "kind"),
            ({"geonames_id": 0}, "geonames_id"),
            ({"names": {"en": " "}}, "names"),
            ({"created_at": "2020-01-01T00:00:00Z"}, "created_at"),
        ],
    )
    def test_invalid_input_is_422(
        self, client: TestClient, editor_headers: Headers, override: dict[str, Any], field: str
    ) -> None:
        body = {"names": {"en": "Tarhuna"}, "kind": "town", **override}
        response = client.post("/v1/locations", json=body, headers=editor_headers)
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"
        assert ["body", field] in [error["loc"] for error in response.json()["errors"]]


class TestGetLocation:
    def test_unknown_id_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/locations/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.json()["code"] == "location_not_found"


class TestListLocations:
    @pytest.fixture
    def places(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        specs = {
            "tarhuna": {"country": "LBY", "kind": "town"},
            "tripoli": {"country": "LBY", "kind": "city"},
            "moscow": {"country": "RUS", "kind": "city"},
            "libya": {"country": "LBY", "kind": "country"},
        }
        return {
            name: make_location(client, editor_headers, names={"en": name}, **spec)["id"]
            for name, spec in specs.items()
        }

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("", {"tarhuna", "tripoli", "moscow", "libya"}),
            ("country=LBY", {"tarhuna", "tripoli", "libya"}),
            ("kind=city", {"tripoli", "moscow"}),
            ("kind=town&kind=country", {"tarhuna", "libya"}),
            ("country=RUS&kind=city", {"moscow"}),
            ("country=EGY", set()),
        ],
    )
    def test_filters(
        self, client: TestClient, places: dict[str, str], query: str, expected: set[str]
    ) -> None:
        response = client.get(f"/v1/locations?{query}")
        assert response.status_code == 200
        assert set(_ids(response)) == {places[name] for name in expected}

    @pytest.mark.parametrize("query", ["country=XXX", "kind=planet"])
    def test_invalid_filter_is_422(self, client: TestClient, query: str) -> None:
        assert client.get(f"/v1/locations?{query}").status_code == 422

    def test_cursor_paging(self, client: TestClient, places: dict[str, str]) -> None:
        first = client.get("/v1/locations?country=LBY&limit=2")
        assert len(_ids(first)) == 2
        second = client.get(
            "/v1/locations",
            params={"country": "LBY", "limit": 2, "cursor": first.json()["next_cursor"]},
        )
        assert second.status_code == 200, second.text
        assert second.json()["next_cursor"] is None
        expected = sorted((places[n] for n in ("tarhuna", "tripoli", "libya")), key=uuid.UUID)
        assert _ids(first) + _ids(second) == expected


class TestUpdateLocation:
    def test_if_match_required_current_applies_stale_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        location = make_location(client, editor_headers)
        path = f"/v1/locations/{location['id']}"
        change = {"admin1": "Murqub", "latitude": 32.43}
        missing = client.patch(path, json=change, headers=editor_headers)
        assert missing.status_code == 428
        assert missing.json()["code"] == "precondition_required"
        current = client.patch(path, json=change, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert current.status_code == 200, current.text
        assert current.headers["ETag"] == 'W/"2"'
        assert (current.json()["admin1"], current.json()["latitude"]) == ("Murqub", 32.43)
        assert current.json()["names"] == location["names"]
        stale = client.patch(
            path, json={"admin1": "X"}, headers={**editor_headers, "If-Match": 'W/"1"'}
        )
        assert stale.status_code == 412
        assert stale.json()["code"] == "version_conflict"
        assert client.get(path).json()["admin1"] == "Murqub"

    @pytest.mark.parametrize("field", ["names", "kind"])
    def test_null_for_a_required_field_is_422(
        self, client: TestClient, editor_headers: Headers, field: str
    ) -> None:
        location = make_location(client, editor_headers)
        response = client.patch(
            f"/v1/locations/{location['id']}",
            json={field: None},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"

    def test_null_clears_coordinates(self, client: TestClient, editor_headers: Headers) -> None:
        location = make_location(client, editor_headers)
        response = client.patch(
            f"/v1/locations/{location['id']}",
            json={"latitude": None, "longitude": None},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert response.status_code == 200
        assert (response.json()["latitude"], response.json()["longitude"]) == (None, None)


class TestDeleteLocation:
    def test_admin_only_then_gone(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        location = make_location(client, editor_headers)
        path = f"/v1/locations/{location['id']}"
        refused = client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert refused.status_code == 403
        assert refused.json()["code"] == "forbidden"
        assert (
            client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'}).status_code == 204
        )
        gone = client.get(path)
        assert gone.status_code == 410
        assert gone.json()["code"] == "location_deleted"
        assert location["id"] not in _ids(client.get("/v1/locations"))


class TestLocationRevisions:
    def test_create_update_delete(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        location = make_location(client, editor_headers)
        path = f"/v1/locations/{location['id']}"
        client.patch(path, json={"kind": "city"}, headers={**editor_headers, "If-Match": 'W/"1"'})
        client.delete(path, headers={**admin_headers, "If-Match": 'W/"2"'})
        revisions = client.get(path + "/revisions").json()
        assert [(r["op"], r["version"]) for r in revisions] == [
            ("create", 1),
            ("update", 2),
            ("delete", 3),
        ]
        assert revisions[0]["before"] is None
        assert revisions[0]["after"]["names"] == {"ar": "ترهونة", "en": "Tarhuna"}
        assert (revisions[1]["before"]["kind"], revisions[1]["after"]["kind"]) == ("town", "city")
        assert revisions[2]["before"]["kind"] == "city"
        assert revisions[2]["after"] is None
