"""Response shapes of timelines, the ceasefire tracker and the stance ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from pydantic import Field

from app.core.types import Output
from app.events.schemas import Precision, Role, Stance, Status, Verification

BucketUnit = Literal["day", "week", "month", "year"]
GroupBy = Literal["actor", "type", "location", "process"]


class TimelineActor(Output):
    actor_id: uuid.UUID
    names: dict[str, str]
    role: Role
    stance: Stance | None


class TimelineLocation(Output):
    id: uuid.UUID
    names: dict[str, str]
    country: str | None
    latitude: float | None
    longitude: float | None
    precision: int | None = Field(description="1 exact place … 6 country (UCDP's scale).")


class TimelineItem(Output):
    """One event as a timeline shows it."""

    id: uuid.UUID
    type: str
    title: dict[str, str]
    when: str = Field(description="EDTF as entered.")
    date_lower: dt.date | None
    date_upper: dt.date | None
    date_precision: Precision
    status: Status
    verification: Verification
    fatalities_best: int | None
    location: TimelineLocation | None
    actors: list[TimelineActor]
    citation_count: int
    lanes: list[str] = Field(default_factory=list, description="Keys of the lanes it sits in.")


class Count(Output):
    total: int
    by_type: dict[str, int]


class BucketCount(Count):
    start: dt.date
    end: dt.date = Field(description="Last day of the bucket (inclusive).")


class Buckets(Output):
    """Counts per bucket; an event whose interval spans buckets is counted under `spanning`."""

    unit: BucketUnit
    buckets: list[BucketCount]
    spanning: Count = Field(description="Events whose possible dates cross a bucket boundary.")
    undated: Count = Field(description="Events with no date bounds at all.")
    total: int = Field(description="buckets + spanning + undated: every matching event once.")


class Lane(Output):
    key: str
    label: dict[str, str]


class Era(Output):
    """A phase of a process in view, e.g. a truce from its effective date to its end."""

    process_id: uuid.UUID
    kind: str
    names: dict[str, str]
    phase: str = Field(
        description="proposed, declared, in_effect (ceasefires) or active (other processes), ended."
    )
    start: dt.date | None
    end: dt.date | None = Field(description="Null while it lasts or when unknown.")
    state: str | None


class Timeline(Output):
    items: list[TimelineItem]
    next_cursor: str | None
    buckets: Buckets | None = None
    lanes: list[Lane] | None = None
    eras: list[Era]


class EventRef(Output):
    id: uuid.UUID
    type: str
    title: dict[str, str]
    when: str


class LifecycleStep(Output):
    """One step of a ceasefire's life, with its date and the events that moved it."""

    phase: str = Field(
        description="proposed, declared, in_effect, extended, breached, collapsed or ended."
    )
    when: str | None = Field(description="EDTF, from the process record or the earliest event.")
    date_lower: dt.date | None
    date_upper: dt.date | None
    events: list[EventRef]


class Tally(Output):
    key: str
    label: dict[str, str]
    count: int


class Breaches(Output):
    total: int
    items: list[TimelineItem] = Field(description="Linked by `violates` or `alleged_violation_of`.")
    per_day: Buckets
    by_relation: dict[str, int] = Field(description="Confirmed (`violates`) vs alleged.")
    by_accused: list[Tally] = Field(description="Actors taking part as `accused`.")
    by_location: list[Tally]
    by_verification: dict[str, int]


class CeasefireTracker(Output):
    process_id: uuid.UUID
    names: dict[str, str]
    state: str | None
    scope: dict[str, Any] | None
    in_effect_from: dt.date | None
    in_effect_until: dt.date | None = Field(description="Null while the truce lasts.")
    lifecycle: list[LifecycleStep]
    breaches: Breaches
    candidates: list[TimelineItem] = Field(
        description="Violent events in scope during the truce that no one has linked to it yet."
    )
    negotiations: list[TimelineItem] = Field(
        description="Talks and agreements in scope while the truce is in effect."
    )


class ClaimRef(Output):
    id: uuid.UUID
    source_id: uuid.UUID
    source_title: str | None
    outlet: dict[str, str] | None
    claimant_actor_id: uuid.UUID | None
    claimant: dict[str, str] | None
    polarity: str
    quote: str | None
    quote_language: str | None
    translations: dict[str, str]


class StanceEntry(Output):
    stance: str
    when: str | None
    date_lower: dt.date | None
    date_upper: dt.date | None
    role: str
    event: EventRef | None = Field(
        description="The event in which the stance was recorded, if any."
    )
    citations: list[ClaimRef]


class PartyStances(Output):
    actor_id: uuid.UUID
    names: dict[str, str]
    roles: list[str]
    stances: list[StanceEntry] = Field(description="Oldest first.")


class StanceLedger(Output):
    process_id: uuid.UUID
    names: dict[str, str]
    parties: list[PartyStances]
