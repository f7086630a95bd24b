"""Request and response shapes of processes (negotiations, ceasefires, peace processes)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import Field, model_validator

from app.core.errors import inconsistent
from app.core.schemas import Patch, RecordRead
from app.core.types import CountryCode, Input, LocalizedText, Output, When
from app.events.schemas import ParticipationRead

ProcessKind = Literal["negotiation", "ceasefire", "peace_process", "mediation_initiative"]
CeasefireState = Literal["proposed", "declared", "in_effect", "breached", "collapsed", "ended"]


class Scope(Input):
    """Where a ceasefire applies: countries, locations, or a GeoJSON polygon."""

    countries: list[CountryCode] = Field(default_factory=list, max_length=50)
    location_ids: list[uuid.UUID] = Field(default_factory=list, max_length=500)
    geometry: dict[str, Any] | None = Field(
        default=None,
        description="GeoJSON Polygon or MultiPolygon.",
        json_schema_extra={
            "required": ["type"],
            "properties": {"type": {"enum": ["Polygon", "MultiPolygon"]}},
        },
    )

    @model_validator(mode="after")
    def polygon_only(self) -> Scope:
        if self.geometry is not None and self.geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            raise ValueError("scope.geometry must be a GeoJSON Polygon or MultiPolygon")
        return self


class ScopeRead(Output):
    countries: list[str] = Field(default_factory=list)
    location_ids: list[uuid.UUID] = Field(default_factory=list)
    geometry: dict[str, Any] | None = None


class ProcessFields(Input):
    kind: ProcessKind
    names: LocalizedText
    summary: LocalizedText | None = None
    parent_id: uuid.UUID | None = Field(default=None, description="The wider process it sits in.")
    proposed: When | None = None
    declared: When | None = None
    effective_from: When | None = None
    ended: When | None = None
    state: CeasefireState | None = Field(default=None, description="Ceasefires only.")
    scope: Scope | None = None
    terms: LocalizedText | None = None


class ProcessCreate(ProcessFields):
    @model_validator(mode="after")
    def state_for_ceasefires(self) -> ProcessCreate:
        if self.state is not None and self.kind != "ceasefire":
            raise inconsistent("state applies to ceasefire processes only")
        return self


class ProcessUpdate(Patch):
    not_nullable = frozenset({"kind", "names"})

    kind: ProcessKind | None = None
    names: LocalizedText | None = None
    summary: LocalizedText | None = None
    parent_id: uuid.UUID | None = None
    proposed: When | None = None
    declared: When | None = None
    effective_from: When | None = None
    ended: When | None = None
    state: CeasefireState | None = None
    scope: Scope | None = None
    terms: LocalizedText | None = None


class ProcessRead(RecordRead):
    kind: ProcessKind
    names: dict[str, str]
    summary: dict[str, str] | None
    parent_id: uuid.UUID | None
    proposed: str | None
    declared: str | None
    effective_from: str | None
    ended: str | None
    state: CeasefireState | None
    scope: ScopeRead | None
    terms: dict[str, str] | None
    participants: list[ParticipationRead]
