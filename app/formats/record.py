"""The one shape of an event that crosses Waqai's edges.

Every importer (Waqai CSV and NDJSON, ACLED, UCDP GED, GDELT) turns a row into an
`EventRecord`; the CSV and NDJSON exports write the same fields, so an export imports back
without loss. References are inline and carry names as well as ids, because a file from another
database cannot know our ids: actors, places, outlets and processes are matched by id, then by
external id, then by normalised name, and created only when nothing matches.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from app.actors.schemas import ActorKind
from app.core.types import (
    CountryCode,
    ExternalIds,
    Input,
    Instant,
    LanguageTag,
    LocalizedText,
    ShortText,
    When,
)
from app.events.schemas import (
    Fatalities,
    Polarity,
    ProcessRelation,
    Role,
    Stance,
    Tag,
    TypeCode,
    Verification,
    check_fatalities,
)
from app.locations.schemas import Latitude, LocationKind, Longitude
from app.processes.schemas import ProcessKind
from app.sources.schemas import OutletKind

Admin = Annotated[str, StringConstraints(min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
# Fields an export writes that an import derives again instead of reading.
DERIVED_FIELDS = frozenset(
    {
        "date_lower",
        "date_upper",
        "date_precision",
        "version",
        "created_at",
        "updated_at",
        "type_label",
    }
)


class LocationRecord(Input):
    """Where the event happened; matched on id, GeoNames id, then name, country and point."""

    id: uuid.UUID | None = None
    names: LocalizedText
    country: CountryCode | None = None
    admin1: Admin | None = None
    admin2: Admin | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    kind: LocationKind = "other"
    geonames_id: int | None = None


class ActorRecord(Input):
    """An actor's part in the event; the actor is matched on id, external id, name or alias."""

    id: uuid.UUID | None = None
    names: LocalizedText
    kind: ActorKind = "other"
    country: CountryCode | None = None
    external_ids: ExternalIds = Field(default_factory=dict)
    role: Role = "party"
    stance: Stance | None = None
    stance_when: When | None = None


class SourceRecord(Input):
    """A document that reports the event, cited as a claim; matched on id, then URL, then
    outlet and title."""

    id: uuid.UUID | None = None
    outlet: LocalizedText | None = Field(default=None, description="The outlet's names.")
    outlet_kind: OutletKind = "other"
    url: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = None
    title: LongText | None = None
    language: LanguageTag | None = None
    published_at: Instant | None = None
    polarity: Polarity = "asserts"
    quote: LongText | None = None
    quote_language: LanguageTag | None = None
    note: ShortText | None = None


class ProcessRecord(Input):
    """A process the event belongs to or bears on; matched on id, then name."""

    id: uuid.UUID | None = None
    names: LocalizedText
    kind: ProcessKind = "negotiation"
    relation: ProcessRelation = "part_of"


class EventRecord(Input):
    """One event with everything it references, as files carry it."""

    id: uuid.UUID | None = None
    type: TypeCode
    when: When
    title: LocalizedText | None = Field(
        default=None, description="Required for a new event; a row updating one may leave it out."
    )
    summary: LocalizedText | None = None
    original_language: LanguageTag | None = Field(
        default=None, description="May be left out when the title has one language only."
    )
    status: Literal["draft", "in_review", "published", "retracted"] = "published"
    retraction_reason: ShortText | None = None
    verification: Verification = "unverified"
    fatalities_low: Fatalities | None = None
    fatalities_best: Fatalities | None = None
    fatalities_high: Fatalities | None = None
    location: LocationRecord | None = None
    location_precision: int | None = Field(default=None, ge=1, le=7)
    actors: list[ActorRecord] = Field(default_factory=list, max_length=200)
    sources: list[SourceRecord] = Field(default_factory=list, max_length=200)
    processes: list[ProcessRecord] = Field(default_factory=list, max_length=50)
    external_ids: ExternalIds = Field(default_factory=dict)
    tags: list[Tag] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def consistent(self) -> Self:
        """The rules an editor's event obeys: figures in order, a title in the original
        language, a reason for a retraction."""
        check_fatalities(self.fatalities_low, self.fatalities_best, self.fatalities_high)
        if self.title is None:
            return self
        if self.original_language is None:
            if len(self.title) != 1:
                raise ValueError("original_language: needed when the title has several languages")
            # Inferred, not sent: set past pydantic's record of sent fields, so that an import
            # updating an event does not take it for a change.
            self.__dict__["original_language"] = next(iter(self.title))
        if self.original_language not in self.title:
            raise ValueError(
                f"title has no text in the original language {self.original_language!r}"
            )
        if self.status == "retracted" and not self.retraction_reason:
            raise ValueError("a retracted event needs a retraction_reason")
        return self
