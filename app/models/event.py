"""Events and what hangs off them: participations, citations, process relations, links."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.ids import uuid7
from app.models.base import Base, Record, utcnow

FATALITIES_ORDERED = (
    "(fatalities_low IS NULL OR fatalities_best IS NULL OR fatalities_low <= fatalities_best) AND "
    "(fatalities_best IS NULL OR fatalities_high IS NULL OR fatalities_best <= fatalities_high) "
    "AND (fatalities_low IS NULL OR fatalities_high IS NULL OR fatalities_low <= fatalities_high)"
)


class Event(Record):
    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(FATALITIES_ORDERED, name="fatalities_ordered"),
        CheckConstraint(
            "date_lower IS NULL OR date_upper IS NULL OR date_lower <= date_upper",
            name="dates_ordered",
        ),
        CheckConstraint("location_precision BETWEEN 1 AND 7", name="location_precision_range"),
        Index("ix_events_timeline", "sort_lower", "sort_upper", "id"),
        # A place's timeline, and one walk per place for a country's (app.core.listing.Split).
        Index("ix_events_location_timeline", "location_id", "sort_lower", "sort_upper", "id"),
    )

    type: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[dict[str, Any]]
    summary: Mapped[dict[str, Any] | None]
    original_language: Mapped[str] = mapped_column(String(35))
    when: Mapped[str] = mapped_column(String(100))
    date_lower: Mapped[dt.date | None] = mapped_column(Date)
    date_upper: Mapped[dt.date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16))
    # Sort keys: the bounds with open ends as the earliest/latest day, so that timeline order
    # (lower, upper, id) is a plain index range on both databases.
    sort_lower: Mapped[dt.date] = mapped_column(Date)
    sort_upper: Mapped[dt.date] = mapped_column(Date)
    location_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("locations.id"))
    location_precision: Mapped[int | None] = mapped_column(SmallInteger)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    retraction_reason: Mapped[str | None] = mapped_column(Text)
    retracted_at: Mapped[dt.datetime | None]
    verification: Mapped[str] = mapped_column(String(16))
    # An editor's verdict overriding the computed verification: value, reason, by, at.
    verification_decision: Mapped[dict[str, Any] | None]
    external_ids: Mapped[dict[str, Any]]
    tags: Mapped[list[Any]]

    participants: Mapped[list[Participation]] = relationship(
        lazy="raise", order_by="Participation.id", viewonly=True
    )
    citations: Mapped[list[Citation]] = relationship(
        lazy="raise", order_by="Citation.id", viewonly=True
    )
    process_relations: Mapped[list[EventProcess]] = relationship(
        lazy="raise", order_by="EventProcess.id", viewonly=True
    )
    links: Mapped[list[EventLink]] = relationship(
        lazy="raise",
        order_by="EventLink.id",
        foreign_keys="EventLink.event_id",
        viewonly=True,
    )


class Participation(Record):
    """An actor's part in an event or a process, with its stance ("signed", "refused")."""

    __tablename__ = "participations"
    __table_args__ = (
        CheckConstraint("(event_id IS NULL) <> (process_id IS NULL)", name="event_xor_process"),
        # The actor → events path in timeline order: a busy actor's newest events are an index
        # range, not a sort of everything the actor ever did.
        Index(
            "ix_participations_actor_timeline",
            "actor_id",
            "event_sort_lower",
            "event_sort_upper",
            "event_id",
        ),
    )

    event_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("events.id"), index=True)
    process_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("processes.id"), index=True)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    stance: Mapped[str | None] = mapped_column(String(30))
    stance_when: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    event_sort_lower: Mapped[dt.date | None] = mapped_column(Date)  # copies of the event's keys
    event_sort_upper: Mapped[dt.date | None] = mapped_column(Date)


class Citation(Record):
    """A source's statement about an event or a participation, maybe on a claimant's behalf."""

    __tablename__ = "citations"
    __table_args__ = (CheckConstraint(FATALITIES_ORDERED, name="fatalities_ordered"),)

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    participation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("participations.id"), index=True
    )
    source_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("sources.id"), index=True)
    claimant_actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("actors.id"), index=True)
    polarity: Mapped[str] = mapped_column(String(10))
    quote: Mapped[str | None] = mapped_column(Text)
    quote_language: Mapped[str | None] = mapped_column(String(35))
    translations: Mapped[dict[str, Any]]
    note: Mapped[str | None] = mapped_column(Text)
    reported_when: Mapped[str | None] = mapped_column(String(200))
    resolved_when: Mapped[str | None] = mapped_column(String(100))
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    accused_actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("actors.id"))


class EventProcess(Base):
    """How an event bears on a process: part of it, violating it, responding to it."""

    __tablename__ = "event_processes"
    __table_args__ = (UniqueConstraint("event_id", "process_id", "relation"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    process_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("processes.id"), index=True)
    relation: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EventLink(Base):
    """A directed tie between two events ("the refusal follows the talks")."""

    __tablename__ = "event_links"
    __table_args__ = (
        UniqueConstraint("event_id", "target_event_id", "relation"),
        CheckConstraint("event_id <> target_event_id", name="not_self"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    target_event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
    relation: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class EventExternalId(Base):
    """One identifier of an event in another dataset (ACLED, UCDP, GDELT ...), unique per
    dataset, so that re-importing a file finds the events it created instead of duplicating
    them. Kept in step with `Event.external_ids` by the event service and the importer."""

    __tablename__ = "event_external_ids"

    scheme: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("events.id"), index=True)
