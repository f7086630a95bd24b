"""Signed keyset cursors: one cursor format for every list in the API.

A cursor carries the sort key of the last row served and a fingerprint of the query it belongs
to, signed with the secret key. A tampered cursor, or one replayed against other filters, is
refused with 400 rather than silently returning a wrong page.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any

from app.core.errors import InvalidCursor

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
_SIGNATURE_BYTES = 16


def fingerprint(params: dict[str, Any]) -> str:
    """A short stable digest of the filters a cursor is valid for."""
    canonical = json.dumps(params, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(secret: str, payload: bytes) -> bytes:
    return hmac.new(secret.encode(), payload, hashlib.sha256).digest()[:_SIGNATURE_BYTES]


def encode_cursor(secret: str, key: Sequence[str | None], query: str) -> str:
    """An opaque cursor for the row whose sort key is `key`, valid for `query` only."""
    payload = json.dumps({"k": list(key), "q": query}, separators=(",", ":")).encode()
    return f"{_b64(payload)}.{_b64(_sign(secret, payload))}"


def decode_cursor(secret: str, cursor: str, query: str) -> list[str | None]:
    """The sort key inside `cursor`, after checking its signature and its query."""
    try:
        payload_text, signature_text = cursor.split(".", 1)
        payload, signature = _unb64(payload_text), _unb64(signature_text)
    except ValueError as exc:
        raise InvalidCursor("The cursor is not one this service issued.") from exc
    if not hmac.compare_digest(signature, _sign(secret, payload)):
        raise InvalidCursor("The cursor has been altered or was issued by another server.")
    body = json.loads(payload)
    if body.get("q") != query:
        raise InvalidCursor("The cursor belongs to a query with other filters; start over.")
    key: list[str | None] = body["k"]
    return key
