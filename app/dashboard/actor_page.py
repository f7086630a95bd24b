"""The actor page (`/actors/{id}`): its names and aliases in every script, its affiliations, and
its timeline (the events it takes part in, read as the API's actor timeline reads them)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from app.actors.router import ACTORS
from app.actors.schemas import ActorRead
from app.core.listing import PageParams
from app.dashboard import lookup
from app.dashboard.reading import ReadingDep, addressed, not_found
from app.events.filters import EventFilters, conditions
from app.models import Actor
from app.timelines import service as timelines
from app.timelines.scopes import involving

router = APIRouter()
EVENTS_SHOWN = 200  # an actor page is a summary; the API's timeline pages through the rest


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(actor_id: str, reading: ReadingDep) -> Response:
    """One actor: names, aliases, affiliations and its events."""
    if reading.redirect:
        return reading.redirect
    session, principal = reading.session, reading.viewer.principal
    found: Actor | None = addressed(actor_id, lambda found_id: ACTORS.load(session, found_id))
    if found is None:
        return not_found(reading.page)
    actor = ActorRead.model_validate(found)
    timeline = timelines.timeline(
        session,
        [*conditions(EventFilters(), principal), involving({actor.id})],
        page=PageParams(limit=EVENTS_SHOWN, cursor=None),
        settings=reading.settings,
        query={"actor_page": str(actor.id), "drafts": principal.sees_drafts},
        bucket=None,
        group_by=None,
    )
    related = [tie.actor_id for tie in actor.affiliations]
    return reading.page.render(
        "actor.html",
        actor=actor,
        affiliated=lookup.names_of(session, Actor, related),
        timeline=timeline,
    )
