"""Suggestions for a search box: records and event types whose names start with what is typed."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deps import ReaderDep, SessionDep
from app.core.http import json_response
from app.core.responses import problems
from app.core.text import normalize, typed_prefix
from app.core.types import Output
from app.events.vocabulary import VOCABULARY
from app.models import Actor, Location, Process
from app.search.backends import BACKENDS

SuggestionKind = Literal["actor", "location", "process", "event_type"]
SUGGESTED = (("actor", Actor), ("location", Location), ("process", Process))


class Suggestion(Output):
    kind: SuggestionKind
    id: uuid.UUID | None = Field(description="The record's id (null for an event type).")
    code: str | None = Field(description="The event type's code (null for a record).")
    label: dict[str, str] = Field(description="Its names by language.")


class Suggestions(Output):
    items: list[Suggestion] = Field(description="Actors, then places, processes, event types.")


router = APIRouter(tags=["search"])


def _records(session: Session, kind: str, model: Any, text: str, limit: int) -> list[Suggestion]:
    typed = typed_prefix(text)
    if typed is None:
        return []
    backend = BACKENDS[session.get_bind().dialect.name]
    ids = backend.starting(kind, *typed).limit(limit)
    rows = session.execute(
        select(model.id, model.names)
        .where(model.id.in_(ids), model.deleted_at.is_(None))
        .order_by(model.id)
    )
    return [Suggestion(kind=kind, id=i, code=None, label=names) for i, names in rows]


# Normalised once: the suggestion box asks on every keystroke.
_TYPE_LABELS = [(t, [normalize(label) for label in (t.code, t.en, t.ar)]) for t in VOCABULARY]


def _event_types(text: str, limit: int) -> list[Suggestion]:
    wanted = normalize(text).strip()
    found = [
        t
        for t, labels in _TYPE_LABELS
        if any(label.startswith(wanted) for label in labels)
        or (len(wanted) >= 3 and wanted in t.code)
    ]
    return [
        Suggestion(kind="event_type", id=None, code=t.code, label={"en": t.en, "ar": t.ar})
        for t in found[:limit]
    ]


@router.get("/suggest", response_model=Suggestions, responses=problems(401, 422))
def suggest(
    request: Request,
    session: SessionDep,
    principal: ReaderDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=100,
            description="What has been typed so far, in any script: حف, Haf, ترهو.",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=20, description="At most this many of each kind.")] = 5,
) -> Response:
    """Actors, places, processes and event types starting with what is typed; for keystrokes."""
    items = [
        suggestion
        for kind, model in SUGGESTED
        for suggestion in _records(session, kind, model, q, limit)
    ]
    body = Suggestions(items=[*items, *_event_types(q, limit)])
    return json_response(request, body)
