"""API keys over HTTP: admin only, the secret shown once and stored only as a hash."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.core.auth import hash_secret
from app.core.db import Database
from app.models import ApiKey

Headers = dict[str, str]
KEY = {"name": "newsroom importer", "role": "editor"}


def _create(client: TestClient, admin_headers: Headers, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/keys", json={**KEY, **body}, headers=admin_headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


@pytest.fixture
def non_admins(editor_headers: Headers, reader_headers: Headers) -> dict[str, Headers]:
    return {"anonymous": {}, "reader": reader_headers, "editor": editor_headers}


class TestCreateKey:
    def test_secret_is_shown_and_works(self, client: TestClient, admin_headers: Headers) -> None:
        key = _create(client, admin_headers, expires_at="2999-01-01T00:00:00+02:00")
        assert (key["name"], key["role"]) == ("newsroom importer", "editor")
        assert key["secret"].startswith("wq_")
        assert key["revoked_at"] is None
        assert key["expires_at"].startswith("2998-12-31T22:00:00")
        body = {"names": {"en": "LNA"}, "kind": "armed_forces"}
        headers = {"Authorization": f"Bearer {key['secret']}"}
        assert client.post("/v1/actors", json=body, headers=headers).status_code == 201

    def test_stored_hash_is_not_the_secret(
        self, client: TestClient, admin_headers: Headers, database: Database
    ) -> None:
        key = _create(client, admin_headers)
        with database.session(write=False) as session:
            stored = session.scalars(select(ApiKey).where(ApiKey.id == uuid.UUID(key["id"]))).one()
        assert stored.secret_hash != key["secret"]
        assert key["secret"] not in stored.secret_hash
        assert stored.secret_hash == hash_secret(key["secret"])

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"role": "owner"}, "role"),
            ({"name": ""}, "name"),
            ({"expires_at": "2030-01-01T00:00:00"}, "expires_at"),
            ({"secret": "wq_chosen-by-me"}, "secret"),
        ],
    )
    def test_invalid_input_is_422(
        self, client: TestClient, admin_headers: Headers, body: dict[str, Any], field: str
    ) -> None:
        response = client.post("/v1/keys", json={**KEY, **body}, headers=admin_headers)
        assert response.status_code == 422
        assert ["body", field] in [error["loc"] for error in response.json()["errors"]]

    @pytest.mark.parametrize(
        ("who", "status"), [("anonymous", 401), ("reader", 403), ("editor", 403)]
    )
    def test_admin_only(
        self, client: TestClient, non_admins: dict[str, Headers], who: str, status: int
    ) -> None:
        response = client.post("/v1/keys", json=KEY, headers=non_admins[who])
        assert response.status_code == status


class TestListKeys:
    def test_lists_keys_without_secrets(self, client: TestClient, admin_headers: Headers) -> None:
        key = _create(client, admin_headers)
        response = client.get("/v1/keys", headers=admin_headers)
        assert response.status_code == 200
        listed = {k["id"]: k for k in response.json()}
        assert listed[key["id"]]["name"] == "newsroom importer"
        assert key["secret"] not in response.text
        assert hash_secret(key["secret"]) not in response.text
        assert all("secret" not in k and "secret_hash" not in k for k in listed.values())

    @pytest.mark.parametrize(
        ("who", "status"), [("anonymous", 401), ("reader", 403), ("editor", 403)]
    )
    def test_admin_only(
        self, client: TestClient, non_admins: dict[str, Headers], who: str, status: int
    ) -> None:
        assert client.get("/v1/keys", headers=non_admins[who]).status_code == status


class TestRevokeKey:
    def test_revoked_key_stops_working(self, client: TestClient, admin_headers: Headers) -> None:
        key = _create(client, admin_headers, role="reader")
        headers = {"Authorization": f"Bearer {key['secret']}"}
        assert client.get("/v1/actors", headers=headers).status_code == 200
        response = client.delete(f"/v1/keys/{key['id']}", headers=admin_headers)
        assert response.status_code == 200
        revoked_at = response.json()["revoked_at"]
        assert revoked_at is not None
        assert "secret" not in response.json()
        assert client.get("/v1/actors", headers=headers).status_code == 401
        again = client.delete(f"/v1/keys/{key['id']}", headers=admin_headers)
        assert again.json()["revoked_at"] == revoked_at
        listed = {k["id"]: k for k in client.get("/v1/keys", headers=admin_headers).json()}
        assert listed[key["id"]]["revoked_at"] == revoked_at

    def test_unknown_key_is_404(self, client: TestClient, admin_headers: Headers) -> None:
        response = client.delete(f"/v1/keys/{uuid.uuid4()}", headers=admin_headers)
        assert response.status_code == 404
        assert response.json()["code"] == "api_key_not_found"

    @pytest.mark.parametrize(
        ("who", "status"), [("anonymous", 401), ("reader", 403), ("editor", 403)]
    )
    def test_admin_only(
        self,
        client: TestClient,
        admin_headers: Headers,
        non_admins: dict[str, Headers],
        who: str,
        status: int,
    ) -> None:
        key = _create(client, admin_headers)
        response = client.delete(f"/v1/keys/{key['id']}", headers=non_admins[who])
        assert response.status_code == status
        still = client.get("/v1/actors", headers={"Authorization": f"Bearer {key['secret']}"})
        assert still.status_code == 200
