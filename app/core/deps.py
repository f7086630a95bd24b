"""FastAPI dependencies shared by every router: settings, session, caller, role checks."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.openapi.models import HTTPBearer as HTTPBearerModel
from fastapi.routing import APIRoute, APIRouter
from fastapi.security.base import SecurityBase
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.core.auth import (
    ANONYMOUS,
    SESSION_COOKIE,
    Principal,
    Role,
    authenticate,
    needs_touch,
    require,
    session_principal,
)
from app.core.config import Settings
from app.core.db import Database
from app.core.errors import Unauthorized
from app.models import ApiKey
from app.models.base import utcnow

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


# A dependency that neither blocks nor waits is `async def`: FastAPI runs a plain `def` on the
# thread pool, and each such hand-off costs more than the work (a kept timeline answer under 32
# connections went from 600 to 700 a second without them).
async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.db
    return database


SettingsDep = Annotated[Settings, Depends(get_settings)]
DatabaseDep = Annotated[Database, Depends(get_database)]


async def get_session(request: Request, database: DatabaseDep) -> AsyncIterator[Session]:
    """The request's one session: committed before the response is sent, rolled back on error.

    Opened here, on the event loop: a session talks to the database only once it is used.
    Closed on the thread pool, as its commit or rollback does talk to it."""
    opened = database.session(write=request.method not in SAFE_METHODS)
    session = opened.__enter__()
    try:
        yield session
    except BaseException as exc:
        if not await run_in_threadpool(opened.__exit__, type(exc), exc, exc.__traceback__):
            raise
    else:
        await run_in_threadpool(opened.__exit__, None, None, None)


SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _touch(request: Request, database: Database, session: Session, key: ApiKey) -> None:
    """Record that a key was used; reads do it in a short write of their own."""
    now = utcnow()
    if not needs_touch(key, now):
        return
    stmt = update(ApiKey).where(ApiKey.id == key.id).values(last_used_at=now)
    if request.method not in SAFE_METHODS:
        session.execute(stmt)
        return
    # Bookkeeping only: if SQLite's writer is busy (a long import), skip it rather than fail
    # the read; the next request will record the use.
    with contextlib.suppress(OperationalError), database.session(write=True) as writer:
        writer.execute(stmt)


class ApiKeyHeader(SecurityBase):
    """The Authorization header, declared in OpenAPI as the `ApiKey` bearer scheme and handed
    over exactly as sent: `authenticate` judges it, so a bad or unusual credential is refused
    (401) rather than read as no credential, as FastAPI's own HTTPBearer would."""

    def __init__(self) -> None:
        self.model = HTTPBearerModel(
            description="An API key: `Authorization: Bearer <api key>`. Reads of published "
            "records need none while public reading is on.",
        )
        self.scheme_name = "ApiKey"

    async def __call__(self, request: Request) -> str | None:
        return request.headers.get("authorization")


AuthorizationDep = Annotated[str | None, Security(ApiKeyHeader())]


async def get_principal(
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    authorization: AuthorizationDep,
) -> Principal:
    """Who is calling, from the Authorization header; for a read without one, from the
    dashboard's session cookie, so its islands read /v1 as the signed-in browser. The cookie
    never authorises a change, so no page on another site can make one with it.

    The database is asked on the thread pool, and only about a key or a cookie: an anonymous
    read, most reads, needs neither."""
    if authorization is None and request.method in SAFE_METHODS:
        cookie = request.cookies.get(SESSION_COOKIE)
        return await run_in_threadpool(session_principal, session, cookie) if cookie else ANONYMOUS
    return await run_in_threadpool(_key_holder, request, session, database, authorization)


def _key_holder(
    request: Request, session: Session, database: Database, authorization: str | None
) -> Principal:
    principal, key = authenticate(session, authorization)
    if key is not None:
        _touch(request, database, session, key)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def reader(principal: PrincipalDep, settings: SettingsDep) -> Principal:
    """Anyone while public reading is on; otherwise a key with at least the reader role."""
    if principal.role is None and not settings.public_read:
        raise Unauthorized("Public reading is off on this server; send an API key.")
    return principal


async def editor(principal: PrincipalDep) -> Principal:
    require(principal, Role.editor)
    return principal


async def admin(principal: PrincipalDep) -> Principal:
    require(principal, Role.admin)
    return principal


ReaderDep = Annotated[Principal, Depends(reader)]
EditorDep = Annotated[Principal, Depends(editor)]
AdminDep = Annotated[Principal, Depends(admin)]


def declare_public_reads(router: APIRouter) -> None:
    """Routes anyone may read (`reader`) say so in OpenAPI: no key (`{}`) is an alternative
    to the ApiKey scheme that every route with a caller declares."""
    for route in router.routes:
        if isinstance(route, APIRoute) and _calls(route.dependant, reader):
            route.openapi_extra = {**(route.openapi_extra or {}), "security": [{}]}


def _calls(dependant: Any, function: Callable[..., Any]) -> bool:
    return any(sub.call is function or _calls(sub, function) for sub in dependant.dependencies)
