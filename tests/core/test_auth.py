"""Who may do what: API keys, roles, dead keys and the public-read switch."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.auth import SESSION_COOKIE, Role
from app.core.config import Settings
from app.core.db import Database
from app.keys import service as keys
from app.models import ApiKey
from tests.factories import make_actor, make_event

Headers = dict[str, str]
ACTOR = {"names": {"en": "Khalifa Haftar"}, "kind": "person"}


def _bearer(secret: str) -> Headers:
    return {"Authorization": f"Bearer {secret}"}


def _new_key(database: Database, role: Role, **kwargs: dt.datetime) -> tuple[uuid.UUID, str]:
    with database.session(write=True) as session:
        key, secret = keys.create(session, name=f"auth {role}", role=role, **kwargs)
        return key.id, secret


class TestRoles:
    def test_write_without_a_key_is_401(self, client: TestClient) -> None:
        response = client.post("/v1/actors", json=ACTOR)
        assert response.status_code == 401
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "unauthorized"
        assert client.get("/v1/actors").json()["items"] == []

    def test_reader_may_not_write(self, client: TestClient, reader_headers: Headers) -> None:
        response = client.post("/v1/actors", json=ACTOR, headers=reader_headers)
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"

    def test_editor_creates_but_only_admin_deletes(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        path = f"/v1/actors/{actor['id']}"
        refused = client.delete(path, headers={**editor_headers, "If-Match": 'W/"1"'})
        assert refused.status_code == 403
        assert refused.json()["code"] == "forbidden"
        assert (
            client.delete(path, headers={**admin_headers, "If-Match": 'W/"1"'}).status_code == 204
        )

    def test_scheme_is_case_insensitive(self, client: TestClient, database: Database) -> None:
        _, secret = _new_key(database, Role.editor)
        response = client.post(
            "/v1/actors", json=ACTOR, headers={"Authorization": f"bearer {secret}"}
        )
        assert response.status_code == 201


class TestBadCredentials:
    @pytest.mark.parametrize(
        "authorization",
        ["Basic x", "Bearer wq_not-a-real-key", "Bearer", "Bearer  ", "wq_no-scheme"],
    )
    @pytest.mark.parametrize("method", ["GET", "POST"])
    def test_is_401(self, client: TestClient, authorization: str, method: str) -> None:
        response = client.request(
            method, "/v1/actors", json=ACTOR, headers={"Authorization": authorization}
        )
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"

    def test_revoked_key_is_401(
        self, client: TestClient, database: Database, admin_headers: Headers
    ) -> None:
        key_id, secret = _new_key(database, Role.editor)
        assert client.post("/v1/actors", json=ACTOR, headers=_bearer(secret)).status_code == 201
        assert client.delete(f"/v1/keys/{key_id}", headers=admin_headers).status_code == 200
        for method in ("GET", "POST"):
            response = client.request(method, "/v1/actors", json=ACTOR, headers=_bearer(secret))
            assert response.status_code == 401
            assert "revoked" in response.json()["detail"]

    def test_expired_key_is_401(self, client: TestClient, database: Database) -> None:
        past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        _, secret = _new_key(database, Role.admin, expires_at=past)
        response = client.get("/v1/keys", headers=_bearer(secret))
        assert response.status_code == 401
        assert "expired" in response.json()["detail"]

    def test_key_expiring_later_works(self, client: TestClient, database: Database) -> None:
        future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        _, secret = _new_key(database, Role.admin, expires_at=future)
        assert client.get("/v1/keys", headers=_bearer(secret)).status_code == 200


class TestLastUsed:
    @pytest.mark.parametrize(("method", "path"), [("GET", "/v1/actors"), ("POST", "/v1/actors")])
    def test_set_when_the_key_is_used(
        self, client: TestClient, database: Database, method: str, path: str
    ) -> None:
        key_id, secret = _new_key(database, Role.editor)
        before = dt.datetime.now(dt.UTC)
        response = client.request(method, path, json=ACTOR, headers=_bearer(secret))
        assert response.status_code < 300
        with database.session(write=False) as session:
            used = session.scalar(select(ApiKey.last_used_at).where(ApiKey.id == key_id))
        assert used is not None
        assert used >= before - dt.timedelta(seconds=1)

    def test_unused_key_has_none(self, client: TestClient, database: Database) -> None:
        key_id, _ = _new_key(database, Role.reader)
        _, admin = _new_key(database, Role.admin)
        listed = client.get("/v1/keys", headers=_bearer(admin)).json()
        assert next(k for k in listed if k["id"] == str(key_id))["last_used_at"] is None


class TestPublicReadOff:
    @pytest.fixture
    def app_settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"public_read": False})

    def test_anonymous_reads_are_401(
        self, client: TestClient, editor_headers: Headers, reader_headers: Headers
    ) -> None:
        actor = make_actor(client, editor_headers)
        for path in ("/v1/actors", f"/v1/actors/{actor['id']}", "/v1/processes"):
            response = client.get(path)
            assert response.status_code == 401, path
            assert response.json()["code"] == "unauthorized"
            assert client.get(path, headers=reader_headers).status_code == 200, path

    def test_health_probe_stays_open(self, client: TestClient) -> None:
        assert client.get("/healthz").status_code == 200


class TestDashboardSessionCookie:
    """A browser signed in to the dashboard reads /v1 as its key (the islands fetch it), and
    never writes with the cookie."""

    @pytest.fixture
    def app_settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"public_read": False})

    @staticmethod
    def _signed_in(client: TestClient, secret: str) -> None:
        client.cookies.set(SESSION_COOKIE, secret)

    def test_reads_as_the_signed_in_key_drafts_included(
        self, client: TestClient, database: Database, editor_headers: Headers
    ) -> None:
        draft = make_event(client, editor_headers, status="draft")
        _, secret = _new_key(database, Role.editor)
        assert client.get("/v1/events").status_code == 401  # public reading is off
        self._signed_in(client, secret)
        response = client.get(f"/v1/events/{draft['id']}")
        assert response.status_code == 200
        timeline = client.get("/v1/timeline")
        assert [item["id"] for item in timeline.json()["items"]] == [draft["id"]]
        assert timeline.headers["cache-control"].startswith("private")
        assert "Cookie" in timeline.headers["vary"]

    def test_a_cookie_never_writes(self, client: TestClient, database: Database) -> None:
        _, secret = _new_key(database, Role.admin)
        self._signed_in(client, secret)
        response = client.post("/v1/actors", json=ACTOR)
        assert response.status_code == 401
        assert client.get("/v1/actors").json()["items"] == []

    def test_a_dead_key_in_the_cookie_reads_as_no_key(
        self, client: TestClient, database: Database
    ) -> None:
        _, secret = _new_key(
            database, Role.reader, expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        )
        self._signed_in(client, secret)
        response = client.get("/v1/actors")
        assert response.status_code == 401
        assert "Public reading is off" in response.json()["detail"]
