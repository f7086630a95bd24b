"""The event page (`/events/{id}`): what happened, when and where, who took part, who says
so (every claim with its outlet, claimant and quote; contradictions side by side), and every
change made to the record."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.dashboard import lookup
from app.dashboard.reading import ReadingDep, addressed, not_found
from app.events import service
from app.events.schemas import EventDetail
from app.models import Actor, Event

router = APIRouter()


def visible_event(session: Session, text: str, principal: Principal) -> Event | None:
    """The event, if it exists and the caller may see it (drafts only to a signed-in key)."""
    return addressed(text, lambda event_id: service.get(session, event_id, principal=principal))


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(event_id: str, reading: ReadingDep) -> Response:
    """One event with its claims, actors, place and history."""
    if reading.redirect:
        return reading.redirect
    principal = reading.viewer.principal
    event = visible_event(reading.session, event_id, principal)
    if event is None:
        return not_found(reading.page)
    return reading.page.render("event.html", **event_context(reading.session, event, principal))


def event_context(session: Session, event: Event, principal: Principal) -> dict[str, Any]:
    """Everything the event page shows, with the names of the records it points to."""
    detail = service.detail(session, event, principal)
    return {
        "event": detail,
        "actors": lookup.names_of(session, Actor, _actor_ids(detail)),
        "processes": lookup.processes_of(session, [r.process_id for r in detail.processes]),
        "linked": lookup.titles_of(session, [k.target_event_id for k in detail.links]),
        "location": lookup.place(session, detail.location_id),
        "sources": lookup.sources_of(session, _source_ids(detail)),
        "revisions": service.revisions(session, event, principal)[::-1],  # newest first
    }


def _actor_ids(detail: EventDetail) -> list[uuid.UUID]:
    groups = detail.claims.groups if detail.claims else []
    claims = [claim for group in groups for claim in (*group.asserts, *group.denies)]
    return [
        *(part.actor_id for part in detail.participants),
        *(claim.accused_actor_id for claim in claims if claim.accused_actor_id),
    ]


def _source_ids(detail: EventDetail) -> list[uuid.UUID]:
    return [citation.source_id for citation in detail.citations]
