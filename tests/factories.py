"""Typed, keyword-only factories that create records through the public API."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def _post(
    client: TestClient, path: str, headers: dict[str, str], body: dict[str, Any]
) -> dict[str, Any]:
    response = client.post(path, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def make_location(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "names": {"ar": "ترهونة", "en": "Tarhuna"},
        "latitude": 32.435,
        "longitude": 13.634,
        "country": "LBY",
        "kind": "town",
        **overrides,
    }
    return _post(client, "/v1/locations", headers, body)


def make_actor(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "names": {"ar": "خليفة حفتر", "en": "Khalifa Haftar"},
        "kind": "person",
        "aliases": [{"text": "حفتر", "lang": "ar"}, {"text": "Hifter", "lang": "en"}],
        "country": "LBY",
        **overrides,
    }
    return _post(client, "/v1/actors", headers, body)


def make_outlet(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "names": {"en": "Anadolu Agency", "ar": "وكالة الأناضول"},
        "country": "TUR",
        "language": "tr",
        "kind": "news_agency",
        "affiliation": "Turkish state news agency",
        **overrides,
    }
    return _post(client, "/v1/outlets", headers, body)


def make_source(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    if "outlet_id" not in overrides:
        overrides["outlet_id"] = make_outlet(client, headers)["id"]
    body = {
        "url": "https://www.trtarabi.com/news/example",
        "title": "حفتر يغادر موسكو",
        "language": "ar",
        "published_at": "2020-01-14T09:00:00Z",
        **overrides,
    }
    return _post(client, "/v1/sources", headers, body)


def make_process(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    body = {
        "kind": "ceasefire",
        "names": {"ar": "هدنة ليبيا", "en": "Libya truce"},
        "effective_from": "2020-01-12",
        "state": "in_effect",
        "scope": {"countries": ["LBY"]},
        **overrides,
    }
    return _post(client, "/v1/processes", headers, body)


def event_body(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "negotiation.talks",
        "title": {"ar": "محادثات موسكو", "en": "Moscow talks"},
        "original_language": "ar",
        "when": "2020-01-13",
        "status": "published",
        **overrides,
    }


def make_event(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    return _post(client, "/v1/events", headers, event_body(**overrides))


def make_participant(
    client: TestClient, headers: dict[str, str], *, event_id: str, **overrides: Any
) -> dict[str, Any]:
    if "actor_id" not in overrides:
        overrides["actor_id"] = make_actor(client, headers)["id"]
    body = {"role": "party", **overrides}
    return _post(client, f"/v1/events/{event_id}/participants", headers, body)


def make_citation(
    client: TestClient, headers: dict[str, str], *, event_id: str, **overrides: Any
) -> dict[str, Any]:
    if "source_id" not in overrides:
        overrides["source_id"] = make_source(client, headers)["id"]
    body = {"polarity": "asserts", **overrides}
    return _post(client, f"/v1/events/{event_id}/citations", headers, body)


def make_event_process(
    client: TestClient,
    headers: dict[str, str],
    *,
    event_id: str,
    process_id: str,
    relation: str = "part_of",
) -> dict[str, Any]:
    body = {"process_id": process_id, "relation": relation}
    return _post(client, f"/v1/events/{event_id}/processes", headers, body)
