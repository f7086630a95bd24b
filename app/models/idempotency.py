"""POST requests sent with an Idempotency-Key: claimed before they run, then their answer."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class IdempotentRequest(Base):
    """One caller's use of one Idempotency-Key: while `status` is null the request is still
    running; afterwards a replay gets `status`, `headers` and `body` back without running."""

    __tablename__ = "idempotent_requests"

    caller: Mapped[str] = mapped_column(String(64), primary_key=True)  # API key id or "anonymous"
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))  # method, path, query, body
    status: Mapped[int | None] = mapped_column(Integer)
    headers: Mapped[list[Any] | None]
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The answer held a secret shown only once (Cache-Control: no-store): not kept.
    withheld: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(index=True)
