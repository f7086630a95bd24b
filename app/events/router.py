"""HTTP routes of events and their participants, citations, process relations and links."""

import uuid
from dataclasses import replace
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.deps import AdminDep, DatabaseDep, EditorDep, ReaderDep, SessionDep, SettingsDep
from app.core.errors import bad_query_parameter
from app.core.http import IfMatch, json_response, version_etag
from app.core.listing import Page, PageDep, fetch_page, page_response
from app.core.responses import CHANGE, CREATE, DELETE, LIST, READ, problems, record_links
from app.core.schemas import RevertRequest, RevisionRead
from app.events import service, visibility
from app.events.filters import (
    TIMELINE_ORDER,
    EventFiltersDep,
    conditions,
    filtered,
    page_plan,
)
from app.events.schemas import (
    CitationCreate,
    CitationRead,
    CitationUpdate,
    EventCreate,
    EventDetail,
    EventLinkCreate,
    EventLinkRead,
    EventProcessCreate,
    EventProcessRead,
    EventSummary,
    EventTypeRead,
    EventUpdate,
    ParticipationCreate,
    ParticipationRead,
    ParticipationUpdate,
)
from app.events.vocabulary import VOCABULARY
from app.formats.http import (
    BomQuery,
    FormatQuery,
    GroupByQuery,
    LangQuery,
    choose,
    export_content,
    export_response,
)
from app.history.as_of import AsOfDep, ReadSessionDep, read_sessions
from app.models import Citation, Event, EventLink, EventProcess, Participation
from app.search.ranking import by_relevance

router = APIRouter(tags=["events"])
EventId = Annotated[uuid.UUID, "event id"]


def _event_response(
    request: Request, session: Session, event: Event, principal: Principal, status_code: int = 200
) -> Response:
    """The event as every route answers it: its fields, children and grouped claims."""
    detail = service.detail(session, event, principal)
    return json_response(request, detail, etag=version_etag(event.version), status_code=status_code)


@router.get("/event-types", response_model=list[EventTypeRead], responses=problems(401))
def list_event_types(principal: ReaderDep) -> list[EventTypeRead]:
    """The event-type vocabulary with its ACLED and CAMEO crosswalks."""
    return [EventTypeRead.model_validate(entry) for entry in VOCABULARY]


EventOrder = Literal["date", "-date", "relevance"]
NEWEST_FIRST = replace(TIMELINE_ORDER, descending=True)


@router.get("/events", response_model=Page[EventSummary], responses=LIST)
def list_events(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    principal: ReaderDep,
    filters: EventFiltersDep,
    page: PageDep,
    sort: Annotated[
        EventOrder,
        Query(
            description="`date`: timeline order (earliest possible day first); `-date`: the "
            "reverse (latest first); `relevance`: best match to `q` first."
        ),
    ] = "date",
) -> Response:
    """Events matching the filters in timeline order, newest first, or by relevance to `q`."""
    if sort == "relevance":
        if filters.q is None:
            raise bad_query_parameter(
                "sort", "sort=relevance needs a text query q.", "needs q", "relevance_without_q"
            )
        stmt, order = by_relevance(
            session, filtered(filters, principal), Event.id, "event", filters.q
        )
        scalars, split = False, None
    else:
        plan = page_plan(session, filters, principal)
        stmt, order = plan.page(select(Event), NEWEST_FIRST if sort == "-date" else TIMELINE_ORDER)
        scalars, split = True, plan.split
    rows, next_cursor = fetch_page(
        session,
        stmt,
        sort=order,
        page=page,
        settings=settings,
        query={"events": filters.as_query(), "drafts": principal.sees_drafts, "sort": sort},
        scalars=scalars,
        split=split,
    )
    events = rows if scalars else [row[0] for row in rows]
    body = Page[EventSummary](
        items=[EventSummary.model_validate(e) for e in events], next_cursor=next_cursor
    )
    return page_response(request, body)


@router.get(
    "/events/export",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The matching events in the chosen format, streamed.",
            "content": export_content(),
        },
        **problems(304, 400, 401, 406, 422),
    },
)
def export_events(
    request: Request,
    session: SessionDep,
    database: DatabaseDep,
    settings: SettingsDep,
    principal: ReaderDep,
    filters: EventFiltersDep,
    as_of: AsOfDep,
    format: FormatQuery = None,
    lang: LangQuery = None,
    bom: BomQuery = False,
    group_by: GroupByQuery = "type",
) -> Response:
    """Every matching event in one file: json, ndjson, csv, geojson, ics, atom, jsonld,
    timelinejs or vis (by `format=` or Accept), streamed in timeline order (Atom: newest first).

    Asked again while the data is unchanged, the same export is given from the file kept the
    first time it was streamed to its end (with its Content-Length)."""
    return export_response(
        request,
        session=session,
        open_session=read_sessions(database, settings, as_of),
        principal=principal,
        conditions=conditions(filters, principal),
        export=choose(request, format),
        lang=lang,
        bom=bom,
        group_by=group_by,
        title="Waqai events",
    )


# An answer carrying one event links to reading, changing and deleting it.
EVENT = "/events/{event_id}"
EVENT_ID = {"event_id": "$response.body#/id"}


@router.post(
    "/events",
    status_code=201,
    response_model=EventDetail,
    responses=CREATE,
    openapi_extra=record_links(EVENT, EVENT_ID, 201),
)
def create_event(
    request: Request,
    data: EventCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: EditorDep,
) -> Response:
    """Create an event (a draft unless `status` says in_review or published)."""
    second_editor = settings.review_requires_second_editor
    event = service.create(session, data=data, by=principal, second_editor=second_editor)
    response = _event_response(request, session, event, principal, status_code=201)
    response.headers["Location"] = f"/v1/events/{event.id}"
    return response


@router.get(
    EVENT, response_model=EventDetail, responses=READ, openapi_extra=record_links(EVENT, EVENT_ID)
)
def get_event(
    request: Request, event_id: uuid.UUID, session: ReadSessionDep, principal: ReaderDep
) -> Response:
    """One event with its participants, citations, grouped claims, process relations and
    links (as it was at `as_of`, if given)."""
    event = service.get(session, event_id, principal=principal)
    return _event_response(request, session, event, principal)


@router.patch(
    EVENT, response_model=EventDetail, responses=CHANGE, openapi_extra=record_links(EVENT, EVENT_ID)
)
def update_event(
    request: Request,
    event_id: uuid.UUID,
    data: EventUpdate,
    session: SessionDep,
    settings: SettingsDep,
    principal: EditorDep,
    if_match: IfMatch,
) -> Response:
    """Change an event; send the ETag you read as If-Match. Setting `status` moves it along
    the review workflow: draft → in_review → published → retracted (with a reason)."""
    event = service.get(session, event_id, principal=principal)
    service.update(
        session,
        event,
        data=data,
        by=principal,
        if_match=if_match,
        second_editor=settings.review_requires_second_editor,
    )
    return _event_response(request, session, event, principal)


@router.post(
    EVENT + "/revert",
    response_model=EventDetail,
    responses=CHANGE,
    name="revert_event",
    openapi_extra=record_links(EVENT, EVENT_ID),
)
def revert_event(
    request: Request,
    event_id: uuid.UUID,
    data: RevertRequest,
    session: SessionDep,
    settings: SettingsDep,
    principal: EditorDep,
    if_match: IfMatch,
) -> Response:
    """Bring an event's own fields back to one of its versions (editor); the revert is a new
    revision. Its participants, claims, relations and links are not touched."""
    event = service.get(session, event_id, principal=principal)
    service.revert(
        session,
        event,
        request=data,
        by=principal,
        if_match=if_match,
        second_editor=settings.review_requires_second_editor,
    )
    return _event_response(request, session, event, principal)


@router.delete("/events/{event_id}", status_code=204, responses=DELETE)
def delete_event(
    event_id: uuid.UUID, session: SessionDep, principal: AdminDep, if_match: IfMatch
) -> Response:
    """Delete an event (admin); it is kept as a tombstone and in its history."""
    event = service.get(session, event_id, principal=principal)
    service.delete(session, event, by=principal, if_match=if_match)
    return Response(status_code=204)


@router.get("/events/{event_id}/revisions", response_model=list[RevisionRead], responses=READ)
def list_event_revisions(
    event_id: uuid.UUID, session: SessionDep, principal: ReaderDep
) -> list[RevisionRead]:
    """Every change to the event and its children, oldest first."""
    event = service.get(session, event_id, principal=principal, include_deleted=True)
    return service.revisions(session, event, principal)


def _child_routes(
    path: str,
    model: type[Participation] | type[Citation],
    read: type[ParticipationRead] | type[CitationRead],
    create: type[ParticipationCreate] | type[CitationCreate],
    update: type[ParticipationUpdate] | type[CitationUpdate],
    noun: str,
) -> None:
    """List, add, read, change and remove routes for one kind of an event's children."""
    collection = f"/events/{{event_id}}/{path}"
    item_path = f"{collection}/{{item_id}}"
    ids = {"event_id": "$request.path.event_id", "item_id": "$response.body#/id"}

    def item_response(
        request: Request, item: Participation | Citation, status: int = 200
    ) -> Response:
        return json_response(
            request, read.model_validate(item), etag=version_etag(item.version), status_code=status
        )

    @router.get(collection, response_model=list[read], responses=READ, name=f"list_{path}")  # type: ignore[valid-type]
    def list_children(
        event_id: uuid.UUID, session: SessionDep, principal: ReaderDep
    ) -> list[object]:
        event = service.get(session, event_id, principal=principal)
        pool = event.participants if model is Participation else event.citations
        return [read.model_validate(item) for item in pool]

    @router.post(
        collection,
        status_code=201,
        response_model=read,
        responses=CREATE,
        name=f"add_{noun}",
        openapi_extra=record_links(item_path, ids, 201),
    )
    def add_child(
        request: Request,
        event_id: uuid.UUID,
        data: create,  # type: ignore[valid-type]
        session: SessionDep,
        principal: EditorDep,
    ) -> Response:
        event = service.get(session, event_id, principal=principal)
        add = service.add_participant if model is Participation else service.add_citation
        item = add(session, event, data=data, by=principal)
        response = item_response(request, item, 201)
        response.headers["Location"] = f"/v1/events/{event_id}/{path}/{item.id}"
        return response

    @router.get(
        item_path,
        response_model=read,
        responses=READ,
        name=f"get_{noun}",
        openapi_extra=record_links(item_path, ids),
    )
    def get_child(
        request: Request,
        event_id: uuid.UUID,
        item_id: uuid.UUID,
        session: SessionDep,
        principal: ReaderDep,
    ) -> Response:
        event = service.get(session, event_id, principal=principal)
        return item_response(request, service.child(event, model, item_id))

    @router.patch(
        item_path,
        response_model=read,
        responses=CHANGE,
        name=f"update_{noun}",
        openapi_extra=record_links(item_path, ids),
    )
    def update_child(
        request: Request,
        event_id: uuid.UUID,
        item_id: uuid.UUID,
        data: update,  # type: ignore[valid-type]
        session: SessionDep,
        principal: EditorDep,
        if_match: IfMatch,
    ) -> Response:
        event = service.get(session, event_id, principal=principal)
        item = service.child(event, model, item_id)
        service.update_child(session, event, item, data=data, by=principal, if_match=if_match)
        return item_response(request, item)

    @router.delete(item_path, status_code=204, responses=DELETE, name=f"remove_{noun}")
    def remove_child(
        event_id: uuid.UUID,
        item_id: uuid.UUID,
        session: SessionDep,
        principal: EditorDep,
        if_match: IfMatch,
    ) -> Response:
        event = service.get(session, event_id, principal=principal)
        item = service.child(event, model, item_id)
        service.remove_child(session, event, item, by=principal, if_match=if_match)
        return Response(status_code=204)

    list_children.__doc__ = f"The event's {path}."
    add_child.__doc__ = f"Add a {noun} to the event; the event's version moves too."
    get_child.__doc__ = f"One {noun} of the event."
    update_child.__doc__ = f"Change a {noun}; If-Match names the {noun}'s ETag."
    remove_child.__doc__ = f"Remove a {noun}; the event's history keeps it."


_child_routes(
    "participants",
    Participation,
    ParticipationRead,
    ParticipationCreate,
    ParticipationUpdate,
    "participant",
)
_child_routes("citations", Citation, CitationRead, CitationCreate, CitationUpdate, "citation")


@router.get("/events/{event_id}/processes", response_model=list[EventProcessRead], responses=READ)
def list_event_processes(
    event_id: uuid.UUID, session: SessionDep, principal: ReaderDep
) -> list[EventProcessRead]:
    """The processes the event is part of, violates or responds to."""
    event = service.get(session, event_id, principal=principal)
    return [EventProcessRead.model_validate(r) for r in event.process_relations]


@router.post(
    "/events/{event_id}/processes",
    status_code=201,
    response_model=EventProcessRead,
    responses=CREATE,
)
def add_event_process(
    event_id: uuid.UUID, data: EventProcessCreate, session: SessionDep, principal: EditorDep
) -> EventProcessRead:
    """Relate the event to a process, e.g. as an alleged violation of a ceasefire."""
    event = service.get(session, event_id, principal=principal)
    return EventProcessRead.model_validate(
        service.add_process_relation(session, event, data=data, by=principal)
    )


@router.get("/events/{event_id}/links", response_model=list[EventLinkRead], responses=READ)
def list_event_links(
    event_id: uuid.UUID, session: SessionDep, principal: ReaderDep
) -> list[EventLinkRead]:
    """Links from this event to others (follows, responds_to, supersedes, duplicate_of)."""
    event = service.get(session, event_id, principal=principal)
    links = visibility.visible_links(session, event, principal)
    return [EventLinkRead.model_validate(link) for link in links]


@router.post(
    "/events/{event_id}/links", status_code=201, response_model=EventLinkRead, responses=CREATE
)
def add_event_link(
    event_id: uuid.UUID, data: EventLinkCreate, session: SessionDep, principal: EditorDep
) -> EventLinkRead:
    """Link the event to another event."""
    event = service.get(session, event_id, principal=principal)
    return EventLinkRead.model_validate(service.add_link(session, event, data=data, by=principal))


@router.delete("/events/{event_id}/processes/{item_id}", status_code=204, responses=DELETE)
def remove_event_process(
    event_id: uuid.UUID,
    item_id: uuid.UUID,
    session: SessionDep,
    principal: EditorDep,
    if_match: IfMatch,
) -> Response:
    """Remove a process relation; If-Match names the event's ETag."""
    event = service.get(session, event_id, principal=principal)
    item = service.relation(event, EventProcess, item_id)
    service.remove_relation(session, event, item, by=principal, if_match=if_match)
    return Response(status_code=204)


@router.delete("/events/{event_id}/links/{item_id}", status_code=204, responses=DELETE)
def remove_event_link(
    event_id: uuid.UUID,
    item_id: uuid.UUID,
    session: SessionDep,
    principal: EditorDep,
    if_match: IfMatch,
) -> Response:
    """Remove a link; If-Match names the event's ETag."""
    event = service.get(session, event_id, principal=principal)
    item = service.relation(event, EventLink, item_id)
    service.remove_relation(session, event, item, by=principal, if_match=if_match)
    return Response(status_code=204)
