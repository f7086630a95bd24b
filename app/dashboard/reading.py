"""What every record page reads with: the page, its viewer, the request's session and the
settings; with public reading off, the way to the sign-in form for an anonymous reader; and the
record its address names, or the page saying there is none."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
from app.core.errors import Gone, NotFound
from app.dashboard.pages import Page, PageDep
from app.dashboard.session import Viewer, ViewerDep, sign_in_first


@dataclass(frozen=True)
class Reading:
    page: Page
    viewer: Viewer
    session: Session
    settings: Settings
    # Where an anonymous reader must go first (public reading off), else None.
    redirect: Response | None


def reading(
    request: Request, page: PageDep, viewer: ViewerDep, session: SessionDep, settings: SettingsDep
) -> Reading:
    redirect = sign_in_first(request, viewer, public_read=settings.public_read)
    return Reading(page, viewer, session, settings, redirect)


ReadingDep = Annotated[Reading, Depends(reading)]

R = TypeVar("R")


def record_id(text: str) -> uuid.UUID | None:
    """The id in a page's address; anything else names no record."""
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def addressed(text: str, load: Callable[[uuid.UUID], R]) -> R | None:
    """The record a page's address names, read by `load`; None when the address names no
    record or the record does not exist, was deleted or is hidden from the reader."""
    found_id = record_id(text)
    if found_id is None:
        return None
    try:
        return load(found_id)
    except (NotFound, Gone):
        return None


def not_found(page: Page) -> HTMLResponse:
    return page.render("not_found.html", status_code=404)
