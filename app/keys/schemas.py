"""Request and response shapes of API keys."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import Field, StringConstraints

from app.core.auth import Role
from app.core.types import Input, Instant, Output


class KeyCreate(Input):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Role
    expires_at: Instant | None = None


class KeyRead(Output):
    id: uuid.UUID
    name: str
    role: Role
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None


class KeyCreated(KeyRead):
    secret: str = Field(description="The key itself. Shown once: store it now.")
