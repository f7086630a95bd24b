"""Rate limits per key and per address, with RateLimit-* headers; shared through Redis."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest
import redis
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import ExportsBusy
from app.formats.http import ExportSlots
from app.main import create_app
from tests.servers import prepared_database, servers

# .ci/run starts a Redis and names it; elsewhere the test uses a local one if there is one.
REQUIRED = "WAQAI_TEST_REDIS_URL" in os.environ
REDIS_URL = os.environ.get("WAQAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
Headers = dict[str, str]


@pytest.fixture
def limited(settings: Settings, database: Database) -> Iterator[TestClient]:
    limits = {"rate_limit_key": "3/minute", "rate_limit_anonymous": "2/minute"}
    with TestClient(create_app(settings.model_copy(update=limits), database)) as client:
        yield client


def test_a_key_over_its_limit_is_told_when_to_come_back(
    limited: TestClient, editor_headers: Headers
) -> None:
    answers = [limited.get("/v1/events", headers=editor_headers) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["ratelimit-remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert answers[0].headers["ratelimit-limit"] == "3"
    refused = answers[3]
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert "x-request-id" in refused.headers


def test_each_key_and_anonymous_callers_count_apart(
    limited: TestClient, editor_headers: Headers, admin_headers: Headers
) -> None:
    for _ in range(3):
        limited.get("/v1/events", headers=editor_headers)
    assert limited.get("/v1/events", headers=editor_headers).status_code == 429
    assert limited.get("/v1/events", headers=admin_headers).status_code == 200
    assert [limited.get("/v1/events").status_code for _ in range(3)] == [200, 200, 429]


def test_made_up_keys_count_against_the_address(
    limited: TestClient, editor_headers: Headers
) -> None:
    junk = [
        limited.get("/v1/events", headers={"Authorization": f"Bearer junk{i}"}) for i in range(3)
    ]
    assert [r.status_code for r in junk] == [401, 401, 429]
    assert limited.get("/v1/events").status_code == 429  # one address, one count
    assert limited.get("/v1/events", headers=editor_headers).status_code == 429


def test_health_probes_are_never_limited(limited: TestClient) -> None:
    assert {limited.get("/healthz").status_code for _ in range(5)} == {200}


def test_without_limits_there_are_no_headers(client: TestClient) -> None:
    assert "ratelimit-limit" not in client.get("/v1/events").headers


def test_a_rate_that_is_not_one_stops_the_settings() -> None:
    with pytest.raises(ValidationError, match="not a rate"):
        Settings(rate_limit_key="a hundred a minute")


def redis_or_skip() -> None:
    """Go on if the test Redis answers; skip if there is none here, fail if CI named one."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        if REQUIRED:
            raise
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one)")


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[list[str], Headers]]:
    """Two server processes on one database of the backend under test, counting in Redis."""
    redis_or_skip()
    url, secret = prepared_database(tmp_path, "ratelimit", Role.reader)
    with servers(url, 2, redis_url=REDIS_URL, rate_limit_key="5/minute") as bases:
        yield bases, {"Authorization": f"Bearer {secret}"}


def test_two_workers_share_one_count_through_redis(two_servers: tuple[list[str], Headers]) -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception:
        pytest.skip(f"no Redis at {REDIS_URL} (.ci/run starts one)")
    (first, second), headers = two_servers
    statuses = [
        httpx.get(f"{base}/v1/events", headers=headers).status_code
        for base in (first, second, first, second, first, second)
    ]
    assert statuses == [200, 200, 200, 200, 200, 429]


class TestConcurrentExports:
    def test_an_export_beyond_the_slots_is_429_and_a_freed_slot_serves_again(
        self, settings: Settings, database: Database
    ) -> None:
        one_slot = settings.model_copy(update={"max_concurrent_exports": 1})
        with TestClient(create_app(one_slot, database)) as client:
            slots: ExportSlots = client.app.state.export_slots  # type: ignore[attr-defined]
            release = slots.take()  # an export streaming to someone else
            for path in ("/v1/events/export?format=csv", "/v1/timeline?format=ndjson"):
                refused = client.get(path)
                assert refused.status_code == 429
                assert refused.json()["code"] == "too_many_exports"
                assert refused.headers["retry-after"] == "5"
            release()
            assert client.get("/v1/events/export?format=csv").status_code == 200
            assert client.get("/v1/events/export?format=csv").status_code == 200  # given back

    def test_a_slot_comes_back_once_however_often_it_is_released(self) -> None:
        slots = ExportSlots(1)
        release = slots.take()
        release()
        release()  # twice is once
        slots.take()
        with pytest.raises(ExportsBusy):
            slots.take()
