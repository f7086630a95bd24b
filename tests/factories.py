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
