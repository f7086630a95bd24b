"""RFC 9457 problem details: the one error format of the API.

Domain code raises a `WaqaiError` subclass; one handler turns it (and framework errors) into
`application/problem+json`. No stack trace or SQL reaches a client.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import Any, ClassVar

from pydantic import BaseModel, Field
from pydantic_core import PydanticCustomError

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://waqai.org/problems/"


class FieldError(BaseModel):
    """One invalid input: where it is, what is wrong, and a machine-readable kind."""

    loc: list[str | int] = Field(description="Path to the offending input, e.g. ['body', 'when'].")
    msg: str = Field(description="What is wrong, in words.")
    type: str = Field(description="Machine-readable kind of error, e.g. 'edtf_invalid'.")


class Problem(BaseModel):
    """An RFC 9457 problem details object, plus Waqai's stable `code`."""

    type: str = Field(description="URI identifying the problem type.")
    title: str = Field(description="Short summary of the problem type.")
    status: int = Field(description="HTTP status code.")
    detail: str = Field(description="What went wrong with this request.")
    instance: str = Field(description="The request path.")
    code: str = Field(description="Stable machine name, e.g. 'event_not_found'.")
    errors: list[FieldError] | None = Field(default=None, description="Invalid inputs.")
    rows: list[dict[str, Any]] | None = Field(default=None, description="Failing import rows.")


class WaqaiError(Exception):
    """Base of every domain error; subclasses set status, code and title."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    title: ClassVar[str] = "Bad request"
    # The `type` of the error naming `field`, when it says more than `code`.
    field_type: ClassVar[str | None] = None

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] | None = None,
        field: str | None = None,
    ) -> None:
        """`field` (a body path such as "participants[0].actor_id") names the one bad
        input when there is no fuller `errors` list, so clients can point at it."""
        super().__init__(detail)
        self.detail = detail
        if errors is None and field is not None:
            kind = self.field_type or self.code
            errors = [FieldError(loc=["body", *_path(field)], msg=detail, type=kind)]
        self.errors = list(errors) if errors is not None else None
        self.headers: dict[str, str] = {}

    def problem(self, instance: str) -> Problem:
        """This error as a problem details body."""
        return Problem(
            type=PROBLEM_TYPE_BASE + self.code.replace("_", "-"),
            title=self.title,
            status=self.status,
            detail=self.detail,
            instance=instance,
            code=self.code,
            errors=self.errors,
        )


def _path(field: str) -> list[str | int]:
    """["participants", 0, "actor_id"] from "participants[0].actor_id"."""
    return [int(part) if part.isdigit() else part for part in re.findall(r"[^.\[\]]+", field)]


class NotFound(WaqaiError):
    status = 404
    code = "not_found"
    title = "Not found"

    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(f"No {entity.replace('_', ' ')} with id {entity_id}.")
        self.code = f"{entity}_not_found"  # type: ignore[misc]


class Gone(WaqaiError):
    status = 410
    code = "gone"
    title = "Deleted"

    def __init__(self, entity: str, entity_id: object, deleted_at: object) -> None:
        super().__init__(f"The {entity.replace('_', ' ')} {entity_id} was deleted at {deleted_at}.")
        self.code = f"{entity}_deleted"  # type: ignore[misc]


class ValidationFailed(WaqaiError):
    status = 422
    code = "validation_failed"
    title = "Invalid input"


class Inconsistent(ValidationFailed):
    """Fields each valid on its own that break a rule between them, or with the record they
    change (low ≤ best ≤ high, a title in the original language...): no schema can say it."""

    field_type = "inconsistent"


def inconsistent(message: str) -> PydanticCustomError:
    """The same, raised inside a request schema's validator (the error's type: inconsistent)."""
    return PydanticCustomError("inconsistent", message)


def bad_query_parameter(name: str, detail: str, msg: str, kind: str) -> ValidationFailed:
    """422 for one invalid query parameter: `detail` for people, `msg` and `kind` per field."""
    return ValidationFailed(detail, errors=[FieldError(loc=["query", name], msg=msg, type=kind)])


class UnknownReference(WaqaiError):
    status = 422
    code = "unknown_reference"
    title = "Unknown reference"


class MalformedRequest(WaqaiError):
    status = 400
    code = "malformed_json"
    title = "Malformed request body"


class InvalidHeader(WaqaiError):
    status = 400
    code = "invalid_header"
    title = "Invalid request header"


class InvalidCursor(WaqaiError):
    status = 400
    code = "invalid_cursor"
    title = "Invalid cursor"


class PreconditionRequired(WaqaiError):
    status = 428
    code = "precondition_required"
    title = "If-Match required"


class VersionConflict(WaqaiError):
    status = 412
    code = "version_conflict"
    title = "Version conflict"


class Conflict(WaqaiError):
    status = 409
    code = "conflict"
    title = "Conflict"


class Unauthorized(WaqaiError):
    status = 401
    code = "unauthorized"
    title = "Authentication required"

    def __init__(self, detail: str, *, invalid_key: bool = False) -> None:
        """`invalid_key`: a key was sent but is unknown, revoked or expired."""
        super().__init__(detail)
        # RFC 9110 §15.5.2: a 401 names the scheme to authenticate with; RFC 6750 §3 adds
        # why a bearer key that was sent did not do.
        challenge = 'Bearer realm="waqai"'
        self.headers["WWW-Authenticate"] = (
            f'{challenge}, error="invalid_token"' if invalid_key else challenge
        )


class Forbidden(WaqaiError):
    status = 403
    code = "forbidden"
    title = "Not allowed"


class PayloadTooLarge(WaqaiError):
    status = 413
    code = "payload_too_large"
    title = "Request body too large"


class NotAcceptable(WaqaiError):
    status = 406
    code = "not_acceptable"
    title = "Not acceptable"


class InternalError(WaqaiError):
    status = 500
    code = "internal_error"
    title = "Internal server error"


class TooManyRequests(WaqaiError):
    status = 429
    code = "too_many_requests"
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.headers["Retry-After"] = str(max(1, retry_after))


class RateLimited(TooManyRequests):
    code = "rate_limited"


class ExportsBusy(TooManyRequests):
    code = "too_many_exports"


class ServiceUnavailable(WaqaiError):
    status = 503
    code = "service_unavailable"
    title = "Service unavailable"


class UnsupportedMediaType(WaqaiError):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type"


def http_problem(status: int, detail: str, instance: str, code: str | None = None) -> Problem:
    """A problem body for a bare HTTP status raised by the framework (404 route, 405, ...)."""
    phrase = HTTPStatus(status).phrase
    name = code or phrase.lower().replace(" ", "_").replace("-", "_")
    return Problem(
        type=PROBLEM_TYPE_BASE + name.replace("_", "-"),
        title=phrase,
        status=status,
        detail=detail,
        instance=instance,
        code=name,
    )
