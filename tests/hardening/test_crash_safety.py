"""Crash safety: a server killed with SIGKILL while it writes loses nothing it acknowledged,
and an import killed midway (through the API or the command line) leaves none of its rows.

Real processes, real SIGKILL, a real database file or PostgreSQL database. A SIGKILL tests
that nothing is acknowledged before its commit; that the commit then survives a power cut is
the database's fsync, which production mode checks (tests/hardening/test_production.py). The
servers here run in production mode, so they also show that a safe setup starts in it.
"""

from __future__ import annotations

import io
import itertools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import orjson
import pytest
from sqlalchemy import func, select

from app.core.auth import Principal, Role
from app.core.config import Settings
from app.core.db import Database, create_db_engine
from app.imports import jobs
from app.models import Actor, Event, Revision
from tests.factories import event_body
from tests.hardening.servers import ROOT, Server, prepared, start
from tests.imports.test_crash import big_file

WRITERS = 4
ACKED_BEFORE_KILL = 24
# Kill once this share of the file is read: 900 of its 6000 rows. Rows past the first chunk
# (500) are read only after that chunk is written, so the import has written and is far from done.
KILL_AT = 0.15
PRODUCTION = {"WAQAI_PRODUCTION": "true"}
pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fdinfo").is_dir(), reason="needs /proc to see how far an import read"
)


@dataclass(frozen=True)
class Ack:
    """A write the server answered with success: this version of this event had this title."""

    event_id: str
    version: int
    title: str


def title(text: str) -> dict[str, str]:
    return {"ar": "اشتباكات", "en": text}


class Acks:
    """The writes the server acknowledged. The one that makes ACKED_BEFORE_KILL of them kills
    the server at once, in the thread that just read the answer: if a commit ran after the
    answer (the bug this test is for), it would still be under way."""

    def __init__(self, kill: Callable[[], None]) -> None:
        self.items: list[Ack] = []
        self._kill = kill
        self._lock = threading.Lock()

    def note(self, ack: Ack) -> None:
        with self._lock:
            self.items.append(ack)
            if len(self.items) == ACKED_BEFORE_KILL:
                self._kill()


def keep_writing(server: Server, headers: dict[str, str], writer: int, acks: Acks) -> None:
    """Create events and change each twice, noting every success, until the server dies."""
    deadline = time.monotonic() + 40
    with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
        for n in itertools.count():
            assert time.monotonic() < deadline, "the server was never killed"
            try:
                text = f"writer {writer} event {n} v1"
                created = client.post("/v1/events", json=event_body(title=title(text)))
                assert created.status_code == 201, created.text
                event_id, etag = created.json()["id"], created.headers["ETag"]
                acks.note(Ack(event_id, 1, text))
                for version in (2, 3):
                    text = f"writer {writer} event {n} v{version}"
                    change = {"title": title(text)}
                    changed = client.patch(
                        f"/v1/events/{event_id}", json=change, headers={"If-Match": etag}
                    )
                    assert changed.status_code == 200, changed.text
                    acks.note(Ack(event_id, version, text))
                    etag = changed.headers["ETag"]
            except httpx.TransportError:
                return  # killed mid-request: this write was never acknowledged


def test_every_acknowledged_write_survives_sigkill(tmp_path: Path, running: list[Server]) -> None:
    settings, headers = prepared(tmp_path, "acked", Role.editor)
    (server,) = start(running, settings, tmp_path, env=PRODUCTION)
    acks = Acks(kill=server.kill)
    with ThreadPoolExecutor(WRITERS) as pool:
        writers = [pool.submit(keep_writing, server, headers, i, acks) for i in range(WRITERS)]
        for w in writers:
            w.result()  # a writer's failed assertion fails the test
    acked = acks.items
    assert len(acked) >= ACKED_BEFORE_KILL

    (restarted,) = start(running, settings, tmp_path, env=PRODUCTION)
    latest: dict[str, int] = {}
    for ack in acked:
        latest[ack.event_id] = max(ack.version, latest.get(ack.event_id, 0))
    with httpx.Client(base_url=restarted.url, headers=headers) as client:
        for event_id, version in latest.items():
            event = client.get(f"/v1/events/{event_id}")
            assert event.status_code == 200, event.text
            # A write in flight at the kill may have committed without being acknowledged.
            assert event.json()["version"] in (version, version + 1)
        history = {
            (event_id, r["version"]): r["after"]["title"]["en"]
            for event_id in latest
            for r in client.get(f"/v1/events/{event_id}/revisions").json()
        }
    assert [a for a in acked if history.get((a.event_id, a.version)) != a.title] == []


def read_offset(pid: int, path: Path) -> int:
    """How far process `pid` has read `path`: the largest offset of its descriptors on it."""
    offsets = [0]
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if Path(os.readlink(fd)) == path:
                info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                offsets.append(int(info.split("pos:")[1].split()[0]))
        except (FileNotFoundError, ProcessLookupError):
            continue  # closed while we looked
    return max(offsets)


def kill_midway(process: subprocess.Popen[bytes], path: Path, kill: Callable[[], None]) -> None:
    """Kill `process` once it has read KILL_AT of the file at `path`, and not after its end."""
    size = path.stat().st_size
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        assert process.poll() is None, "the process ended before it was killed"
        offset = read_offset(process.pid, path)
        if offset >= KILL_AT * size:
            assert offset < size, "the whole file was read before the kill"
            kill()
            return
        time.sleep(0.01)
    raise AssertionError(f"the import never read {KILL_AT:.0%} of the file")


@dataclass(frozen=True)
class Tally:
    events: int
    actors: int
    revisions: int


def tally(settings: Settings) -> Tally:
    database = Database(create_db_engine(settings))
    try:
        with database.session(write=False) as session:
            counts = [
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Event, Actor, Revision)
            ]
    finally:
        database.dispose()
    return Tally(*counts)


def some_acknowledged_events(server: Server, headers: dict[str, str]) -> list[str]:
    """Three events written before the import, which must outlive its crash."""
    ids = []
    for n in range(3):
        body = event_body(title=title(f"before the import {n}"))
        created = httpx.post(f"{server.url}/v1/events", json=body, headers=headers)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


def test_an_import_killed_midway_keeps_none_of_its_rows_and_is_reported_failed(
    tmp_path: Path, running: list[Server]
) -> None:
    settings, headers = prepared(tmp_path, "import", Role.admin)
    (server,) = start(running, settings, tmp_path, env=PRODUCTION)
    before_ids = some_acknowledged_events(server, headers)
    before = tally(settings)

    with big_file(tmp_path / "big.ndjson").open("rb") as data:
        sent = httpx.post(
            f"{server.url}/v1/imports",
            headers=headers,
            files={"file": ("big.ndjson", data)},
            data={"format": "ndjson"},
            timeout=60,
        )
    assert sent.status_code == 202, sent.text
    job = sent.json()["id"]
    upload = settings.data_dir / "imports" / f"{job}.upload"
    assert server.process is not None
    kill_midway(server.process, upload.resolve(), server.kill)

    assert tally(settings) == before  # no event, actor or revision of the file's rows
    (restarted,) = start(running, settings, tmp_path, env=PRODUCTION)
    report = httpx.get(f"{restarted.url}/v1/imports/{job}", headers=headers).json()
    assert report["state"] == "failed"
    assert "stopped while this import ran" in report["message"]
    assert not upload.exists()
    for event_id in before_ids:
        assert httpx.get(f"{restarted.url}/v1/events/{event_id}").status_code == 200
    assert tally(settings) == before


def committed_events(settings: Settings, count: int, first: int = 0) -> None:
    """Events imported and committed (here, in the test) before a crash they must outlive."""
    lines = [
        {
            "type": "negotiation.talks",
            "when": "2020-01-13",
            "title": title(f"before the import {n}"),
            "original_language": "ar",
            "external_ids": {"before": str(n)},
        }
        for n in range(first, first + count)
    ]
    data = io.BytesIO(b"".join(orjson.dumps(line) + b"\n" for line in lines))
    database = Database(create_db_engine(settings))
    try:
        by = Principal(role=Role.admin, name="hardening")
        report = jobs.execute(
            database, data, format="ndjson", mode="atomic", dry_run=False, by=by, reason="setup"
        )
    finally:
        database.dispose()
    assert report.created == count


def test_a_command_line_import_killed_midway_keeps_none_of_its_rows(tmp_path: Path) -> None:
    settings, _ = prepared(tmp_path, "cli_import", Role.admin)
    committed_events(settings, 3)
    before = tally(settings)

    path = big_file(tmp_path / "big.ndjson").resolve()
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAQAI_")}
    env.update(WAQAI_DATABASE_URL=settings.database_url, WAQAI_LOG_LEVEL="WARNING")
    command = [sys.executable, "-m", "app.cli", "import", str(path), "--format", "ndjson"]
    importer = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        kill_midway(importer, path, lambda: importer.send_signal(signal.SIGKILL))
        assert importer.wait(timeout=10) == -signal.SIGKILL
    finally:
        importer.kill()
        importer.wait()

    assert tally(settings) == before == Tally(events=3, actors=0, revisions=3)
    committed_events(settings, 1, first=3)  # the dead import holds no lock: a write goes through
    assert tally(settings).events == 4
