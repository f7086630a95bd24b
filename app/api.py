"""Every domain router, under /v1."""

from __future__ import annotations

from fastapi import APIRouter

from app.actors.router import router as actors
from app.core.deps import declare_public_reads
from app.core.responses import API_PREFIX, EVERYWHERE
from app.events.router import router as events
from app.history.router import router as history
from app.imports.router import router as imports
from app.keys.router import router as keys
from app.locations.router import router as locations
from app.processes.router import router as processes
from app.search.router import router as search
from app.sources.router import router as sources
from app.timelines.router import router as timelines

api = APIRouter(prefix=API_PREFIX, responses=EVERYWHERE)
for router in (
    events,
    timelines,
    actors,
    locations,
    sources,
    processes,
    search,
    keys,
    imports,
    history,
):
    declare_public_reads(router)
    api.include_router(router)
