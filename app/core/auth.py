"""API keys and roles: who is calling, and may they do this."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import Forbidden, Unauthorized
from app.models import ApiKey
from app.models.base import utcnow

KEY_PREFIX = "wq_"
LAST_USED_GRANULARITY = dt.timedelta(minutes=5)


class Role(StrEnum):
    reader = "reader"
    editor = "editor"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: a key with its role, or anonymous (role None)."""

    role: Role | None
    key_id: uuid.UUID | None = None
    name: str = "anonymous"

    @property
    def sees_drafts(self) -> bool:
        return self.role is not None

    @property
    def label(self) -> str:
        """How revisions name the caller."""
        return f"key:{self.key_id}:{self.name}" if self.key_id else self.name


ANONYMOUS = Principal(role=None)
# A browser signed in to the dashboard keeps its key in this cookie (app/dashboard/session.py).
SESSION_COOKIE = "waqai_session"


def new_secret() -> str:
    """A fresh random key, shown once to whoever creates it."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    # Keys are 256 random bits, so a plain SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(secret.encode()).hexdigest()


def authenticate(session: Session, authorization: str | None) -> tuple[Principal, ApiKey | None]:
    """The principal named by an Authorization header; a bad or dead key is 401."""
    if authorization is None:
        return ANONYMOUS, None
    scheme, _, secret = authorization.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthorized("Use 'Authorization: Bearer <api key>'.")
    key = session.scalar(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret.strip())))
    now = utcnow()
    if key is None:
        raise Unauthorized("The API key is not valid.", invalid_key=True)
    if key.revoked_at is not None:
        raise Unauthorized("The API key has been revoked.", invalid_key=True)
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthorized("The API key has expired.", invalid_key=True)
    return Principal(role=Role(key.role), key_id=key.id, name=key.name), key


def session_principal(session: Session, key: str | None) -> Principal:
    """The principal of a key kept in the dashboard's session cookie. A missing, unknown,
    revoked or expired key reads as anonymous: a cookie comes with every request unasked,
    so unlike a key in a header it is not a credential presented in error."""
    if not key:
        return ANONYMOUS
    try:
        principal, _ = authenticate(session, f"Bearer {key}")
    except Unauthorized:
        return ANONYMOUS
    return principal


def require(principal: Principal, role: Role) -> None:
    """Refuse callers below `role`: anonymous → 401, a lower role → 403."""
    if principal.role is None:
        raise Unauthorized(f"This needs an API key with the {role} role.")
    if principal.role.rank < role.rank:
        raise Forbidden(f"This needs the {role} role; your key has {principal.role}.")


def needs_touch(key: ApiKey, now: dt.datetime) -> bool:
    """Whether last_used_at is stale enough to be worth a write."""
    return key.last_used_at is None or now - key.last_used_at > LAST_USED_GRANULARITY
