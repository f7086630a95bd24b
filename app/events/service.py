"""Event logic: derived dates, status rules, and changes to an event's children."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.core import records
from app.core.auth import Principal
from app.core.dates import parse_when
from app.core.errors import Conflict, Inconsistent, NotFound, UnknownReference
from app.core.http import check_version
from app.core.ids import uuid7
from app.core.listing import EARLIEST, LATEST
from app.core.schemas import RevertRequest, RevisionRead
from app.core.types import present
from app.events import claims, external_ids, review, verification, visibility
from app.events.schemas import (
    CITATION_RULE_FIELDS,
    CitationCreate,
    CitationUpdate,
    EventCreate,
    EventDetail,
    EventLinkCreate,
    EventLinkRead,
    EventProcessCreate,
    EventRead,
    EventUpdate,
    ParticipationCreate,
    ParticipationUpdate,
    check_citation,
    check_fatalities,
)
from app.history import service as history
from app.models import (
    Actor,
    Citation,
    Event,
    EventLink,
    EventProcess,
    Location,
    Participation,
    Process,
    Source,
)
from app.models.base import utcnow

ENTITY = "event"
CHILDREN = ("participants", "citations", "process_relations", "links")
FULL = tuple(selectinload(getattr(Event, name)) for name in CHILDREN)


def snapshot(event: Event | Mapping[str, Any]) -> dict[str, Any]:
    """The event with its children as JSON, for revisions (from the object, or from the rows
    just written for it)."""
    return EventRead.model_validate(event).model_dump(mode="json")


def refreshed_snapshot(session: Session) -> Callable[[Event], dict[str, Any]]:
    def take(event: Event) -> dict[str, Any]:
        session.refresh(event, list(CHILDREN))
        return snapshot(event)

    return take


def get(
    session: Session, event_id: uuid.UUID, *, principal: Principal, include_deleted: bool = False
) -> Event:
    """The event with its children; drafts, even deleted ones, are invisible (404) to
    anonymous callers."""
    event = records.load(
        session, Event, event_id, entity=ENTITY, options=FULL, include_deleted=True
    )
    if event.status in review.UNPUBLISHED and not principal.sees_drafts:
        raise NotFound(ENTITY, event_id)
    if not include_deleted:
        records.refuse_deleted(event, ENTITY)
    return event


def detail(session: Session, event: Event, principal: Principal) -> EventDetail:
    """The event as its readers see it: its fields, children, grouped claims, and the links
    to events the caller may see."""
    shown = EventDetail.model_validate(event)
    shown.claims = claims.view(session, event)
    links = visibility.visible_links(session, event, principal)
    shown.links = [EventLinkRead.model_validate(link) for link in links]
    return shown


def revisions(session: Session, event: Event, principal: Principal) -> list[RevisionRead]:
    """Every change to the event and its children as the caller may see it, oldest first."""
    stored = history.list_for(session, entity_type=ENTITY, entity_id=event.id)
    shown = visibility.visible_revisions(session, stored, principal)
    return [RevisionRead.model_validate(r) for r in shown]


def derived_dates(when: str) -> dict[str, Any]:
    """The bounds, precision and sort keys an EDTF `when` gives an event."""
    bounds = parse_when(when)
    return {
        "date_lower": bounds.lower,
        "date_upper": bounds.upper,
        "date_precision": bounds.precision,
        "sort_lower": bounds.lower or EARLIEST,
        "sort_upper": bounds.upper or LATEST,
    }


def copy_sort_keys(session: Session, event: Event) -> None:
    """Keep the participations' copies of the event's sort keys in step with the event."""
    session.execute(
        sa.update(Participation)
        .where(Participation.event_id == event.id)
        # Copies of the event's keys, not a change of the participation: its time stays put.
        .values(
            event_sort_lower=event.sort_lower,
            event_sort_upper=event.sort_upper,
            updated_at=Participation.updated_at,
        )
        .execution_options(synchronize_session=False)
    )


def create(
    session: Session,
    *,
    data: EventCreate,
    by: Principal,
    record_id: uuid.UUID | None = None,
    second_editor: bool = False,
) -> Event:
    """Store a new event with any children sent along, and one create revision for it all."""
    review.check_new(data.status, second_editor=second_editor)
    records.ensure_exists(session, Location, data.location_id, field="location_id")
    fields = data.model_dump(
        exclude={"participants", "citations", "processes", "links", "verification_reason"}
    )
    fields.update(_verification(data.verification, data.verification_reason, by))
    event = Event(id=record_id or uuid7(), **fields, **derived_dates(data.when))
    session.add(event)
    session.flush()
    external_ids.claim(session, event.id, event.external_ids)
    _add_inline_children(session, event, data)
    if event.verification_decision is None:
        verdict = verification.settle(session, [event.id])[event.id]
        set_committed_value(event, "verification", verdict)
    records.create(session, event, entity=ENTITY, snapshot=refreshed_snapshot(session), by=by)
    return event


def _verification(value: str | None, reason: str | None, by: Principal) -> dict[str, Any]:
    """The columns an editor's verification choice sets: a decision, or none (`auto`/absent)."""
    if value is None or value == verification.AUTO:
        return {"verification": "unverified", "verification_decision": None}
    return {
        "verification": value,
        "verification_decision": verification.decision(value, reason or "", by),
    }


def _verdict_change(
    session: Session, event: Event, changes: dict[str, Any], by: Principal
) -> dict[str, Any]:
    """An editor's verdict, or (`auto`) the claims' again."""
    verdict = _verification(changes["verification"], changes.pop("verification_reason", None), by)
    if verdict["verification_decision"] is None:
        verdict["verification"] = verification.computed(session, [event.id])[event.id]
    return verdict


def _retraction_change(event: Event, changes: dict[str, Any]) -> dict[str, Any]:
    """A retraction keeps its reason and time; any other status clears them."""
    if changes["status"] != "retracted":
        return {"retraction_reason": None, "retracted_at": None}
    return {} if event.status == "retracted" else {"retracted_at": utcnow()}


def _add_inline_children(session: Session, event: Event, data: EventCreate) -> None:
    """The participants, citations, relations and links of a new event, checked like the
    sub-resource routes check them."""
    parts = []
    for index, part in enumerate(data.participants):
        _check_actor(session, part.actor_id, f"participants[{index}].actor_id")
        parts.append(_participation(event, part))
    session.add_all(parts)
    session.flush()
    for index, cite in enumerate(data.citations):
        values = cite.model_dump(exclude={"participant"})
        _check_citation_refs(session, event, values, where=f"citations[{index}].")
        if cite.participant is not None:
            values["participation_id"] = parts[cite.participant].id
        session.add(Citation(event_id=event.id, **values))
    for index, relation in enumerate(data.processes):
        records.ensure_exists(
            session, Process, relation.process_id, field=f"processes[{index}].process_id"
        )
        session.add(EventProcess(event_id=event.id, **relation.model_dump()))
    for index, link in enumerate(data.links):
        records.ensure_exists(
            session, Event, link.target_event_id, field=f"links[{index}].target_event_id"
        )
        session.add(EventLink(event_id=event.id, **link.model_dump()))
    session.flush()


def check_merged(event: Event, changes: dict[str, Any]) -> None:
    """Rules that span fields, checked on the event as it would be after the change."""
    merged = {
        name: changes.get(name, getattr(event, name))
        for name in (
            "fatalities_low",
            "fatalities_best",
            "fatalities_high",
            "title",
            "original_language",
            "status",
            "retraction_reason",
        )
    }
    _check_fatalities(merged)
    if merged["original_language"] not in merged["title"]:
        raise Inconsistent(
            f"title has no text in the original language {merged['original_language']!r}",
            field="title",
        )
    if merged["status"] == "retracted" and not merged["retraction_reason"]:
        raise Inconsistent(
            "retracting an event needs a retraction_reason", field="retraction_reason"
        )


def _check_fatalities(merged: dict[str, Any]) -> None:
    """The low ≤ best ≤ high rule over a record's figures after a change."""
    low, best, high = (merged[f"fatalities_{k}"] for k in ("low", "best", "high"))
    try:
        check_fatalities(low, best, high)
    except ValueError as exc:
        raise Inconsistent(str(exc), field="fatalities_best") from exc


def _op_for(event: Event, changes: dict[str, Any]) -> str:
    new_status = changes.get("status", event.status)
    if new_status == event.status:
        return "update"
    if new_status == "retracted":
        return "retract"
    return "restore" if event.status == "retracted" else "update"


def update(
    session: Session,
    event: Event,
    *,
    data: EventUpdate,
    by: Principal,
    if_match: str,
    second_editor: bool = False,
    revert_reason: str | None = None,
) -> Event:
    """Change an event's fields; `when` re-derives its bounds; retraction needs a reason;
    status moves along the review workflow. A revert says why in `revert_reason`."""
    changes = present(data)
    if "verification" in changes:
        changes.update(_verdict_change(session, event, changes, by))
    if "status" in changes:
        review.check_move(
            session, event.id, event.status, changes["status"], by=by, second_editor=second_editor
        )
        changes.update(_retraction_change(event, changes))
    if "location_id" in changes:
        records.ensure_exists(session, Location, changes["location_id"], field="location_id")
    if "when" in changes:
        changes.update(derived_dates(changes["when"]))
    check_merged(event, changes)
    if "external_ids" in changes:
        external_ids.claim(session, event.id, changes["external_ids"])
    updated = records.update(
        session,
        event,
        changes,
        entity=ENTITY,
        snapshot=refreshed_snapshot(session),
        by=by,
        if_match=if_match,
        op="revert" if revert_reason else _op_for(event, changes),
        reason=revert_reason or changes.get("retraction_reason"),
    )
    if "when" in changes:
        copy_sort_keys(session, event)
    return updated


def revert(
    session: Session,
    event: Event,
    *,
    request: RevertRequest,
    by: Principal,
    if_match: str,
    second_editor: bool = False,
) -> Event:
    """Bring the event's own fields back to a version, as a new revision (its participants,
    claims and links stay as they are: change those one by one)."""
    data = history.fields_at(
        session,
        entity_type=ENTITY,
        entity_id=event.id,
        version=request.version,
        shape=EventUpdate,
        adapt=_as_update,
    )
    return update(
        session,
        event,
        data=data,
        by=by,
        if_match=if_match,
        second_editor=second_editor,
        revert_reason=f"revert to version {request.version}: {request.reason}",
    )


def _as_update(snapshot: dict[str, Any]) -> dict[str, Any]:
    """A stored picture of the event as the PATCH that restores it: an editor's verdict comes
    back with its reason, a computed verification is computed again."""
    fields = dict(snapshot)
    decision = fields.pop("verification_decision", None)
    if decision:
        fields.update(verification=decision["verification"], verification_reason=decision["reason"])
    else:
        fields["verification"] = verification.AUTO
    if fields.get("status") != "retracted":
        fields.pop("retraction_reason", None)
    return fields


def delete(session: Session, event: Event, *, by: Principal, if_match: str) -> None:
    """Tombstone an event; it stays in history."""
    records.tombstone(
        session,
        event,
        entity=ENTITY,
        snapshot=refreshed_snapshot(session),
        by=by,
        if_match=if_match,
    )


def _change_children(
    session: Session, event: Event, mutate: Callable[[], None], *, by: Principal, reason: str
) -> None:
    def change_and_reverify() -> None:
        mutate()
        verification.refresh(session, event)  # a claim added or withdrawn may change it

    records.revise(
        session,
        event,
        change_and_reverify,
        entity=ENTITY,
        snapshot=refreshed_snapshot(session),
        by=by,
        reason=reason,
    )


def _check_actor(session: Session, actor_id: uuid.UUID | None, field: str) -> None:
    records.ensure_exists(session, Actor, actor_id, field=field)


def _participation(
    event: Event, data: ParticipationCreate, record_id: uuid.UUID | None = None
) -> Participation:
    return Participation(
        id=record_id or uuid7(),
        event_id=event.id,
        event_sort_lower=event.sort_lower,
        event_sort_upper=event.sort_upper,
        **data.model_dump(),
    )


def add_participant(
    session: Session,
    event: Event,
    *,
    data: ParticipationCreate,
    by: Principal,
    record_id: uuid.UUID | None = None,
) -> Participation:
    """Add an actor to an event with a role and maybe a stance."""
    _check_actor(session, data.actor_id, "actor_id")
    participation = _participation(event, data, record_id)
    _change_children(
        session, event, lambda: session.add(participation), by=by, reason="participant added"
    )
    return participation


def _check_citation_refs(
    session: Session, event: Event, changes: dict[str, Any], where: str = ""
) -> None:
    records.ensure_exists(session, Source, changes.get("source_id"), field=f"{where}source_id")
    _check_actor(session, changes.get("claimant_actor_id"), f"{where}claimant_actor_id")
    _check_actor(session, changes.get("accused_actor_id"), f"{where}accused_actor_id")
    participation_id = changes.get("participation_id")
    if participation_id is not None and not any(
        p.id == participation_id for p in event.participants
    ):
        raise UnknownReference(
            f"participation_id: event {event.id} has no participant {participation_id}.",
            field=f"{where}participation_id",
        )


def add_citation(
    session: Session,
    event: Event,
    *,
    data: CitationCreate,
    by: Principal,
    record_id: uuid.UUID | None = None,
) -> Citation:
    """Attach a source's claim to an event."""
    _check_citation_refs(session, event, data.model_dump())
    citation = Citation(id=record_id or uuid7(), event_id=event.id, **data.model_dump())
    _change_children(session, event, lambda: session.add(citation), by=by, reason="citation added")
    return citation


def child(
    event: Event, model: type[Participation] | type[Citation], child_id: uuid.UUID
) -> Participation | Citation:
    """One of the event's participants or citations; 404 if it is not the event's."""
    pool: list[Participation] | list[Citation] = (
        event.participants if model is Participation else event.citations
    )
    for item in pool:
        if item.id == child_id:
            return item
    raise NotFound("participant" if model is Participation else "citation", child_id)


def update_child(
    session: Session,
    event: Event,
    item: Participation | Citation,
    *,
    data: ParticipationUpdate | CitationUpdate,
    by: Principal,
    if_match: str,
) -> None:
    """Change a participant or a citation if it is still at the version the caller read."""
    check_version(item.version, if_match)
    changes = present(data)
    if isinstance(item, Citation):
        _check_citation_refs(session, event, changes)
        try:
            check_citation({k: changes.get(k, getattr(item, k)) for k in CITATION_RULE_FIELDS})
        except ValueError as exc:
            raise Inconsistent(str(exc)) from exc
    else:
        _check_actor(session, changes.get("actor_id"), "actor_id")

    def apply() -> None:
        for name, value in changes.items():
            setattr(item, name, value)
        item.updated_at = utcnow()  # the event's own time and version move in revise

    _change_children(session, event, apply, by=by, reason=f"{_kind(item)} {item.id} changed")


def _kind(item: Participation | Citation) -> str:
    return "participant" if isinstance(item, Participation) else "citation"


def remove_child(
    session: Session,
    event: Event,
    item: Participation | Citation,
    *,
    by: Principal,
    if_match: str,
) -> None:
    """Remove a participant or citation; the event's revision keeps what it said."""
    check_version(item.version, if_match)
    if isinstance(item, Participation) and any(
        c.participation_id == item.id for c in event.citations
    ):
        raise Conflict("Citations refer to this participant; change or remove them first.")
    _change_children(
        session,
        event,
        lambda: session.delete(item),
        by=by,
        reason=f"{_kind(item)} {item.id} removed",
    )


def add_process_relation(
    session: Session, event: Event, *, data: EventProcessCreate, by: Principal
) -> EventProcess:
    """Relate the event to a process (part of it, violating it, ...)."""
    records.ensure_exists(session, Process, data.process_id, field="process_id")
    if any(
        (r.process_id, r.relation) == (data.process_id, data.relation)
        for r in event.process_relations
    ):
        raise Conflict(f"The event is already related to that process as {data.relation}.")
    relation = EventProcess(event_id=event.id, **data.model_dump())
    _change_children(
        session, event, lambda: session.add(relation), by=by, reason="process relation added"
    )
    return relation


def add_link(session: Session, event: Event, *, data: EventLinkCreate, by: Principal) -> EventLink:
    """Link the event to another event."""
    if data.target_event_id == event.id:
        raise Inconsistent("An event cannot be linked to itself.", field="target_event_id")
    records.ensure_exists(session, Event, data.target_event_id, field="target_event_id")
    if any(
        (link.target_event_id, link.relation) == (data.target_event_id, data.relation)
        for link in event.links
    ):
        raise Conflict(f"The event is already linked to that event as {data.relation}.")
    link = EventLink(event_id=event.id, **data.model_dump())
    _change_children(session, event, lambda: session.add(link), by=by, reason="link added")
    return link


def remove_relation(
    session: Session,
    event: Event,
    item: EventProcess | EventLink,
    *,
    by: Principal,
    if_match: str,
) -> None:
    """Remove a process relation or a link; If-Match names the event's version."""
    check_version(event.version, if_match)
    _change_children(session, event, lambda: session.delete(item), by=by, reason="relation removed")


def relation(
    event: Event, model: type[EventProcess] | type[EventLink], item_id: uuid.UUID
) -> EventProcess | EventLink:
    """One of the event's process relations or links; 404 otherwise."""
    pool: list[Any] = event.process_relations if model is EventProcess else event.links
    for item in pool:
        if item.id == item_id:
            found: EventProcess | EventLink = item
            return found
    raise NotFound("process_relation" if model is EventProcess else "link", item_id)
