"""The review workflow: draft → in_review → published, and retracted with a reason.

Editors move an event along by setting its `status`. With WAQAI_REVIEW_REQUIRES_SECOND_EDITOR
on, an event is published only from `in_review`, and never by the editor who submitted it: a
second pair of eyes sees every published record.
"""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.core.auth import Principal
from app.core.errors import Conflict, Forbidden
from app.history import service as history

# What a reader without a key never sees (404, as if it did not exist).
UNPUBLISHED = frozenset({"draft", "in_review"})
NEXT = {
    "draft": frozenset({"in_review", "published"}),
    "in_review": frozenset({"draft", "published"}),
    "published": frozenset({"retracted", "draft"}),
    "retracted": frozenset({"published"}),
}


def check_new(status: str, *, second_editor: bool) -> None:
    """A new event may start published only when no second editor is required."""
    if status == "published" and second_editor:
        raise Conflict(
            "status: this server publishes only reviewed events; create it as a draft or "
            "in_review, and have another editor publish it.",
            field="status",
        )


def check_move(
    session: Session, event_id: uuid.UUID, old: str, new: str, *, by: Principal, second_editor: bool
) -> None:
    """Refuse a status change the workflow does not allow, or one the four-eyes rule forbids."""
    if new == old:
        return
    if new not in NEXT[old]:
        allowed = ", ".join(sorted(NEXT[old]))
        raise Conflict(
            f"status: an event cannot go from {old} to {new}; from {old} it can go to {allowed}.",
            field="status",
        )
    if new != "published" or not second_editor:
        return
    if old != "in_review":
        raise Conflict(
            "status: this server publishes only reviewed events; set it to in_review first.",
            field="status",
        )
    if submitter(session, event_id) == by.label:
        raise Forbidden(
            "status: you submitted this event for review; another editor must publish it.",
            field="status",
        )


def submitter(session: Session, event_id: uuid.UUID) -> str | None:
    """Who last sent the event to review (as revisions name callers), if anyone did."""
    for revision in reversed(history.list_for(session, entity_type="event", entity_id=event_id)):
        before = (revision.before or {}).get("status")
        if (revision.after or {}).get("status") == "in_review" and before != "in_review":
            return revision.by
    return None
