"""Answers to read queries kept in this worker by their query ETag.

A query ETag (app.core.http.query_etag) names the query, the format, what the caller may see
and the state of the data (app.history.service.data_version), so the body once answered under
it is the answer for as long as that ETag is current: a timeline many readers open is built
once, not per request. The state moves on with every commit, so nothing here is ever stale; an
entry no longer asked for ages out of the byte budget, least recently used first.

A kept answer to an anonymous reader is given before routing (`KeptAnswers`): what the route
would do for it is work out the same ETag and find the same body, and FastAPI's dependencies
and a database session of its own cost several times the answer itself.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio
from fastapi import Request, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from app.core.auth import ANONYMOUS, SESSION_COOKIE
from app.core.http import if_none_match, json_response, query_cache_headers, query_etag

# An answer larger than this share of the budget is served but not kept.
LARGEST_SHARE = 8
# A read as of a past instant carries the instant in a header the route works out.
AS_OF = "as_of"


@dataclass(frozen=True)
class Routed:
    """What routing found for a path: the route and its parameters, for those that count
    requests by route (app.core.metrics)."""

    route: Any
    path_params: dict[str, Any]


@dataclass(frozen=True)
class _Kept:
    body: bytes
    path: str


class AnswerCache:
    """Bodies by ETag, at most `budget` bytes in all (0: keep nothing), and the paths they
    answer."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._answers: OrderedDict[str, _Kept] = OrderedDict()
        self._size = 0
        self._paths: dict[str, Routed] = {}
        self._kept_per_path: Counter[str] = Counter()
        # Sync routes run on a thread pool: one change at a time.
        self._lock = threading.Lock()

    def answer(self, etag: str, build: Callable[[], bytes], scope: Scope) -> bytes:
        """The body kept under `etag`, or `build()`'s, kept if it fits; `scope` is the
        request's, routed."""
        body = self.kept(etag)
        if body is not None:
            return body
        body = build()
        if len(body) * LARGEST_SHARE <= self.budget:
            routed = Routed(scope.get("route"), scope.get("path_params", {}))
            self._keep(etag, _Kept(body, scope["path"]), routed)
        return body

    def kept(self, etag: str) -> bytes | None:
        """The body kept under `etag`, if any."""
        with self._lock:
            kept = self._answers.get(etag)
            if kept is None:
                return None
            self._answers.move_to_end(etag)
            return kept.body

    def routed(self, path: str) -> Routed | None:
        """How `path` was routed, while an answer to it is kept."""
        return self._paths.get(path)

    def _keep(self, etag: str, kept: _Kept, routed: Routed) -> None:
        with self._lock:
            if etag in self._answers:
                return
            self._answers[etag] = kept
            self._size += len(kept.body)
            self._paths[kept.path] = routed
            self._kept_per_path[kept.path] += 1
            while self._size > self.budget:
                _, dropped = self._answers.popitem(last=False)
                self._size -= len(dropped.body)
                self._kept_per_path[dropped.path] -= 1
                if not self._kept_per_path[dropped.path]:
                    del self._kept_per_path[dropped.path], self._paths[dropped.path]


def kept_response(
    request: Request, etag: str, body: Callable[[], bytes], *, private: bool
) -> Response:
    """A query's answer under its ETag: 304 without the body if the client holds it."""
    if if_none_match(request, etag):
        response = Response(status_code=304, headers={"ETag": etag})
    else:
        response = json_response(request, body(), etag=etag)
    response.headers.update(query_cache_headers(private=private))
    return response


class Readings:
    """The state of the data, read once for every request waiting for it at the time.

    A request waits for a reading that starts after it arrived, so it sees every change
    committed before it: however many requests come at once, there is one reading in flight
    and at most one due after it."""

    def __init__(self, read: Callable[[], str]) -> None:
        self._read = read
        self._waiting: list[asyncio.Future[str]] = []
        self._reader: asyncio.Task[None] | None = None

    async def current(self) -> str:
        """The state of the data now (the read's own error if it fails)."""
        waiter: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting.append(waiter)
        # A reader started on another event loop (each test client has its own) is over.
        if self._reader is None or self._reader.done() or _other_loop(self._reader):
            self._reader = asyncio.create_task(self._read_for_waiting())
        return await waiter

    async def _read_for_waiting(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting, []
            try:
                state = await anyio.to_thread.run_sync(self._read)
            except Exception as exc:  # each waiter handles it as its own
                for waiter in batch:
                    if not waiter.done():
                        waiter.set_exception(exc)
            else:
                for waiter in batch:
                    if not waiter.done():  # its request may have been given up
                        waiter.set_result(state)


def _other_loop(task: asyncio.Task[None]) -> bool:
    return task.get_loop() is not asyncio.get_running_loop()


class KeptAnswers:
    """Give an anonymous GET its kept answer, if there is one, before routing.

    Only a query whose answer is kept goes this way: a path with none kept, a caller with a
    key or a session cookie, a read as of a past instant, or public reading turned off go
    to the route, which decides as it always does. The answer given here is the one the
    route would give: the same ETag from the same state of the data, the same body and
    headers (app.timelines.router.cached)."""

    def __init__(
        self, app: ASGIApp, *, answers: AnswerCache, readings: Readings, public_read: bool
    ) -> None:
        self.app = app
        self.answers = answers
        self.readings = readings
        self.public_read = public_read

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        routed = self._routed(scope)
        response = await self._kept(scope, routed) if routed is not None else None
        if response is None:
            await self.app(scope, receive, send)
        else:
            await response(scope, receive, send)

    def _routed(self, scope: Scope) -> Routed | None:
        """How the request's path was routed, if it may be answered here."""
        if not self.public_read or scope["type"] != "http" or scope["method"] != "GET":
            return None
        return self.answers.routed(scope["path"])

    async def _kept(self, scope: Scope, routed: Routed) -> Response | None:
        request = Request(scope)
        if (
            "authorization" in request.headers
            or SESSION_COOKIE in request.cookies
            or AS_OF in request.query_params
        ):
            return None
        try:
            state = await self.readings.current()
        except Exception:  # the route meets the same failure and answers for it
            return None
        etag = query_etag(request, sees_drafts=ANONYMOUS.sees_drafts, data_version=state)
        body = self.answers.kept(etag)
        if body is None:
            return None
        scope["route"], scope["path_params"] = routed.route, routed.path_params
        return kept_response(request, etag, lambda: body, private=False)
