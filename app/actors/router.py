"""HTTP routes of actors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session, selectinload

from app.actors.schemas import (
    ActorCreate,
    ActorKind,
    ActorMatch,
    ActorMatches,
    ActorRead,
    ActorUpdate,
)
from app.core import records
from app.core.crud import Resource, add_routes
from app.core.deps import ReaderDep, SessionDep
from app.core.http import json_response
from app.core.responses import problems
from app.core.types import CountryCode
from app.models import Actor, Affiliation
from app.search.query import TextQuery, text_filter
from app.search.resolve import resolve


def actor_filters(
    kind: Annotated[list[ActorKind], Query(description="Actor kind; repeatable.")] = [],  # noqa: B006
    country: Annotated[CountryCode | None, Query(description="ISO 3166-1 alpha-3.")] = None,
    q: TextQuery = None,
) -> list[ColumnElement[bool]]:
    """Filters of the actor list."""
    return [
        *([Actor.kind.in_(kind)] if kind else []),
        *([Actor.country == country] if country else []),
        *text_filter(Actor.id, "actor", q),
    ]


def check_refs(session: Session, values: dict[str, Any]) -> None:
    """Affiliations must name existing actors."""
    for index, tie in enumerate(values.get("affiliations") or []):
        records.ensure_exists(
            session, Actor, tie["actor_id"], field=f"affiliations[{index}].actor_id"
        )


def to_columns(values: dict[str, Any]) -> dict[str, Any]:
    """Affiliations become rows of their own."""
    if "affiliations" in values:
        values["affiliations"] = [
            Affiliation(
                target_actor_id=tie["actor_id"], relation=tie["relation"], valid=tie["valid"]
            )
            for tie in values["affiliations"]
        ]
    return values


ACTORS = Resource(
    entity="actor",
    path="/actors",
    model=Actor,
    create_schema=ActorCreate,
    update_schema=ActorUpdate,
    read_schema=ActorRead,
    filters=actor_filters,
    check_refs=check_refs,
    to_columns=to_columns,
    options=(selectinload(Actor.affiliations),),
)

router = APIRouter(tags=["actors"])


@router.get("/actors/resolve", response_model=ActorMatches, responses=problems(400, 401, 422))
def resolve_actor(
    request: Request,
    session: SessionDep,
    principal: ReaderDep,
    name: Annotated[
        str,
        Query(
            min_length=1,
            max_length=300,
            description="A name in any script or spelling: حفتر, Haftar, Hifter.",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Response:
    """The stored actors this name most likely means, with scores (1 = the same name); for
    importers and editors checking before they create a duplicate."""
    found = resolve(session, Actor, "actor", name, limit=limit, options=ACTORS.options)
    body = ActorMatches(
        items=[ActorMatch(actor=ActorRead.model_validate(a), score=s) for a, s in found]
    )
    return json_response(request, body)


add_routes(router, ACTORS)
