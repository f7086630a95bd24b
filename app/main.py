"""The application factory: settings in, ASGI app out."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from app.api import api
from app.core import handlers, metrics, ratelimit
from app.core.answers import AnswerCache, KeptAnswers, Readings
from app.core.config import Settings, get_settings
from app.core.db import Database, open_database
from app.core.errors import http_problem
from app.core.idempotency import Idempotency
from app.core.logging import configure as configure_logging
from app.core.middleware import BodyGuard, RequestContext, SecurityHeaders
from app.core.migrations import SchemaOutdated, ensure_current
from app.core.production import refuse_unsafe
from app.core.responses import API_PREFIX, problem
from app.dashboard import router as dashboard
from app.dashboard.assets import STATIC
from app.formats.http import ExportSlots
from app.formats.kept import KeptExports
from app.history import service as history
from app.imports import jobs

DESCRIPTION = """
Waqai (وقائع, "events, proceedings") stores dated conflict events — negotiations, ceasefire
declarations and breaches, clashes, statements — with the actors involved, where they happened
and who reported them, and serves them as timelines.

Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code`.
Changes need `If-Match` with the ETag you read. Lists page with signed keyset cursors.
Any `POST` may carry `Idempotency-Key`: a retry gets the first answer (`Idempotent-Replayed:
true`) and creates nothing. Reads take `as_of=<RFC 3339 instant>` and answer as the service did
then (`Waqai-As-Of` names the instant). Rate limits, when configured, are announced in
`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`; over them the answer is 429.
"""

# What a browser client on another origin may send and read.
CORS_REQUEST_HEADERS = [
    *("Authorization", "Content-Type", "If-Match", "If-None-Match"),
    *("Idempotency-Key", "X-Request-ID"),
]
CORS_RESPONSE_HEADERS = [
    *("ETag", "Link", "Location", "Waqai-As-Of", "X-Request-ID", "Retry-After"),
    *("Idempotent-Replayed", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"),
]


def create_app(settings: Settings | None = None, database: Database | None = None) -> FastAPI:
    """Build the app; tests pass their own settings and database."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    owns_database = database is None
    database = database or open_database(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        refuse_unsafe(settings, database.engine)
        _fail_interrupted_imports(database, settings)
        app.state.exports.clear()
        yield
        # A database passed in belongs to the caller, who may still hold its connections.
        if owns_database:
            database.dispose()

    app = FastAPI(
        title="Waqai",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        license_info={"name": "Apache-2.0", "identifier": "Apache-2.0"},
        # FastAPI's docs pages load their scripts from a CDN; Waqai fetches nothing from the
        # internet, so it serves the OpenAPI document only.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.export_slots = ExportSlots(settings.max_concurrent_exports)
    app.state.answers = AnswerCache(settings.answer_cache_mb * 2**20)
    app.state.exports = KeptExports(settings.data_dir / "exports", settings.export_cache_mb * 2**20)
    handlers.install(app)
    app.include_router(api)
    app.include_router(metrics.router)
    _add_probes(app)
    app.include_router(dashboard.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        KeptAnswers,
        answers=app.state.answers,
        readings=Readings(lambda: _data_version(database)),
        public_read=settings.public_read,
    )
    app.add_middleware(Idempotency)
    app.add_middleware(
        BodyGuard,
        max_bytes=settings.max_body_bytes,
        upload_paths=frozenset({"/v1/imports"}),
        max_upload_bytes=settings.max_upload_bytes,
        api_prefix=API_PREFIX,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_RESPONSE_HEADERS,
            max_age=600,
        )
    keyed, anonymous, remote = ratelimit.limiters(settings)
    if keyed or anonymous:
        app.add_middleware(ratelimit.RateLimits, keyed=keyed, anonymous=anonymous, remote=remote)
    app.add_middleware(metrics.Metrics)
    app.add_middleware(RequestContext)
    app.add_middleware(SecurityHeaders)  # outermost: even a 500 from RequestContext has them
    return app


def _data_version(database: Database) -> str:
    with database.session(write=False) as session:
        return history.data_version(session)


def _fail_interrupted_imports(database: Database, settings: Settings) -> None:
    """Imports that died with a previous process are reported failed, not left "running"."""
    try:
        ensure_current(database.engine)
    except SchemaOutdated:
        return  # nothing to recover in a database this code cannot use yet
    failed = jobs.fail_interrupted(database, settings.data_dir)
    if failed:
        structlog.get_logger().warning("imports_interrupted", failed=failed)


def _add_probes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["operations"])
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], responses=problem(503, "Not ready."))
    def readyz(request: Request) -> JSONResponse:
        """The database answers and is migrated to this code's schema."""
        database: Database = request.app.state.db
        try:
            with database.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            ensure_current(database.engine)
        except SchemaOutdated as exc:
            return _not_ready(str(exc), request.url.path)
        except Exception:
            return _not_ready("The database cannot be reached.", request.url.path)
        return JSONResponse({"status": "ready"})


def _not_ready(detail: str, path: str) -> JSONResponse:
    problem = http_problem(503, detail, path, code="not_ready")
    return handlers.problem_response(problem)
