"""API keys: create (secret shown once), list, revoke."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Role, hash_secret, new_secret
from app.core.errors import NotFound
from app.models import ApiKey
from app.models.base import utcnow


def create(
    session: Session, *, name: str, role: Role, expires_at: dt.datetime | None = None
) -> tuple[ApiKey, str]:
    """A new key and its secret; the secret is not stored and cannot be shown again."""
    secret = new_secret()
    key = ApiKey(name=name, role=role.value, secret_hash=hash_secret(secret), expires_at=expires_at)
    session.add(key)
    session.flush()
    return key, secret


def list_all(session: Session) -> Sequence[ApiKey]:
    """Every key, oldest first (revoked ones included)."""
    return session.scalars(select(ApiKey).order_by(ApiKey.id)).all()


def revoke(session: Session, key_id: uuid.UUID) -> ApiKey:
    """Revoke a key at once; revoking twice keeps the first time."""
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound("api_key", key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key
