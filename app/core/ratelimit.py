"""Rate limits per API key, and per client address for callers without one.

`WAQAI_RATE_LIMIT_KEY` and `WAQAI_RATE_LIMIT_ANONYMOUS` take the `limits` library's notation
("100/minute", "10/second;1000/hour"). Counts live in this process, or in Redis when
`WAQAI_REDIS_URL` is set, so that every worker and host shares them. Answers carry
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (seconds); a refusal is 429 with
`Retry-After`. Health probes are never limited.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from limits import RateLimitItem, parse_many
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import Settings
from app.core.errors import RateLimited
from app.core.middleware import send_problem

UNLIMITED_PATHS = frozenset({"/healthz", "/readyz"})


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int

    def headers(self) -> list[tuple[bytes, bytes]]:
        return [
            (b"ratelimit-limit", str(self.limit).encode()),
            (b"ratelimit-remaining", str(self.remaining).encode()),
            (b"ratelimit-reset", str(self.reset_seconds).encode()),
        ]


class Limiter:
    """The limits of one kind of caller, counted in one storage."""

    def __init__(self, limits: list[RateLimitItem], storage: Storage) -> None:
        self.limits = limits
        self.strategy = MovingWindowRateLimiter(storage)

    def hit(self, identity: str) -> Verdict:
        """Count one request; the verdict of the tightest limit."""
        verdicts = []
        for item in self.limits:
            allowed = self.strategy.hit(item, identity)
            stats = self.strategy.get_window_stats(item, identity)
            reset = max(0, math.ceil(stats.reset_time - time.time()))
            verdicts.append(Verdict(allowed, item.amount, stats.remaining, reset))
        refused = [v for v in verdicts if not v.allowed]
        return (
            max(refused, key=lambda v: v.reset_seconds)
            if refused
            else min(verdicts, key=lambda v: v.remaining)
        )

    def exhausted(self, identity: str) -> bool:
        """Whether one more request would be over a limit (nothing counted)."""
        return not all(self.strategy.test(item, identity) for item in self.limits)


class RateLimits:
    """Refuse callers over their limit (429) and tell every caller where it stands.

    A request whose key is refused (401) counts against its address, as one without a key
    would, and an address over that limit may not try keys either: sending a new made-up key
    each time does not escape the limits.
    """

    def __init__(
        self, app: ASGIApp, *, keyed: Limiter | None, anonymous: Limiter | None, remote: bool
    ) -> None:
        self.app = app
        self.keyed = keyed
        self.anonymous = anonymous
        self.per_address = anonymous or keyed
        # A remote storage (Redis) is asked from a thread so that the event loop never waits.
        self.run: Callable[[Callable[[], Any]], Any] = (
            (lambda call: anyio.to_thread.run_sync(call)) if remote else _run_here
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNLIMITED_PATHS:
            await self.app(scope, receive, send)
            return
        credentials = dict(scope["headers"]).get(b"authorization")
        limiter = self.keyed if credentials else self.anonymous
        if limiter is None:
            await self.app(scope, receive, send)
            return
        address = _address(scope)
        per_address = self.per_address
        if credentials and per_address and await self.run(lambda: per_address.exhausted(address)):
            verdict = await self.run(lambda: per_address.hit(address))
            await send_problem(scope, send, _refusal(verdict))
            return
        identity = _key_identity(credentials) if credentials else address
        verdict = await self.run(lambda: limiter.hit(identity))
        if not verdict.allowed:
            await send_problem(scope, send, _refusal(verdict))
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *verdict.headers()]
                if credentials and per_address and message["status"] == 401:
                    await self.run(lambda: per_address.hit(address))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _refusal(verdict: Verdict) -> RateLimited:
    refusal = RateLimited(
        f"Rate limit of {verdict.limit} requests reached; retry in {verdict.reset_seconds} s.",
        retry_after=verdict.reset_seconds,
    )
    refusal.headers.update({k.decode(): v.decode() for k, v in verdict.headers()})
    return refusal


async def _run_here(call: Callable[[], Any]) -> Any:
    return call()


def _key_identity(credentials: bytes) -> str:
    """A key's count, under a hash of what was sent (never the key itself)."""
    return "key:" + hashlib.sha256(credentials).hexdigest()[:32]


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


def limiters(settings: Settings) -> tuple[Limiter | None, Limiter | None, bool]:
    """The keyed and anonymous limiters the settings ask for, and whether counts are remote."""
    if not settings.rate_limit_key and not settings.rate_limit_anonymous:
        return None, None, False
    storage = storage_from_string(settings.redis_url or "memory://")
    assert isinstance(storage, Storage)  # a synchronous storage: no async+ scheme

    def limiter(spec: str | None) -> Limiter | None:
        return Limiter(list(parse_many(spec)), storage) if spec else None

    return (
        limiter(settings.rate_limit_key),
        limiter(settings.rate_limit_anonymous),
        bool(settings.redis_url),
    )
