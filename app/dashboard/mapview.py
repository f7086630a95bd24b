"""The map page (`/map`): the filtered events as points on offline country boundaries,
filtered like the timeline explorer (the same form and URL parameters)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.core.deps import SessionDep, SettingsDep
from app.dashboard.filtering import refusing_route, render_filtered
from app.dashboard.pages import PageDep
from app.dashboard.session import ViewerDep
from app.events.filters import EventFiltersDep

router = APIRouter(route_class=refusing_route("map.html"))


@router.get("/map", response_class=HTMLResponse)
def event_map(
    page: PageDep,
    session: SessionDep,
    settings: SettingsDep,
    viewer: ViewerDep,
    filters: EventFiltersDep,
) -> HTMLResponse:
    """The events the URL's filters select, on a map (the island fetches them from /v1, as
    the signed-in browser if it is one)."""
    del filters  # checked here so that a refused filter is explained; the island applies it
    private = not viewer.may_read(public_read=settings.public_read)
    return render_filtered(page, session, "map.html", private=private)
