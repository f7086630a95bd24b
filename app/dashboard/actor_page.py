"""The actor page (`/actors/{id}`): its names and aliases in every script, its affiliations, and
its timeline (the events it takes part in, read as the API's actor timeline reads them)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.actors.router import ACTORS
from app.actors.schemas import ActorRead
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Gone, NotFound
from app.core.listing import PageParams
from app.dashboard import lookup
from app.dashboard.event_page import not_found, record_id
from app.dashboard.pages import PageDep
from app.dashboard.session import ViewerDep, sign_in_first
from app.events.filters import EventFilters, conditions
from app.models import Actor
from app.timelines import service as timelines
from app.timelines.scopes import involving

router = APIRouter()
EVENTS_SHOWN = 200  # an actor page is a summary; the API's timeline pages through the rest


@router.get("/actors/{actor_id}", response_class=HTMLResponse)
def actor_page(
    request: Request,
    actor_id: str,
    page: PageDep,
    viewer: ViewerDep,
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    """One actor: names, aliases, affiliations and its events."""
    if redirect := sign_in_first(request, viewer, public_read=settings.public_read):
        return redirect
    found = _actor(session, actor_id)
    if found is None:
        return not_found(page)
    actor = ActorRead.model_validate(found)
    timeline = timelines.timeline(
        session,
        [*conditions(EventFilters(), viewer.principal), involving({actor.id})],
        page=PageParams(limit=EVENTS_SHOWN, cursor=None),
        settings=settings,
        query={"actor_page": str(actor.id), "drafts": viewer.principal.sees_drafts},
        bucket=None,
        group_by=None,
    )
    related = [tie.actor_id for tie in actor.affiliations]
    return page.render(
        "actor.html",
        actor=actor,
        affiliated=lookup.names_of(session, Actor, related),
        timeline=timeline,
    )


def _actor(session: SessionDep, text: str) -> Actor | None:
    actor_id: uuid.UUID | None = record_id(text)
    if actor_id is None:
        return None
    try:
        actor: Actor = ACTORS.load(session, actor_id)
    except (NotFound, Gone):
        return None
    return actor
