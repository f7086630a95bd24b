"""Soak: a bounded mixed read/write load against a real server, on loopback.

    python -m bench.soak --seconds 180 [--clients 8] [--database-url URL]

Starts `waqai serve` on a fresh database (SQLite in a temporary directory unless a URL is
given; the demo data is loaded), then for the given time clients list, search, read timelines
and events, create events and edit them with If-Match. It reports the errors (any 5xx, any
unexpected status: must be 0), latency percentiles by kind of request, and the server's
resident memory over the run, which must level off: the last third of the run may not grow by
more than the allowance over the middle third. Exits 1 if either check fails.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx2 as httpx

from app.core.auth import Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.core.migrations import upgrade
from app.demo.load import load
from app.keys import service as keys

MEMORY_GROWTH_ALLOWED = 0.10  # of the middle third's resident memory
OK = frozenset({200})
# Each read and the answers it may get: an export beyond the worker's slots is refused (429),
# which is the service protecting itself, not an error.
READS = [
    ("/v1/events?limit=50", OK),
    ("/v1/events?q=حفتر", OK),
    ("/v1/events?q=ceasefire&sort=-date", OK),
    ("/v1/timeline?limit=100&bucket=day&group_by=actor", OK),
    ("/v1/actors?q=Haftar", OK),
    ("/v1/suggest?q=تره", OK),
    ("/v1/events/export?format=csv", frozenset({200, 429})),
]


def prepare(url: str) -> str:
    """Migrate, load the demo and make an editor key; the key's secret."""
    database = Database(create_db_engine(Settings(database_url=url)))
    upgrade(database.engine)
    with database.session(write=True) as session:
        load(session)
        _, secret = keys.create(session, name="soak", role=Role.editor)
    database.refresh_statistics()  # as `waqai demo load` does
    database.dispose()
    return secret


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Load:
    """Clients sending a mixed load until the deadline, recording statuses and latencies."""

    def __init__(self, base: str, secret: str, deadline: float) -> None:
        self.base, self.deadline = base, deadline
        self.editor = {"Authorization": f"Bearer {secret}"}
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.created: list[str] = []
        self.lock = threading.Lock()

    def client(self, seed: int) -> None:
        chance = random.Random(seed)
        with httpx.Client(base_url=self.base, timeout=30) as http:
            while time.monotonic() < self.deadline:
                roll = chance.random()
                if roll < 0.1:
                    self.create(http, chance)
                elif roll < 0.2 and self.created:
                    self.edit(http, chance)
                else:
                    self.read(http, *chance.choice(READS))

    def timed(self, kind: str, expected: frozenset[int], send: Any) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response: httpx.Response = send()
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors.append(f"{kind}: {exc!r}")
            return None
        with self.lock:
            self.latency[kind].append(time.perf_counter() - started)
            if response.status_code not in expected:
                self.errors.append(f"{kind}: {response.status_code} {response.text[:200]}")
        return response

    def read(self, http: httpx.Client, path: str, expected: frozenset[int]) -> None:
        self.timed(path.split("?")[0], expected, lambda: http.get(path))

    def create(self, http: httpx.Client, chance: random.Random) -> None:
        body = {
            "type": "ceasefire.breach",
            "title": {"ar": f"خرق للهدنة {chance.randint(1, 10**6)}", "en": "Soak breach"},
            "original_language": "ar",
            "when": f"2020-01-{chance.randint(12, 31):02d}",
            "status": "published",
        }
        response = self.timed(
            "POST /v1/events",
            {201},
            lambda: http.post("/v1/events", json=body, headers=self.editor),
        )
        if response is not None and response.status_code == 201:
            with self.lock:
                self.created.append(response.headers["location"])

    def edit(self, http: httpx.Client, chance: random.Random) -> None:
        path = chance.choice(self.created)
        current = self.timed("GET event", OK, lambda: http.get(path, headers=self.editor))
        if current is None or current.status_code != 200:
            return
        headers = {**self.editor, "If-Match": current.headers["etag"]}
        body = {"when": f"2020-02-{chance.randint(1, 28):02d}"}
        # Another client may have edited it in between: 412 is the service doing its job.
        self.timed(
            "PATCH event",
            frozenset({200, 412}),
            lambda: http.patch(path, json=body, headers=headers),
        )


def run(seconds: int, clients: int, url: str | None) -> bool:
    with tempfile.TemporaryDirectory() as scratch:
        url = url or f"sqlite:///{scratch}/soak.db"
        secret = prepare(url)
        port = 8765 + os.getpid() % 1000
        env = {**os.environ, "WAQAI_DATABASE_URL": url, "WAQAI_LOAD_DEMO": "false"}
        env["WAQAI_LOG_LEVEL"] = "WARNING"
        waqai = str(Path(sys.executable).with_name("waqai"))
        server = subprocess.Popen([waqai, "serve", "--port", str(port)], env=env)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base)
            return _measure(server.pid, base, secret, seconds, clients)
        finally:
            server.terminate()
            server.wait(timeout=10)


def _wait_until_up(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise TimeoutError(f"{base} did not come up")


def _measure(pid: int, base: str, secret: str, seconds: int, clients: int) -> bool:
    load = Load(base, secret, time.monotonic() + seconds)
    threads = [threading.Thread(target=load.client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    memory: list[int] = []
    while any(thread.is_alive() for thread in threads):
        memory.append(resident_kib(pid))
        time.sleep(1)
    return _report(load, memory, seconds, clients)


def _report(load: Load, memory: list[int], seconds: int, clients: int) -> bool:
    total = sum(len(v) for v in load.latency.values())
    print(f"soak: {seconds} s, {clients} clients, {total} requests ({total / seconds:.0f}/s)")
    print("| request | count | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|")
    for kind, values in sorted(load.latency.items()):
        cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
        p50, p95, p99 = (cuts[i] * 1000 for i in (49, 94, 98))
        print(f"| {kind} | {len(values)} | {p50:.1f} | {p95:.1f} | {p99:.1f} |")
    third = max(1, len(memory) // 3)
    middle, last = max(memory[third : 2 * third] or memory), max(memory[2 * third :] or memory)
    growth = (last - middle) / middle if middle else 0.0
    print(
        f"server memory: start {memory[0] // 1024} MiB, middle third max {middle // 1024} MiB, "
        f"last third max {last // 1024} MiB ({growth:+.1%}; allowed {MEMORY_GROWTH_ALLOWED:+.0%})"
    )
    print(f"errors: {len(load.errors)}")
    for error in load.errors[:20]:
        print(f"  {error}")
    return not load.errors and growth <= MEMORY_GROWTH_ALLOWED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=180)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    sys.exit(0 if run(args.seconds, args.clients, args.database_url) else 1)


if __name__ == "__main__":
    main()
