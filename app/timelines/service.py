"""Timelines: a page of events in time order, with buckets, lanes and eras.

Hot path: only the needed columns, selected with Core; the page's actors, citation counts and
process relations come in one query each, never one per row.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.dates import stored_bounds
from app.core.listing import PageParams, fetch_page
from app.core.sql import one_of
from app.events import vocabulary
from app.events.filters import TIMELINE_ORDER, PagePlan
from app.models import Actor, Citation, Event, EventProcess, Location, Participation, Process
from app.timelines import buckets as bucketing
from app.timelines.schemas import (
    BucketUnit,
    Era,
    GroupBy,
    Lane,
    Timeline,
    TimelineActor,
    TimelineItem,
    TimelineLocation,
)

ITEM_COLUMNS = (
    Event.id,
    Event.type,
    Event.title,
    Event.when,
    Event.date_lower,
    Event.date_upper,
    Event.date_precision,
    Event.sort_lower,
    Event.sort_upper,
    Event.status,
    Event.verification,
    Event.fatalities_best,
    Event.location_id,
    Event.location_precision,
    Location.names.label("location_names"),
    Location.country,
    Location.latitude,
    Location.longitude,
)
NO_LANE = "none"
NO_LANE_LABEL = {"en": "Unassigned", "ar": "غير محدد"}
PHASES = (("proposed", "proposed"), ("declared", "declared"), ("effective_from", "in_effect"))


def item_rows(
    session: Session,
    plan: PagePlan,
    *,
    page: PageParams,
    settings: Settings,
    query: dict[str, Any],
) -> tuple[list[Row[Any]], str | None]:
    """One page of the events `plan` finds, as plain rows, in timeline order."""
    stmt = (
        select(*ITEM_COLUMNS)
        .select_from(Event)
        .outerjoin(Location, Location.id == Event.location_id)
    )
    stmt, order = plan.page(stmt, TIMELINE_ORDER)
    return fetch_page(
        session,
        stmt,
        sort=order,
        page=page,
        settings=settings,
        query=query,
        scalars=False,
        split=plan.split,
    )


def _actors_by_event(
    session: Session, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[TimelineActor]]:
    stmt = (
        select(
            Participation.event_id,
            Participation.actor_id,
            Participation.role,
            Participation.stance,
            Actor.names,
        )
        .join(Actor, Actor.id == Participation.actor_id)
        .where(one_of(session, Participation.event_id, ids))
        .order_by(Participation.event_id, Participation.id)
    )
    out: dict[uuid.UUID, list[TimelineActor]] = defaultdict(list)
    for row in session.execute(stmt):
        out[row.event_id].append(
            TimelineActor(actor_id=row.actor_id, names=row.names, role=row.role, stance=row.stance)
        )
    return out


def _citation_counts(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    stmt = (
        select(Citation.event_id, func.count())
        .where(one_of(session, Citation.event_id, ids))
        .group_by(Citation.event_id)
    )
    return dict(session.execute(stmt).all())


def _processes_by_event(session: Session, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
    stmt = select(EventProcess.event_id, EventProcess.process_id).where(
        one_of(session, EventProcess.event_id, ids)
    )
    out: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for event_id, process_id in session.execute(stmt):
        if process_id not in out[event_id]:
            out[event_id].append(process_id)
    return out


def _location(row: Row[Any]) -> TimelineLocation | None:
    if row.location_id is None:
        return None
    return TimelineLocation(
        id=row.location_id,
        names=row.location_names,
        country=row.country,
        latitude=row.latitude,
        longitude=row.longitude,
        precision=row.location_precision,
    )


def build_items(session: Session, rows: Sequence[Row[Any]]) -> list[TimelineItem]:
    """Timeline items for a page of rows, with their actors and citation counts."""
    ids = [row.id for row in rows]
    actors = _actors_by_event(session, ids)
    citations = _citation_counts(session, ids)
    return [
        TimelineItem(
            id=row.id,
            type=row.type,
            title=row.title,
            when=row.when,
            date_lower=row.date_lower,
            date_upper=row.date_upper,
            date_precision=row.date_precision,
            status=row.status,
            verification=row.verification,
            fatalities_best=row.fatalities_best,
            location=_location(row),
            actors=actors.get(row.id, []),
            citation_count=citations.get(row.id, 0),
        )
        for row in rows
    ]


def assign_lanes(session: Session, items: list[TimelineItem], group_by: GroupBy) -> list[Lane]:
    """Tag each item with its lanes and return the lanes in first-seen order."""
    lanes: dict[str, dict[str, str]] = {}
    processes = _processes_by_event(session, [i.id for i in items]) if group_by == "process" else {}
    for item in items:
        for key, label in _lanes_of(item, group_by, processes):
            lanes.setdefault(key, label)
            if key not in item.lanes:
                item.lanes.append(key)
    if group_by == "process":
        _label_processes(session, lanes)
    return [Lane(key=key, label=label) for key, label in lanes.items()]


def _lanes_of(
    item: TimelineItem, group_by: GroupBy, processes: dict[uuid.UUID, list[uuid.UUID]]
) -> list[tuple[str, dict[str, str]]]:
    if group_by == "type":
        return [(item.type, vocabulary.label(item.type))]
    if group_by == "location":
        return (
            [(str(item.location.id), item.location.names)]
            if item.location
            else [(NO_LANE, NO_LANE_LABEL)]
        )
    if group_by == "actor":
        found = [(str(a.actor_id), a.names) for a in item.actors]
    else:
        found = [(str(pid), {}) for pid in processes.get(item.id, [])]
    return found or [(NO_LANE, NO_LANE_LABEL)]


def _label_processes(session: Session, lanes: dict[str, dict[str, str]]) -> None:
    ids = [uuid.UUID(key) for key in lanes if key != NO_LANE]
    for process_id, names in session.execute(
        select(Process.id, Process.names).where(Process.id.in_(ids))
    ):
        lanes[str(process_id)] = names


def eras(
    session: Session, conditions: list[Any], extra_processes: Iterable[uuid.UUID]
) -> list[Era]:
    """The phases of the processes that the matching events belong to, violate or answer."""
    matching = select(Event.id).where(*conditions)
    linked = select(EventProcess.process_id).where(EventProcess.event_id.in_(matching))
    return phases_of(session, set(session.scalars(linked)) | set(extra_processes))


def phases_of(session: Session, ids: Collection[uuid.UUID]) -> list[Era]:
    """The phases of these processes, earliest first (phases without a start first of all)."""
    stmt = (
        select(Process)
        .where(Process.id.in_(list(ids)), Process.deleted_at.is_(None))
        .order_by(Process.id)
    )
    out: list[Era] = []
    for process in session.scalars(stmt):
        out.extend(process_eras(process))
    return sorted(out, key=lambda era: (era.start is not None, era.start or 0, str(era.process_id)))


def _phase_name(process: Process, phase: str) -> str:
    # A negotiation or peace process is "active", not "in effect": only truces take effect.
    return "active" if phase == "in_effect" and process.kind != "ceasefire" else phase


def process_eras(process: Process) -> list[Era]:
    """A process's phases: proposed → declared → in effect → ended, from its lifecycle dates."""
    marks = [
        (_phase_name(process, phase), stored_bounds(getattr(process, field))[0])
        for field, phase in PHASES
    ]
    marks = [(phase, start) for phase, start in marks if start is not None]
    ended = stored_bounds(process.ended)[0]
    base = {
        "process_id": process.id,
        "kind": process.kind,
        "names": process.names,
        "state": process.state,
    }
    phases = [
        Era(
            **base, phase=phase, start=start, end=(marks[i + 1][1] if i + 1 < len(marks) else ended)
        )
        for i, (phase, start) in enumerate(marks)
    ]
    if ended is not None:
        phases.append(Era(**base, phase="ended", start=ended, end=ended))
    return phases


def timeline(
    session: Session,
    conditions: list[Any],
    *,
    page: PageParams,
    settings: Settings,
    query: dict[str, Any],
    bucket: BucketUnit | None,
    group_by: GroupBy | None,
    processes_in_view: Iterable[uuid.UUID] = (),
    plan: PagePlan | None = None,
) -> Timeline:
    """The whole timeline answer for one query; the page of items may be found by another
    but equivalent `plan` (see `page_plan` in app.events.filters), while counts and eras use
    `conditions`."""
    rows, next_cursor = item_rows(
        session, plan or PagePlan(conditions), page=page, settings=settings, query=query
    )
    items = build_items(session, rows)
    return Timeline(
        items=items,
        next_cursor=next_cursor,
        buckets=bucketing.count(session, conditions, bucket) if bucket else None,
        lanes=assign_lanes(session, items, group_by) if group_by else None,
        eras=eras(session, conditions, processes_in_view),
    )
