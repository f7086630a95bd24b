"""As-of reads: `?as_of=<instant>` answers exactly as the service would have at that instant.

A read with `as_of` runs in a session rewound to the instant (see `rewind`): later edits
undone, later deletions not yet made, records created later absent. The routes and queries
are the ordinary ones, so single records, lists, timelines, the ceasefire tracker and exports
all read the past the same way; `core.http` names the instant in the `Waqai-As-Of` header.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.concurrency import contextmanager_in_threadpool
from pydantic import AwareDatetime
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import Database
from app.core.deps import DatabaseDep, ReaderDep, SessionDep, SettingsDep
from app.core.types import RFC3339
from app.history.rewind import check_changes, check_past, rewound

AsOfQuery = Annotated[
    Annotated[AwareDatetime, RFC3339] | None,
    Query(
        description="RFC 3339 instant with its offset: the answer as it was then (later edits "
        "undone, later deletions not yet made, later records absent). The Waqai-As-Of header "
        "repeats the instant used."
    ),
]


# async: no thread hand-off for what only reads the request (app.core.deps).
async def get_as_of(request: Request, as_of: AsOfQuery = None) -> dt.datetime | None:
    """The past instant asked for, if any (422 for one still to come); the response will
    name it."""
    if as_of is not None:
        check_past(as_of)
        request.state.as_of = as_of
    return as_of


AsOfDep = Annotated[dt.datetime | None, Depends(get_as_of)]


async def get_read_session(
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    principal: ReaderDep,
    as_of: AsOfDep,
) -> AsyncIterator[Session]:
    """The session a read runs in: the request's own, or with `as_of` one showing the
    database as it was at that instant. The caller is authorised first (`principal`), so a
    refused request costs no rewind. (async: a read of the present, nearly every read, needs
    no thread-pool hand-off; rewinding reads the database, so it runs on the pool.)"""
    if as_of is None:
        yield session
        return
    rewinding = rewound(database, as_of, limit=settings.as_of_max_changes)
    async with contextmanager_in_threadpool(rewinding) as past:
        yield past


ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
ReadSessions = Callable[[], AbstractContextManager[Session]]


def read_sessions(
    database: Database, settings: Settings, as_of: dt.datetime | None
) -> ReadSessions:
    """How a streamed answer, which outlives the request's session, opens its own: plain, or
    rewound to `as_of`. A rewind over the limit is refused here, before the answer starts:
    once the first byte is sent, a 422 can no longer be."""
    if as_of is None:
        return lambda: database.session(write=False)
    limit = settings.as_of_max_changes
    with database.session(write=False) as session:
        check_changes(session, as_of, limit=limit)
    return lambda: rewound(database, as_of, limit=limit)
