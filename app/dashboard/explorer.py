"""The timeline explorer (`/`): the filtered events on a timeline, as counts and as a list."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.dashboard.pages import PageDep

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def explorer(page: PageDep) -> HTMLResponse:
    """The timeline explorer over the events the URL's filters select."""
    return page.render("explorer.html")
