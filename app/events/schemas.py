"""Request and response shapes of events and what hangs off them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.core.errors import inconsistent
from app.core.schemas import Patch, RecordRead
from app.core.types import (
    JSON_NUMBER,
    ExternalIds,
    Input,
    LanguageTag,
    LocalizedText,
    Output,
    ShortText,
    When,
)
from app.events.claims import ClaimsView
from app.events.vocabulary import BY_CODE

Status = Literal["draft", "in_review", "published", "retracted"]
Verification = Literal["unverified", "corroborated", "confirmed", "disputed"]
Precision = Literal["day", "days", "month", "year", "approximate", "open"]
Role = Literal[
    "party",
    "initiator",
    "target",
    "mediator",
    "guarantor",
    "host",
    "signatory",
    "observer",
    "accused",
    "victim",
    "claimant",
]
Stance = Literal[
    "proposed",
    "accepted",
    "signed",
    "requested_time",
    "refused",
    "left_without_signing",
    "withdrew",
    "denied",
]
Polarity = Literal["asserts", "denies"]
ProcessRelation = Literal["part_of", "violates", "alleged_violation_of", "responds_to"]
LinkRelation = Literal["follows", "responds_to", "supersedes", "duplicate_of"]
Fatalities = Annotated[int, Field(ge=0, le=10_000_000), JSON_NUMBER]
PlaceAccuracy = Annotated[int, Field(ge=1, le=7), JSON_NUMBER]
Tag = Annotated[str, StringConstraints(min_length=1, max_length=100)]


def check_type_code(code: str) -> str:
    if code not in BY_CODE:
        raise ValueError(f"unknown event type {code!r}; the vocabulary is at /v1/event-types")
    return code


TypeCode = Annotated[
    str,
    AfterValidator(check_type_code),
    Field(
        examples=["ceasefire.breach"],
        description="A code from /v1/event-types.",
        json_schema_extra={"enum": sorted(BY_CODE)},
    ),
]


def check_fatalities(low: int | None, best: int | None, high: int | None) -> None:
    """Refuse figures out of order: low ≤ best ≤ high."""
    pairs = (("low", low, "best", best), ("best", best, "high", high), ("low", low, "high", high))
    for name_a, a, name_b, b in pairs:
        if a is not None and b is not None and a > b:
            raise inconsistent(
                f"fatalities_{name_a} ({a}) is greater than fatalities_{name_b} ({b})"
            )


class EventFields(Input):
    """What an editor can say about an event."""

    type: TypeCode
    title: LocalizedText
    summary: LocalizedText | None = None
    original_language: LanguageTag = Field(description="Language the record was first written in.")
    when: When
    location_id: uuid.UUID | None = None
    location_precision: PlaceAccuracy | None = Field(
        default=None, description="1 exact place … 6 country, 7 water or airspace."
    )
    fatalities_low: Fatalities | None = None
    fatalities_best: Fatalities | None = None
    fatalities_high: Fatalities | None = None
    verification: Verification | None = Field(
        default=None,
        description="Leave out to let the claims decide (corroborated, disputed, unverified); "
        "set it, with verification_reason, to decide as an editor.",
    )
    verification_reason: ShortText | None = Field(
        default=None, description="Why the editor decided the verification; required with it."
    )
    status: Literal["draft", "in_review", "published"] = Field(
        default="draft",
        description="draft → in_review → published; with a second editor required, an event "
        "is published only from in_review, by another editor.",
    )
    external_ids: ExternalIds = Field(default_factory=dict)
    tags: list[Tag] = Field(default_factory=list, max_length=50)


def check_verification_reason(verification: str | None, reason: str | None) -> None:
    """An editor's verdict says why; `auto` (back to the claims) needs no reason."""
    if verification not in (None, "auto") and not reason:
        raise inconsistent("verification_reason: deciding the verification needs a reason")
    if verification is None and reason:
        raise inconsistent("verification_reason: send it with the verification it explains")


class EventUpdate(Patch):
    not_nullable = frozenset(
        {
            "type",
            "title",
            "original_language",
            "when",
            "status",
            "verification",
            "external_ids",
            "tags",
        }
    )

    type: TypeCode | None = None
    title: LocalizedText | None = None
    summary: LocalizedText | None = None
    original_language: LanguageTag | None = None
    when: When | None = None
    location_id: uuid.UUID | None = None
    location_precision: PlaceAccuracy | None = None
    fatalities_low: Fatalities | None = None
    fatalities_best: Fatalities | None = None
    fatalities_high: Fatalities | None = None
    status: Status | None = None
    retraction_reason: ShortText | None = Field(
        default=None, description="Required when status becomes 'retracted'."
    )
    verification: Verification | Literal["auto"] | None = Field(
        default=None,
        description="An editor's verdict (with verification_reason), or `auto` to let the "
        "claims decide again.",
    )
    verification_reason: ShortText | None = None
    external_ids: ExternalIds | None = None
    tags: list[Tag] | None = Field(default=None, max_length=50)

    @model_validator(mode="after")
    def reasoned(self) -> EventUpdate:
        check_verification_reason(self.verification, self.verification_reason)
        return self


class ParticipationCreate(Input):
    actor_id: uuid.UUID
    role: Role
    stance: Stance | None = None
    stance_when: When | None = Field(default=None, description="When the actor took this stance.")
    note: ShortText | None = None


class ParticipationUpdate(Patch):
    not_nullable = frozenset({"actor_id", "role"})

    actor_id: uuid.UUID | None = None
    role: Role | None = None
    stance: Stance | None = None
    stance_when: When | None = None
    note: ShortText | None = None


class ParticipationRead(RecordRead):
    event_id: uuid.UUID | None
    process_id: uuid.UUID | None
    actor_id: uuid.UUID
    role: Role
    stance: Stance | None
    stance_when: str | None
    note: str | None


class CitationFields(Input):
    source_id: uuid.UUID
    participation_id: uuid.UUID | None = Field(
        default=None, description="Set when the claim is about one actor's part in the event."
    )
    claimant_actor_id: uuid.UUID | None = Field(
        default=None, description="Who makes the claim, e.g. the Russian foreign ministry."
    )
    polarity: Polarity = "asserts"
    quote: Annotated[str, StringConstraints(min_length=1, max_length=20_000)] | None = None
    quote_language: LanguageTag | None = None
    translations: dict[
        LanguageTag, Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
    ] = Field(default_factory=dict)
    note: ShortText | None = None
    reported_when: ShortText | None = Field(
        default=None, description="The date as the source words it, e.g. 'مساء الاثنين'."
    )
    resolved_when: When | None = Field(
        default=None, description="That date resolved against the source's publication date."
    )
    fatalities_low: Fatalities | None = None
    fatalities_best: Fatalities | None = None
    fatalities_high: Fatalities | None = None
    accused_actor_id: uuid.UUID | None = None


CITATION_RULE_FIELDS = (
    "fatalities_low",
    "fatalities_best",
    "fatalities_high",
    "quote",
    "quote_language",
)


def check_citation(fields: Mapping[str, Any]) -> None:
    """Figures in order; a quote says what language it is in (`fields` holds at least
    CITATION_RULE_FIELDS)."""
    check_fatalities(fields["fatalities_low"], fields["fatalities_best"], fields["fatalities_high"])
    if fields["quote"] is not None and fields["quote_language"] is None:
        raise inconsistent("quote_language is required with a quote")


class CitationCreate(CitationFields):
    @model_validator(mode="after")
    def consistent(self) -> CitationCreate:
        check_citation(vars(self))
        return self


class CitationUpdate(Patch):
    not_nullable = frozenset({"source_id", "polarity", "translations"})

    source_id: uuid.UUID | None = None
    participation_id: uuid.UUID | None = None
    claimant_actor_id: uuid.UUID | None = None
    polarity: Polarity | None = None
    quote: Annotated[str, StringConstraints(min_length=1, max_length=20_000)] | None = None
    quote_language: LanguageTag | None = None
    translations: (
        dict[LanguageTag, Annotated[str, StringConstraints(min_length=1, max_length=20_000)]] | None
    ) = None
    note: ShortText | None = None
    reported_when: ShortText | None = None
    resolved_when: When | None = None
    fatalities_low: Fatalities | None = None
    fatalities_best: Fatalities | None = None
    fatalities_high: Fatalities | None = None
    accused_actor_id: uuid.UUID | None = None


class CitationRead(RecordRead):
    event_id: uuid.UUID
    participation_id: uuid.UUID | None
    source_id: uuid.UUID
    claimant_actor_id: uuid.UUID | None
    polarity: Polarity
    quote: str | None
    quote_language: str | None
    translations: dict[str, str]
    note: str | None
    reported_when: str | None
    resolved_when: str | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    accused_actor_id: uuid.UUID | None


class EventProcessCreate(Input):
    process_id: uuid.UUID
    relation: ProcessRelation


class EventProcessRead(Output):
    id: uuid.UUID
    process_id: uuid.UUID
    relation: ProcessRelation
    created_at: dt.datetime


class EventLinkCreate(Input):
    target_event_id: uuid.UUID
    relation: LinkRelation


class EventLinkRead(Output):
    id: uuid.UUID
    target_event_id: uuid.UUID
    relation: LinkRelation
    created_at: dt.datetime


class CitationInline(CitationFields):
    """A citation sent with a new event; `participant` points into the event's participants."""

    participant: Annotated[int, Field(ge=0), JSON_NUMBER] | None = Field(
        default=None, description="Index of the participant (in this request) it is about."
    )

    @model_validator(mode="after")
    def consistent(self) -> CitationInline:
        if self.participation_id is not None:
            raise inconsistent(
                "a new event's citations name their participant by `participant` index"
            )
        check_citation(vars(self))
        return self


class EventCreate(EventFields):
    """A new event, optionally with its participants, citations, process relations and links,
    all stored at once as version 1."""

    participants: list[ParticipationCreate] = Field(default_factory=list, max_length=200)
    citations: list[CitationInline] = Field(default_factory=list, max_length=500)
    processes: list[EventProcessCreate] = Field(default_factory=list, max_length=100)
    links: list[EventLinkCreate] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def consistent(self) -> EventCreate:
        check_fatalities(self.fatalities_low, self.fatalities_best, self.fatalities_high)
        check_verification_reason(self.verification, self.verification_reason)
        if self.original_language not in self.title:
            raise inconsistent(
                f"title has no text in the original language {self.original_language!r}"
            )
        if len({(r.process_id, r.relation) for r in self.processes}) < len(self.processes):
            raise inconsistent("processes lists the same process and relation twice")
        if len({(k.target_event_id, k.relation) for k in self.links}) < len(self.links):
            raise inconsistent("links lists the same event and relation twice")
        for index, citation in enumerate(self.citations):
            if citation.participant is not None and citation.participant >= len(self.participants):
                raise inconsistent(
                    f"citations[{index}].participant is {citation.participant}, but the event "
                    f"has {len(self.participants)} participants"
                )
        return self


class VerificationDecision(Output):
    """An editor's verdict on an event, overriding what its claims say."""

    verification: Verification
    reason: str
    by: str | None
    at: dt.datetime


class EventSummary(RecordRead):
    """An event's own fields, as lists show it."""

    type: str
    title: dict[str, str]
    summary: dict[str, str] | None
    original_language: str
    when: str = Field(description="EDTF date or interval as entered.")
    date_lower: dt.date | None = Field(description="First possible day; null if unbounded.")
    date_upper: dt.date | None = Field(description="Last possible day; null if unbounded.")
    date_precision: Precision
    location_id: uuid.UUID | None
    location_precision: int | None
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    status: Status
    retraction_reason: str | None = Field(description="Why it was retracted, if it was.")
    retracted_at: dt.datetime | None = Field(
        description="When it was retracted: a retracted event stays readable as a tombstone."
    )
    verification: Verification = Field(
        description="From the claims (two independent outlets: corroborated; a denial: "
        "disputed), unless verification_decision says an editor decided."
    )
    verification_decision: VerificationDecision | None
    external_ids: dict[str, str]
    tags: list[str]


class EventRead(EventSummary):
    """An event with its participants, citations, process relations and links."""

    participants: list[ParticipationRead]
    citations: list[CitationRead]
    processes: list[EventProcessRead] = Field(validation_alias="process_relations")
    links: list[EventLinkRead]


class EventDetail(EventRead):
    """An event as its page shows it: with its claims grouped and its figures explained."""

    claims: ClaimsView | None = Field(
        default=None, description="Who says what: claims by subject, contradictions, figures."
    )


class EventTypeRead(Output):
    code: str
    family: str
    en: str
    ar: str
    acled: str | None = Field(description="ACLED event type / sub-event type.")
    cameo: str | None = Field(description="CAMEO code.")
    note: str | None
