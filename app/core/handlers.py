"""Turn every error — domain, validation, routing, unexpected — into problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.routing import Match

from app.core.errors import (
    PROBLEM_MEDIA_TYPE,
    FieldError,
    MalformedRequest,
    Problem,
    ServiceUnavailable,
    ValidationFailed,
    WaqaiError,
    http_problem,
)
from app.core.http import IF_MATCH, if_match_required


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _field_errors(exc: RequestValidationError) -> list[FieldError]:
    out: list[FieldError] = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        loc = [part if isinstance(part, int) else str(part) for part in error.get("loc", ())]
        field = FieldError(loc=loc, msg=message, type=str(error.get("type", "invalid")))
        # A parameter read by two dependencies (as_of) is checked, and refused, twice.
        if field not in out:
            out.append(field)
    return out


async def on_waqai_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, WaqaiError)
    return problem_response(exc.problem(request.url.path), exc.headers)


def validation_error(exc: RequestValidationError) -> WaqaiError:
    """The error a request the schemas refused makes: 428 without If-Match, 400 for a body
    that is not JSON, else 422 naming the invalid inputs."""
    return _refusal(_field_errors(exc))


def _refusal(errors: list[FieldError]) -> WaqaiError:
    if any(e.type == "missing" and e.loc == ["header", IF_MATCH] for e in errors):
        return if_match_required()
    if any(e.type == "json_invalid" for e in errors):
        where = next(e.msg for e in errors if e.type == "json_invalid")
        return MalformedRequest(f"The body is not valid JSON: {where}.", errors=errors)
    summary = "; ".join(f"{'.'.join(map(str, e.loc[1:])) or e.loc[0]}: {e.msg}" for e in errors[:5])
    return ValidationFailed(f"The request is invalid. {summary}", errors=errors)


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    in_path = any(e.loc[:1] == ["path"] for e in errors)
    fixed = _fixed_path_methods(request) if in_path else []
    if fixed:
        # PATCH /v1/actors/resolve fits PATCH /v1/actors/{record_id} only by its shape.
        return _not_allowed(request, fixed)
    return problem_response(_refusal(errors).problem(request.url.path))


async def on_database_busy(request: Request, exc: Exception) -> JSONResponse:
    """SQLite's one writer was busy past the wait (a long import, say): 503, try again."""
    assert isinstance(exc, OperationalError)
    if "database is locked" not in str(exc.orig):
        raise exc
    return _come_back(request, "The database is busy with a long write (an import, perhaps)")


async def on_pool_exhausted(request: Request, exc: Exception) -> JSONResponse:
    """Every connection of this worker stayed busy past the wait (slow queries under load):
    503, try again, rather than a bare 500."""
    why = "Every database connection of this server is busy with other requests"
    return _come_back(request, why)


def _come_back(request: Request, why: str) -> JSONResponse:
    """503 with Retry-After: the request was fine, the database was too busy to take it."""
    busy = ServiceUnavailable(f"{why}; try again shortly.")
    busy.headers["Retry-After"] = "5"
    return problem_response(busy.problem(request.url.path), busy.headers)


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "Request failed."
    if exc.status_code == 404:
        detail = f"There is no route {request.url.path}; see /openapi.json for the API."
    if exc.status_code == 405:
        return _not_allowed(request, _allowed_methods(request), dict(exc.headers or {}))
    problem = http_problem(exc.status_code, detail, request.url.path)
    return problem_response(problem, dict(exc.headers or {}))


def _not_allowed(
    request: Request, allowed: list[str], headers: dict[str, str] | None = None
) -> JSONResponse:
    detail = f"{request.method} is not allowed on {request.url.path}."
    problem = http_problem(405, detail, request.url.path)
    return problem_response(problem, {**(headers or {}), "Allow": ", ".join(allowed)})


METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route offers on this path (Starlette names only the first route's);
    a path some route names exactly (/v1/actors/resolve) is that route's alone."""
    routes = request.app.router.routes
    return _fixed_path_methods(request) or [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes
        )
    ]


def _fixed_path_methods(request: Request) -> list[str]:
    """The methods of routes whose path is exactly this one, with no parameter in it."""
    path = request.scope["path"]
    found = {
        method
        for route in iter_route_contexts(request.app.router.routes)
        if route.path == path
        for method in route.methods or ()
    }
    return [method for method in METHODS if method in found]


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    handlers: dict[Any, Any] = {
        WaqaiError: on_waqai_error,
        RequestValidationError: on_validation_error,
        HTTPException: on_http_error,
        OperationalError: on_database_busy,
        PoolTimeout: on_pool_exhausted,
    }
    for exc_class, handler in handlers.items():
        app.add_exception_handler(exc_class, handler)
