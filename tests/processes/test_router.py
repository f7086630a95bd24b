"""Processes (negotiations, ceasefires) and the stance ledger of their participants."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import make_actor, make_location, make_process

Headers = dict[str, str]


def _ids(response: Any) -> list[str]:
    return [item["id"] for item in response.json()["items"]]


def _if_match(headers: Headers, version: int) -> Headers:
    return {**headers, "If-Match": f'W/"{version}"'}


def _talks(client: TestClient, headers: Headers, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "negotiation",
        "names": {"en": "Moscow talks"},
        "state": None,
        "effective_from": "2020-01-13",
        **overrides,
    }
    return make_process(client, headers, **body)


class TestCreateProcess:
    def test_ceasefire_with_state_dates_and_scope(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        tarhuna = make_location(client, editor_headers)
        polygon = {
            "type": "Polygon",
            "coordinates": [[[13.0, 32.0], [14.0, 32.0], [14.0, 33.0], [13.0, 32.0]]],
        }
        body = {
            "kind": "ceasefire",
            "names": {"ar": "هدنة ليبيا", "en": "Libya truce"},
            "proposed": "2020-01-08",
            "effective_from": "2020-01-12",
            "state": "in_effect",
            "scope": {"countries": ["lby"], "location_ids": [tarhuna["id"]], "geometry": polygon},
            "terms": {"en": "A complete ceasefire."},
        }
        response = client.post("/v1/processes", json=body, headers=editor_headers)
        assert response.status_code == 201, response.text
        process = response.json()
        assert response.headers["Location"] == f"/v1/processes/{process['id']}"
        assert response.headers["ETag"] == 'W/"1"'
        assert (process["effective_from"], process["state"]) == ("2020-01-12", "in_effect")
        assert process["scope"] == {
            "countries": ["LBY"],
            "location_ids": [tarhuna["id"]],
            "geometry": polygon,
        }
        assert process["participants"] == []
        assert client.get(response.headers["Location"]).json() == process

    def test_negotiation_inside_a_wider_process(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        berlin = make_process(client, editor_headers, kind="peace_process", state=None)
        talks = _talks(client, editor_headers, parent_id=berlin["id"])
        assert talks["parent_id"] == berlin["id"]

    @pytest.mark.parametrize(
        ("override", "code"),
        [
            ({"kind": "negotiation", "state": "in_effect"}, "validation_failed"),
            ({"state": "paused"}, "validation_failed"),
            ({"effective_from": "12 January 2020"}, "validation_failed"),
            (
                {"scope": {"geometry": {"type": "Point", "coordinates": [1, 2]}}},
                "validation_failed",
            ),
            ({"scope": {"countries": ["XXX"]}}, "validation_failed"),
            ({"parent_id": "00000000-0000-7000-8000-000000000000"}, "unknown_reference"),
            (
                {"scope": {"location_ids": ["00000000-0000-7000-8000-000000000000"]}},
                "unknown_reference",
            ),
        ],
        ids=[
            "state-not-ceasefire",
            "state",
            "edtf",
            "geometry",
            "scope-country",
            "parent",
            "scope-location",
        ],
    )
    def test_invalid_input_is_422(
        self, client: TestClient, editor_headers: Headers, override: dict[str, Any], code: str
    ) -> None:
        body = {"kind": "ceasefire", "names": {"en": "Libya truce"}, **override}
        response = client.post("/v1/processes", json=body, headers=editor_headers)
        assert response.status_code == 422
        assert response.json()["code"] == code
        assert client.get("/v1/processes").json()["items"] == []


class TestGetProcess:
    def test_unknown_id_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/processes/{uuid.uuid4()}")
        assert response.status_code == 404
        assert response.json()["code"] == "process_not_found"


class TestListProcesses:
    @pytest.fixture
    def tracks(self, client: TestClient, editor_headers: Headers) -> dict[str, str]:
        berlin = make_process(client, editor_headers, kind="peace_process", state=None)
        moscow = _talks(client, editor_headers, parent_id=berlin["id"])
        geneva = _talks(client, editor_headers, parent_id=berlin["id"], names={"en": "5+5"})
        truce = make_process(client, editor_headers)
        return {
            "berlin": berlin["id"],
            "moscow": moscow["id"],
            "geneva": geneva["id"],
            "truce": truce["id"],
        }

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("kind=ceasefire", {"truce"}),
            ("kind=negotiation", {"moscow", "geneva"}),
            ("kind=ceasefire&kind=peace_process", {"truce", "berlin"}),
            ("kind=mediation_initiative", set()),
        ],
    )
    def test_kind_filter(
        self, client: TestClient, tracks: dict[str, str], query: str, expected: set[str]
    ) -> None:
        response = client.get(f"/v1/processes?{query}")
        assert response.status_code == 200
        assert set(_ids(response)) == {tracks[name] for name in expected}

    def test_parent_filter_and_paging(self, client: TestClient, tracks: dict[str, str]) -> None:
        params: dict[str, Any] = {"parent": tracks["berlin"], "limit": 1}
        first = client.get("/v1/processes", params=params)
        assert first.status_code == 200
        second = client.get(
            "/v1/processes", params={**params, "cursor": first.json()["next_cursor"]}
        )
        assert second.status_code == 200, second.text
        assert second.json()["next_cursor"] is None
        expected = sorted((tracks["moscow"], tracks["geneva"]), key=uuid.UUID)
        assert _ids(first) + _ids(second) == expected

    @pytest.mark.parametrize("query", ["kind=truce", "parent=berlin"])
    def test_invalid_filter_is_422(self, client: TestClient, query: str) -> None:
        assert client.get(f"/v1/processes?{query}").status_code == 422


class TestUpdateProcess:
    def test_if_match_required_current_applies_stale_refused(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        truce = make_process(client, editor_headers)
        path = f"/v1/processes/{truce['id']}"
        change = {"state": "breached"}
        assert client.patch(path, json=change, headers=editor_headers).status_code == 428
        current = client.patch(path, json=change, headers=_if_match(editor_headers, 1))
        assert current.status_code == 200, current.text
        assert current.headers["ETag"] == 'W/"2"'
        assert current.json()["state"] == "breached"
        assert current.json()["effective_from"] == "2020-01-12"
        stale = client.patch(path, json={"state": "ended"}, headers=_if_match(editor_headers, 1))
        assert stale.status_code == 412
        assert stale.json()["code"] == "version_conflict"

    @pytest.mark.parametrize("field", ["names", "kind"])
    def test_null_for_a_required_field_is_422(
        self, client: TestClient, editor_headers: Headers, field: str
    ) -> None:
        truce = make_process(client, editor_headers)
        response = client.patch(
            f"/v1/processes/{truce['id']}", json={field: None}, headers=_if_match(editor_headers, 1)
        )
        assert response.status_code == 422
        assert response.json()["code"] == "validation_failed"

    def test_state_on_a_negotiation_is_422(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        talks = _talks(client, editor_headers)
        response = client.patch(
            f"/v1/processes/{talks['id']}",
            json={"state": "in_effect"},
            headers=_if_match(editor_headers, 1),
        )
        assert response.status_code == 422
        assert client.get(f"/v1/processes/{talks['id']}").json()["state"] is None

    def test_unknown_parent_is_unknown_reference(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        talks = _talks(client, editor_headers)
        response = client.patch(
            f"/v1/processes/{talks['id']}",
            json={"parent_id": str(uuid.uuid4())},
            headers=_if_match(editor_headers, 1),
        )
        assert response.status_code == 422
        assert response.json()["code"] == "unknown_reference"

    @pytest.mark.parametrize("depth", [0, 1, 2])
    def test_a_process_cannot_sit_inside_itself(
        self, client: TestClient, editor_headers: Headers, depth: int
    ) -> None:
        berlin = _talks(client, editor_headers, names={"en": "Berlin process"})
        inner = berlin
        for level in range(depth):
            inner = _talks(
                client, editor_headers, names={"en": f"track {level}"}, parent_id=inner["id"]
            )
        response = client.patch(
            f"/v1/processes/{berlin['id']}",
            json={"parent_id": inner["id"]},
            headers=_if_match(editor_headers, 1),
        )
        assert response.status_code == 422, response.text
        problem = response.json()
        assert problem["errors"][0]["loc"] == ["body", "parent_id"]
        assert client.get(f"/v1/processes/{berlin['id']}").json()["parent_id"] is None


class TestDeleteProcess:
    def test_admin_only_then_gone_with_history(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        truce = make_process(client, editor_headers)
        path = f"/v1/processes/{truce['id']}"
        client.patch(path, json={"state": "collapsed"}, headers=_if_match(editor_headers, 1))
        refused = client.delete(path, headers=_if_match(editor_headers, 2))
        assert refused.status_code == 403
        assert refused.json()["code"] == "forbidden"
        assert client.delete(path, headers=_if_match(admin_headers, 2)).status_code == 204
        assert client.get(path).status_code == 410
        assert client.get(path).json()["code"] == "process_deleted"
        assert _ids(client.get("/v1/processes")) == []
        revisions = client.get(path + "/revisions").json()
        assert [(r["op"], r["version"]) for r in revisions] == [
            ("create", 1),
            ("update", 2),
            ("delete", 3),
        ]
        assert (revisions[1]["before"]["state"], revisions[1]["after"]["state"]) == (
            "in_effect",
            "collapsed",
        )
        assert revisions[2]["after"] is None


class TestProcessParticipants:
    @pytest.fixture
    def ledger(self, client: TestClient, editor_headers: Headers) -> dict[str, Any]:
        """The Moscow talks with GNA and Haftar, before any stance is recorded."""
        return {
            "talks": _talks(client, editor_headers),
            "gna": make_actor(client, editor_headers, names={"en": "GNA"}, kind="government"),
            "haftar": make_actor(client, editor_headers),
        }

    def _add(
        self, client: TestClient, headers: Headers, process_id: str, **body: Any
    ) -> dict[str, Any]:
        response = client.post(
            f"/v1/processes/{process_id}/participants", json=body, headers=headers
        )
        assert response.status_code == 201, response.text
        assert response.headers["ETag"] == 'W/"1"'
        created: dict[str, Any] = response.json()
        return created

    def test_stance_ledger(
        self, client: TestClient, editor_headers: Headers, ledger: dict[str, Any]
    ) -> None:
        talks_id = ledger["talks"]["id"]
        stances = [
            ("gna", "signed", "2020-01-13"),
            ("haftar", "requested_time", "2020-01-13"),
            ("haftar", "left_without_signing", "2020-01-14"),
        ]
        for actor, stance, when in stances:
            item = self._add(
                client,
                editor_headers,
                talks_id,
                actor_id=ledger[actor]["id"],
                role="party",
                stance=stance,
                stance_when=when,
            )
            assert (item["process_id"], item["event_id"]) == (talks_id, None)
        listed = client.get(f"/v1/processes/{talks_id}/participants").json()
        assert sorted((p["actor_id"], p["stance"], p["stance_when"]) for p in listed) == sorted(
            (ledger[actor]["id"], stance, when) for actor, stance, when in stances
        )
        process = client.get(f"/v1/processes/{talks_id}")
        assert process.headers["ETag"] == 'W/"4"'
        assert len(process.json()["participants"]) == 3
        revisions = client.get(f"/v1/processes/{talks_id}/revisions").json()
        assert [r["reason"] for r in revisions[1:]] == ["participant added"] * 3
        assert [len(r["after"]["participants"]) for r in revisions] == [0, 1, 2, 3]

    def test_change_needs_the_participant_etag(
        self, client: TestClient, editor_headers: Headers, ledger: dict[str, Any]
    ) -> None:
        talks_id = ledger["talks"]["id"]
        item = self._add(
            client,
            editor_headers,
            talks_id,
            actor_id=ledger["haftar"]["id"],
            role="party",
            stance="requested_time",
        )
        path = f"/v1/processes/{talks_id}/participants/{item['id']}"
        change = {"stance": "left_without_signing", "stance_when": "2020-01-14"}
        assert client.patch(path, json=change, headers=editor_headers).status_code == 428
        changed = client.patch(path, json=change, headers=_if_match(editor_headers, 1))
        assert changed.status_code == 200, changed.text
        assert changed.headers["ETag"] == 'W/"2"'
        assert (changed.json()["stance"], changed.json()["stance_when"]) == (
            "left_without_signing",
            "2020-01-14",
        )
        assert changed.json()["role"] == "party"
        stale = client.patch(path, json={"note": "x"}, headers=_if_match(editor_headers, 1))
        assert stale.status_code == 412
        assert client.get(f"/v1/processes/{talks_id}").headers["ETag"] == 'W/"3"'
        last = client.get(f"/v1/processes/{talks_id}/revisions").json()[-1]
        assert last["reason"] == f"participant {item['id']} changed"
        assert last["before"]["participants"][0]["stance"] == "requested_time"
        assert last["after"]["participants"][0]["stance"] == "left_without_signing"

    def test_remove(
        self, client: TestClient, editor_headers: Headers, ledger: dict[str, Any]
    ) -> None:
        talks_id = ledger["talks"]["id"]
        item = self._add(
            client, editor_headers, talks_id, actor_id=ledger["gna"]["id"], role="party"
        )
        path = f"/v1/processes/{talks_id}/participants/{item['id']}"
        assert client.delete(path, headers=editor_headers).status_code == 428
        assert client.delete(path, headers=_if_match(editor_headers, 2)).status_code == 412
        assert client.delete(path, headers=_if_match(editor_headers, 1)).status_code == 204
        assert client.get(f"/v1/processes/{talks_id}/participants").json() == []
        last = client.get(f"/v1/processes/{talks_id}/revisions").json()[-1]
        assert last["version"] == 3
        assert last["reason"] == f"participant {item['id']} removed"
        assert len(last["before"]["participants"]) == 1
        assert last["after"]["participants"] == []
        again = client.delete(path, headers=_if_match(editor_headers, 1))
        assert again.status_code == 404
        assert again.json()["code"] == "participant_not_found"

    @pytest.mark.parametrize(
        ("body", "code"),
        [
            ({"actor_id": "00000000-0000-7000-8000-000000000000"}, "unknown_reference"),
            ({"stance": "hesitated"}, "validation_failed"),
            ({"role": "bystander"}, "validation_failed"),
            ({"stance_when": "Tuesday"}, "validation_failed"),
        ],
    )
    def test_invalid_participant_is_422(
        self,
        client: TestClient,
        editor_headers: Headers,
        ledger: dict[str, Any],
        body: dict[str, Any],
        code: str,
    ) -> None:
        talks_id = ledger["talks"]["id"]
        full = {"actor_id": ledger["haftar"]["id"], "role": "party", **body}
        response = client.post(
            f"/v1/processes/{talks_id}/participants", json=full, headers=editor_headers
        )
        assert response.status_code == 422
        assert response.json()["code"] == code
        assert client.get(f"/v1/processes/{talks_id}").headers["ETag"] == 'W/"1"'

    def test_participant_of_another_process_is_404(
        self, client: TestClient, editor_headers: Headers, ledger: dict[str, Any]
    ) -> None:
        item = self._add(
            client,
            editor_headers,
            ledger["talks"]["id"],
            actor_id=ledger["gna"]["id"],
            role="party",
        )
        other = make_process(client, editor_headers)
        response = client.patch(
            f"/v1/processes/{other['id']}/participants/{item['id']}",
            json={"note": "x"},
            headers=_if_match(editor_headers, 1),
        )
        assert response.status_code == 404
        assert response.json()["code"] == "participant_not_found"

    def test_unknown_process_is_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/processes/{uuid.uuid4()}/participants")
        assert response.status_code == 404
        assert response.json()["code"] == "process_not_found"

    def test_anonymous_may_read_not_write(self, client: TestClient, ledger: dict[str, Any]) -> None:
        path = f"/v1/processes/{ledger['talks']['id']}/participants"
        assert client.get(path).status_code == 200
        body = {"actor_id": ledger["gna"]["id"], "role": "party"}
        response = client.post(path, json=body)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"
