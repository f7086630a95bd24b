"""Negotiation tracks, ceasefire regimes and peace processes."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Record
from app.models.event import Participation


class Process(Record):
    __tablename__ = "processes"

    kind: Mapped[str] = mapped_column(String(30))
    names: Mapped[dict[str, Any]]
    summary: Mapped[dict[str, Any] | None]
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("processes.id"), index=True)
    proposed: Mapped[str | None] = mapped_column(String(100))
    declared: Mapped[str | None] = mapped_column(String(100))
    effective_from: Mapped[str | None] = mapped_column(String(100))
    ended: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(20))
    scope: Mapped[dict[str, Any] | None]
    terms: Mapped[dict[str, Any] | None]
    participants: Mapped[list[Participation]] = relationship(
        lazy="raise", order_by="Participation.id", viewonly=True
    )
