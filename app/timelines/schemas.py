"""Response shapes of timelines, the ceasefire tracker and the stance ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

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
