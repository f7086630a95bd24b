"""The map page (`/map`): the filtered events as points on offline country boundaries,
filtered like the timeline explorer (the same form and URL parameters)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from app.core.deps import SessionDep, SettingsDep
from app.dashboard.filter_form import filter_form
from app.dashboard.filtering import (
    SHOWN_EVENTS,
    Refusal,
    export_links,
    filter_query,
    refusing_route,
)
from app.dashboard.pages import Page, PageDep
from app.events.filters import EventFiltersDep


def _map_refused(page: Page, refusal: Refusal) -> HTMLResponse:
    with page.request.app.state.db.session(write=False) as session:
        return _render(page, session, refusal=refusal)


router = APIRouter(route_class=refusing_route(_map_refused))


@router.get("/map", response_class=HTMLResponse)
def event_map(
    page: PageDep, session: SessionDep, settings: SettingsDep, filters: EventFiltersDep
) -> HTMLResponse:
    """The events the URL's filters select, on a map (the island fetches them from /v1)."""
    del filters  # checked here so that a refused filter is explained; the island applies it
    return _render(page, session, private=not settings.public_read)


def _render(page: Page, session: Session, **context: Any) -> HTMLResponse:
    query = filter_query(page.request)
    return page.render(
        "map.html",
        form=filter_form(session, page.request, page.t),
        query=query,
        exports=export_links(query, page.t.lang),
        shown=SHOWN_EVENTS,
        **context,
    )
