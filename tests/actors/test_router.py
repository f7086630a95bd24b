"""Actors: names and aliases as written, affiliations, and the shared record life cycle."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_actor

Headers = dict[str, str]
PROBLEM = "application/problem+json"


def _ids(response: Any) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


def _etag(version: int) -> str:
    return f'W/"{version}"'


class TestCreateActor:
    def test_created_with_location_etag_and_aliases_as_written(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        body = {
            "names": {"ar": "خليفة حفتر", "en": "Khalifa Haftar"},
            "kind": "person",
            "aliases": [{"text": "حفتر", "lang": "ar"}, {"text": "Hifter", "lang": "en"}],
            "country": "lby",
            "external_ids": {"wikidata": "Q1364853"},
        }
        response = client.post("/v1/actors", json=body, headers=editor_headers)
        assert response.status_code == 201, response.text
        actor = response.json()
        assert response.headers["Location"] == f"/v1/actors/{actor['id']}"
        assert response.headers["ETag"] == _etag(1)
        assert actor["version"] == 1
        assert actor["names"] == {"ar": "خليفة حفتر", "en": "Khalifa Haftar"}
        assert actor["aliases"] == [
            {"text": "حفتر", "lang": "ar"},
            {"text": "Hifter", "lang": "en"},
        ]
        assert actor["country"] == "LBY"
        assert actor["external_ids"] == {"wikidata": "Q1364853"}
        assert client.get(response.headers["Location"]).json() == actor

    def test_affiliation_to_another_actor(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        lna = make_actor(client, editor_headers, names={"en": "LNA"}, kind="armed_forces")
        tie = {"actor_id": lna["id"], "relation": "commands", "valid": "2015-03/.."}
        haftar = make_actor(client, editor_headers, affiliations=[tie])
        assert haftar["affiliations"] == [tie]
        assert client.get(f"/v1/actors/{haftar['id']}").json()["affiliations"] == [tie]

    @pytest.mark.parametrize(
        ("override", "loc"),
        [
            ({"country": "XXX"}, ["body", "country"]),
            ({"aliases": [{"text": "Hifter", "lang": "xx"}]}, ["body", "aliases", 0, "lang"]),
            ({"aliases": [{"text": "Hifter", "lang": "english"}]}, ["body", "aliases", 0, "lang"]),
            ({"names": {"xx": "Haftar"}}, ["body", "names"]),
            ({"names": {}}, ["body", "names"]),
            ({"kind": "warlord"}, ["body", "kind"]),
            ({"version": 7}, ["body", "version"]),
            (
                {"affiliations": [{"actor_id": str(uuid.uuid4()), "relation": "owns"}]},
                ["body", "affiliations", 0, "relation"],
            ),
        ],
        ids=[
            "country",
            "alias-lang",
            "alias-lang-malformed",
            "names-lang",
            "names-empty",
            "kind",
            "server-field",
            "relation",
        ],
    )
    def test_invalid_input_is_422(
        self, client: TestClient, editor_headers: Headers, override: dict[str, Any], loc: list[Any]
    ) -> None:
        body = {"names": {"en": "Khalifa Haftar"}, "kind": "person", **override}
        response = client.post("/v1/actors", json=body, headers=editor_headers)
        assert response.status_code == 422
        assert response.headers["Content-Type"] == PROBLEM
        problem = response.json()
        assert problem["code"] == "validation_failed"
        assert loc in [error["loc"] for error in problem["errors"]]

    def test_affiliation_to_unknown_actor_is_unknown_reference(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        missing = str(uuid.uuid4())
        body = {
            "names": {"en": "Khalifa Haftar"},
            "kind": "person",
            "affiliations": [{"actor_id": missing, "relation": "commands"}],
        }
        response = client.post("/v1/actors", json=body, headers=editor_headers)
        assert response.status_code == 422
        assert response.json()["code"] == "unknown_reference"
        assert "affiliations[0].actor_id" in response.json()["detail"]
        assert client.get("/v1/actors").json()["items"] == []


class TestGetActor:
    def test_etag_and_not_modified(self, client: TestClient, editor_headers: Headers) -> None:
        actor = make_actor(client, editor_headers)
        response = client.get(f"/v1/actors/{actor['id']}")
        assert response.status_code == 200
        assert response.headers["ETag"] == _etag(1)
        again = client.get(f"/v1/actors/{actor['id']}", headers={"If-None-Match": _etag(1)})
        assert again.status_code == 304

    def test_unknown_id_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/actors/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.headers["Content-Type"] == PROBLEM
        assert response.json()["code"] == "actor_not_found"


class TestListActors:
    @pytest.fixture
    def actors(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        specs = {
            "haftar": {"kind": "person", "country": "LBY"},
            "lna": {"kind": "armed_forces", "country": "LBY"},
            "russia": {"kind": "state", "country": "RUS"},
            "un": {"kind": "igo", "country": None},
        }
        return {
            name: make_actor(client, editor_headers, names={"en": name}, aliases=[], **spec)["id"]
            for name, spec in specs.items()
        }

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("", {"haftar", "lna", "russia", "un"}),
            ("kind=person", {"haftar"}),
            ("kind=person&kind=state", {"haftar", "russia"}),
            ("country=LBY", {"haftar", "lna"}),
            ("country=rus", {"russia"}),
            ("kind=armed_forces&country=LBY", {"lna"}),
            ("kind=state&country=LBY", set()),
        ],
    )
    def test_filters(
        self, client: TestClient, actors: dict[str, str], query: str, expected: set[str]
    ) -> None:
        response = client.get(f"/v1/actors?{query}")
        assert response.status_code == 200
        assert set(_ids(response)) == {actors[name] for name in expected}

    @pytest.mark.parametrize("query", ["country=XXX", "kind=warlord", "limit=0", "limit=501"])
    def test_invalid_filter_is_422(self, client: TestClient, query: str) -> None:
        response = client.get(f"/v1/actors?{query}")
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"

    def test_cursor_paging(self, client: TestClient, actors: dict[str, str]) -> None:
        first = client.get("/v1/actors?limit=3")
        assert first.status_code == 200
        cursor = first.json()["next_cursor"]
        assert cursor
        link = first.headers["Link"]
        assert link.endswith('>; rel="next"')
        second = client.get(link[1 : link.index(">")])
        assert second.status_code == 200, second.text
        assert second.json()["next_cursor"] is None
        assert "Link" not in second.headers
        pages = _ids(first) + _ids(second)
        assert pages == sorted(actors.values(), key=uuid.UUID)

    def test_tampered_or_foreign_cursor_is_400(
        self, client: TestClient, actors: dict[str, str]
    ) -> None:
        cursor = client.get("/v1/actors?limit=1").json()["next_cursor"]
        tampered = client.get("/v1/actors", params={"limit": 1, "cursor": "x" + cursor})
        other_query = client.get("/v1/actors", params={"limit": 1, "cursor": cursor, "kind": "igo"})
        for response in (tampered, other_query):
            assert response.status_code == 400
            assert response.json()["code"] == "invalid_cursor"

    def test_list_etag_answers_if_none_match(
        self, client: TestClient, actors: dict[str, str]
    ) -> None:
        etag = client.get("/v1/actors").headers["ETag"]
        assert client.get("/v1/actors", headers={"If-None-Match": etag}).status_code == 304


class TestUpdateActor:
    def test_needs_if_match(self, client: TestClient, editor_headers: Headers) -> None:
        actor = make_actor(client, editor_headers)
        response = client.patch(
            f"/v1/actors/{actor['id']}", json={"country": "EGY"}, headers=editor_headers
        )
        assert response.status_code == 428
        assert response.json()["code"] == "precondition_required"

    def test_current_version_applies_and_stale_is_412(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        path = f"/v1/actors/{actor['id']}"
        current = {**editor_headers, "If-Match": _etag(1)}
        response = client.patch(path, json={"country": "EGY"}, headers=current)
        assert response.status_code == 200, response.text
        assert response.headers["ETag"] == _etag(2)
        changed = response.json()
        assert changed["country"] == "EGY"
        assert changed["names"] == actor["names"]
        assert changed["aliases"] == actor["aliases"]
        stale = client.patch(path, json={"country": "TUN"}, headers=current)
        assert stale.status_code == 412
        assert stale.json()["code"] == "version_conflict"
        assert client.get(path).json()["country"] == "EGY"

    @pytest.mark.parametrize("field", ["names", "kind", "aliases", "affiliations"])
    def test_null_for_a_required_field_is_422(
        self, client: TestClient, editor_headers: Headers, field: str
    ) -> None:
        actor = make_actor(client, editor_headers)
        response = client.patch(
            f"/v1/actors/{actor['id']}",
            json={field: None},
            headers={**editor_headers, "If-Match": _etag(1)},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"
        assert client.get(f"/v1/actors/{actor['id']}").json() == actor

    def test_null_clears_an_optional_field(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        response = client.patch(
            f"/v1/actors/{actor['id']}",
            json={"country": None},
            headers={**editor_headers, "If-Match": _etag(1)},
        )
        assert response.status_code == 200
        assert response.json()["country"] is None

    def test_affiliations_are_replaced(self, client: TestClient, editor_headers: Headers) -> None:
        gna = make_actor(client, editor_headers, names={"en": "GNA"}, kind="government")
        lna = make_actor(client, editor_headers, names={"en": "LNA"}, kind="armed_forces")
        tie = {"actor_id": gna["id"], "relation": "part_of", "valid": None}
        person = make_actor(client, editor_headers, affiliations=[tie])
        new_tie = {"actor_id": lna["id"], "relation": "commands", "valid": "2015-03/.."}
        response = client.patch(
            f"/v1/actors/{person['id']}",
            json={"affiliations": [new_tie]},
            headers={**editor_headers, "If-Match": _etag(1)},
        )
        assert response.status_code == 200, response.text
        assert response.json()["affiliations"] == [new_tie]

    def test_affiliation_to_unknown_actor_is_unknown_reference(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        response = client.patch(
            f"/v1/actors/{actor['id']}",
            json={"affiliations": [{"actor_id": str(uuid.uuid4()), "relation": "backs"}]},
            headers={**editor_headers, "If-Match": _etag(1)},
        )
        assert response.status_code == 422
        assert response.json()["code"] == "unknown_reference"


class TestDeleteActor:
    def test_editor_may_not_delete(self, client: TestClient, editor_headers: Headers) -> None:
        actor = make_actor(client, editor_headers)
        response = client.delete(
            f"/v1/actors/{actor['id']}", headers={**editor_headers, "If-Match": _etag(1)}
        )
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
        assert client.get(f"/v1/actors/{actor['id']}").status_code == 200

    def test_needs_if_match(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        response = client.delete(f"/v1/actors/{actor['id']}", headers=admin_headers)
        assert response.status_code == 428

    def test_deleted_actor_is_gone(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        path = f"/v1/actors/{actor['id']}"
        response = client.delete(path, headers={**admin_headers, "If-Match": _etag(1)})
        assert response.status_code == 204
        gone = client.get(path)
        assert gone.status_code == 410
        assert gone.json()["code"] == "actor_deleted"
        assert client.get("/v1/actors").json()["items"] == []
        again = client.delete(path, headers={**admin_headers, "If-Match": _etag(2)})
        assert again.status_code == 410
        tie = {"actor_id": actor["id"], "relation": "part_of"}
        body = {"names": {"en": "X"}, "kind": "person", "affiliations": [tie]}
        referring = client.post("/v1/actors", json=body, headers=editor_headers)
        assert referring.status_code == 422
        assert referring.json()["code"] == "unknown_reference"


class TestActorRevisions:
    def test_create_update_delete_with_before_and_after(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        path = f"/v1/actors/{actor['id']}"
        client.patch(
            path, json={"country": "EGY"}, headers={**editor_headers, "If-Match": _etag(1)}
        )
        client.delete(path, headers={**admin_headers, "If-Match": _etag(2)})
        response = client.get(path + "/revisions")
        assert response.status_code == 200
        created, updated, deleted = response.json()
        assert [r["op"] for r in (created, updated, deleted)] == ["create", "update", "delete"]
        assert [r["version"] for r in (created, updated, deleted)] == [1, 2, 3]
        assert created["before"] is None
        assert created["after"]["aliases"] == actor["aliases"]
        assert (updated["before"]["country"], updated["after"]["country"]) == ("LBY", "EGY")
        assert "country" in updated["changed"]
        assert "names" not in updated["changed"]
        assert deleted["before"]["country"] == "EGY"
        assert deleted["after"] is None
        assert "test editor" in created["by"]
        assert "test admin" in deleted["by"]

    def test_unknown_actor_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/actors/{uuid.uuid4()}/revisions")
        assert response.status_code == 404
        assert response.json()["code"] == "actor_not_found"
