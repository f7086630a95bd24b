"""Tests of the events API, and the few assertions its test modules share."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

PROBLEM = "application/problem+json"


def expect_problem(response: Response, status: int, code: str) -> dict[str, Any]:
    """Assert an RFC 9457 problem with this status and code; return its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert (problem["status"], problem["code"]) == (status, code)
    assert problem["instance"] == response.request.url.path
    return problem


def listed_ids(
    client: TestClient, headers: dict[str, str] | None = None, **params: Any
) -> set[str]:
    """Ids of the events the list shows to `headers` for these filters (one full page)."""
    response = client.get("/v1/events", params={"limit": 500, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def paged_ids(client: TestClient, path: str, **params: Any) -> list[str]:
    """Ids of every item of a list, followed two at a time through its cursors."""
    ids: list[str] = []
    cursor = None
    while True:
        page = client.get(
            path, params={**params, "limit": 2, **({"cursor": cursor} if cursor else {})}
        )
        assert page.status_code == 200, page.text
        ids += [item["id"] for item in page.json()["items"]]
        if (cursor := page.json()["next_cursor"]) is None:
            return ids


def revisions(client: TestClient, event_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The event's revisions, oldest first."""
    response = client.get(f"/v1/events/{event_id}/revisions", headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found
