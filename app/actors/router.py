"""HTTP routes of actors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session, selectinload

from app.actors.schemas import ActorCreate, ActorKind, ActorRead, ActorUpdate
from app.core import records
from app.core.crud import Resource, add_routes
from app.core.types import CountryCode
from app.models import Actor, Affiliation


def actor_filters(
    kind: Annotated[list[ActorKind], Query(description="Actor kind; repeatable.")] = [],  # noqa: B006
    country: Annotated[CountryCode | None, Query(description="ISO 3166-1 alpha-3.")] = None,
) -> list[ColumnElement[bool]]:
    """Filters of the actor list."""
    return [
        *([Actor.kind.in_(kind)] if kind else []),
        *([Actor.country == country] if country else []),
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
add_routes(router, ACTORS)
