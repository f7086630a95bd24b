"""OpenAPI declarations of the problem responses each kind of route can give."""

from __future__ import annotations

from typing import Any

from app.core.errors import Problem

API_PREFIX = "/v1"

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
    429: "Too many requests (a rate limit, or too many exports at once); retry after "
    "Retry-After seconds.",
    503: "The database is busy (SQLite, during a long write); retry after Retry-After seconds.",
}


CHALLENGE = {
    "WWW-Authenticate": {
        "description": 'How to authenticate: `Bearer realm="waqai"`, with `error="invalid_token"` '
        "when the key sent is unknown, revoked or expired.",
        "schema": {"type": "string"},
    }
}


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}
_HEADERS = {401: CHALLENGE, 429: RETRY_AFTER, 503: RETRY_AFTER}


def record_links(item_path: str, ids: dict[str, str], status: int = 200) -> dict[str, Any]:
    """The `openapi_extra` of a route whose `status` answer is one record with its ETag: OpenAPI
    links to reading, changing and deleting that record, with its ids (runtime expressions) and
    If-Match from the ETag, so that a client, or a fuzzer, can follow them."""
    ref = "#/paths/" + (API_PREFIX + item_path).replace("~", "~0").replace("/", "~1")
    current = {**ids, "header.If-Match": "$response.header.ETag"}
    links = {
        "read": {"operationRef": f"{ref}/get", "parameters": ids},
        "change": {"operationRef": f"{ref}/patch", "parameters": current},
        "delete": {"operationRef": f"{ref}/delete", "parameters": current},
    }
    return {"responses": {str(status): {"links": links}}}


def problem(status: int, description: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for one status, a problem+json body, described in these words."""
    out: dict[str, Any] = {
        "description": description,
        "model": Problem,
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        },
    }
    if status in _HEADERS:
        out["headers"] = _HEADERS[status]
    return {status: out}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry for these statuses, each a problem+json body."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        if status == 304:
            out[status] = {"description": _DESCRIPTIONS[status]}
        else:
            out |= problem(status, _DESCRIPTIONS[status])
    return out


# Any request may meet a rate limit or, on SQLite, a database busy with a long write.
EVERYWHERE = problems(429, 503)
READ = problems(304, 400, 401, 404, 410, 422)
LIST = problems(304, 400, 401, 422)
CREATE = problems(400, 401, 403, 404, 409, 410, 413, 415, 422)
CHANGE = problems(400, 401, 403, 404, 409, 410, 412, 413, 415, 422, 428)
DELETE = problems(401, 403, 404, 409, 410, 412, 422, 428)
