"""Answers to read queries kept in this worker by their query ETag.

A query ETag (app.core.http.query_etag) names the query, the format, what the caller may see
and the state of the data (app.history.service.data_version), so the body once answered under
it is the answer for as long as that ETag is current: a timeline many readers open is built
once, not per request. The state moves on with every commit, so nothing here is ever stale; an
entry no longer asked for ages out of the byte budget, least recently used first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

# An answer larger than this share of the budget is served but not kept.
LARGEST_SHARE = 8


class AnswerCache:
    """Bodies by ETag, at most `budget` bytes in all (0: keep nothing)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        # Sync routes run on a thread pool: one change at a time.
        self._lock = threading.Lock()

    def answer(self, etag: str, build: Callable[[], bytes]) -> bytes:
        """The body kept under `etag`, or `build()`'s, kept if it fits."""
        with self._lock:
            body = self._bodies.get(etag)
            if body is not None:
                self._bodies.move_to_end(etag)
                return body
        body = build()
        if len(body) * LARGEST_SHARE <= self.budget:
            self._keep(etag, body)
        return body

    def _keep(self, etag: str, body: bytes) -> None:
        with self._lock:
            if etag in self._bodies:
                return
            self._bodies[etag] = body
            self._size += len(body)
            while self._size > self.budget:
                _, dropped = self._bodies.popitem(last=False)
                self._size -= len(dropped)
