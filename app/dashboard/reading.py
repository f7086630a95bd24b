"""What every record page reads with: the page, its viewer, the request's session and the
settings; and, with public reading off, the way to the sign-in form for an anonymous reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.deps import SessionDep, SettingsDep
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
