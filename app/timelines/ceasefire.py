"""The ceasefire tracker: a truce's life, its breaches and what still needs an analyst's eye."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import exists, false, func, or_, select
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.config import Settings
from app.core.dates import stored_bounds
from app.core.errors import ValidationFailed
from app.core.listing import PageParams
from app.core.pagination import MAX_LIMIT
from app.events.filters import EventFilters, PagePlan, conditions
from app.events.vocabulary import expand
from app.models import Actor, Event, EventProcess, Location, Participation, Process
from app.timelines import buckets as bucketing
from app.timelines import service
from app.timelines.schemas import (
    Breaches,
    CeasefireTracker,
    EventRef,
    LifecycleStep,
    Tally,
    TimelineItem,
)

BREACH_RELATIONS = ("violates", "alleged_violation_of")
VIOLENT = ("violence.*", "ceasefire.breach")
NEGOTIATING = ("negotiation.*", "agreement.*")
# Process lifecycle fields and the event types that mark the same step.
STEPS = (
    ("proposed", "proposed", ("negotiation.proposal",)),
    ("declared", "declared", ("ceasefire.declared",)),
    ("in_effect", "effective_from", ()),
    ("extended", None, ("ceasefire.extended",)),
    ("ended", "ended", ("ceasefire.ended",)),
)


class NotACeasefire(ValidationFailed):
    code = "not_a_ceasefire"
    title = "Not a ceasefire"


def _in_effect(process: Process) -> tuple[dt.date | None, dt.date | None]:
    start = stored_bounds(process.effective_from)[0] or stored_bounds(process.declared)[0]
    return start, stored_bounds(process.ended)[1]


def _items(session: Session, where: list[Any], settings: Settings) -> list[TimelineItem]:
    """Every matching event as a timeline item (capped at one page of the maximum size)."""
    rows, _ = service.item_rows(
        session,
        PagePlan(where),
        page=PageParams(limit=MAX_LIMIT, cursor=None),
        settings=settings,
        query={},
    )
    return service.build_items(session, rows)


def _ref(item: TimelineItem) -> EventRef:
    return EventRef(id=item.id, type=item.type, title=item.title, when=item.when)


def _lifecycle(
    process: Process, related: list[TimelineItem], breaches: list[TimelineItem]
) -> list[LifecycleStep]:
    steps = []
    for phase, field, types in STEPS:
        when = getattr(process, field) if field else None
        events = [item for item in related if item.type in types]
        if when is None and events:
            when = events[0].when
        if when is not None or events:
            lower, upper = stored_bounds(when)
            steps.append(
                LifecycleStep(
                    phase=phase,
                    when=when,
                    date_lower=lower,
                    date_upper=upper,
                    events=[_ref(e) for e in events],
                )
            )
    if breaches:
        first = breaches[0]
        steps.append(
            LifecycleStep(
                phase="breached",
                when=first.when,
                date_lower=first.date_lower,
                date_upper=first.date_upper,
                events=[_ref(e) for e in breaches],
            )
        )
    if process.state == "collapsed":
        lower, upper = stored_bounds(process.ended)
        steps.append(
            LifecycleStep(
                phase="collapsed", when=process.ended, date_lower=lower, date_upper=upper, events=[]
            )
        )
    return sorted(steps, key=lambda s: (s.date_lower is None, s.date_lower or dt.date.min))


def _relation_to(process_id: uuid.UUID, relations: tuple[str, ...]) -> Any:
    return exists().where(
        EventProcess.event_id == Event.id,
        EventProcess.process_id == process_id,
        EventProcess.relation.in_(relations),
    )


def _in_scope(process: Process) -> Any:
    """Events located where the truce applies (by country or by named location)."""
    scope = process.scope or {}
    countries, location_ids = scope.get("countries") or [], scope.get("location_ids") or []
    in_countries = Event.location_id.in_(select(Location.id).where(Location.country.in_(countries)))
    named = Event.location_id.in_([uuid.UUID(str(i)) for i in location_ids])
    return or_(in_countries, named) if countries or location_ids else false()


def _same_theatre(session: Session, process: Process) -> set[uuid.UUID]:
    """Processes whose scope shares a country with this one (talks held abroad about it)."""
    countries = set((process.scope or {}).get("countries") or [])
    others = session.execute(select(Process.id, Process.scope).where(Process.deleted_at.is_(None)))
    return {pid for pid, scope in others if countries & set((scope or {}).get("countries") or [])}


def _related_to_any(process_ids: set[uuid.UUID]) -> Any:
    return exists().where(
        EventProcess.event_id == Event.id, EventProcess.process_id.in_(process_ids)
    )


def _during(start: dt.date | None, end: dt.date | None) -> list[Any]:
    if start is None:
        return [false()]
    return [Event.sort_upper >= start, *([Event.sort_lower <= end] if end else [])]


def _tally(session: Session, stmt: Any) -> list[Tally]:
    rows = session.execute(stmt)
    tallies = [
        Tally(key=str(key) if key else "none", label=label or service.NO_LANE_LABEL, count=n)
        for key, label, n in rows
    ]
    return sorted(tallies, key=lambda t: (-t.count, t.key))


def _by_accused(session: Session, where: list[Any]) -> list[Tally]:
    """Breaches per actor taking part as `accused` (an event may accuse several)."""
    return _tally(
        session,
        (
            select(Actor.id, Actor.names, func.count(func.distinct(Participation.event_id)))
            .join(Participation, Participation.actor_id == Actor.id)
            .where(
                Participation.role == "accused",
                Participation.event_id.in_(select(Event.id).where(*where)),
            )
            .group_by(Actor.id, Actor.names)
        ),
    )


def _by_location(session: Session, where: list[Any]) -> list[Tally]:
    return _tally(
        session,
        (
            select(Location.id, Location.names, func.count(Event.id))
            .select_from(Event)
            .outerjoin(Location, Location.id == Event.location_id)
            .where(*where)
            .group_by(Location.id, Location.names)
        ),
    )


def track(
    session: Session, process: Process, *, principal: Principal, settings: Settings
) -> CeasefireTracker:
    """The tracker for one ceasefire process."""
    if process.kind != "ceasefire":
        raise NotACeasefire(f"Process {process.id} is a {process.kind}, not a ceasefire.")
    visible = conditions(EventFilters(), principal)
    start, end = _in_effect(process)
    breach_where = [*visible, _relation_to(process.id, BREACH_RELATIONS)]
    breaches = _items(session, breach_where, settings)
    related = _items(
        session, [*visible, _relation_to(process.id, ("part_of", "responds_to"))], settings
    )
    unlinked = ~exists().where(
        EventProcess.event_id == Event.id, EventProcess.process_id == process.id
    )
    candidates = _items(
        session,
        [
            *visible,
            Event.type.in_(expand(list(VIOLENT))),
            unlinked,
            _in_scope(process),
            *_during(start, end),
        ],
        settings,
    )
    negotiations = _items(
        session,
        [
            *visible,
            Event.type.in_(expand(list(NEGOTIATING))),
            or_(_in_scope(process), _related_to_any(_same_theatre(session, process))),
            *_during(start, end),
        ],
        settings,
    )
    return CeasefireTracker(
        process_id=process.id,
        names=process.names,
        state=process.state,
        scope=process.scope,
        in_effect_from=start,
        in_effect_until=end,
        lifecycle=_lifecycle(process, related, breaches),
        breaches=_breaches(session, process.id, breach_where, breaches),
        candidates=candidates,
        negotiations=negotiations,
    )


def _breaches(
    session: Session, process_id: uuid.UUID, where: list[Any], items: list[TimelineItem]
) -> Breaches:
    relation_stmt = (
        select(EventProcess.relation, func.count())
        .where(EventProcess.process_id == process_id, EventProcess.relation.in_(BREACH_RELATIONS))
        .where(EventProcess.event_id.in_(select(Event.id).where(*where)))
        .group_by(EventProcess.relation)
    )
    verification_stmt = (
        select(Event.verification, func.count()).where(*where).group_by(Event.verification)
    )
    per_day = bucketing.count(session, where, "day")
    return Breaches(
        total=per_day.total,
        items=items,
        per_day=per_day,
        by_relation=dict(session.execute(relation_stmt).all()),
        by_accused=_by_accused(session, where),
        by_location=_by_location(session, where),
        by_verification=dict(session.execute(verification_stmt).all()),
    )
