"""Request and response shapes of outlets and sources."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import Field, HttpUrl, StringConstraints

from app.core.schemas import Patch, RecordRead
from app.core.types import CountryCode, Input, Instant, LanguageTag, LocalizedText, ShortText

OutletKind = Literal[
    "news_agency", "broadcaster", "newspaper", "government", "ngo", "social_media", "other"
]
Url = Annotated[
    HttpUrl,
    Field(
        description="http(s) address.",
        json_schema_extra={"pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]"},
    ),
]
Title = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class OutletCreate(Input):
    names: LocalizedText
    country: CountryCode | None = None
    language: LanguageTag | None = None
    kind: OutletKind
    affiliation: ShortText | None = Field(
        default=None, description="Who stands behind it, e.g. 'Turkish state broadcaster'."
    )


class OutletUpdate(Patch):
    not_nullable = frozenset({"names", "kind"})

    names: LocalizedText | None = None
    country: CountryCode | None = None
    language: LanguageTag | None = None
    kind: OutletKind | None = None
    affiliation: ShortText | None = None


class OutletRead(RecordRead):
    names: dict[str, str]
    country: str | None
    language: str | None
    kind: OutletKind
    affiliation: str | None


class SourceCreate(Input):
    outlet_id: uuid.UUID | None = None
    url: Url | None = None
    title: Title | None = None
    language: LanguageTag | None = None
    published_at: Instant | None = None
    retrieved_at: Instant | None = None
    archived_url: Url | None = None
    content_hash: Annotated[str, StringConstraints(max_length=128)] | None = None
    note: ShortText | None = None


class SourceUpdate(Patch):
    outlet_id: uuid.UUID | None = None
    url: Url | None = None
    title: Title | None = None
    language: LanguageTag | None = None
    published_at: Instant | None = None
    retrieved_at: Instant | None = None
    archived_url: Url | None = None
    content_hash: Annotated[str, StringConstraints(max_length=128)] | None = None
    note: ShortText | None = None


class SourceRead(RecordRead):
    outlet_id: uuid.UUID | None
    url: str | None
    title: str | None
    language: str | None
    published_at: dt.datetime | None
    retrieved_at: dt.datetime | None
    archived_url: str | None
    content_hash: str | None
    note: str | None
