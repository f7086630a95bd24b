"""Who and what a scoped timeline covers: an actor and its affiliates, a process and its parts."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from app.models import Affiliation, Event, EventProcess, Participation, Process

MAX_DEPTH = 10  # affiliation and process trees deeper than this are data errors, not structure


def affiliates(session: Session, actor_id: uuid.UUID) -> set[uuid.UUID]:
    """The actor and everyone under it: those it commands and those part of it, transitively."""
    found, frontier = {actor_id}, {actor_id}
    for _ in range(MAX_DEPTH):
        stmt = select(
            Affiliation.actor_id, Affiliation.target_actor_id, Affiliation.relation
        ).where(
            or_(
                (Affiliation.actor_id.in_(frontier)) & (Affiliation.relation == "commands"),
                (Affiliation.target_actor_id.in_(frontier)) & (Affiliation.relation == "part_of"),
            )
        )
        below = {
            target if relation == "commands" else source
            for source, target, relation in session.execute(stmt)
        }
        frontier = below - found
        if not frontier:
            break
        found |= frontier
    return found


def process_tree(session: Session, process_id: uuid.UUID) -> set[uuid.UUID]:
    """The process and every process inside it, transitively."""
    found, frontier = {process_id}, {process_id}
    for _ in range(MAX_DEPTH):
        children = set(session.scalars(select(Process.id).where(Process.parent_id.in_(frontier))))
        frontier = children - found
        if not frontier:
            break
        found |= frontier
    return found


def involving(actor_ids: set[uuid.UUID]) -> Any:
    """Events in which any of these actors takes part."""
    return exists().where(Participation.event_id == Event.id, Participation.actor_id.in_(actor_ids))


def related_to(process_ids: set[uuid.UUID]) -> Any:
    """Events part of, violating or answering any of these processes."""
    return exists().where(
        EventProcess.event_id == Event.id, EventProcess.process_id.in_(process_ids)
    )
