"""The review workflow: draft → in_review → published (→ retracted), and the four-eyes rule."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database
from app.keys import service as keys
from tests.factories import make_event


@pytest.fixture
def second_editor_headers(database: Database) -> dict[str, str]:
    with database.session(write=True) as session:
        _, secret = keys.create(session, name="second editor", role=Role.editor)
    return {"Authorization": f"Bearer {secret}"}


def move(
    client: TestClient, event: dict[str, Any], headers: dict[str, str], status: str, **more: Any
) -> Any:
    current = client.get(f"/v1/events/{event['id']}", headers=headers)
    return client.patch(
        f"/v1/events/{event['id']}",
        json={"status": status, **more},
        headers={**headers, "If-Match": current.headers["etag"]},
    )


class TestWorkflow:
    def test_an_event_in_review_is_invisible_to_the_public(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        event = make_event(client, editor_headers, status="in_review")
        assert client.get(f"/v1/events/{event['id']}").status_code == 404
        assert event["id"] not in client.get("/v1/events").text
        assert client.get(f"/v1/events/{event['id']}", headers=editor_headers).status_code == 200

    def test_a_step_the_workflow_has_not_is_refused_naming_the_next_steps(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        event = make_event(client, editor_headers, status="draft")
        response = move(client, event, editor_headers, "retracted", retraction_reason="x")
        assert response.status_code == 409
        assert response.json()["detail"] == (
            "status: an event cannot go from draft to retracted; "
            "from draft it can go to in_review, published."
        )
        assert response.json()["errors"][0]["loc"] == ["body", "status"]

    def test_review_then_publish_then_retract_then_restore(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        event = make_event(client, editor_headers, status="draft")
        for status, extra in [
            ("in_review", {}),
            ("draft", {}),
            ("in_review", {}),
            ("published", {}),
            ("retracted", {"retraction_reason": "The source withdrew its report."}),
            ("published", {}),
        ]:
            response = move(client, event, editor_headers, status, **extra)
            assert response.status_code == 200, (status, response.text)
            assert response.json()["status"] == status
        ops = [r["op"] for r in client.get(f"/v1/events/{event['id']}/revisions").json()]
        assert ops[-2:] == ["retract", "restore"]


class TestFourEyes:
    @pytest.fixture
    def app_settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"review_requires_second_editor": True})

    def test_another_editor_publishes_what_one_submitted(
        self,
        client: TestClient,
        editor_headers: dict[str, str],
        second_editor_headers: dict[str, str],
    ) -> None:
        event = make_event(client, editor_headers, status="draft")
        assert move(client, event, editor_headers, "in_review").status_code == 200
        refused = move(client, event, editor_headers, "published")
        assert refused.status_code == 403
        assert "another editor must publish it" in refused.json()["detail"]
        published = move(client, event, second_editor_headers, "published")
        assert published.status_code == 200
        assert client.get(f"/v1/events/{event['id']}").json()["status"] == "published"

    def test_nothing_skips_review(self, client: TestClient, editor_headers: dict[str, str]) -> None:
        created = client.post(
            "/v1/events",
            json={
                "type": "other",
                "when": "2020-01-13",
                "title": {"en": "Unreviewed"},
                "original_language": "en",
                "status": "published",
            },
            headers=editor_headers,
        )
        assert created.status_code == 409
        event = make_event(client, editor_headers, status="draft")
        direct = move(client, event, editor_headers, "published")
        assert direct.status_code == 409
        assert "in_review first" in direct.json()["detail"]


class TestRevert:
    def test_an_event_goes_back_to_a_version_as_a_new_revision(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        event = make_event(client, editor_headers, status="draft")
        path = f"/v1/events/{event['id']}"
        changed = client.patch(
            path,
            json={"title": {"ar": "عنوان خاطئ"}, "when": "2020-01-14"},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert changed.status_code == 200
        reverted = client.post(
            f"{path}/revert",
            json={"version": 1, "reason": "The wrong report was merged in."},
            headers={**editor_headers, "If-Match": 'W/"2"'},
        )
        assert reverted.status_code == 200, reverted.text
        body = reverted.json()
        assert (body["title"], body["when"], body["version"]) == (event["title"], "2020-01-13", 3)
        last = client.get(f"{path}/revisions", headers=editor_headers).json()[-1]
        assert (last["op"], last["reason"]) == (
            "revert",
            "revert to version 1: The wrong report was merged in.",
        )

    def test_a_version_that_never_was_is_422_and_a_stale_etag_412(
        self, client: TestClient, editor_headers: dict[str, str]
    ) -> None:
        event = make_event(client, editor_headers)
        path = f"/v1/events/{event['id']}/revert"
        missing = client.post(
            path,
            json={"version": 9, "reason": "x"},
            headers={**editor_headers, "If-Match": 'W/"1"'},
        )
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["loc"] == ["body", "version"]
        stale = client.post(
            path,
            json={"version": 1, "reason": "x"},
            headers={**editor_headers, "If-Match": 'W/"7"'},
        )
        assert stale.status_code == 412
