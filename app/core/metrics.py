"""Prometheus metrics: requests and their latency by route template, the database pool, import
jobs. Served at /metrics to admin keys only (Prometheus sends the key as a bearer token).

Each process counts for itself: scrape every worker (one per container in the compose setup).
"""

from __future__ import annotations

import time
from typing import get_args

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import func, select
from sqlalchemy.pool import QueuePool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.db import Database
from app.core.deps import AdminDep
from app.core.responses import problems
from app.imports.schemas import JobState
from app.models import ImportJob

REGISTRY = CollectorRegistry()
REQUESTS = Counter(
    "waqai_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "waqai_http_request_duration_seconds",
    "Time to answer, by method and route template (streamed bodies: until the last byte).",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
POOL_IN_USE = Gauge(
    "waqai_db_pool_connections_in_use", "Database connections checked out.", registry=REGISTRY
)
POOL_SIZE = Gauge("waqai_db_pool_size", "Database connections the pool keeps.", registry=REGISTRY)
IMPORT_JOBS = Gauge(
    "waqai_import_jobs", "Import jobs by state (all workers).", ["state"], registry=REGISTRY
)
# Requests that matched no route are counted under one label, not under their raw paths.
UNMATCHED = "(unmatched)"


class Metrics:
    """Count and time every request under its route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def send_counted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_counted)
        finally:
            route = _template(scope)
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)


def _template(scope: Scope) -> str:
    """The route template of the matched path: /v1/events/{event_id}, not the id itself."""
    if scope.get("route") is None:
        return UNMATCHED
    names = {str(value): name for name, value in (scope.get("path_params") or {}).items()}
    segments = scope["path"].split("/")
    return "/".join(f"{{{names[part]}}}" if part in names else part for part in segments)


router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"description": "Prometheus text format.", "content": {CONTENT_TYPE_LATEST: {}}},
        **problems(401, 403, 429),
    },
)
def metrics(request: Request, principal: AdminDep) -> Response:
    """Prometheus metrics of this worker (admin key)."""
    database: Database = request.app.state.db
    _measure(database)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def _measure(database: Database) -> None:
    pool = database.engine.pool
    if isinstance(pool, QueuePool):
        POOL_IN_USE.set(pool.checkedout())
        POOL_SIZE.set(pool.size())
    with database.session(write=False) as session:
        counts = dict(
            session.execute(select(ImportJob.state, func.count()).group_by(ImportJob.state)).all()
        )
    for state in get_args(JobState):
        IMPORT_JOBS.labels(state).set(counts.get(state, 0))
