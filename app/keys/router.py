"""HTTP routes of API keys (admin only)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response

from app.core.deps import AdminDep, SessionDep
from app.core.responses import CREATE, problems
from app.keys import service
from app.keys.schemas import KeyCreate, KeyCreated, KeyRead

router = APIRouter(tags=["keys"])


@router.get("/keys", response_model=list[KeyRead], responses=problems(401, 403))
def list_keys(session: SessionDep, principal: AdminDep) -> list[KeyRead]:
    """Every API key, without secrets."""
    return [KeyRead.model_validate(key) for key in service.list_all(session)]


@router.post("/keys", status_code=201, response_model=KeyCreated, responses=CREATE)
def create_key(
    data: KeyCreate, response: Response, session: SessionDep, principal: AdminDep
) -> KeyCreated:
    """Create a key; its secret is in this response only."""
    key, secret = service.create(
        session, name=data.name, role=data.role, expires_at=data.expires_at
    )
    # The secret is shown once: no cache, proxy or replay store may keep a copy (RFC 9111).
    response.headers["Cache-Control"] = "no-store"
    return KeyCreated.model_validate({**KeyRead.model_validate(key).model_dump(), "secret": secret})


@router.delete("/keys/{key_id}", response_model=KeyRead, responses=problems(401, 403, 404, 422))
def revoke_key(key_id: uuid.UUID, session: SessionDep, principal: AdminDep) -> KeyRead:
    """Revoke a key; requests with it get 401 from now on."""
    return KeyRead.model_validate(service.revoke(session, key_id))
