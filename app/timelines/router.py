"""HTTP routes of timelines, scoped timelines, the ceasefire tracker and the stance ledger."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.actors.router import ACTORS
from app.core.answers import AnswerCache, kept_response
from app.core.auth import Principal
from app.core.config import Settings
from app.core.deps import DatabaseDep, ReaderDep, SettingsDep
from app.core.http import query_etag
from app.core.listing import PageDep, PageParams
from app.core.responses import problems
from app.events.filters import EventFilters, EventFiltersDep, conditions, page_plan
from app.formats.http import (
    BomQuery,
    FormatQuery,
    LangQuery,
    choose,
    export_content,
    export_response,
)
from app.history import service as history
from app.history.as_of import AsOfDep, ReadSessionDep, read_sessions
from app.locations.router import LOCATIONS
from app.models import Event
from app.processes.router import PROCESSES
from app.timelines import ceasefire, service, stances
from app.timelines.schemas import BucketUnit, CeasefireTracker, GroupBy, StanceLedger, Timeline
from app.timelines.scopes import affiliates, involving, process_tree, related_to

router = APIRouter(tags=["timelines"])
BucketQuery = Annotated[
    BucketUnit | None, Query(description="Count matching events per day, week, month or year.")
]
GroupQuery = Annotated[
    GroupBy | None, Query(description="Tag items with lanes by actor, type, location or process.")
]
TIMELINE_ERRORS = problems(304, 400, 401, 404, 410, 422)


def cached(
    request: Request, session: Any, principal: Principal, build: Callable[[], BaseModel]
) -> Response:
    """Answer from the query and the data's state: 304 without work if the client holds the
    answer, and the answer kept in this worker if it was given before (app.core.answers)."""
    etag = query_etag(
        request, sees_drafts=principal.sees_drafts, data_version=history.data_version(session)
    )
    answers: AnswerCache = request.app.state.answers
    return kept_response(
        request,
        etag,
        lambda: answers.answer(etag, lambda: build().model_dump_json().encode(), request.scope),
        private=principal.role is not None,
    )


@dataclass(frozen=True)
class TimelineQuery:
    """What every timeline route reads from its request: the shared filters, the page, the
    bucket unit and the lane grouping."""

    request: Request
    session: Session
    settings: Settings
    principal: Principal
    filters: EventFilters
    page: PageParams
    bucket: BucketUnit | None
    group_by: GroupBy | None


# async: no thread hand-off for what only reads the request (app.core.deps).
async def timeline_query(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    principal: ReaderDep,
    filters: EventFiltersDep,
    page: PageDep,
    bucket: BucketQuery = None,
    group_by: GroupQuery = None,
) -> TimelineQuery:
    return TimelineQuery(request, session, settings, principal, filters, page, bucket, group_by)


TimelineDep = Annotated[TimelineQuery, Depends(timeline_query)]


def _timeline(
    q: TimelineQuery,
    *,
    scope: list[Any] | None = None,
    scope_key: str = "",
    processes: set[uuid.UUID] | None = None,
) -> Response:
    def build() -> Timeline:
        where = [*conditions(q.filters, q.principal), *(scope or [])]
        plan = page_plan(q.session, q.filters, q.principal)
        return service.timeline(
            q.session,
            where,
            page=q.page,
            settings=q.settings,
            bucket=q.bucket,
            group_by=q.group_by,
            query={
                "timeline": q.filters.as_query(),
                "scope": scope_key,
                "drafts": q.principal.sees_drafts,
            },
            processes_in_view={*q.filters.process, *(processes or set())},
            plan=plan.narrowed(scope or []),
        )

    return cached(q.request, q.session, q.principal, build)


@router.get(
    "/timeline",
    # A page of the timeline as JSON, or every matching event in another format.
    response_model=None,
    responses={
        200: {
            "description": "Successful Response",
            "content": export_content({"$ref": "#/components/schemas/Timeline"}),
        },
        **TIMELINE_ERRORS,
        **problems(406),
    },
)
def get_timeline(
    q: TimelineDep,
    database: DatabaseDep,
    as_of: AsOfDep,
    format: FormatQuery = None,
    lang: LangQuery = None,
    bom: BomQuery = False,
) -> Response:
    """Events in time order (earliest possible day first), with buckets, lanes and eras.

    Any `format=` (or Accept) other than json gives every matching event in that format
    instead of one page, as /v1/events/export does.
    """
    export = choose(q.request, format)
    if export.name == "json":
        return _timeline(q)
    return export_response(
        q.request,
        session=q.session,
        open_session=read_sessions(database, q.settings, as_of),
        principal=q.principal,
        conditions=conditions(q.filters, q.principal),
        export=export,
        lang=lang,
        bom=bom,
        group_by=q.group_by or "type",
        title="Waqai timeline",
    )


@router.get("/actors/{actor_id}/timeline", response_model=Timeline, responses=TIMELINE_ERRORS)
def get_actor_timeline(
    actor_id: uuid.UUID,
    q: TimelineDep,
    include_affiliates: Annotated[
        bool,
        Query(description="Also the actors under it: those it commands or that are part of it."),
    ] = False,
) -> Response:
    """The timeline of one actor (and, optionally, the forces under it)."""
    ACTORS.load(q.session, actor_id)
    actors = affiliates(q.session, actor_id) if include_affiliates else {actor_id}
    return _timeline(
        q, scope=[involving(actors)], scope_key=f"actor:{actor_id}:{include_affiliates}"
    )


@router.get("/processes/{process_id}/timeline", response_model=Timeline, responses=TIMELINE_ERRORS)
def get_process_timeline(process_id: uuid.UUID, q: TimelineDep) -> Response:
    """The process and everything part of it, violating it or answering it (sub-processes too)."""
    PROCESSES.load(q.session, process_id)
    tree = process_tree(q.session, process_id)
    return _timeline(q, scope=[related_to(tree)], scope_key=f"process:{process_id}", processes=tree)


@router.get("/locations/{location_id}/timeline", response_model=Timeline, responses=TIMELINE_ERRORS)
def get_location_timeline(location_id: uuid.UUID, q: TimelineDep) -> Response:
    """Events at one location."""
    LOCATIONS.load(q.session, location_id)
    return _timeline(
        q, scope=[Event.location_id == location_id], scope_key=f"location:{location_id}"
    )


@router.get(
    "/processes/{process_id}/ceasefire", response_model=CeasefireTracker, responses=TIMELINE_ERRORS
)
def get_ceasefire_tracker(
    request: Request,
    process_id: uuid.UUID,
    session: ReadSessionDep,
    settings: SettingsDep,
    principal: ReaderDep,
) -> Response:
    """A ceasefire's lifecycle, its breaches (per day, by accused, place and verification) and
    unlinked violent events in its scope and period for an analyst to review."""
    process = PROCESSES.load(session, process_id)
    return cached(
        request,
        session,
        principal,
        lambda: ceasefire.track(session, process, principal=principal, settings=settings),
    )


@router.get(
    "/processes/{process_id}/stances", response_model=StanceLedger, responses=TIMELINE_ERRORS
)
def get_stance_ledger(
    request: Request, process_id: uuid.UUID, session: ReadSessionDep, principal: ReaderDep
) -> Response:
    """Each party's stances on the process over time, with the claims that report them."""
    process = PROCESSES.load(session, process_id)
    return cached(
        request, session, principal, lambda: stances.ledger(session, process, principal=principal)
    )
