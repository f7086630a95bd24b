"""Apply imported rows to the database: create new events, update changed ones, report the rest.

The caller owns the transaction and decides from the outcome whether to commit: an atomic
import commits only when every row was accepted, `skip_invalid` commits the accepted rows, a
dry run never commits. Rows are applied in chunks, each in a savepoint: when the database
refuses a chunk (a constraint), its rows are replayed one by one to name the culprit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.errors import WaqaiError
from app.core.sql import one_of
from app.events import external_ids
from app.events import service as events
from app.formats.reading import Row
from app.formats.record import EventRecord
from app.imports import revisions
from app.imports.building import NewEvent, RowRefused, build_event, changes_to, new_children
from app.imports.matching import References
from app.models import Event
from app.search import indexing

CHUNK = 500
# What makes a row fail where it stands, while the rest of its chunk may go in.
REFUSALS = (IntegrityError, RowRefused, WaqaiError)
Outcome = Literal["created", "updated", "unchanged"]


@dataclass(frozen=True)
class Rejected:
    """A row that did not become an event, and why."""

    line: int
    reason: str
    raw: dict[str, str]


@dataclass
class Report:
    """What an import did (or, for a dry run or a refused atomic import, would have done)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    references: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        """The figures, for the job and the CLI summary."""
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": len(self.rejected),
            "references_created": self.references,
        }

    def count(self, outcomes: Iterable[Outcome], refs: References) -> None:
        """Add up applied rows and the references created for them."""
        for outcome in outcomes:
            setattr(self, outcome, getattr(self, outcome) + 1)
        for record in refs.take_created():
            kind = type(record).__tablename__
            self.references[kind] = self.references.get(kind, 0) + 1


def run(
    session: Session,
    rows: Iterable[Row],
    *,
    by: Principal,
    reason: str,
    progress: Callable[[int], None] = lambda rows: None,
) -> Report:
    """Apply every row, chunk by chunk; nothing is committed here."""
    report = Report()
    refs = References(session)
    for chunk in chunks(rows, CHUNK):
        report.rows += len(chunk)
        accepted = _validated(chunk, report)
        _apply_chunk(session, accepted, refs, report, by=by, reason=reason)
        indexing.index_pending(session)
        progress(report.rows)
    return report


def _validated(chunk: Sequence[Row], report: Report) -> list[tuple[Row, EventRecord]]:
    accepted = []
    for row in chunk:
        if row.error is not None or row.record is None:
            report.rejected.append(Rejected(row.line, row.error or "empty row", row.raw))
            continue
        try:
            accepted.append((row, EventRecord.model_validate(row.record)))
        except ValidationError as exc:
            report.rejected.append(Rejected(row.line, describe(exc), row.raw))
    return accepted


def describe(exc: ValidationError) -> str:
    """A validation failure in one line: every bad field and what is wrong with it."""
    parts = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(part) for part in error["loc"]) or "row"
        parts.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _apply_chunk(
    session: Session,
    accepted: list[tuple[Row, EventRecord]],
    refs: References,
    report: Report,
    *,
    by: Principal,
    reason: str,
) -> None:
    """Apply a chunk in one savepoint; on a refusal, replay it row by row to name the culprit."""
    mark = refs.mark()
    try:
        with session.begin_nested():
            outcomes = _apply_rows(session, [rec for _, rec in accepted], refs, by, reason)
    except REFUSALS:
        refs.rollback_to(mark)
        for row, record in accepted:
            mark = refs.mark()
            try:
                with session.begin_nested():
                    outcomes = _apply_rows(session, [record], refs, by, reason)
                report.count(outcomes, refs)
            except REFUSALS as exc:
                refs.rollback_to(mark)
                report.rejected.append(Rejected(row.line, _refusal(exc), row.raw))
        return
    report.count(outcomes, refs)


def _refusal(exc: Exception) -> str:
    if isinstance(exc, RowRefused):
        return str(exc)
    if isinstance(exc, WaqaiError):
        return exc.detail
    # The driver's message names the constraint; SQL and parameters stay out of reports.
    orig = getattr(exc, "orig", None)
    message = str(orig).splitlines()[0] if orig is not None else "a constraint"
    return f"the database refused this row ({message})"


def chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """Rows in lists of `size`, read lazily."""
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _apply_rows(
    session: Session, records: list[EventRecord], refs: References, by: Principal, reason: str
) -> list[Outcome]:
    found = _existing(session, records)
    outcomes: list[Outcome] = []
    fresh: list[NewEvent] = []
    claimed: dict[tuple[str, str], uuid.UUID] = {}
    for index, record in enumerate(records):
        event = found.get(index)
        if isinstance(event, RowRefused):
            raise event
        if event is None and (twin := _claimed(claimed, record)) is not None:
            # A second row for an event this chunk creates: insert what is pending first,
            # then the row is an ordinary update of a stored event.
            revisions.insert_new(session, fresh, refs.pending_revision(), by=by, reason=reason)
            fresh.clear()
            event = session.get_one(Event, twin, options=events.FULL)
        if event is None:
            built = build_event(record, refs)
            fresh.append(built)
            new_id: uuid.UUID = built.event["id"]
            claimed.update(dict.fromkeys(record.external_ids.items(), new_id))
            outcomes.append("created")
        else:
            outcomes.append(_update(session, event, record, refs, by=by, reason=reason))
    revisions.insert_new(session, fresh, refs.pending_revision(), by=by, reason=reason)
    return outcomes


def _claimed(claimed: dict[tuple[str, str], uuid.UUID], record: EventRecord) -> uuid.UUID | None:
    """The event created earlier in this chunk under one of the record's external ids."""
    return next((claimed[key] for key in record.external_ids.items() if key in claimed), None)


def _existing(session: Session, records: list[EventRecord]) -> dict[int, Event | RowRefused]:
    """The stored event each record is about, by record index: the one its `id` names, or
    the one holding its external ids; a record that points at two events is refused."""
    keys = {key for record in records for key in record.external_ids.items()}
    by_key = external_ids.owners(session, keys)
    named = {record.id for record in records if record.id is not None}
    stmt = select(Event).where(one_of(session, Event.id, named | set(by_key.values())))
    loaded = {event.id: event for event in session.scalars(stmt.options(*events.FULL))}
    found: dict[int, Event | RowRefused] = {}
    for index, record in enumerate(records):
        owners = {by_key[key] for key in record.external_ids.items() if key in by_key}
        if record.id in loaded:
            owners.add(record.id)
        if len(owners) > 1:
            found[index] = RowRefused(
                "the row's id and external ids point at different events: "
                + ", ".join(sorted(str(owner) for owner in owners))
            )
        elif owners:
            found[index] = loaded[owners.pop()]
    return found


def _update(
    session: Session,
    event: Event,
    record: EventRecord,
    refs: References,
    *,
    by: Principal,
    reason: str,
) -> Outcome:
    """Bring a stored event in line with the row; a revision only when something changed."""
    if event.deleted_at is not None:
        raise RowRefused(
            f"event {event.id}, which holds this row's id, was deleted; restore it or drop the id"
        )
    changes = changes_to(event, record, refs)
    children = new_children(event, record, refs)
    if not changes and not children:
        return "unchanged"
    revisions.update_existing(session, event, changes, children, by=by, reason=reason)
    return "updated"
