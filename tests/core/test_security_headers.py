"""Security headers on every answer, HSTS over TLS, CORS only for the origins configured."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.core.config import Settings
from app.core.db import Database
from app.main import create_app

MONITOR = "https://monitor.example.org"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/v1/events", 200),
        ("GET", "/v1/events/00000000-0000-0000-0000-000000000000", 404),
        ("POST", "/v1/events", 401),
        ("GET", "/openapi.json", 200),
    ],
)
def test_every_answer_carries_the_security_headers(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, json={})
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "strict-transport-security" not in response.headers  # plain HTTP


def test_a_body_refused_by_the_size_guard_has_them_too(client: TestClient) -> None:
    response = client.post(
        "/v1/events",
        content=b"{" + b" " * 2_000_000 + b"}",
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


def test_over_tls_browsers_are_told_to_stay_on_tls(settings: Settings, database: Database) -> None:
    with TestClient(create_app(settings, database), base_url="https://waqai.example.org") as tls:
        response = tls.get("/v1/events")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_no_docs_page_that_would_load_scripts_from_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")


class TestCors:
    def test_no_origin_is_allowed_unless_configured(self, client: TestClient) -> None:
        response = client.get("/v1/events", headers={"Origin": MONITOR})
        assert "access-control-allow-origin" not in response.headers

    def test_a_configured_origin_may_read_and_write_others_may_not(
        self, settings: Settings, database: Database
    ) -> None:
        configured = settings.model_copy(update={"cors_origins": [MONITOR]})
        with TestClient(create_app(configured, database)) as client:
            read = client.get("/v1/events", headers={"Origin": MONITOR})
            assert read.headers["access-control-allow-origin"] == MONITOR
            assert "ETag" in read.headers["access-control-expose-headers"]
            preflight = client.options(
                "/v1/events",
                headers={
                    "Origin": MONITOR,
                    "Access-Control-Request-Method": "PATCH",
                    "Access-Control-Request-Headers": "authorization, if-match",
                },
            )
            assert preflight.status_code == 200
            assert "PATCH" in preflight.headers["access-control-allow-methods"]
            stranger = client.get("/v1/events", headers={"Origin": "https://evil.example"})
            assert "access-control-allow-origin" not in stranger.headers

    def test_the_setting_reads_a_comma_separated_list(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("WAQAI_CORS_ORIGINS", f"{MONITOR}, https://desk.example.org")
        assert Settings().cors_origins == [MONITOR, "https://desk.example.org"]
