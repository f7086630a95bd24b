"""HTTP concerns shared by every router: ETags, preconditions, JSON responses with caching."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated

from fastapi import Header, Request, Response
from pydantic import BaseModel

from app.core.errors import PreconditionRequired, VersionConflict
from app.core.types import NOT_BLANK

IF_MATCH = "If-Match"
# Required: without it the answer is 428 (see `handlers`), never a plain validation error.
IfMatch = Annotated[
    str,
    Header(
        alias=IF_MATCH,
        description='The ETag of the version being changed, e.g. W/"3".',
        json_schema_extra={"pattern": NOT_BLANK},
    ),
]


AS_OF_HEADER = "Waqai-As-Of"


def as_of_headers(request: Request) -> dict[str, str]:
    """The header naming the past instant this request was answered for, if it asked for one
    (`?as_of=`): a figure quoted from the answer can be reproduced."""
    instant: dt.datetime | None = getattr(request.state, "as_of", None)
    return {AS_OF_HEADER: instant.astimezone(dt.UTC).isoformat()} if instant is not None else {}


def version_etag(version: int) -> str:
    """The weak ETag of a record at `version`."""
    return f'W/"{version}"'


def if_match_required() -> PreconditionRequired:
    """428: a change was sent without the version it was made against."""
    return PreconditionRequired(
        "Send If-Match with the ETag you last read, so that no one's change is overwritten."
    )


def parse_if_match(value: str) -> int:
    """The version named by an If-Match header; blank → 428 (a missing header is refused so
    before the route runs: see `handlers`), unreadable → 412."""
    if not value.strip():
        raise if_match_required()
    tag = value.strip().removeprefix("W/").strip('"')
    if not tag.isdigit():
        raise VersionConflict(f"If-Match {value!r} names no version of this record.")
    return int(tag)


def check_version(current: int, if_match: str) -> None:
    """Refuse a change made against a version other than the current one."""
    expected = parse_if_match(if_match)
    if expected != current:
        raise VersionConflict(
            f"The record is at version {current}, not {expected}: someone changed it since "
            "you read it. Read it again, reapply your change and retry."
        )


def if_none_match(request: Request, etag: str) -> bool:
    """Whether the client already holds this ETag (If-None-Match; weak comparison)."""
    header = request.headers.get("if-none-match")
    if header is None:
        return False
    candidates = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in candidates or etag.removeprefix("W/") in candidates


def json_response(
    request: Request, body: BaseModel | bytes, *, etag: str | None = None, status_code: int = 200
) -> Response:
    """Serialise `body` (or take it serialised); attach an ETag (a digest of the body if none
    is given); honour 304."""
    content = body if isinstance(body, bytes) else body.model_dump_json().encode()
    if etag is None:
        etag = f'W/"{hashlib.sha256(content).hexdigest()[:20]}"'
    headers = {"ETag": etag, **as_of_headers(request)}
    if status_code == 200 and if_none_match(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(content, status_code, headers=headers, media_type="application/json")


def query_etag(request: Request, *, sees_drafts: bool, data_version: str) -> str:
    """The ETag of a query's answer (a timeline, an export): it changes with the query, the
    format asked for, what the caller may see, and any change to the data."""
    query = sorted(request.query_params.multi_items())
    accept = request.headers.get("accept", "")
    key = f"{request.url.path}?{query}|{accept}|{sees_drafts}|{data_version}"
    return f'W/"q{hashlib.sha256(key.encode()).hexdigest()[:24]}"'


def query_cache_headers(*, private: bool) -> dict[str, str]:
    """Published data may sit in shared caches briefly; what a key sees stays private."""
    return {
        "Cache-Control": "private, no-cache" if private else "public, max-age=30, must-revalidate",
        "Vary": "Authorization, Cookie, Accept",
    }
