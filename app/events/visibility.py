"""Links to events the caller may not see are left out, so a link never betrays a draft.

A published event may link to a draft or to an event in review; to a caller without a key that
target does not exist (404), so neither the event's links nor the pictures of it in its
revisions may name it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.events.review import UNPUBLISHED
from app.models import Event, EventLink, Revision


def hidden_targets(session: Session, principal: Principal, targets: Iterable[object]) -> set[str]:
    """Those of `targets` (event ids) the caller may not see, as strings."""
    wanted = {uuid.UUID(str(target)) for target in targets}
    if principal.sees_drafts or not wanted:
        return set()
    stmt = select(Event.id).where(Event.id.in_(wanted), Event.status.in_(UNPUBLISHED))
    return {str(event_id) for event_id in session.scalars(stmt)}


def visible_links(session: Session, event: Event, principal: Principal) -> list[EventLink]:
    """The event's links whose targets the caller may see."""
    hidden = hidden_targets(session, principal, (link.target_event_id for link in event.links))
    return [link for link in event.links if str(link.target_event_id) not in hidden]


def _links_in(picture: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((picture or {}).get("links") or [])


def _without(picture: dict[str, Any] | None, hidden: set[str]) -> dict[str, Any] | None:
    if not picture or "links" not in picture:
        return picture
    kept = [link for link in _links_in(picture) if link.get("target_event_id") not in hidden]
    return {**picture, "links": kept}


def visible_revisions(
    session: Session, revisions: Sequence[Revision], principal: Principal
) -> list[Any]:
    """The revisions as the caller may see them: links to hidden events taken out of each
    picture before and after (so `changed` and `patch`, computed from them, do not name them
    either). Plain copies: the stored revisions stay as they are."""
    targets = {
        link["target_event_id"]
        for revision in revisions
        for picture in (revision.before, revision.after)
        for link in _links_in(picture)
    }
    hidden = hidden_targets(session, principal, targets)
    if not hidden:
        return list(revisions)
    fields = ("version", "op", "at", "by", "request_id", "reason")
    return [
        SimpleNamespace(
            **{name: getattr(revision, name) for name in fields},
            before=_without(revision.before, hidden),
            after=_without(revision.after, hidden),
        )
        for revision in revisions
    ]
