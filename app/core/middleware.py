"""Pure ASGI middleware: request ids and access logs, security headers, body limits, content
types."""

from __future__ import annotations

import time
import uuid

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.context import request_id
from app.core.errors import InternalError, PayloadTooLarge, UnsupportedMediaType, WaqaiError

log = structlog.get_logger("waqai.access")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


async def send_problem(scope: Scope, send: Send, error: WaqaiError) -> None:
    """Answer with a problem+json body straight from middleware."""
    body = error.problem(scope.get("path", "")).model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in error.headers.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RequestContext:
    """Give every request an id (X-Request-ID), bind it to logs, and log one line per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")[:100]
        rid = incoming if incoming.isprintable() and incoming else uuid.uuid4().hex
        token = request_id.set(rid)
        structlog.contextvars.bind_contextvars(request_id=rid)
        started, status, responded = time.perf_counter(), 500, False

        async def send_with_id(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # The last line of defence: log the trace, tell the client only the request id.
            log.error("unhandled error", exc_info=exc, path=scope["path"])
            if not responded:
                await send_problem(
                    scope,
                    send_with_id,
                    InternalError(f"Something went wrong on our side (request id {rid})."),
                )
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=scope["path"],
                status=status,
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")
            request_id.reset(token)


# An API answers data, never pages: nothing in a response may run, load, frame or be framed.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = (
    (b"content-security-policy", API_CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
# Served over TLS (directly, or behind a proxy uvicorn trusts for X-Forwarded-Proto), browsers
# are told to come back only over TLS for a year.
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


class SecurityHeaders:
    """Add the security headers to every response; a response that set one keeps its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = [*SECURITY_HEADERS, *([HSTS] if scope.get("scheme") == "https" else [])]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in wanted if name not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


class BodyGuard:
    """Refuse bodies over the size limit (413) and bodies that are not JSON (415), except the
    dashboard's HTML forms, posted outside the API (`api_prefix`).

    File uploads (`upload_paths`, multipart) have their own, larger limit and are never held in
    memory here: their bytes are counted as the app reads them, and the read that crosses the
    limit raises 413.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        *,
        upload_paths: frozenset[str] = frozenset(),
        max_upload_bytes: int = 0,
        api_prefix: str | None = None,
    ) -> None:
        self.app = app
        self.api_prefix = api_prefix
        self.max_bytes = max_bytes
        self.upload_paths = upload_paths
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        content_type = headers.get(b"content-type", b"").decode("latin-1")
        if scope["path"] in self.upload_paths and content_type.startswith("multipart/form-data"):
            await self._upload(scope, receive, send, headers.get(b"content-length"))
            return
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await send_problem(scope, send, self._too_large())
            return
        body = await self._read(receive)
        if body is None:
            await send_problem(scope, send, self._too_large())
            return
        if body and not self._accepted(scope["path"], content_type):
            await send_problem(
                scope,
                send,
                UnsupportedMediaType(
                    "Send the body as JSON with 'Content-Type: application/json'."
                ),
            )
            return
        await self.app(scope, _replay(body, receive), send)

    def _accepted(self, path: str, content_type: str) -> bool:
        """JSON everywhere; outside the API (`api_prefix`), also the dashboard's HTML forms."""
        if _is_json(content_type):
            return True
        media = content_type.split(";", 1)[0].strip().lower()
        in_api = self.api_prefix is None or path.startswith(self.api_prefix)
        return not in_api and media == FORM_MEDIA_TYPE

    def _too_large(self, limit: int | None = None) -> PayloadTooLarge:
        return PayloadTooLarge(f"The request body is larger than {limit or self.max_bytes} bytes.")

    async def _upload(
        self, scope: Scope, receive: Receive, send: Send, length: bytes | None
    ) -> None:
        limit = self.max_upload_bytes
        if length is not None and length.isdigit() and int(length) > limit:
            await send_problem(scope, send, self._too_large(limit))
            return
        size = 0

        async def counted() -> Message:
            nonlocal size
            message = await receive()
            size += len(message.get("body", b""))
            if size > limit:
                raise self._too_large(limit)
            return message

        await self.app(scope, counted, send)

    async def _read(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def _replay(body: bytes, original: Receive) -> Receive:
    """Hand the app the body already read, then pass later messages (disconnects) through."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await original()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
