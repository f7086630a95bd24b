"""The dashboard's pages. They are not part of the API, so the OpenAPI document leaves them out."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.dashboard.pages import PageDep

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def explorer(page: PageDep) -> HTMLResponse:
    """The timeline explorer over the events the URL's filters select."""
    return page.render("explorer.html")
