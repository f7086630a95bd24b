"""States, governments, armed groups, people and organisations, and how they relate."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.ids import uuid7
from app.models.base import Base, Record


class Actor(Record):
    __tablename__ = "actors"

    names: Mapped[dict[str, Any]]
    aliases: Mapped[list[Any]]
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str | None] = mapped_column(String(3), index=True)
    external_ids: Mapped[dict[str, Any]]
    affiliations: Mapped[list[Affiliation]] = relationship(
        foreign_keys="Affiliation.actor_id",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Affiliation.id",
    )


class Affiliation(Base):
    """A directed tie from one actor to another ("Haftar commands the LNA"), valid over time."""

    __tablename__ = "actor_affiliations"
    __table_args__ = (UniqueConstraint("actor_id", "target_actor_id", "relation"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"), index=True)
    target_actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    valid: Mapped[str | None] = mapped_column(String(100))
