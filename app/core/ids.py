"""Identifiers: UUIDv7, time-sortable so new rows land at the end of indexes."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = 0


def uuid7() -> uuid.UUID:
    """A new RFC 9562 version-7 UUID: 48-bit Unix milliseconds, then random bits.

    Monotonic within the process (RFC 9562 §6.2): ids made in the same millisecond still sort
    in the order they were made, so children created in a row keep their order.
    """
    global _last
    millis = time.time_ns() // 1_000_000
    value = _with_version((millis & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big"))
    with _lock:
        if value <= _last:
            value = _with_version(_last + 1)
        _last = value
    return uuid.UUID(int=value)


def _with_version(value: int) -> int:
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    return (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
