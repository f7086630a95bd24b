"""HTTP routes of processes and the actors taking part in them."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session, selectinload

from app.core import records
from app.core.crud import Resource, add_routes
from app.core.deps import EditorDep, ReaderDep, SessionDep
from app.core.errors import Inconsistent
from app.core.http import IfMatch, json_response, version_etag
from app.core.responses import CHANGE, CREATE, DELETE, READ
from app.events.schemas import ParticipationCreate, ParticipationRead, ParticipationUpdate
from app.models import Location, Participation, Process
from app.processes import service
from app.processes.schemas import ProcessCreate, ProcessKind, ProcessRead, ProcessUpdate


def process_filters(
    kind: Annotated[list[ProcessKind], Query(description="Process kind; repeatable.")] = [],  # noqa: B006
    parent: Annotated[uuid.UUID | None, Query(description="Parent process id.")] = None,
) -> list[ColumnElement[bool]]:
    """Filters of the process list."""
    return [
        *([Process.kind.in_(kind)] if kind else []),
        *([Process.parent_id == parent] if parent else []),
    ]


def check_refs(session: Session, values: dict[str, Any]) -> None:
    """The parent and the scope's locations must exist."""
    records.ensure_exists(session, Process, values.get("parent_id"), field="parent_id")
    scope = values.get("scope") or {}
    for index, location_id in enumerate(scope.get("location_ids") or []):
        records.ensure_exists(session, Location, location_id, field=f"scope.location_ids[{index}]")


def check_change(session: Session, process: Process, values: dict[str, Any]) -> None:
    """A state only on a ceasefire; no process inside itself, however deep."""
    kind, state = values.get("kind", process.kind), values.get("state", process.state)
    if state is not None and kind != "ceasefire":
        raise Inconsistent("state applies to ceasefire processes only", field="state")
    parent_id = values.get("parent_id")
    if parent_id is not None and process.id in service.ancestry(session, parent_id):
        raise Inconsistent(
            f"parent_id: {parent_id} is {process.id} itself or sits inside it; "
            "a process cannot contain itself.",
            field="parent_id",
        )


def to_columns(values: dict[str, Any]) -> dict[str, Any]:
    """The scope is stored as JSON."""
    if values.get("scope") is not None:
        scope = values["scope"]
        scope["location_ids"] = [str(i) for i in scope.get("location_ids", [])]
    return values


PROCESSES = Resource(
    entity="process",
    path="/processes",
    model=Process,
    create_schema=ProcessCreate,
    update_schema=ProcessUpdate,
    read_schema=ProcessRead,
    filters=process_filters,
    check_refs=check_refs,
    to_columns=to_columns,
    check_change=check_change,
    options=(selectinload(Process.participants),),
    children=("participants",),
)

router = APIRouter(tags=["processes"])
add_routes(router, PROCESSES)
PARTICIPANTS = "/processes/{process_id}/participants"


def _load(session: Session, process_id: uuid.UUID) -> Process:
    process: Process = PROCESSES.load(session, process_id)
    return process


def _respond(request: Request, item: Participation, status_code: int = 200) -> Response:
    body = ParticipationRead.model_validate(item)
    return json_response(request, body, etag=version_etag(item.version), status_code=status_code)


@router.get(PARTICIPANTS, response_model=list[ParticipationRead], responses=READ)
def list_process_participants(
    process_id: uuid.UUID, session: SessionDep, principal: ReaderDep
) -> list[ParticipationRead]:
    """The actors taking part in the process, with their roles and stances (the stance ledger)."""
    return [ParticipationRead.model_validate(p) for p in _load(session, process_id).participants]


@router.post(PARTICIPANTS, status_code=201, response_model=ParticipationRead, responses=CREATE)
def add_process_participant(
    request: Request,
    process_id: uuid.UUID,
    data: ParticipationCreate,
    session: SessionDep,
    principal: EditorDep,
) -> Response:
    """Add an actor's part or stance in the process ("Haftar asked for time")."""
    process = _load(session, process_id)
    item = service.add_participant(session, process, data=data, by=principal)
    return _respond(request, item, 201)


@router.patch(PARTICIPANTS + "/{item_id}", response_model=ParticipationRead, responses=CHANGE)
def update_process_participant(
    request: Request,
    process_id: uuid.UUID,
    item_id: uuid.UUID,
    data: ParticipationUpdate,
    session: SessionDep,
    principal: EditorDep,
    if_match: IfMatch,
) -> Response:
    """Change a participant's role or stance; If-Match names the participant's ETag."""
    process = _load(session, process_id)
    item = service.participant(process, item_id)
    service.update_participant(session, process, item, data=data, by=principal, if_match=if_match)
    return _respond(request, item)


@router.delete(PARTICIPANTS + "/{item_id}", status_code=204, responses=DELETE)
def remove_process_participant(
    process_id: uuid.UUID,
    item_id: uuid.UUID,
    session: SessionDep,
    principal: EditorDep,
    if_match: IfMatch,
) -> Response:
    """Remove a participant; the process's history keeps it."""
    process = _load(session, process_id)
    item = service.participant(process, item_id)
    service.remove_participant(session, process, item, by=principal, if_match=if_match)
    return Response(status_code=204)
