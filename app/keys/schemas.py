"""Request and response shapes of API keys."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from app.core.auth import Role
from app.core.types import Input, Instant, Output
from app.models.base import utcnow


def check_future(instant: dt.datetime) -> dt.datetime:
    """A key born expired would be refused from its first use: surely a mistake (422)."""
    if instant <= utcnow():
        raise PydanticCustomError("in_the_past", "the key would have expired already")
    return instant


class KeyCreate(Input):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: Role
    expires_at: Annotated[Instant, AfterValidator(check_future)] | None = Field(
        default=None, description="When the key stops working; in the future. None: never."
    )


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
