"""Response shapes shared by every resource."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar

import jsonpatch
from pydantic import Field, GetJsonSchemaHandler, StringConstraints, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from app.core.types import JSON_NUMBER, Input, Output


class RecordRead(Output):
    """Fields every stored record shows."""

    id: uuid.UUID
    version: int = Field(description='Bumped on every change; the ETag is W/"<version>".')
    created_at: dt.datetime
    updated_at: dt.datetime


class Patch(Input):
    """A partial update: only the fields sent change; `null` clears only optional fields."""

    not_nullable: ClassVar[frozenset[str]] = frozenset()

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The document says which fields take no `null` (leave them out instead)."""
        schema = handler(core_schema)
        properties = handler.resolve_ref_schema(schema).get("properties", {})
        for name in cls.not_nullable & properties.keys():
            _drop_null(properties[name])
        return schema

    @model_validator(mode="before")
    @classmethod
    def refuse_null_for_required(cls, data: Any) -> Any:
        if isinstance(data, dict):
            cleared = sorted(
                name for name in cls.not_nullable if name in data and data[name] is None
            )
            if cleared:
                raise ValueError(f"{', '.join(cleared)} cannot be null; leave it out to keep it")
        return data


def _drop_null(field: dict[str, Any]) -> None:
    """A field's schema without its `null` alternative (and its `null` default)."""
    options = [option for option in field.pop("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        field.update(options[0])
    elif options:
        field["anyOf"] = options
    if "default" in field and field["default"] is None:
        del field["default"]


class RevisionRead(Output):
    """One change to a record: who, when, why, and the record before and after."""

    version: int
    op: str = Field(description="create, update, delete, retract, restore or revert.")
    at: dt.datetime
    by: str | None = Field(description="The API key (id and name) that made the change.")
    request_id: str | None
    reason: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changed: list[str] = Field(description="Top-level fields that differ between before and after.")
    patch: list[dict[str, Any]] = Field(
        description="RFC 6902 JSON Patch turning `before` into `after` (from {} on create)."
    )

    @model_validator(mode="before")
    @classmethod
    def compute_changed(cls, data: Any) -> Any:
        before = getattr(data, "before", None) or {}
        after = getattr(data, "after", None) or {}
        if isinstance(data, dict):
            return data
        fields = {
            name: getattr(data, name)
            for name in ("version", "op", "at", "by", "request_id", "reason", "before", "after")
        }
        keys = sorted(set(before) | set(after))
        fields["changed"] = [k for k in keys if before.get(k) != after.get(k)]
        fields["patch"] = jsonpatch.make_patch(before, after).patch
        return fields


class RevertRequest(Input):
    """Bring a record back to how it was at one of its versions (itself a new revision)."""

    version: Annotated[int, Field(ge=1), JSON_NUMBER] = Field(
        description="The version to go back to (see its revisions)."
    )
    reason: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="Why, kept in the new revision."
    )
