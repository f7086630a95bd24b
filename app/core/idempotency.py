"""Idempotency keys: a POST sent again with the same `Idempotency-Key` is answered with the
first answer and does nothing a second time.

The key is claimed in a transaction of its own before the request runs, so two copies sent at
once cannot both run: the second is told the first is still in progress (409, Retry-After).
The answer is stored when the request ends; a replay with the same method, path, query and body
gets it back (with `Idempotent-Replayed: true`), one with anything different is refused (422).
A request that failed on the server side (5xx) releases its key so that it can be retried.
Keys belong to the API key that sent them (checked first: a revoked or expired key gets its
401, never a stored answer) and are kept for a day. An answer holding a secret shown only once
(`Cache-Control: no-store`, a new API key) is not kept: its replay is 409.

If the process dies after the request committed but before its answer was stored, the key
stays claimed until it expires: replays get 409 rather than a second execution.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import anyio.to_thread
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.auth import authenticate
from app.core.db import Database
from app.core.errors import Conflict, InvalidHeader, Unauthorized, ValidationFailed, WaqaiError
from app.core.middleware import send_problem
from app.models import IdempotentRequest
from app.models.base import utcnow

HEADER = b"idempotency-key"
KEPT_FOR = dt.timedelta(hours=24)
MAX_STORED_BODY = 1_048_576
# Headers that describe this delivery of the answer, not the answer.
_NOT_REPLAYED = frozenset({b"content-length", b"date", b"server", b"x-request-id"})


class Idempotency:
    """Make POSTs that carry an Idempotency-Key safe to retry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"]) if scope["type"] == "http" else {}
        raw_key = headers.get(HEADER)
        if scope["type"] != "http" or scope["method"] != "POST" or raw_key is None:
            await self.app(scope, receive, send)
            return
        try:
            key = _valid_key(raw_key)
        except InvalidHeader as error:
            await send_problem(scope, send, error)
            return
        database: Database = scope["app"].state.db
        caller = await anyio.to_thread.run_sync(_caller, database, headers.get(b"authorization"))
        if caller is None:  # a bad or dead key: the app answers 401, nothing is replayed
            await self.app(scope, receive, send)
            return
        stored = await anyio.to_thread.run_sync(_claim, database, caller, key)
        if stored is not None:
            await _answer_stored(scope, receive, send, stored)
            return
        await self._run_and_store(scope, receive, send, database, caller, key)

    async def _run_and_store(
        self, scope: Scope, receive: Receive, send: Send, database: Database, caller: str, key: str
    ) -> None:
        answer: dict[str, Any] = {"status": 500, "headers": [], "body": bytearray()}
        body = RequestFingerprint(scope, receive)

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = [
                    [name.decode("latin-1"), value.decode("latin-1")]
                    for name, value in message.get("headers", [])
                    if name.lower() not in _NOT_REPLAYED
                ]
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, body.receive, recording_send)
        finally:
            # Kept only if the request was read whole (a refusal before reading it changed
            # nothing: its key is released and a retry runs again).
            keep = (
                body.complete and answer["status"] < 500 and len(answer["body"]) <= MAX_STORED_BODY
            )
            if keep and _holds_secret(answer["headers"]):
                answer = {"status": answer["status"], "headers": [], "body": b"", "withheld": True}
            if keep:
                answer["fingerprint"] = body.digest()
            await anyio.to_thread.run_sync(_settle, database, caller, key, answer if keep else None)


class RequestFingerprint:
    """The request's method, path, query and body hashed as the app reads the body: an upload
    of any size is never held in memory for it. A multipart body is hashed without its
    boundary, which each client draws at random: a retried upload of the same file is the same
    request."""

    def __init__(self, scope: Scope, receive: Receive) -> None:
        self._receive = receive
        self._hash = hashlib.sha256()
        for part in (scope["method"].encode(), scope["path"].encode(), scope["query_string"]):
            self._hash.update(part + b"\0")
        self._boundary = _multipart_boundary(scope)
        self._pending = b""
        self.complete = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.complete = not message.get("more_body", False)
            self._add(message.get("body", b""))
        return message

    def _add(self, chunk: bytes) -> None:
        if not self._boundary:
            self._hash.update(chunk)
            return
        data, boundary = self._pending + chunk, self._boundary
        cut = len(data) if self.complete else max(0, len(data) - len(boundary) + 1)
        start = data.rfind(boundary, 0, cut + len(boundary) - 1)
        if start != -1 and start < cut < start + len(boundary):
            cut = start  # never split a boundary between two chunks
        self._hash.update(data[:cut].replace(boundary, b""))
        self._pending = data[cut:]

    async def read_all(self) -> None:
        while not self.complete:
            if (await self.receive())["type"] != "http.request":
                return

    def digest(self) -> str:
        return self._hash.hexdigest()


def _multipart_boundary(scope: Scope) -> bytes:
    raw: bytes = dict(scope["headers"]).get(b"content-type", b"")
    content_type = raw.decode("latin-1")
    if not content_type.lower().startswith("multipart/"):
        return b""
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.strip().partition("=")
        if name.lower() == "boundary" and value:
            return value.strip('"').encode("latin-1")
    return b""


def _caller(database: Database, authorization: bytes | None) -> str | None:
    """Whose keys these are: the API key's id ("anonymous" without one); None for a key that
    is not valid, revoked or expired."""
    with database.session(write=False) as session:
        try:
            _, key = authenticate(
                session, authorization.decode("latin-1") if authorization else None
            )
        except Unauthorized:
            return None
    return str(key.id) if key is not None else "anonymous"


def _valid_key(raw: bytes) -> str:
    key = raw.decode("latin-1").strip()
    if not 1 <= len(key) <= 255 or not key.isascii() or not key.isprintable():
        raise InvalidHeader(
            "Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is ideal)."
        )
    return key


def _claim(database: Database, caller: str, key: str) -> IdempotentRequest | None:
    """Claim the key for this request (None), or the earlier use of it that holds it."""
    now = utcnow()
    with database.session(write=True) as session:
        session.execute(delete(IdempotentRequest).where(IdempotentRequest.expires_at < now))
        try:
            with session.begin_nested():
                session.execute(
                    insert(IdempotentRequest).values(
                        caller=caller,
                        key=key,
                        withheld=False,
                        expires_at=now + KEPT_FOR,
                    )
                )
            return None
        except IntegrityError:
            stmt = select(IdempotentRequest).where(
                IdempotentRequest.caller == caller, IdempotentRequest.key == key
            )
            return session.scalars(stmt).one()


def _settle(database: Database, caller: str, key: str, answer: dict[str, Any] | None) -> None:
    """Keep the answer for replays, or release the key (a server-side failure may be retried)."""
    mine = (IdempotentRequest.caller == caller, IdempotentRequest.key == key)
    with database.session(write=True) as session:
        if answer is None:
            session.execute(delete(IdempotentRequest).where(*mine))
            return
        session.execute(
            update(IdempotentRequest)
            .where(*mine)
            .values(
                fingerprint=answer["fingerprint"],
                status=answer["status"],
                headers=answer["headers"],
                body=bytes(answer["body"]),
                withheld=answer.get("withheld", False),
            )
        )


def _holds_secret(headers: list[list[str]]) -> bool:
    return any(
        name.lower() == "cache-control" and "no-store" in value.lower() for name, value in headers
    )


def _refusal(stored: IdempotentRequest, fingerprint: str) -> WaqaiError | None:
    """Why an earlier use of the key cannot answer this request, if it cannot."""
    if stored.fingerprint != fingerprint:
        return ValidationFailed(
            "Idempotency-Key: this key was used for a different request (method, path or body); "
            "use a new key for a new request."
        )
    if stored.withheld:
        return Conflict(
            "Idempotency-Key: the answer to this request held a secret shown only once, so it "
            "was not kept; the request was carried out (list the keys to find what it created)."
        )
    return None


async def _answer_stored(
    scope: Scope, receive: Receive, send: Send, stored: IdempotentRequest
) -> None:
    if stored.status is None:  # still running: no need to read this copy's body
        await send_problem(scope, send, _in_progress())
        return
    copy = RequestFingerprint(scope, receive)
    await copy.read_all()
    refusal = _refusal(stored, copy.digest())
    if refusal is not None:
        await send_problem(scope, send, refusal)
        return
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers or []]
    body = stored.body or b""
    headers += [(b"idempotent-replayed", b"true"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _in_progress() -> Conflict:
    error = Conflict(
        "Idempotency-Key: a request with this key is still being processed; retry shortly."
    )
    error.headers["Retry-After"] = "1"
    return error
