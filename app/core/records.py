"""The life cycle every top-level record shares: load, create, update, tombstone.

Each step writes its revision in the same transaction; domain services add their own rules
(reference checks, derived columns) and call these.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.base import ExecutableOption

from app.core.auth import Principal
from app.core.errors import Gone, NotFound, UnknownReference, VersionConflict
from app.core.http import check_version
from app.history import service as history
from app.models.base import Record, utcnow

R = TypeVar("R", bound=Record)
Snapshot = Callable[[Any], dict[str, Any]]


def load(
    session: Session,
    model: type[R],
    record_id: uuid.UUID,
    *,
    entity: str,
    options: Iterable[ExecutableOption] = (),
    include_deleted: bool = False,
) -> R:
    """The record with this id; 404 if there is none, 410 if it was deleted."""
    found = session.scalar(select(model).where(model.id == record_id).options(*options))
    if found is None:
        raise NotFound(entity, record_id)
    if not include_deleted:
        refuse_deleted(found, entity)
    return found


def refuse_deleted(record: Record, entity: str) -> None:
    """410 for a deleted record, saying when it was deleted."""
    if record.deleted_at is not None:
        raise Gone(entity, record.id, record.deleted_at.isoformat())


def ensure_exists(
    session: Session, model: type[Record], record_id: uuid.UUID | None, *, field: str
) -> None:
    """Refuse a reference to a record that does not exist or was deleted (422)."""
    if record_id is None:
        return
    found = session.scalar(
        select(model.id).where(model.id == record_id, model.deleted_at.is_(None))
    )
    if found is None:
        raise UnknownReference(
            f"{field}: there is no {model.__tablename__[:-1]} {record_id}.", field=field
        )


def create(session: Session, record: R, *, entity: str, snapshot: Snapshot, by: Principal) -> R:
    """Insert `record` and its create revision."""
    session.add(record)
    session.flush()
    history.record(
        session,
        entity_type=entity,
        entity_id=record.id,
        version=record.version,
        op="create",
        by=by,
        before=None,
        after=snapshot(record),
    )
    return record


def _flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        # Another writer committed the same version between our read and our write.
        raise VersionConflict("The record changed while your request was being processed.") from exc


def revise(
    session: Session,
    record: R,
    mutate: Callable[[], None],
    *,
    entity: str,
    snapshot: Snapshot,
    by: Principal,
    op: str = "update",
    reason: str | None = None,
) -> R:
    """Run `mutate`, bump the record's version and write the revision with before and after.

    Changes to a record's children (an event's citations, say) go through here too, so the
    parent's version, ETag and history cover the whole aggregate.
    """
    before = snapshot(record)
    mutate()
    record.updated_at = utcnow()  # always dirty, so the version moves even for child changes
    _flush_or_conflict(session)
    history.record(
        session,
        entity_type=entity,
        entity_id=record.id,
        version=record.version,
        op=op,
        by=by,
        before=before,
        after=None if op == "delete" else snapshot(record),
        reason=reason,
    )
    return record


def update(
    session: Session,
    record: R,
    changes: dict[str, Any],
    *,
    entity: str,
    snapshot: Snapshot,
    by: Principal,
    if_match: str,
    op: str = "update",
    reason: str | None = None,
) -> R:
    """Apply `changes` to `record` if it is still at the version the caller read."""
    check_version(record.version, if_match)

    def apply() -> None:
        for name, value in changes.items():
            setattr(record, name, value)

    return revise(
        session, record, apply, entity=entity, snapshot=snapshot, by=by, op=op, reason=reason
    )


def tombstone(
    session: Session,
    record: R,
    *,
    entity: str,
    snapshot: Snapshot,
    by: Principal,
    if_match: str,
) -> R:
    """Mark `record` deleted; it stays in the database and in its history."""
    return update(
        session,
        record,
        {"deleted_at": utcnow()},
        entity=entity,
        snapshot=snapshot,
        by=by,
        if_match=if_match,
        op="delete",
    )
