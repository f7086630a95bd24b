"""No lost updates: clients racing to change one event through two real server processes on
one database. Whoever holds the current ETag wins once; everyone else is told (412) to read
again, and the history has exactly one revision per success."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx2 as httpx
import pytest

from app.core.auth import Role
from tests.factories import event_body
from tests.hardening.servers import Server, prepared, start

CLIENTS = 12
ROUNDS = 4
INCREMENTERS = 4
INCREMENTS_EACH = 3
T = TypeVar("T")


def at_once(count: int, work: Callable[[int, httpx.Client, threading.Barrier], T]) -> list[T]:
    """Run `work` in `count` threads, each with its own connection, released together."""
    barrier = threading.Barrier(count, timeout=30)

    def one(i: int) -> T:
        with httpx.Client(timeout=30) as client:
            return work(i, client, barrier)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(one, range(count)))


Racers = tuple[list[Server], dict[str, str]]


@pytest.fixture(scope="module")
def racers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Racers]:
    """Two servers on one new database, and an editor's key; each test races on its own event."""
    tmp_path = tmp_path_factory.mktemp("race")
    settings, headers = prepared(tmp_path, "race", Role.editor)
    servers: list[Server] = []
    try:
        start(servers, settings, tmp_path, count=2)
        yield servers, headers
    finally:
        for server in servers:
            server.kill()


def title(text: str) -> dict[str, str]:
    return {"ar": "محادثات", "en": text}


def revisions(server: Server, event_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = httpx.get(f"{server.url}/v1/events/{event_id}/revisions", headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def race(
    servers: list[Server], event_id: str, headers: dict[str, str], *, etag: str, text: str
) -> list[httpx.Response]:
    """CLIENTS PATCHes of the event with the same If-Match, sent together to both servers."""

    def patch(i: int, client: httpx.Client, barrier: threading.Barrier) -> httpx.Response:
        server = servers[i % len(servers)]
        client.get(f"{server.url}/healthz")  # connect before the race, not in it
        barrier.wait()
        body = {"title": title(f"{text} client {i}")}
        url = f"{server.url}/v1/events/{event_id}"
        return client.patch(url, json=body, headers={**headers, "If-Match": etag})

    return at_once(CLIENTS, patch)


def test_one_if_match_lets_exactly_one_writer_through(racers: Racers) -> None:
    servers, headers = racers
    created = httpx.post(f"{servers[0].url}/v1/events", json=event_body(), headers=headers)
    assert created.status_code == 201, created.text
    event_id, etag = created.json()["id"], created.headers["ETag"]
    winners = []
    for round_ in range(ROUNDS):
        responses = race(servers, event_id, headers, etag=etag, text=f"round {round_}")
        statuses = Counter(response.status_code for response in responses)
        assert statuses == {200: 1, 412: CLIENTS - 1}, [r.text for r in responses]
        (winner,) = (response for response in responses if response.status_code == 200)
        assert winner.headers["ETag"] == f'W/"{round_ + 2}"'
        etag = winner.headers["ETag"]
        winners.append(winner.json()["title"]["en"])

    current = httpx.get(f"{servers[1].url}/v1/events/{event_id}", headers=headers).json()
    assert current["version"] == 1 + ROUNDS
    assert current["title"]["en"] == winners[-1]
    history = revisions(servers[1], event_id, headers)
    assert [r["version"] for r in history] == list(range(1, ROUNDS + 2))
    assert [r["after"]["title"]["en"] for r in history[1:]] == winners


def test_read_modify_write_with_retries_loses_no_increment(racers: Racers) -> None:
    """Each client adds one to a number kept in the title, reading it first and retrying on
    412: with no update lost, the number ends at the count of successes, and each revision
    adds exactly one to the one before."""
    servers, headers = racers
    body = event_body(title=title("0"))
    created = httpx.post(f"{servers[0].url}/v1/events", json=body, headers=headers)
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]

    def increment(i: int, client: httpx.Client, barrier: threading.Barrier) -> Counter[int]:
        url = f"{servers[i % 2].url}/v1/events/{event_id}"
        statuses: Counter[int] = Counter()
        barrier.wait()
        while statuses[200] < INCREMENTS_EACH:
            read = client.get(url, headers=headers)
            number = int(read.json()["title"]["en"])
            change = {"title": title(str(number + 1))}
            sent = client.patch(
                url, json=change, headers={**headers, "If-Match": read.headers["ETag"]}
            )
            statuses[sent.status_code] += 1
            assert sent.status_code in (200, 412), sent.text
        return statuses

    results = at_once(INCREMENTERS, increment)
    successes = sum(statuses[200] for statuses in results)
    assert successes == INCREMENTERS * INCREMENTS_EACH
    assert sum(statuses[412] for statuses in results) > 0  # they did race

    current = httpx.get(f"{servers[0].url}/v1/events/{event_id}", headers=headers).json()
    assert current["title"]["en"] == str(successes)
    assert current["version"] == 1 + successes
    history = revisions(servers[0], event_id, headers)
    assert [int(r["after"]["title"]["en"]) for r in history] == list(range(successes + 1))
