"""Process logic: the actors taking part and their stances, kept in the process's history."""

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import records
from app.core.auth import Principal
from app.core.errors import NotFound
from app.core.http import check_version
from app.core.ids import uuid7
from app.core.types import present
from app.events.schemas import ParticipationCreate, ParticipationUpdate
from app.models import Actor, Participation, Process
from app.models.base import utcnow
from app.processes.schemas import ProcessRead

ENTITY = "process"


def snapshot(process: Process) -> dict[str, Any]:
    """The process with its participants as JSON, for revisions."""
    return ProcessRead.model_validate(process).model_dump(mode="json")


def _revise(
    session: Session, process: Process, mutate: Callable[[], None], by: Principal, reason: str
) -> None:
    def fresh_snapshot(record: Process) -> dict[str, Any]:
        session.refresh(record, ["participants"])
        return snapshot(record)

    records.revise(
        session, process, mutate, entity=ENTITY, snapshot=fresh_snapshot, by=by, reason=reason
    )


def ancestry(session: Session, process_id: uuid.UUID) -> list[uuid.UUID]:
    """The process and the processes it sits in, innermost first."""
    chain: list[uuid.UUID] = []
    current: uuid.UUID | None = process_id
    while current is not None and current not in chain:
        chain.append(current)
        current = session.scalar(select(Process.parent_id).where(Process.id == current))
    return chain


def participant(process: Process, item_id: uuid.UUID) -> Participation:
    """One of the process's participants; 404 otherwise."""
    for item in process.participants:
        if item.id == item_id:
            return item
    raise NotFound("participant", item_id)


def add_participant(
    session: Session,
    process: Process,
    *,
    data: ParticipationCreate,
    by: Principal,
    record_id: uuid.UUID | None = None,
) -> Participation:
    """Add an actor's part or stance in the process ("Haftar asked for time")."""
    records.ensure_exists(session, Actor, data.actor_id, field="actor_id")
    item = Participation(id=record_id or uuid7(), process_id=process.id, **data.model_dump())
    _revise(session, process, lambda: session.add(item), by, "participant added")
    return item


def update_participant(
    session: Session,
    process: Process,
    item: Participation,
    *,
    data: ParticipationUpdate,
    by: Principal,
    if_match: str,
) -> None:
    """Change a participant's role or stance if it is at the version the caller read."""
    check_version(item.version, if_match)
    changes = present(data)
    records.ensure_exists(session, Actor, changes.get("actor_id"), field="actor_id")

    def apply() -> None:
        for name, value in changes.items():
            setattr(item, name, value)
        item.updated_at = utcnow()

    _revise(session, process, apply, by, f"participant {item.id} changed")


def remove_participant(
    session: Session,
    process: Process,
    item: Participation,
    *,
    by: Principal,
    if_match: str,
) -> None:
    """Remove a participant; the process's history keeps it."""
    check_version(item.version, if_match)
    _revise(session, process, lambda: session.delete(item), by, f"participant {item.id} removed")
