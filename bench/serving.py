"""Servers on loopback and the two ways of loading them: wrk with many connections, and one
keep-alive connection timing each request."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

WORKERS = 2
MIN_SAMPLES = 10
STARTUP_SECONDS = 60


@dataclass(frozen=True)
class Server:
    """A uvicorn serving on loopback: its address and its process (the workers' parent)."""

    base_port: int
    process: subprocess.Popen[bytes]
    listener: socket.socket

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def listening_socket() -> socket.socket:
    """A loopback socket for uvicorn's workers to accept on, with TCP_NODELAY set.

    uvicorn with several workers binds a socket whose protocol number is 0, and asyncio then
    skips TCP_NODELAY on the connections it accepts: every answer written in two parts waits
    for the client's delayed ACK, 40 ms. Accepted sockets inherit the listener's TCP_NODELAY.
    (uvloop, which the app now installs, sets it itself; this keeps the bench independent of
    which loop runs.)
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(app: str, env: dict[str, str], *, factory: bool) -> Iterator[Server]:
    """uvicorn with two workers serving `app` on loopback, stopped on the way out."""
    listener = listening_socket()
    command = [
        str(Path(".venv/bin/uvicorn")),
        app,
        f"--fd={listener.fileno()}",
        f"--workers={WORKERS}",
        "--log-level=warning",
        "--no-access-log",
        *(["--factory"] if factory else []),
    ]
    process = subprocess.Popen(command, env={**os.environ, **env}, pass_fds=[listener.fileno()])
    server = Server(listener.getsockname()[1], process, listener)
    try:
        _wait_until_up(server)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        listener.close()


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}")
        try:
            get(server.base_port, "/healthz")
            if len(server.worker_pids()) >= WORKERS:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def get(port: int, path: str) -> bytes:
    """One GET on a new connection; the body (raises unless 200)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
        return body
    finally:
        conn.close()


def timed_gets(port: int, path: str, count: int, budget: float = 30.0) -> list[float]:
    """Seconds each of `count` sequential GETs took on one keep-alive connection; fewer (at
    least MIN_SAMPLES) when they take longer than `budget` seconds in all."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    took: list[float] = []
    deadline = time.monotonic() + budget
    try:
        while len(took) < count and (len(took) < MIN_SAMPLES or time.monotonic() < deadline):
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            took.append(time.perf_counter() - started)
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status}")
    finally:
        conn.close()
    return took


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian's packages if missing."""
    found = shutil.which("wrk")
    if found:
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env)
    return shutil.which("wrk") or "wrk"


@dataclass(frozen=True)
class Load:
    """What wrk measured: requests per second, and any non-2xx answers or socket errors."""

    requests_per_second: float
    errors: int


def wrk(port: int, path: str, *, connections: int, seconds: int) -> Load:
    """wrk on loopback for a bounded time."""
    result = subprocess.run(
        [
            ensure_wrk(),
            f"--threads={min(connections, WORKERS)}",
            f"--connections={connections}",
            f"--duration={seconds}s",
            "--timeout=30s",
            f"http://127.0.0.1:{port}{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    return parse_wrk(result.stdout)


def parse_wrk(output: str) -> Load:
    """Requests/sec and errors from wrk's report."""
    rate = re.search(r"Requests/sec:\s*([\d.]+)", output)
    if rate is None:
        raise RuntimeError(f"wrk said: {output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Load(float(rate.group(1)), errors + (int(bad.group(1)) if bad else 0))


def peak_rss_mib(pids: list[int]) -> float:
    """The largest peak resident memory (VmHWM) among these processes, in MiB."""
    peaks = [0]
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]))
    return max(peaks) / 1024
