"""Verification: computed from the claims, unless an editor decided, with a reason.

- `disputed`: a claim (about the event or one actor's part in it) denies it;
- `corroborated`: at least two independent outlets assert it. Outlets that share an
  affiliation (the same text, ignoring case and spacing) are one voice, and so are claims from
  one outlet; a source with no outlet proves nothing on its own;
- `unverified`: otherwise.
`confirmed` (or any other value) comes only from an editor's decision, kept with its reason,
who made it and when; setting `verification` to `auto` hands it back to the claims.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.sql import one_of
from app.models import Citation, Event, Outlet, Source
from app.models.base import utcnow

AUTO = "auto"


def computed(session: Session, event_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """What each event's live claims say about it, for many events in one query."""
    stmt = (
        select(Citation.event_id, Citation.polarity, Source.outlet_id, Outlet.affiliation)
        .join(Source, Source.id == Citation.source_id)
        .outerjoin(Outlet, Outlet.id == Source.outlet_id)
        .where(one_of(session, Citation.event_id, event_ids), Citation.deleted_at.is_(None))
    )
    denied: set[uuid.UUID] = set()
    voices: dict[uuid.UUID, set[Any]] = defaultdict(set)
    for event_id, polarity, outlet_id, affiliation in session.execute(stmt):
        if polarity == "denies":
            denied.add(event_id)
        elif outlet_id is not None:
            voice = " ".join(affiliation.casefold().split()) if affiliation else outlet_id
            voices[event_id].add(voice)
    return {event_id: _verdict(event_id in denied, len(voices[event_id])) for event_id in event_ids}


def _verdict(denied: bool, independent_outlets: int) -> str:
    if denied:
        return "disputed"
    return "corroborated" if independent_outlets >= 2 else "unverified"


def refresh(session: Session, event: Event) -> None:
    """Recompute a changing event's verification from its claims, unless an editor decided it;
    the caller's flush writes it with the rest of the change (one new version).

    Call it after changing the claims and before changing the event itself: the claims are
    flushed here, and an event changed already would be written twice (two versions).
    """
    if event.verification_decision is not None:
        return
    session.flush()
    verdict = computed(session, [event.id])[event.id]
    if verdict != event.verification:
        event.verification = verdict


def settle(session: Session, event_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Write just-inserted, undecided events' verification from their claims without a second
    version (one query, and one UPDATE per verdict that is not the default); the verdicts."""
    verdicts = computed(session, event_ids)
    for verdict in {v for v in verdicts.values() if v != "unverified"}:
        ids = [event_id for event_id, v in verdicts.items() if v == verdict]
        session.execute(
            update(Event)
            .where(one_of(session, Event.id, ids))
            # Part of the creation, not a change: the time of the last change stays put.
            .values(verification=verdict, updated_at=Event.updated_at)
            .execution_options(synchronize_session=False)
        )
    return verdicts


def decision(value: str, reason: str, by: Principal) -> dict[str, Any]:
    """An editor's verdict, as kept on the event."""
    return {"verification": value, "reason": reason, "by": by.label, "at": utcnow().isoformat()}
