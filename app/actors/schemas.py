"""Request and response shapes of actors."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from app.core.schemas import Patch, RecordRead
from app.core.types import CountryCode, ExternalIds, Input, LanguageTag, LocalizedText, Output, When

ActorKind = Literal[
    "state",
    "government",
    "armed_forces",
    "armed_group",
    "political_party",
    "person",
    "igo",
    "ngo",
    "media",
    "other",
]
Relation = Literal["part_of", "commands", "allied_with", "backs"]


class Alias(Input):
    text: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    lang: LanguageTag | None = Field(default=None, description="Language or script of the alias.")


class AffiliationIn(Input):
    actor_id: uuid.UUID = Field(description="The other actor.")
    relation: Relation = Field(
        description="This actor is part_of / commands / allied_with / backs it."
    )
    valid: When | None = Field(default=None, description="EDTF interval when the tie held.")


class ActorCreate(Input):
    names: LocalizedText
    aliases: list[Alias] = Field(default_factory=list, max_length=200)
    kind: ActorKind
    country: CountryCode | None = None
    affiliations: list[AffiliationIn] = Field(default_factory=list, max_length=200)
    external_ids: ExternalIds = Field(default_factory=dict)


class ActorUpdate(Patch):
    not_nullable = frozenset({"names", "aliases", "kind", "affiliations", "external_ids"})

    names: LocalizedText | None = None
    aliases: list[Alias] | None = Field(default=None, max_length=200)
    kind: ActorKind | None = None
    country: CountryCode | None = None
    affiliations: list[AffiliationIn] | None = Field(default=None, max_length=200)
    external_ids: ExternalIds | None = None


class AffiliationRead(Output):
    actor_id: uuid.UUID = Field(validation_alias="target_actor_id")
    relation: Relation
    valid: str | None


class AliasRead(Output):
    text: str
    lang: str | None = None


class ActorRead(RecordRead):
    names: dict[str, str]
    aliases: list[AliasRead]
    kind: ActorKind
    country: str | None
    affiliations: list[AffiliationRead]
    external_ids: dict[str, str]


class ActorMatch(Output):
    actor: ActorRead
    score: float = Field(description="0-1: 1 is the same name; spelling variants score high.")


class ActorMatches(Output):
    items: list[ActorMatch] = Field(description="Best first; only scores of 0.6 or more.")
