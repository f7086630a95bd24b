"""Fixtures of the hardening tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hardening.servers import Server


@pytest.fixture
def running() -> Iterator[list[Server]]:
    """Servers started by the test; each is killed when the test ends, whatever happened."""
    servers: list[Server] = []
    yield servers
    for server in servers:
        server.kill()
