"""The stance ledger: each party's stances on a process over time, with who reported them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.dates import stored_bounds
from app.events.filters import EventFilters, conditions
from app.models import Actor, Citation, Event, EventProcess, Outlet, Participation, Process, Source
from app.timelines.schemas import ClaimRef, EventRef, PartyStances, StanceEntry, StanceLedger
from app.timelines.scopes import process_tree

PARTY_ROLES = ("party", "signatory")


def _participations(session: Session, tree: set[uuid.UUID], principal: Principal) -> list[Any]:
    """Participations on the processes themselves and on events part of them."""
    visible = conditions(EventFilters(), principal)
    on_events = select(EventProcess.event_id).where(
        EventProcess.process_id.in_(tree),
        EventProcess.relation == "part_of",
        EventProcess.event_id.in_(select(Event.id).where(*visible)),
    )
    stmt = (
        select(
            Participation, Actor.names, Event.id.label("eid"), Event.type, Event.title, Event.when
        )
        .join(Actor, Actor.id == Participation.actor_id)
        .outerjoin(Event, Event.id == Participation.event_id)
        .where((Participation.process_id.in_(tree)) | (Participation.event_id.in_(on_events)))
        .order_by(Participation.id)
    )
    return list(session.execute(stmt))


def _claims(
    session: Session, participation_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ClaimRef]]:
    stmt = (
        select(Citation, Source.title, Outlet.names, Actor.names)
        .join(Source, Source.id == Citation.source_id)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .outerjoin(Actor, Actor.id == Citation.claimant_actor_id)
        .where(Citation.participation_id.in_(participation_ids))
        .order_by(Citation.id)
    )
    out: dict[uuid.UUID, list[ClaimRef]] = defaultdict(list)
    for citation, title, outlet, claimant in session.execute(stmt):
        out[citation.participation_id].append(
            ClaimRef(
                id=citation.id,
                source_id=citation.source_id,
                source_title=title,
                outlet=outlet,
                claimant_actor_id=citation.claimant_actor_id,
                claimant=claimant,
                polarity=citation.polarity,
                quote=citation.quote,
                quote_language=citation.quote_language,
                translations=citation.translations,
            )
        )
    return out


def _merge(entries: list[StanceEntry]) -> list[StanceEntry]:
    """One entry per (stance, when): the process record and the event record of it agree."""
    merged: dict[tuple[str, str | None], StanceEntry] = {}
    for entry in entries:
        key = (entry.stance, entry.when)
        if key not in merged:
            merged[key] = entry
            continue
        kept = merged[key]
        kept.event = kept.event or entry.event
        kept.citations.extend(c for c in entry.citations if c not in kept.citations)
    return sorted(
        merged.values(), key=lambda e: (e.date_lower is None, e.date_lower or dt.date.min)
    )


def ledger(session: Session, process: Process, *, principal: Principal) -> StanceLedger:
    """Every party's stances on the process (and its sub-processes), oldest first."""
    rows = _participations(session, process_tree(session, process.id), principal)
    claims = _claims(session, [row.Participation.id for row in rows])
    names: dict[uuid.UUID, dict[str, str]] = {}
    roles: dict[uuid.UUID, list[str]] = defaultdict(list)
    stances: dict[uuid.UUID, list[StanceEntry]] = defaultdict(list)
    for row in rows:
        part = row.Participation
        if part.stance is None and part.role not in PARTY_ROLES:
            continue
        names[part.actor_id] = row.names
        if part.role not in roles[part.actor_id]:
            roles[part.actor_id].append(part.role)
        if part.stance is None:
            continue
        # A stance without its own date took its position when the event happened.
        when = part.stance_when or row.when
        lower, upper = stored_bounds(when)
        event = (
            EventRef(id=row.eid, type=row.type, title=row.title, when=row.when) if row.eid else None
        )
        stances[part.actor_id].append(
            StanceEntry(
                stance=part.stance,
                when=when,
                date_lower=lower,
                date_upper=upper,
                role=part.role,
                event=event,
                citations=claims.get(part.id, []),
            )
        )
    parties = [
        PartyStances(actor_id=a, names=names[a], roles=roles[a], stances=_merge(stances[a]))
        for a in names
    ]
    parties.sort(
        key=lambda p: (
            not p.stances,
            p.stances[0].date_lower or dt.date.min if p.stances else dt.date.min,
        )
    )
    return StanceLedger(process_id=process.id, names=process.names, parties=parties)
