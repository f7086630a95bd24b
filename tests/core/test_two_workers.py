"""Two server processes on one database and one Redis behave as one service: what one writes
the other reads, a stale ETag is refused whichever process holds the newer version, and a
cursor signed by one is honoured by the other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from app.core.auth import Role
from tests.core.test_rate_limits import REDIS_URL, redis_or_skip
from tests.factories import event_body
from tests.servers import prepared_database, servers

Headers = dict[str, str]


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[tuple[httpx.Client, httpx.Client, Headers]]:
    redis_or_skip()
    url, secret = prepared_database(tmp_path, "workers", Role.editor)
    shared = {"redis_url": REDIS_URL, "rate_limit_key": "1000/minute", "secret_key": "s" * 32}
    with (
        servers(url, 2, **shared) as (first, second),
        httpx.Client(base_url=first) as a,
        httpx.Client(base_url=second) as b,
    ):
        yield a, b, {"Authorization": f"Bearer {secret}"}


def test_what_one_worker_writes_the_other_serves(
    workers: tuple[httpx.Client, httpx.Client, Headers],
) -> None:
    a, b, editor = workers
    created = a.post("/v1/events", json=event_body(), headers=editor)
    assert created.status_code == 201
    path = created.headers["location"]
    assert b.get(path).json() == created.json()

    changed = b.patch(path, json={"when": "2020-01-14"}, headers={**editor, "If-Match": 'W/"1"'})
    assert changed.status_code == 200
    stale = a.patch(path, json={"when": "2020-01-15"}, headers={**editor, "If-Match": 'W/"1"'})
    assert stale.status_code == 412
    assert a.get(path).json()["when"] == "2020-01-14"
    assert len(a.get(f"{path}/revisions").json()) == 2

    for _ in range(2):
        a.post("/v1/events", json=event_body(), headers=editor)
    page = a.get("/v1/events?limit=2").json()
    rest = b.get(f"/v1/events?limit=2&cursor={page['next_cursor']}")
    assert rest.status_code == 200
    assert {e["id"] for e in page["items"]}.isdisjoint(e["id"] for e in rest.json()["items"])
    # The shared count: both workers report the same key's remaining allowance.
    left_a = int(a.get("/v1/events", headers=editor).headers["ratelimit-remaining"])
    left_b = int(b.get("/v1/events", headers=editor).headers["ratelimit-remaining"])
    assert left_b == left_a - 1
