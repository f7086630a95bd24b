"""Idempotency-Key on POST: a retry gets the first answer and creates nothing."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import anyio
import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient

from app.core.auth import Role
from app.core.idempotency import RequestFingerprint
from tests.factories import event_body
from tests.servers import prepared_database, servers

Headers = dict[str, str]


def events_count(client: TestClient | httpx.Client, headers: Headers) -> int:
    return len(client.get("/v1/events?limit=500", headers=headers).json()["items"])


class TestReplays:
    def test_a_retry_gets_the_first_answer_and_creates_nothing(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        headers = {**editor_headers, "Idempotency-Key": "a1b2c3"}
        first = client.post("/v1/events", json=event_body(), headers=headers)
        again = client.post("/v1/events", json=event_body(), headers=headers)
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["location"] == first.headers["location"]
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert events_count(client, editor_headers) == 1

    def test_the_same_key_for_another_request_is_422_and_changes_nothing(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        headers = {**editor_headers, "Idempotency-Key": "k-1"}
        assert client.post("/v1/events", json=event_body(), headers=headers).status_code == 201
        other = client.post("/v1/events", json=event_body(when="2020-01-14"), headers=headers)
        assert other.status_code == 422
        assert other.headers["content-type"] == "application/problem+json"
        assert "different request" in other.json()["detail"]
        assert events_count(client, editor_headers) == 1

    def test_an_answered_error_is_replayed_too(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        headers = {**editor_headers, "Idempotency-Key": "bad-once"}
        body = event_body(when="not a date")
        first = client.post("/v1/events", json=body, headers=headers)
        again = client.post("/v1/events", json=body, headers=headers)
        assert first.status_code == again.status_code == 422
        assert again.json() == first.json()

    def test_keys_belong_to_the_credentials_that_sent_them(
        self, client: TestClient, editor_headers: Headers, admin_headers: Headers
    ) -> None:
        for headers in (editor_headers, admin_headers):
            sent = client.post(
                "/v1/events", json=event_body(), headers={**headers, "Idempotency-Key": "same"}
            )
            assert sent.status_code == 201
            assert "idempotent-replayed" not in sent.headers
        assert events_count(client, editor_headers) == 2

    @pytest.mark.parametrize("key", [b"", b"x" * 256, "مفتاح".encode(), b"tab\there"])
    def test_a_malformed_key_is_400(
        self, client: TestClient, editor_headers: Headers, key: bytes
    ) -> None:
        response = client.post(
            "/v1/events", json=event_body(), headers={**editor_headers, "Idempotency-Key": key}
        )
        assert response.status_code == 400
        assert "Idempotency-Key" in response.json()["detail"]
        assert response.json()["code"] == "invalid_header"
        assert events_count(client, editor_headers) == 0

    def test_without_a_key_nothing_changes(
        self, client: TestClient, editor_headers: Headers
    ) -> None:
        for _ in range(2):
            assert (
                client.post("/v1/events", json=event_body(), headers=editor_headers).status_code
                == 201
            )
        assert events_count(client, editor_headers) == 2


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Headers]]:
    """A real server process on a fresh database of the backend under test, and an editor key."""
    url, secret = prepared_database(tmp_path, "idempotency", Role.editor)
    with servers(url) as (base,):
        yield base, {"Authorization": f"Bearer {secret}"}


def test_copies_sent_at_once_create_one_event(server: tuple[str, Headers]) -> None:
    base, editor = server
    headers = {**editor, "Idempotency-Key": "sent-eight-times"}

    def send(_: int) -> Any:
        with httpx.Client(base_url=base, timeout=30) as http:
            return http.post("/v1/events", json=event_body(), headers=headers)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409}, statuses
    created = {a.headers["location"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    assert all(a.headers["retry-after"] == "1" for a in answers if a.status_code == 409)
    with httpx.Client(base_url=base) as http:
        later = http.post("/v1/events", json=event_body(), headers=headers)
        assert later.status_code == 201
        assert later.headers["location"] in created
        assert events_count(http, editor) == 1


def test_an_answer_with_a_secret_is_not_kept_and_its_replay_says_so(
    client: TestClient, admin_headers: Headers
) -> None:
    headers = {**admin_headers, "Idempotency-Key": "new-key-once"}
    body = {"name": "desk", "role": "reader"}
    created = client.post("/v1/keys", json=body, headers=headers)
    assert created.status_code == 201
    replay = client.post("/v1/keys", json=body, headers=headers)
    assert replay.status_code == 409
    assert "shown only once" in replay.json()["detail"]
    assert created.json()["secret"] not in replay.text
    names = [k["name"] for k in client.get("/v1/keys", headers=admin_headers).json()]
    assert names.count("desk") == 1


def test_a_retried_upload_is_the_same_import_whatever_its_multipart_boundary(
    client: TestClient, admin_headers: Headers
) -> None:
    csv = b"type,when,title,original_language\nceasefire.breach,2020-01-13,Breach,en\n"
    headers = {**admin_headers, "Idempotency-Key": "upload-1"}

    def upload(data: bytes, boundary: str) -> Any:
        files = {"file": ("events.csv", data, "text/csv")}
        return client.post(
            "/v1/imports",
            headers={**headers, "Content-Type": f"multipart/form-data; boundary={boundary}"},
            content=_multipart(files, {"format": "csv"}, boundary),
        )

    first = upload(csv, "a" * 30)
    again = upload(csv, "b7" * 20)
    assert first.status_code == again.status_code == 202
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert upload(csv.replace(b"Breach", b"Clash"), "c" * 25).status_code == 422
    assert events_count(client, admin_headers) == 1


def _multipart(
    files: dict[str, tuple[str, bytes, str]], fields: dict[str, str], boundary: str
) -> bytes:
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    for name, (filename, data, media_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {media_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode()


@pytest.mark.parametrize("size", [1, 3, 7, 16, 1000])
def test_the_fingerprint_does_not_depend_on_how_the_body_arrives(size: int) -> None:
    def digest(boundary: str, chunk: int) -> str:
        body = _multipart({"file": ("a.csv", b"x,y\n1,2\n" * 3, "text/csv")}, {"f": "v"}, boundary)
        pieces = [body[i : i + chunk] for i in range(0, len(body), chunk)]
        messages = [
            {"type": "http.request", "body": p, "more_body": i < len(pieces) - 1}
            for i, p in enumerate(pieces)
        ]
        scope = {
            "method": "POST",
            "path": "/v1/imports",
            "query_string": b"",
            "headers": [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())],
        }

        async def receive() -> Any:
            return messages.pop(0)

        fingerprint = RequestFingerprint(scope, receive)
        # On a thread of its own: once a browser test has run, Playwright's sync API keeps an
        # event loop running on this one (tests/browser.py), and anyio.run refuses to nest.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(anyio.run, fingerprint.read_all).result()
        return fingerprint.digest()

    assert digest("q" * 24, size) == digest("zz9" * 9, len("q") * 10_000)
