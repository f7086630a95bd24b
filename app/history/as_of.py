"""As-of reads: a record exactly as the service showed it at a past instant.

Every change left a revision holding the record as it became, so the record at instant T is
the `after` of its last revision made at or before T: a later edit undone, a later deletion
not yet happened, a record created later absent (404). The answer says the instant it was
computed for in the `Waqai-As-Of` header, so a number quoted from it can be reproduced.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

import orjson
from fastapi import Query, Response
from pydantic import AwareDatetime
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import Gone, NotFound, bad_query_parameter
from app.core.http import version_etag
from app.core.types import to_utc
from app.models import Revision
from app.models.base import utcnow

AsOfQuery = Annotated[
    AwareDatetime | None,
    Query(
        description="RFC 3339 instant with its offset: the record as it was then (from its "
        "revisions). The answer's Waqai-As-Of header repeats the instant used."
    ),
]
AS_OF_HEADER = "Waqai-As-Of"


def state_at(
    session: Session, *, entity_type: str, entity_id: uuid.UUID, instant: dt.datetime
) -> dict[str, Any]:
    """The record as it was at `instant`: 404 if it did not exist yet, 410 if deleted by then;
    an instant still to come is refused (422): the past is all the service can vouch for."""
    if to_utc(instant) > utcnow():
        raise bad_query_parameter(
            "as_of",
            f"as_of {instant.isoformat()} is in the future; ask about a past instant.",
            "in the future",
            "as_of_future",
        )
    stmt = (
        select(Revision)
        .where(
            Revision.entity_type == entity_type,
            Revision.entity_id == entity_id,
            Revision.at <= to_utc(instant),
        )
        .order_by(Revision.version.desc(), Revision.id.desc())
        .limit(1)
    )
    last = session.scalar(stmt)
    if last is None:
        raise NotFound(entity_type, entity_id)
    if last.after is None:
        raise Gone(entity_type, entity_id, last.at.isoformat())
    return last.after


def as_of_response(state: dict[str, Any], instant: dt.datetime) -> Response:
    """The past state as a response that says when it is from."""
    return Response(
        orjson.dumps(state),
        media_type="application/json",
        headers={
            "ETag": version_etag(int(state.get("version", 0))),
            AS_OF_HEADER: to_utc(instant).isoformat(),
        },
    )
