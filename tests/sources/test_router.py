"""Outlets and sources: who publishes and which document says what."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_outlet, make_source

Headers = dict[str, str]


def _ids(response: Any) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


def _instant(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


class TestCreateOutlet:
    def test_created_with_location_and_etag(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        body = {
            "names": {"en": "TRT Arabi", "ar": "TRT عربي"},
            "country": "TUR",
            "language": "ar",
            "kind": "broadcaster",
            "affiliation": "Arabic-language service of TRT, the Turkish state broadcaster",
        }
        response = client.post("/v1/outlets", json=body, headers=editor_headers)
        assert response.status_code == 201, response.text
        outlet = response.json()
        assert response.headers["Location"] == f"/v1/outlets/{outlet['id']}"
        assert response.headers["ETag"] == 'W/"1"'
        assert {k: outlet[k] for k in body} == body
        assert client.get(response.headers["Location"]).json() == outlet

    @pytest.mark.parametrize(
        ("override", "field"),
        [
            ({"country": "XXX"}, "country"),
            ({"language": "xx"}, "language"),
            ({"kind": "blog"}, "kind"),
        ],
    )
    def test_invalid_input_is_422(
        self, client: TestClient, editor_headers: Headers, override: dict[str, Any], field: str
    ) -> None:
        body = {"names": {"en": "TASS"}, "kind": "news_agency", **override}
        response = client.post("/v1/outlets", json=body, headers=editor_headers)
        assert response.status_code == 422
        assert ["body", field] in [error["loc"] for error in response.json()["errors"]]


class TestListOutlets:
    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("country=TUR", {"anadolu", "trt"}),
            ("kind=broadcaster", {"trt", "jazeera"}),
            ("kind=news_agency&kind=newspaper", {"anadolu", "tass"}),
            ("country=TUR&kind=news_agency", {"anadolu"}),
            ("country=EGY", set()),
        ],
    )
    def test_filters(
        self, client: TestClient, editor_headers: Headers, query: str, expected: set[str]
    ) -> None:
        specs = {
            "anadolu": ("TUR", "news_agency"),
            "trt": ("TUR", "broadcaster"),
            "tass": ("RUS", "news_agency"),
            "jazeera": ("QAT", "broadcaster"),
        }
        ids = {
            name: make_outlet(
                client, editor_headers, names={"en": name}, country=country, kind=kind
            )["id"]
            for name, (country, kind) in specs.items()
        }
        response = client.get(f"/v1/outlets?{query}")
        assert response.status_code == 200
        assert set(_ids(response)) == {ids[name] for name in expected}

    def test_cursor_paging(self, client: TestClient, editor_headers: Headers) -> None:
        ids = [make_outlet(client, editor_headers, names={"en": str(n)})["id"] for n in range(3)]
        first = client.get("/v1/outlets?limit=2")
        second = client.get(
            "/v1/outlets", params={"limit": 2, "cursor": first.json()["next_cursor"]}
        )
        assert second.status_code == 200, second.text
        assert _ids(first) + _ids(second) == sorted(ids, key=uuid.UUID)


class TestUpdateOutlet:
    def test_if_match_required_current_applies_stale_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        outlet = make_outlet(client, editor_headers)
        path = f"/v1/outlets/{outlet['id']}"
        change = {"affiliation": "Turkish state-run news agency"}
        assert client.patch(path, json=change, headers=editor_headers).status_code == 428
        current = client.patch(path, json=change, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert current.status_code == 200
        assert current.headers["ETag"] == 'W/"2"'
        assert current.json()["affiliation"] == "Turkish state-run news agency"
        stale = client.patch(path, json=change, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert stale.status_code == 412
        assert stale.json()["code"] == "version_conflict"

    @pytest.mark.parametrize("field", ["names", "kind"])
    def test_null_for_a_required_field_is_422(
        self, client: TestClient, editor_headers: Headers, field: str
    ) -> None:
        outlet = make_outlet(client, editor_headers)
        response = client.patch(
            f"/v1/outlets/{outlet['id']}",
            json={field: None},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"


class TestDeleteOutlet:
    def test_admin_only_then_gone_with_history(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        outlet = make_outlet(client, editor_headers)
        path = f"/v1/outlets/{outlet['id']}"
        assert (
            client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'}).status_code == 403
        )
        assert (
            client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'}).status_code == 204
        )
        assert client.get(path).status_code == 410
        assert client.get(path).json()["code"] == "outlet_deleted"
        assert outlet["id"] not in _ids(client.get("/v1/outlets"))
        revisions = client.get(path + "/revisions").json()
        assert [r["op"] for r in revisions] == ["create", "delete"]
        assert revisions[1]["before"]["names"] == outlet["names"]


class TestCreateSource:
    def test_created_with_location_and_etag(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        outlet = make_outlet(client, editor_headers)
        body = {
            "outlet_id": outlet["id"],
            "url": "https://www.trtarabi.com/news/haftar-moscow",
            "title": "حفتر يغادر موسكو دون التوقيع",
            "language": "ar",
            "published_at": "2020-01-14T09:00:00+03:00",
            "archived_url": "https://web.archive.org/web/2020/https://www.trtarabi.com/",
            "content_hash": "sha256:abc",
        }
        response = client.post("/v1/sources", json=body, headers=editor_headers)
        assert response.status_code == 201, response.text
        source = response.json()
        assert response.headers["Location"] == f"/v1/sources/{source['id']}"
        assert response.headers["ETag"] == 'W/"1"'
        assert source["outlet_id"] == outlet["id"]
        assert source["url"] == body["url"]
        assert source["title"] == body["title"]
        assert _instant(source["published_at"]) == dt.datetime(2020, 1, 14, 6, tzinfo=dt.UTC)
        assert source["published_at"] == "2020-01-14T06:00:00Z"  # instants go out in UTC
        assert client.get(response.headers["Location"]).json() == source

    @pytest.mark.parametrize(
        ("override", "field"),
        [
            ({"url": "not a url"}, "url"),
            ({"url": "ftp://example.org/report"}, "url"),
            ({"archived_url": "archive"}, "archived_url"),
            ({"published_at": "2020-01-14T09:00:00"}, "published_at"),
            ({"retrieved_at": "2020-01-14 09:00"}, "retrieved_at"),
            ({"language": "arabic"}, "language"),
        ],
        ids=["url", "url-scheme", "archived-url", "naive-published", "naive-retrieved", "lang"],
    )
    def test_invalid_input_is_422(
        self, client: TestClient, editor_headers: Headers, override: dict[str, Any], field: str
    ) -> None:
        response = client.post(
            "/v1/sources", json={"title": "x", **override}, headers=editor_headers
        )
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"
        assert ["body", field] in [error["loc"] for error in response.json()["errors"]]

    def test_unknown_or_deleted_outlet_is_unknown_reference(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        deleted = make_outlet(client, editor_headers)
        client.delete(
            f"/v1/outlets/{deleted['id']}", headers={**admin_headers, "If-Match": 'W/"1"'}
        )
        for outlet_id in (str(uuid.uuid4()), deleted["id"]):
            response = client.post(
                "/v1/sources", json={"outlet_id": outlet_id}, headers=editor_headers
            )
            assert response.status_code == 422
            assert response.json()["code"] == "unknown_reference"
            assert "outlet_id" in response.json()["detail"]
        assert client.get("/v1/sources").json()["items"] == []


class TestGetSource:
    def test_unknown_id_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/sources/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.json()["code"] == "source_not_found"


class TestListSources:
    def test_filter_by_outlet_and_paging(self, client: TestClient, editor_headers: Headers) -> None:
        anadolu = make_outlet(client, editor_headers)
        tass = make_outlet(client, editor_headers, names={"en": "TASS"}, country="RUS")
        mine = [
            make_source(client, editor_headers, outlet_id=anadolu["id"])["id"] for _ in range(3)
        ]
        make_source(client, editor_headers, outlet_id=tass["id"])
        first = client.get("/v1/sources", params={"outlet": anadolu["id"], "limit": 2})
        assert first.status_code == 200
        second = client.get(
            "/v1/sources",
            params={"outlet": anadolu["id"], "limit": 2, "cursor": first.json()["next_cursor"]},
        )
        assert second.status_code == 200, second.text
        assert _ids(first) + _ids(second) == sorted(mine, key=uuid.UUID)

    def test_malformed_outlet_filter_is_422(self, client: TestClient) -> None:
        assert client.get("/v1/sources?outlet=anadolu").status_code == 422


class TestUpdateSource:
    def test_if_match_required_current_applies_stale_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        source = make_source(client, editor_headers)
        path = f"/v1/sources/{source['id']}"
        change = {"url": "https://www.trtarabi.com/news/other"}
        assert client.patch(path, json=change, headers=editor_headers).status_code == 428
        current = client.patch(path, json=change, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert current.status_code == 200, current.text
        assert current.json()["url"] == change["url"]
        assert current.json()["title"] == source["title"]
        stale = client.patch(path, json=change, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert stale.status_code == 412

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"outlet_id": "00000000-0000-7000-8000-000000000000"}, "unknown_reference"),
            ({"published_at": "2020-01-14T09:00:00"}, "validation_failed"),
            ({"url": "trtarabi"}, "validation_failed"),
        ],
    )
    def test_invalid_change_is_422(
        self, client: TestClient, editor_headers: Headers, change: dict[str, Any], code: str
    ) -> None:
        source = make_source(client, editor_headers)
        response = client.patch(
            f"/v1/sources/{source['id']}",
            json=change,
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert response.status_code == 422
        assert response.json()["code"] == code


class TestDeleteSource:
    def test_admin_only_then_gone_with_history(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        source = make_source(client, editor_headers)
        path = f"/v1/sources/{source['id']}"
        client.patch(path, json={"title": "x"}, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert (
            client.delete(path, headers={**editor_headers, "If-Match": 'W/"2"'}).status_code == 403
        )
        assert (
            client.delete(path, headers={**admin_headers, "If-Match": 'W/"2"'}).status_code == 204
        )
        assert client.get(path).json()["code"] == "source_deleted"
        assert _ids(client.get("/v1/sources")) == []
        revisions = client.get(path + "/revisions").json()
        assert [(r["op"], r["version"]) for r in revisions] == [
            ("create", 1),
            ("update", 2),
            ("delete", 3),
        ]
        assert (revisions[1]["before"]["title"], revisions[1]["after"]["title"]) == (
            source["title"],
            "x",
        )
        assert revisions[2]["after"] is None
