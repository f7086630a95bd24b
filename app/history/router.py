"""HTTP route of the change feed: mirror the database by following it."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import Field

from app.core.auth import Role, require
from app.core.deps import PrincipalDep, SessionDep
from app.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from app.core.responses import problems
from app.core.types import Output
from app.history import feed
from app.models import Revision

router = APIRouter(tags=["history"])


class Change(Output):
    """One change to one record, as the feed serves it."""

    cursor: str = Field(description="Pass as ?since= to continue after this change.")
    entity_type: str = Field(description="event, actor, location, outlet, source or process.")
    entity_id: uuid.UUID
    version: int
    op: str = Field(description="create, update, retract, restore, revert or delete.")
    at: dt.datetime
    by: str | None
    reason: str | None
    deleted: bool = Field(description="A tombstone: the record was deleted; drop your copy.")
    record: dict[str, Any] | None = Field(description="The record after the change.")


class ChangePage(Output):
    items: list[Change]
    next: str = Field(description="Where to continue (also when there is nothing new yet).")


def _change(revision: Revision) -> Change:
    return Change(
        cursor=feed.cursor(feed.position_of(revision)),
        entity_type=revision.entity_type,
        entity_id=revision.entity_id,
        version=revision.version,
        op=revision.op,
        at=revision.at,
        by=revision.by,
        reason=revision.reason,
        deleted=revision.op == "delete",
        record=revision.after,
    )


@router.get("/changes", response_model=ChangePage, responses=problems(400, 401, 422))
def list_changes(
    session: SessionDep,
    principal: PrincipalDep,
    since: Annotated[
        str | None, Query(max_length=50, description="`next` of the previous page; none: start.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
) -> ChangePage:
    """Every create, update, retraction and delete, oldest first, drafts included (a key is
    needed); poll with `since=<next>` to mirror the database incrementally."""
    require(principal, Role.reader)
    position = feed.parse_position(since)
    revisions = feed.changes(session, position, limit=limit)
    if revisions:
        position = feed.position_of(revisions[-1])
    return ChangePage(items=[_change(r) for r in revisions], next=feed.cursor(position))
