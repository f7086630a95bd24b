"""OpenAPI declarations of the problem responses each kind of route can give."""

from __future__ import annotations

from typing import Any

from app.core.errors import Problem

_DESCRIPTIONS = {
    304: "Not modified (If-None-Match matched).",
    400: "Malformed body or invalid cursor.",
    401: "Missing, invalid, revoked or expired API key.",
    403: "The key's role is too low.",
    404: "No such record, or one the caller may not see.",
    406: "None of the media types in Accept can be produced; `detail` lists those that can.",
    409: "Conflicts with existing data.",
    410: "The record was deleted.",
    412: "If-Match names an old version.",
    413: "Request body too large.",
    415: "Body is not JSON.",
    422: "Invalid input; `errors` lists each problem.",
    428: "If-Match is required.",
    503: "The database is busy (SQLite, during a long write); retry after Retry-After seconds.",
}


CHALLENGE = {
    "WWW-Authenticate": {
        "description": 'How to authenticate: `Bearer realm="waqai"`, with `error="invalid_token"` '
        "when the key sent is unknown, revoked or expired.",
        "schema": {"type": "string"},
    }
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for these statuses, each a problem+json body."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status == 304:
            out[status] = {"description": _DESCRIPTIONS[status]}
            continue
        out[status] = {
            "description": _DESCRIPTIONS[status],
            "model": Problem,
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        if status == 401:
            out[status]["headers"] = CHALLENGE
    return out


READ = problems(304, 400, 401, 404, 410, 422)
LIST = problems(304, 400, 401, 422)
CREATE = problems(400, 401, 403, 404, 409, 410, 413, 415, 422)
CHANGE = problems(400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428)
DELETE = problems(401, 403, 404, 409, 410, 412, 422, 428)
