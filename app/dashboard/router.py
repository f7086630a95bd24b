"""The dashboard's pages, one router per area. They are not part of the API, so the OpenAPI
document leaves them out."""

from __future__ import annotations

from fastapi import APIRouter

from app.dashboard import actor_page, editor, event_page, explorer, mapview, signin, tracker

router = APIRouter(include_in_schema=False)
router.include_router(explorer.router)
router.include_router(mapview.router)
router.include_router(editor.router)  # before event_page: /events/new is not an id
router.include_router(event_page.router)
router.include_router(signin.router)
router.include_router(tracker.router)
router.include_router(actor_page.router)
