"""Tests of timelines, and the few helpers their modules share."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

Headers = dict[str, str]


def get_timeline(
    client: TestClient, path: str = "/v1/timeline", headers: Headers | None = None, **params: Any
) -> dict[str, Any]:
    """The timeline at `path` for these query parameters (one page of up to 500 items)."""
    response = client.get(path, params={"limit": 500, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def item_ids(timeline: dict[str, Any]) -> list[str]:
    """The ids of a timeline's items, in the order it gives them."""
    return [item["id"] for item in timeline["items"]]


def all_pages(client: TestClient, path: str = "/v1/timeline", **params: Any) -> list[str]:
    """Item ids of every page, followed through `next_cursor`."""
    ids: list[str] = []
    cursor: str | None = None
    while True:
        page = get_timeline(client, path, **params, **({"cursor": cursor} if cursor else {}))
        ids += item_ids(page)
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
